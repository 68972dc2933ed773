// Import batches: one row per import, and one per row of its file that created a record or
// was merged into one. Written in the same transaction as the records themselves
// (contact-import.ts), so after a crash a batch lists exactly what was stored.
import type { AssetCategory } from '../../../shared/domain';
import type { BatchBasis, ImportBatch, ImportKind, ImportStatus, ImportTarget, RegisterDefaults } from '../../../shared/rpc-import';
import type { SqliteDatabase } from '../db/sqlite';
import type { TableClaim } from '../db/tables';
import { foldText } from '../text';

/** What a batch's file is called once an erasure took a person's name out of it. */
export const ERASED_FILE_NAME = 'a file whose name was removed when a person it named was erased';

/**
 * A file's name may name a person: a phone shares one contact as "Peggy Jones.vcf". As a
 * record is erased, any batch's file name holding its whole title, or any word of it (three
 * letters or more) where the file brought that record in, is replaced.
 */
function redactFileNames(db: SqliteDatabase, id: string): void {
  const title = db.prepare('SELECT title FROM records WHERE id = ?').pluck().get(id) as string | undefined;
  if (!title) return;
  const name = foldText(title);
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
  const broughtIn = new Set(db.prepare('SELECT DISTINCT batch_id FROM import_batch_records WHERE record_id = ?').pluck().all(id) as string[]);
  const rename = db.prepare('UPDATE import_batches SET file_name = ? WHERE id = ?');
  for (const batch of db.prepare('SELECT id, file_name AS fileName FROM import_batches').all() as { id: string; fileName: string }[]) {
    const file = foldText(batch.fileName);
    if (file.includes(name) || (broughtIn.has(batch.id) && words.some((w) => file.includes(w)))) rename.run(ERASED_FILE_NAME, batch.id);
  }
}

export const IMPORT_TABLES: TableClaim[] = [
  {
    table: 'import_batches',
    personal: "the imported file's name (which may name a person: erasing them takes it out), its hash, its column mapping and the batch's lawful basis in words",
    recordRows: null,
    // A person's export names the files that brought them in (with import_batch_records).
    subjectAccess: ['imports'],
    beforeErase: redactFileNames,
  },
  {
    table: 'import_batch_records',
    personal: 'which contact each row of an imported file created or was merged into, and for a merge the values it replaced and wrote (phone, email, address, notes)',
    recordRows: 'record_id = @id',
    subjectAccess: ['imports'],
  },
];

/** What a batch keeps to go on (resume) and to be undone. */
export interface BatchSettings {
  targets: ImportTarget[];
  /** Assets: the category of rows without one of their own. */
  category: AssetCategory | null;
  /** Contacts and registers: the consent or lawful basis that covers everyone they add, as applied. */
  basis: BatchBasis | null;
  /** Registers: the sessions' title, type, venue and time where the columns do not say. */
  register?: RegisterDefaults | null;
  /**
   * Each row's fate where it is not simply created, decided at the start from the duplicates
   * then found: `skip`, merged into an existing record, or folded into an earlier row of the file.
   */
  plan: Record<string, { skip: true } | { mergeInto: string } | { foldInto: number }>;
}

/** A field a merge changed: the value before and the value the import wrote. */
export type MergeChange =
  | { field: string; kind: 'value'; before: unknown; after: unknown }
  | { field: string; kind: 'set'; added: string[] }
  | { field: string; kind: 'item'; id: string };

export type BatchRecordAction = 'created' | 'merged' | 'folded';

interface BatchRow {
  id: string;
  kind: ImportKind;
  file_name: string;
  file_sha256: string;
  settings: string;
  total: number;
  done: number;
  skipped: number;
  status: ImportStatus;
  started_at: string;
  created: number;
  merged: number;
}

const SELECT = `SELECT b.*,
  (SELECT count(*) FROM import_batch_records r WHERE r.batch_id = b.id AND r.action = 'created') AS created,
  (SELECT count(*) FROM import_batch_records r WHERE r.batch_id = b.id AND r.action <> 'created') AS merged
  FROM import_batches b`;

export class ImportBatches {
  private readonly stmt;

  constructor(private readonly db: SqliteDatabase) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO import_batches (id, kind, file_name, file_sha256, settings, total, done, skipped, status, started_at)
         VALUES (@id, @kind, @fileName, @sha256, @settings, @total, 0, 0, 'partial', @startedAt)`,
      ),
      get: db.prepare(`${SELECT} WHERE b.id = ?`),
      all: db.prepare(`${SELECT} ORDER BY b.started_at DESC`),
      progress: db.prepare('UPDATE import_batches SET done = @done, skipped = skipped + @skipped, status = @status WHERE id = @id'),
      status: db.prepare('UPDATE import_batches SET status = @status WHERE id = @id'),
      addRecord: db.prepare('INSERT INTO import_batch_records (batch_id, line, record_id, action, changes) VALUES (?, ?, ?, ?, ?)'),
      records: db.prepare('SELECT line, record_id AS recordId, action, changes FROM import_batch_records WHERE batch_id = ? ORDER BY line'),
      rowsOf: db.prepare(
        `SELECT b.file_name AS fileName, b.started_at AS importedAt, r.line, r.record_id AS recordId, r.action, r.changes
         FROM import_batch_records r JOIN import_batches b ON b.id = r.batch_id
         WHERE r.record_id IN (SELECT value FROM json_each(?)) ORDER BY b.started_at, r.line`,
      ),
    };
  }

  create(batch: { id: string; kind: ImportKind; fileName: string; sha256: string; settings: BatchSettings; total: number; startedAt: string }): void {
    this.stmt.insert.run({ ...batch, settings: JSON.stringify(batch.settings) });
  }

  get(id: string): (ImportBatch & { sha256: string; settings: BatchSettings }) | null {
    const row = this.stmt.get.get(id) as BatchRow | undefined;
    return row ? present(row) : null;
  }

  /** A batch as the user sees it (without its settings), or null. */
  summary(id: string): ImportBatch | null {
    const row = this.stmt.get.get(id) as BatchRow | undefined;
    return row ? summarise(row) : null;
  }

  list(): ImportBatch[] {
    return (this.stmt.all.all() as BatchRow[]).map(summarise);
  }

  /** A partial batch of the file with this hash, the newest. */
  partialFor(sha256: string): ImportBatch | null {
    return this.list().find((b) => b.status === 'partial' && this.get(b.id)!.sha256 === sha256) ?? null;
  }

  progress(id: string, done: number, skipped: number, status: ImportStatus): void {
    this.stmt.progress.run({ id, done, skipped, status });
  }

  setStatus(id: string, status: ImportStatus): void {
    this.stmt.status.run({ id, status });
  }

  addRecord(batchId: string, line: number, recordId: string, action: BatchRecordAction, changes: MergeChange[] | null = null): void {
    this.stmt.addRecord.run(batchId, line, recordId, action, changes ? JSON.stringify(changes) : null);
  }

  records(batchId: string): BatchRecord[] {
    return (this.stmt.records.all(batchId) as StoredBatchRecord[]).map(parseChanges);
  }

  /** Every row of any import that created or was merged into one of these records, with its file, oldest import first (a subject access export's). */
  rowsOf(recordIds: readonly string[]): (BatchRecord & { fileName: string; importedAt: string })[] {
    return (this.stmt.rowsOf.all(JSON.stringify(recordIds)) as (StoredBatchRecord & { fileName: string; importedAt: string })[]).map(parseChanges);
  }
}

export interface BatchRecord {
  line: number;
  recordId: string;
  action: BatchRecordAction;
  changes: MergeChange[] | null;
}

type StoredBatchRecord = Omit<BatchRecord, 'changes'> & { changes: string | null };

const parseChanges = <R extends StoredBatchRecord>(row: R): Omit<R, 'changes'> & { changes: MergeChange[] | null } => ({
  ...row,
  changes: row.changes ? (JSON.parse(row.changes) as MergeChange[]) : null,
});

function summarise(row: BatchRow): ImportBatch {
  const { sha256: _sha256, settings: _settings, ...batch } = present(row);
  return batch;
}

function present(row: BatchRow): ImportBatch & { sha256: string; settings: BatchSettings } {
  const settings = JSON.parse(row.settings) as BatchSettings;
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.file_name,
    startedAt: row.started_at,
    status: row.status,
    done: row.done,
    total: row.total,
    created: row.created,
    merged: row.merged,
    skipped: row.skipped,
    basis: settings.basis,
    sha256: row.file_sha256,
    settings,
  };
}
