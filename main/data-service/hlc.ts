// Hybrid logical clock: wall time plus a counter plus the device id. Stamps sort as
// strings, never go backwards on one device even if its clock does, and move past any
// stamp received from another device — so "which edit came later" is answerable even
// between devices whose clocks disagree.

const WALL_DIGITS = 13;
const COUNTER_DIGITS = 5;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;

export interface HlcParts {
  wall: number;
  counter: number;
  node: string;
}

export function formatHlc({ wall, counter, node }: HlcParts): string {
  return `${String(wall).padStart(WALL_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}:${node}`;
}

export function parseHlc(stamp: string): HlcParts | null {
  const match = /^(\d{13}):(\d{5}):(.+)$/.exec(stamp);
  if (!match) return null;
  return { wall: Number(match[1]), counter: Number(match[2]), node: match[3]! };
}

export class HybridLogicalClock {
  private wall = 0;
  private counter = 0;

  constructor(
    readonly node: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new stamp, later than every stamp this clock has issued or received. */
  tick(): string {
    const physical = this.now();
    if (physical > this.wall) {
      this.wall = physical;
      this.counter = 0;
    } else if (this.counter < MAX_COUNTER) {
      this.counter += 1;
    } else {
      // A wider counter would sort before a narrower one; borrow the next millisecond instead.
      this.wall += 1;
      this.counter = 0;
    }
    return formatHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  /** Move past a stamp seen from another device. Malformed stamps are ignored. */
  receive(stamp: string): void {
    const remote = parseHlc(stamp);
    if (!remote) return;
    if (remote.wall > this.wall || (remote.wall === this.wall && remote.counter > this.counter)) {
      this.wall = remote.wall;
      this.counter = remote.counter;
    }
  }
}

/** The wall-clock time of a stamp, as an ISO string. */
export function hlcToIso(stamp: string): string {
  const parts = parseHlc(stamp);
  return new Date(parts ? parts.wall : 0).toISOString();
}
