// The review queue: what others changed since the lead last marked it reviewed, read
// from the history table (which records every peer's change with its author) against
// review_marks (how far each worker's changes to each record were reviewed).
import type { ReviewGroup, ReviewQueue } from '../../../shared/rpc-team';
import type { SqliteDatabase } from '../db/sqlite';
import type { TableClaim } from '../db/tables';
import type { RecordReads } from '../read/records';
import type { Workspace } from '../workspace';

export const REVIEW_TABLES: TableClaim[] = [
  { table: 'review_marks', personal: "nothing personal (how far a worker's changes to a record were reviewed: ids)", recordRows: 'record_id = @id' },
];

interface GroupRow {
  authorId: string;
  authorName: string;
  recordId: string;
  upTo: number;
}

/** Changes listed per record group; a record rewritten hundreds of times shows its latest ones. */
const CHANGES_PER_GROUP = 50;

const WAITING = `FROM history h LEFT JOIN review_marks m ON m.record_id = h.record_id AND m.author_id = h.author_id
  WHERE h.author_id != @me AND h.id > coalesce(m.up_to, 0)`;

/** The review marks, and the queue read from them against the history. */
export class ReviewMarks {
  private readonly stmt;

  constructor(
    db: SqliteDatabase,
    private readonly records: RecordReads,
  ) {
    const byAuthor = 'AND h.author_id = @authorId';
    const groups = (filter: string) =>
      db.prepare(
        `SELECT h.author_id AS authorId, max(h.author_name) AS authorName, h.record_id AS recordId, max(h.id) AS upTo
         ${WAITING} ${filter} GROUP BY h.author_id, h.record_id ORDER BY upTo DESC LIMIT @limit`,
      );
    const total = (filter: string) => db.prepare(`SELECT count(DISTINCT h.author_id || ' ' || h.record_id) ${WAITING} ${filter}`).pluck();
    const upsert = db.prepare(
      `INSERT INTO review_marks (record_id, author_id, up_to) VALUES (?, ?, ?)
       ON CONFLICT (record_id, author_id) DO UPDATE SET up_to = max(up_to, excluded.up_to)`,
    );
    this.stmt = {
      groups: groups(''),
      groupsBy: groups(byAuthor),
      total: total(''),
      totalBy: total(byAuthor),
      authors: db.prepare(
        `SELECT h.author_id AS id, max(h.author_name) AS name, count(DISTINCT h.record_id) AS waiting ${WAITING}
         GROUP BY h.author_id ORDER BY name`,
      ),
      changes: db.prepare(
        `SELECT id, field, before, after, hlc, kept FROM history WHERE record_id = ? AND author_id = ? AND id > ? AND id <= ? ORDER BY id DESC LIMIT ${CHANGES_PER_GROUP}`,
      ),
      mark: db.prepare('SELECT up_to FROM review_marks WHERE record_id = ? AND author_id = ?').pluck(),
      markAll: db.transaction((items: { recordId: string; authorId: string; upTo: number }[]) =>
        items.reduce((n, i) => n + upsert.run(i.recordId, i.authorId, i.upTo).changes, 0),
      ),
    };
  }

  /** What others (all but `me`) changed since the lead last marked it reviewed. */
  queue(me: string, query: { authorId?: string; limit: number }): ReviewQueue {
    const params = { me, authorId: query.authorId ?? null, limit: query.limit };
    const rows = (query.authorId ? this.stmt.groupsBy : this.stmt.groups).all(params) as GroupRow[];
    const total = (query.authorId ? this.stmt.totalBy : this.stmt.total).get(params) as number;
    const authors = this.stmt.authors.all(params) as ReviewQueue['authors'];
    const groups = rows.map((row): ReviewGroup => {
      const since = (this.stmt.mark.get(row.recordId, row.authorId) as number | undefined) ?? 0;
      const record = this.records.brief(row.recordId);
      const list = this.stmt.changes.all(row.recordId, row.authorId, since, row.upTo) as {
        id: number;
        field: string;
        before: string | null;
        after: string | null;
        hlc: string;
        kept: number;
      }[];
      return {
        author: { id: row.authorId, name: row.authorName },
        record: { id: row.recordId, kind: record?.kind ?? 'contact', title: record?.title ?? '(missing record)', status: record?.status ?? 'active' },
        changes: list.reverse().map((c) => ({
          historyId: c.id,
          field: c.field,
          before: c.before === null ? null : JSON.parse(c.before),
          after: c.after === null ? null : JSON.parse(c.after),
          at: new Date(Number(c.hlc.slice(0, 13))).toISOString(),
          kept: c.kept === 1,
        })),
        upTo: row.upTo,
      };
    });
    return { groups, total, authors };
  }

  /** Mark changes reviewed up to a history id per record and author; never moves a mark back. */
  mark(items: { recordId: string; authorId: string; upTo: number }[]): number {
    return this.stmt.markAll(items);
  }
}

export function reviewQueue(ws: Workspace, query: { authorId?: string; limit: number }): ReviewQueue {
  return ws.reviews.queue(ws.author.id, query);
}

export function markReviewed(ws: Workspace, items: { recordId: string; authorId: string; upTo: number }[]): number {
  return ws.reviews.mark(items);
}
