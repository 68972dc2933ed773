// What one connection's client was sent, by workspace sequence number: a live copy of
// updates a pull's answer already carried is not sent again, and a lead sees how far
// behind each device is.

/** Islands kept above the contiguous prefix; past this the highest are forgotten (they are then merely sent again). */
const MAX_RANGES = 256;

export class KnownSeqs {
  /** Every seq up to this is held. */
  upTo = 0;
  /** Disjoint ranges (after, upTo] above `upTo`, in order. */
  private ranges: [after: number, upTo: number][] = [];

  /** The client holds every seq in (after, upTo]. */
  add(after: number, upTo: number): void {
    if (upTo <= this.upTo) return;
    const merged: [number, number][] = [];
    let next: [number, number] = [Math.max(after, this.upTo), upTo];
    for (const range of this.ranges) {
      if (range[1] < next[0]) merged.push(range);
      else if (range[0] > next[1]) {
        merged.push(next);
        next = range;
      } else next = [Math.min(range[0], next[0]), Math.max(range[1], next[1])];
    }
    merged.push(next);
    if (merged[0]![0] <= this.upTo) this.upTo = merged.shift()![1];
    this.ranges = merged.slice(0, MAX_RANGES);
  }

  has(seq: number): boolean {
    return seq <= this.upTo || this.ranges.some(([after, upTo]) => seq > after && seq <= upTo);
  }
}
