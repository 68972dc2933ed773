// The read model as the write paths use it: a record's projection (projection.ts: the
// `records` table, its side tables and the search index) written from its doc, merge
// cycles settled (team/merge-cycles.ts), and everything derived again from the docs alone.
import type { AnyRecord } from '../../shared/domain';
import type { SqliteDatabase } from './db/sqlite';
import type { DocStore } from './doc-store';
import { Projection, type RecordStatus } from './projection';
import type { RecordReads } from './read/records';
import { readData, readMeta } from './record-doc';
import { sanitizeRecord } from './sync/sanitize';
import { MergeCycles } from './team/merge-cycles';

export class ReadModel {
  private readonly projection: Projection;
  private readonly cycles: MergeCycles;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly docs: DocStore,
    records: RecordReads,
  ) {
    this.projection = new Projection(db);
    this.cycles = new MergeCycles(records, (id, status) => this.projectDoc(id, false, status));
  }

  /** Write a record's projection from its doc's data; a field the schema refuses is shown as it is and flagged (see sanitize.ts). */
  project(record: AnyRecord, isNew = false, status?: RecordStatus): void {
    const clean = sanitizeRecord(record.kind, record, record.data as Record<string, unknown>);
    if (this.projection.write(clean, isNew, status) !== clean.mergedInto) this.cycles.noteChanged(record.id);
  }

  /** Drop a record's projection: its doc is gone (a discarded change to a record the sync server never had). */
  remove(id: string): void {
    this.projection.remove(id);
    this.cycles.noteChanged(id);
  }

  /** Settle merge cycles the writes since the last call made or broke; inside their transaction. */
  settle(): void {
    this.cycles.settle();
  }

  /** Drop every projected row and derive them again from the stored docs alone. */
  rebuild(): void {
    this.docs.forgetAll();
    this.db.transaction(() => {
      this.projection.clear();
      for (const { id } of [...this.docs.allDocs()]) {
        this.projectDoc(id, true);
        this.docs.forget(id);
      }
      this.settle();
    })();
  }

  private projectDoc(id: string, isNew: boolean, status?: RecordStatus): void {
    const kind = this.docs.kindOf(id);
    const doc = kind ? this.docs.load(id) : null;
    if (!kind || !doc) return;
    this.project({ ...readMeta(id, doc), kind, data: readData(kind, doc) } as AnyRecord, isNew, status);
  }
}
