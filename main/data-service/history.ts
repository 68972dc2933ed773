// Who changed which field of a record, when: an audit log kept beside the CRDT (the docs
// only know the last writer of each field). Written in the transaction of the change it
// describes, for local edits and peers' updates alike, member by member and item by item
// for sets and collections (shared/field-items.ts).
import type { Author } from '../../shared/domain';
import type { HistoryEntry } from '../../shared/rpc';
import { splitKey } from '../../shared/field-items';
import type { SqliteDatabase } from './db/sqlite';
import type { TableClaim } from './db/tables';
import type { FieldChange, Stamp } from './record-doc';

/** Rich-text edits by one author to one field within this window share a history entry. */
const HISTORY_COALESCE_MS = 5 * 60 * 1000;

export const HISTORY_TABLES: TableClaim[] = [
  {
    table: 'history',
    personal: "every field's value before and after each change (names, phones, notes…) as JSON, and the changing worker's id and name",
    recordRows: 'record_id = @id',
    // A change sync did not keep is there too (`kept: false`). A session's or connection's history shows only as it is now.
    subjectAccess: ['history', 'mergedIn', 'sessions', 'connections'],
  },
];

interface StoredHistoryRow {
  id: number;
  record_id: string;
  field: string;
  before: string | null;
  after: string | null;
  author_id: string;
  author_name: string;
  hlc: string;
  kept: number;
  outbox_seq: number | null;
}

const hlcTime = (hlc: string) => new Date(Number(hlc.slice(0, 13))).toISOString();

const toEntry = (r: StoredHistoryRow): HistoryEntry => ({
  id: r.id,
  recordId: r.record_id,
  field: r.field,
  before: r.before === null ? null : JSON.parse(r.before),
  after: r.after === null ? null : JSON.parse(r.after),
  author: { id: r.author_id, name: r.author_name },
  hlc: r.hlc,
  at: hlcTime(r.hlc),
  kept: r.kept === 1,
  unsynced: r.outbox_seq !== null,
});

/** A stored change, as the restore of one change reads it. */
export interface HistoryRow {
  recordId: string;
  field: string;
  before: string | null;
  after: string | null;
}

export class HistoryLog {
  private readonly stmt;

  constructor(db: SqliteDatabase) {
    this.stmt = {
      // A local change's row names the outbox row its update was just queued as (the newest):
      // until the server acknowledges that row, its author is only what this device claims.
      insert: db.prepare(
        `INSERT INTO history (record_id, field, before, after, author_id, author_name, hlc, kept, outbox_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN (SELECT max(seq) FROM sync_outbox) END)`,
      ),
      // What recordMergedChange may extend: a kept change the lead has not marked reviewed yet.
      last: db.prepare(
        `SELECT h.id, h.author_id AS authorId, h.hlc, h.kept AND h.id > coalesce(m.up_to, 0) AS open FROM history h
         LEFT JOIN review_marks m ON m.record_id = h.record_id AND m.author_id = h.author_id
         WHERE h.record_id = ? AND h.field = ? ORDER BY h.id DESC LIMIT 1`,
      ),
      // An extended entry takes a new id (the old row goes): a lead marking the queue as it
      // was loaded marks up to the old id, and has not seen the edit folded in since.
      extend: db.prepare(
        `INSERT INTO history (record_id, field, before, after, author_id, author_name, hlc, kept, outbox_seq)
         SELECT record_id, field, before, @after, author_id, author_name, @hlc, kept,
                CASE WHEN @local THEN (SELECT max(seq) FROM sync_outbox) ELSE outbox_seq END
         FROM history WHERE id = @id`,
      ),
      // The server stored the device's updates up to @upTo (a refused record's are held back):
      // their changes now carry the author the server attests, the user its token names.
      synced: db.prepare(
        `UPDATE history SET outbox_seq = NULL, author_id = coalesce(@authorId, author_id), author_name = coalesce(@authorName, author_name)
         WHERE outbox_seq IS NOT NULL AND outbox_seq <= @upTo AND record_id NOT IN (SELECT doc_id FROM sync_refused)`,
      ),
      requeued: db.prepare('UPDATE history SET outbox_seq = ? WHERE outbox_seq = ?'),
      neverSynced: db.prepare('UPDATE history SET outbox_seq = NULL WHERE record_id = ? AND outbox_seq IS NOT NULL'),
      unsyncedAt: db.prepare('SELECT 1 FROM history WHERE record_id = ? AND hlc = ? AND outbox_seq IS NOT NULL LIMIT 1').pluck(),
      delete: db.prepare('DELETE FROM history WHERE id = ?'),
      ofRecords: db.prepare('SELECT * FROM history WHERE record_id IN (SELECT value FROM json_each(?)) ORDER BY hlc DESC, id DESC LIMIT 1000'),
      pageOfRecords: db.prepare('SELECT * FROM history WHERE record_id IN (SELECT value FROM json_each(?)) AND id > ? ORDER BY id LIMIT ?'),
      countOfRecords: db.prepare('SELECT count(*) FROM history WHERE record_id IN (SELECT value FROM json_each(?))').pluck(),
      authors: db.prepare(
        'SELECT author_id AS id, author_name AS name, max(hlc) AS lastHlc FROM history GROUP BY author_id ORDER BY lastHlc DESC',
      ),
      byId: db.prepare('SELECT record_id AS recordId, field, before, after FROM history WHERE id = ?'),
    };
  }

  /**
   * `kept` false: peers' writes the record never held (see ConflictInbox.detect); `before`
   * is the value it kept instead. `local`: a change made on this device whose update was
   * just queued for the server (so it reads "not yet synced" until acknowledged).
   */
  write(recordId: string, changes: FieldChange[], stamp: Stamp, { kept = true, local = false }: { kept?: boolean; local?: boolean } = {}): void {
    for (const c of changes) {
      this.stmt.insert.run(
        recordId,
        c.field,
        c.before === undefined ? null : JSON.stringify(c.before),
        c.after === undefined ? null : JSON.stringify(c.after),
        stamp.author.id,
        stamp.author.name,
        stamp.hlc,
        kept ? 1 : 0,
        local ? 1 : 0,
      );
    }
  }

  /** The server acknowledged this device's updates up to `upTo`: their changes are synced, by `attested` (null: as claimed). */
  markSynced(upTo: number, attested: Author | null): void {
    this.stmt.synced.run({ upTo, authorId: attested?.id ?? null, authorName: attested?.name ?? null });
  }

  /** The outbox merged row `seq`, which changes here wait in, into row `by` (SyncOutbox.enqueue): they wait there now. */
  requeued(seq: number, by: number): void {
    this.stmt.requeued.run(by, seq);
  }

  /** A record's unsent changes were discarded: they will never be synced, and are no longer waiting to be. */
  markNeverSynced(recordId: string): void {
    this.stmt.neverSynced.run(recordId);
  }

  /** Whether the write with this HLC to the record is this device's own, not yet acknowledged by the server. */
  isUnsynced(recordId: string, hlc: string): boolean {
    return this.stmt.unsyncedAt.get(recordId, hlc) !== undefined;
  }

  /**
   * History for edits not made through `update`: consecutive edits by one author to one
   * field (or one item) share an entry, unless the lead has marked it reviewed (the review
   * queue lists history ids past the mark, so an edit folded into a reviewed entry would
   * never show); adding or removing a member or an item is an entry of its own.
   */
  recordMergedChange(id: string, change: FieldChange, by: Stamp, local: boolean): void {
    const addsOrRemoves = splitKey(change.field).item !== null && (change.before === null || change.after === null);
    const last = addsOrRemoves
      ? undefined
      : (this.stmt.last.get(id, change.field) as { id: number; authorId: string; hlc: string; open: number } | undefined);
    const recent =
      last?.open && last.authorId === by.author.id && Number(by.hlc.slice(0, 13)) - Number(last.hlc.slice(0, 13)) < HISTORY_COALESCE_MS;
    if (recent) {
      this.stmt.extend.run({ after: JSON.stringify(change.after), hlc: by.hlc, id: last.id, local: local ? 1 : 0 });
      this.stmt.delete.run(last.id);
    } else this.write(id, [change], by, { local });
  }

  /** Every change to these records, newest first (the latest 1,000). */
  entries(recordIds: string[]): HistoryEntry[] {
    return (this.stmt.ofRecords.all(JSON.stringify(recordIds)) as StoredHistoryRow[]).map(toEntry);
  }

  /** All of these records' changes, in pages in the order they were stored: `after` is the last entry's id (0 to start). */
  page(recordIds: string[], after: number, limit: number): HistoryEntry[] {
    return (this.stmt.pageOfRecords.all(JSON.stringify(recordIds), after, limit) as StoredHistoryRow[]).map(toEntry);
  }

  count(recordIds: string[]): number {
    return this.stmt.countOfRecords.get(JSON.stringify(recordIds)) as number;
  }

  /**
   * Everyone whose changes this device holds (each device writes as its own author), with
   * the name their latest change gave and when that was.
   */
  authors(): { id: string; name: string; lastChangeAt: string }[] {
    return (this.stmt.authors.all() as { id: string; name: string; lastHlc: string }[]).map((a) => ({
      id: a.id,
      name: a.name,
      lastChangeAt: hlcTime(a.lastHlc),
    }));
  }

  /** One stored change by its id. */
  entry(historyId: number): HistoryRow | undefined {
    return this.stmt.byId.get(historyId) as HistoryRow | undefined;
  }
}
