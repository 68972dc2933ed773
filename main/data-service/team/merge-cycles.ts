// Two leads merging records into each other offline make a cycle (A into B, B into A): every
// member's doc says merged, so all would vanish from lists. The member resolveId names for
// the cycle (its smallest id, the same on every device) is shown as active instead, until an
// unmerge breaks the cycle. Settled inside the transaction of any write that changed whose
// `mergedInto` is what (ReadModel.settle), and by a rebuild; the projection stays derived
// from the docs alone.
import type { RecordStatus } from '../projection';
import type { RecordReads } from '../read/records';

export class MergeCycles {
  /** Records whose `mergedInto` a write changed since the last settle. */
  private readonly changed = new Set<string>();

  constructor(
    private readonly records: RecordReads,
    /** Project a record again from its doc with this status. */
    private readonly reproject: (id: string, status: RecordStatus) => void,
  ) {}

  noteChanged(id: string): void {
    this.changed.add(id);
  }

  settle(): void {
    if (!this.changed.size) return;
    const affected = new Set<string>();
    const mergedInto = (id: string) => this.records.mergedInto(id) ?? null;
    for (const id of this.changed) {
      // Whatever chains into it, and whatever it chains into, up to the end or round a cycle.
      for (const alias of this.records.aliasesOf(id)) affected.add(alias);
      for (let next = mergedInto(id); next && !affected.has(next); next = mergedInto(next)) affected.add(next);
    }
    this.changed.clear();
    for (const id of affected) {
      const row = this.records.brief(id);
      if (!row?.mergedInto) continue;
      const standsForCycle = this.records.resolveId(id) === id;
      if (standsForCycle === (row.status === 'active')) continue;
      this.reproject(id, standsForCycle ? 'active' : 'merged');
    }
  }
}
