// What an erasure leaves on a device: one line per erasure that names no one (a random id,
// when, which lead, how many records), and the erased records' ids (tombstones), so their
// data is never taken back from a peer, an editor or a restored copy. A lead's own erasure
// waits here (`sent = 0`) until the sync server has stored it.
import type { Author } from '../../../shared/domain';
import type { ErasureLogEntry } from '../../../shared/rpc-erasure';
import type { SqliteDatabase } from '../db/sqlite';
import type { TableClaim } from '../db/tables';

export const ERASURE_TABLES: TableClaim[] = [
  {
    table: 'erasure_log',
    personal: "nothing about the erased person (a random erasure id, when, the erasing lead's id and name, how many records, the lead's reason for a bulk erasure)",
    recordRows: null,
  },
  // Not the record's rows: the tombstone must outlive the erasure that walks the record's rows.
  { table: 'erased_records', personal: 'nothing personal (ids of erased records, kept so their data is never taken back)', recordRows: null },
];

/** An erasure as devices and the sync server pass it on: which records, when, by whom — never a name. */
export interface Erasure {
  erasureId: string;
  at: string;
  by: Author;
  recordIds: string[];
}

interface ErasureRow {
  erasureId: string;
  at: string;
  byId: string;
  byName: string;
}

export class ErasureLog {
  private readonly stmt;

  constructor(db: SqliteDatabase) {
    this.stmt = {
      insert: db.prepare(
        'INSERT OR IGNORE INTO erasure_log (erasure_id, erased_at, by_id, by_name, records, sent) VALUES (@erasureId, @at, @byId, @byName, @records, @sent)',
      ),
      tombstone: db.prepare('INSERT OR IGNORE INTO erased_records (record_id, erasure_id) VALUES (?, ?)'),
      isErased: db.prepare('SELECT 1 FROM erased_records WHERE record_id = ?').pluck(),
      unsent: db.prepare('SELECT erasure_id AS erasureId, erased_at AS at, by_id AS byId, by_name AS byName FROM erasure_log WHERE sent = 0 ORDER BY erased_at'),
      all: db.prepare('SELECT erasure_id AS erasureId, erased_at AS at, by_id AS byId, by_name AS byName FROM erasure_log ORDER BY erased_at'),
      idsOf: db.prepare('SELECT record_id FROM erased_records WHERE erasure_id = ? ORDER BY record_id').pluck(),
      markSent: db.prepare('UPDATE erasure_log SET sent = 1 WHERE erasure_id = ?'),
      setReason: db.prepare('UPDATE erasure_log SET reason = ? WHERE erasure_id = ?'),
      entries: db.prepare(
        'SELECT erasure_id AS erasureId, erased_at AS at, by_id AS byId, by_name AS byName, records, sent, reason FROM erasure_log ORDER BY erased_at DESC',
      ),
    };
  }

  /** Log an erasure and keep its tombstones; `sent` false for a lead's own, until the server stores it. False if it was logged already. */
  record(erasure: Erasure, sent: boolean): boolean {
    const added = this.stmt.insert.run({
      erasureId: erasure.erasureId,
      at: erasure.at,
      byId: erasure.by.id,
      byName: erasure.by.name,
      records: erasure.recordIds.length,
      sent: sent ? 1 : 0,
    }).changes;
    for (const id of erasure.recordIds) this.stmt.tombstone.run(id, erasure.erasureId);
    return added > 0;
  }

  isErased(recordId: string): boolean {
    return this.stmt.isErased.get(recordId) !== undefined;
  }

  /** This device's erasures the sync server has not stored yet, oldest first. */
  unsent(): Erasure[] {
    return this.erasuresOf(this.stmt.unsent.all() as ErasureRow[]);
  }

  /** Every erasure known here with its records, oldest first (to apply again to a restored copy). */
  all(): Erasure[] {
    return this.erasuresOf(this.stmt.all.all() as ErasureRow[]);
  }

  private erasuresOf(rows: ErasureRow[]): Erasure[] {
    return rows.map((r) => ({ erasureId: r.erasureId, at: r.at, by: { id: r.byId, name: r.byName }, recordIds: this.stmt.idsOf.all(r.erasureId) as string[] }));
  }

  /** The lead's reason for an erasure made on this device (the retention review's), kept here only: it never syncs. */
  setReason(erasureId: string, reason: string): void {
    this.stmt.setReason.run(reason, erasureId);
  }

  markSent(erasureId: string): void {
    this.stmt.markSent.run(erasureId);
  }

  /** Every erasure known here, newest first, as the Privacy screen lists them. */
  entries(): ErasureLogEntry[] {
    const rows = this.stmt.entries.all() as { erasureId: string; at: string; byId: string; byName: string; records: number; sent: number; reason: string | null }[];
    return rows.map((r) => ({ erasureId: r.erasureId, at: r.at, by: { id: r.byId, name: r.byName }, records: r.records, sent: r.sent === 1, reason: r.reason }));
  }
}
