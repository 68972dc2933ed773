// The read model as the write paths use it: a record's projection (projection.ts: the
// `records` table, its side tables and the search index) written from its doc, merge
// cycles settled (team/merge-cycles.ts), and everything derived again from the docs alone.
// Inside `batch`, new records' rows wait and are written together (Projection.writeNew)
// before anything reads or rewrites the projection, and always before the batch commits;
// changes to the search index wait until the batch ends (Projection.deferSearch).
import type { AnyRecord } from '../../shared/domain';
import type { SqliteDatabase } from './db/sqlite';
import type { DocStore } from './doc-store';
import { Projection, statusOf, type RecordStatus } from './projection';
import type { RecordReads } from './read/records';
import { readData, readMeta } from './record-doc';
import { sanitizeRecord } from './sync/sanitize';
import { MergeCycles } from './team/merge-cycles';

/** New records held in a batch before their rows are written together (bounds the memory they take). */
const BATCH_FLUSH_RECORDS = 5_000;

export class ReadModel {
  private readonly projection: Projection;
  private readonly cycles: MergeCycles;
  /** New records of the open batch whose rows are not written yet; null outside a batch. */
  private pending: { record: AnyRecord; status: RecordStatus }[] | null = null;

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
    this.projectClean(sanitizeRecord(record.kind, record, record.data as Record<string, unknown>), isNew, status);
  }

  /** `project` for a record projected before of which only the `changed` fields can differ: only those are sanitized again (Projection.writeChanged). */
  projectChanged(record: AnyRecord, changed: readonly string[]): void {
    this.flush();
    const written = this.projection.writeChanged(record, changed);
    if (written.mergedInto !== written.record.mergedInto) this.cycles.noteChanged(record.id);
  }

  /** `project` for a record this service has just validated and written itself (a local create): nothing in it for sanitizing to flag. */
  projectValidated(record: AnyRecord, isNew = false): void {
    this.projectClean(record, isNew);
  }

  private projectClean(clean: AnyRecord, isNew: boolean, status?: RecordStatus): void {
    if (isNew && this.pending) {
      this.pending.push({ record: clean, status: status ?? statusOf(clean) });
      // A new record was merged away already (a peer's doc): its survivor's cycle may change.
      if (clean.mergedInto) this.cycles.noteChanged(clean.id);
      if (this.pending.length >= BATCH_FLUSH_RECORDS) this.flush();
      return;
    }
    this.flush();
    if (this.projection.write(clean, isNew, status) !== clean.mergedInto) this.cycles.noteChanged(clean.id);
  }

  /**
   * Run `fn`, inside the caller's transaction, with new records' rows written together
   * when it ends (or as the projection is next read or rewritten) rather than one record
   * at a time. Nothing outside this class reads the projection before `fn` returns except
   * through `settle`, which writes them first.
   */
  batch<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = [];
    try {
      return this.projection.deferSearch(() => {
        const result = fn();
        this.flush();
        return result;
      });
    } finally {
      this.pending = null;
    }
  }

  private flush(): void {
    if (!this.pending?.length) return;
    const records = this.pending.splice(0);
    this.projection.writeNew(records);
  }

  /** Drop a record's projection: its doc is gone (a discarded change to a record the sync server never had). */
  remove(id: string): void {
    this.flush();
    this.projection.remove(id);
    this.cycles.noteChanged(id);
  }

  /** Settle merge cycles the writes since the last call made or broke; inside their transaction. */
  settle(): void {
    this.flush();
    this.cycles.settle();
  }

  /** Drop every projected row and derive them again from the stored docs alone. */
  rebuild(): void {
    this.docs.forgetAll();
    this.db.transaction(() => {
      this.projection.clear();
      this.batch(() => {
        for (const { id } of [...this.docs.allDocs()]) {
          this.projectDoc(id, true);
          this.docs.forget(id);
        }
        this.settle();
      });
    })();
  }

  private projectDoc(id: string, isNew: boolean, status?: RecordStatus): void {
    const kind = this.docs.kindOf(id);
    const doc = kind ? this.docs.load(id) : null;
    if (!kind || !doc) return;
    this.project({ ...readMeta(id, doc), kind, data: readData(kind, doc) } as AnyRecord, isNew, status);
  }
}
