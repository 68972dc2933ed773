// Local updates the sync server has not acknowledged yet: written by DocStore in the same
// transaction as the change itself, read and emptied by the sync client as the server
// acknowledges them. A record created here is queued without a copy of its bytes (data
// NULL): what is sent is its doc's snapshot as stored when it is pushed, which holds the
// creation whatever happened since (a compaction only merges later updates into it; an
// erasure's re-encoding only drops what was erased). A record whose change the server refused
// (server/push-guard.ts) has its updates held back here, neither sent nor counted as
// waiting, until the user discards the change, so one refused change never blocks the others.
//
// A change to a record whose last update here is not sent yet is merged with it: a record
// changed many times offline is sent, checked by the server and applied by colleagues as one
// update (the team bench's offline edits become fewer than half as many).
import * as Y from 'yjs';
import type { SqliteDatabase } from '../db/sqlite';
import type { TableClaim } from '../db/tables';

export const OUTBOX_TABLES: TableClaim[] = [
  {
    table: 'sync_outbox',
    personal: "Yjs updates of records not yet sent (any field of a contact's or session's data)",
    recordRows: 'doc_id = @id',
    subjectAccess: ['person', 'history', 'mergedIn', 'sessions', 'connections'],
  },
  {
    table: 'sync_refused',
    personal: "the server's reason for refusing a record's change, which may quote the refused value (a name, a phone…)",
    recordRows: 'doc_id = @id',
    // The refused value was a write here, in the history.
    subjectAccess: ['history', 'mergedIn', 'sessions', 'connections'],
  },
];

export interface OutboxItem {
  seq: number;
  docId: string;
  data: Uint8Array;
}

/** A record whose change the sync server refused, and why. */
export interface RefusedRecord {
  recordId: string;
  reason: string;
  refusedAt: string;
}

/**
 * A waiting update grows by merging later changes into it up to this size, then a new one
 * starts: each merge decodes what waits, and typing a session's notes offline makes
 * thousands of changes to one record.
 */
const MERGED_UPDATE_BYTES = 16 * 1024;

export class SyncOutbox {
  private readonly stmt;
  /** Rows up to this seq may be on their way to the server: nothing is merged into them. */
  private sentUpTo = 0;

  /** `replaced`: told when a waiting row is merged into a new one (a local change's history names the row its update waits in). */
  constructor(
    db: SqliteDatabase,
    private readonly replaced: (seq: number, by: number) => void,
  ) {
    this.stmt = {
      enqueue: db.prepare('INSERT INTO sync_outbox (doc_id, data) VALUES (?, ?)'),
      enqueueSnapshot: db.prepare('INSERT INTO sync_outbox (doc_id, data) VALUES (?, NULL)'),
      lastOfDoc: db.prepare('SELECT seq, data FROM sync_outbox WHERE doc_id = ? AND seq > ? ORDER BY seq DESC LIMIT 1'),
      remove: db.prepare('DELETE FROM sync_outbox WHERE seq = ?'),
      // Records, not rows: what a person changed, however many updates hold it. From the index
      // by doc, not the table, whose pages hold the updates' bytes.
      pending: db.prepare('SELECT count(DISTINCT doc_id) FROM sync_outbox').pluck(),
      pendingBesideRefused: db.prepare('SELECT count(DISTINCT doc_id) FROM sync_outbox WHERE doc_id NOT IN (SELECT doc_id FROM sync_refused)').pluck(),
      next: db.prepare(
        `SELECT o.seq, o.doc_id AS docId, coalesce(o.data, d.snapshot) AS data
         FROM sync_outbox o LEFT JOIN docs d ON o.data IS NULL AND d.id = o.doc_id
         WHERE o.seq > ? AND o.doc_id NOT IN (SELECT doc_id FROM sync_refused) AND coalesce(o.data, d.snapshot) IS NOT NULL
         ORDER BY o.seq LIMIT ?`,
      ),
      acked: db.prepare('DELETE FROM sync_outbox WHERE seq <= ? AND doc_id NOT IN (SELECT doc_id FROM sync_refused)'),
      dropRecord: db.prepare('DELETE FROM sync_outbox WHERE doc_id = ?'),
      refused: db.prepare('SELECT doc_id AS recordId, reason, refused_at AS refusedAt FROM sync_refused ORDER BY refused_at, doc_id'),
      refusedCount: db.prepare('SELECT count(*) FROM sync_refused').pluck(),
      refuse: db.prepare('INSERT OR REPLACE INTO sync_refused (doc_id, reason, refused_at) VALUES (?, ?, ?)'),
      forgetRefused: db.prepare('DELETE FROM sync_refused WHERE doc_id = ?'),
      forgetAllRefused: db.prepare('DELETE FROM sync_refused'),
    };
  }

  /**
   * Queue a local update. Merged with the record's last waiting update into a new row: the
   * server takes a message id it has stored from this device for a re-sent copy, so a row
   * whose push may have reached it never changes. A creation waiting as its snapshot stays
   * first (it is sent as the doc is stored when pushed).
   */
  enqueue(docId: string, data: Uint8Array): void {
    const waiting = this.stmt.lastOfDoc.get(docId, this.sentUpTo) as { seq: number; data: Uint8Array | null } | undefined;
    if (!waiting?.data || waiting.data.byteLength + data.byteLength > MERGED_UPDATE_BYTES) {
      this.stmt.enqueue.run(docId, data);
      return;
    }
    this.stmt.remove.run(waiting.seq);
    const { lastInsertRowid } = this.stmt.enqueue.run(docId, Y.mergeUpdates([waiting.data, data]));
    this.replaced(waiting.seq, Number(lastInsertRowid));
  }

  /** The sync client sent (or is about to send) every row up to `seq`. */
  sending(seq: number): void {
    this.sentUpTo = Math.max(this.sentUpTo, seq);
  }

  /** A record created here: its doc's snapshot is sent as it is stored at the time (see above). */
  enqueueSnapshot(docId: string): void {
    this.stmt.enqueueSnapshot.run(docId);
  }

  /** How many records have changes waiting to be sent, less refused records held back. */
  pending(): number {
    return this.refusedCount() ? (this.stmt.pendingBesideRefused.get() as number) : (this.stmt.pending.get() as number);
  }

  /** The oldest `limit` updates waiting to be sent after `after` (those already on their way), refused records' held back. */
  next(limit: number, after = 0): OutboxItem[] {
    return this.stmt.next.all(after, limit) as OutboxItem[];
  }

  /** The server has stored everything up to `seq` (a refused record's updates stay held back). */
  acknowledge(seq: number): void {
    this.stmt.acked.run(seq);
  }

  /** Throw away every update of one record waiting to be sent. */
  dropRecord(docId: string): void {
    this.stmt.dropRecord.run(docId);
  }

  /** Records whose change the server refused, oldest refusal first. */
  refused(): RefusedRecord[] {
    return this.stmt.refused.all() as RefusedRecord[];
  }

  refusedCount(): number {
    return this.stmt.refusedCount.get() as number;
  }

  /** Hold these records' updates back, with the server's reasons. */
  refuse(records: { docId: string; reason: string }[], at: string): void {
    for (const r of records) this.stmt.refuse.run(r.docId, r.reason, at);
  }

  /** Send a record's updates again (its refusal was discarded). */
  forgetRefused(docId: string): void {
    this.stmt.forgetRefused.run(docId);
  }

  /** Offer every refused change to the server again (a record it lacked may have reached it since). */
  forgetAllRefused(): void {
    this.stmt.forgetAllRefused.run();
  }
}
