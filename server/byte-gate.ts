// Bounds the bytes of pull answers being read, encoded and written at once, across every
// connection: 500 clients pulling a 4 MB batch each at the same moment took the server
// from 100 MB to 1.3 GB. Waiters go in turn; one answer larger than the whole budget
// still goes, alone.

/** Held bytes go back after this long even if the socket never drained, so one stalled client cannot starve the rest. */
const HOLD_LIMIT_MS = 10_000;

export class ByteGate {
  private inUse = 0;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];

  constructor(private readonly capacity: number) {}

  /** Wait for `bytes` of the budget; call the returned function (once is enough) to give them back. */
  async acquire(bytes: number): Promise<() => void> {
    // Counted here, or by admit for a waiter, so the next in line sees them taken.
    if (this.waiting.length > 0 || !this.fits(bytes)) await new Promise<void>((grant) => this.waiting.push({ bytes, grant }));
    else this.inUse += bytes;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearTimeout(timer);
      this.inUse -= bytes;
      this.admit();
    };
    const timer = setTimeout(release, HOLD_LIMIT_MS);
    timer.unref();
    return release;
  }

  private fits(bytes: number): boolean {
    return this.inUse === 0 || this.inUse + bytes <= this.capacity;
  }

  private admit(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.inUse += next.bytes;
      next.grant();
    }
  }
}
