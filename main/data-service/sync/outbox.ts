// Local updates the sync server has not acknowledged yet: written by DocStore in the same
// transaction as the change itself (a creation's snapshot included), read and emptied by the
// sync client as the server acknowledges them.
import type { SqliteDatabase } from '../db/sqlite';
import type { TableClaim } from '../db/tables';

export const OUTBOX_TABLES: TableClaim[] = [
  { table: 'sync_outbox', personal: "Yjs updates of records not yet sent (any field of a contact's or session's data)", recordRows: 'doc_id = @id' },
];

export interface OutboxItem {
  seq: number;
  docId: string;
  data: Uint8Array;
}

export class SyncOutbox {
  private readonly stmt;

  constructor(db: SqliteDatabase) {
    this.stmt = {
      enqueue: db.prepare('INSERT INTO sync_outbox (doc_id, data) VALUES (?, ?)'),
      // Rows are appended with AUTOINCREMENT and acknowledged only as a prefix, so the
      // pending ones are one contiguous seq range: two index look-ups instead of a count
      // that reads every blob page (seconds at the reference workspace size).
      pending: db.prepare('SELECT coalesce(max(seq) - min(seq) + 1, 0) FROM sync_outbox').pluck(),
      next: db.prepare('SELECT seq, doc_id AS docId, data FROM sync_outbox ORDER BY seq LIMIT ?'),
      acked: db.prepare('DELETE FROM sync_outbox WHERE seq <= ?'),
    };
  }

  enqueue(docId: string, data: Uint8Array): void {
    this.stmt.enqueue.run(docId, data);
  }

  /** How many updates wait to be sent. */
  pending(): number {
    return this.stmt.pending.get() as number;
  }

  /** The oldest `limit` waiting updates. */
  next(limit: number): OutboxItem[] {
    return this.stmt.next.all(limit) as OutboxItem[];
  }

  /** The server has stored everything up to `seq`. */
  acknowledge(seq: number): void {
    this.stmt.acked.run(seq);
  }
}
