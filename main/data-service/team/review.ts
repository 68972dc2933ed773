// The review queue: what others changed since the lead last marked it reviewed, read
// from the history table (which records every peer's change with its author) against
// review_marks (how far each worker's changes to each record were reviewed).
import type { ReviewGroup, ReviewQueue } from '../../../shared/rpc-team';
import type { RecordKind } from '../../../shared/domain';
import type { Workspace } from '../workspace';

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

export function reviewQueue(ws: Workspace, query: { authorId?: string; limit: number }): ReviewQueue {
  const params = { me: ws.author.id, authorId: query.authorId ?? null, limit: query.limit };
  const byAuthor = query.authorId ? 'AND h.author_id = @authorId' : '';
  const rows = ws.db
    .prepare(
      `SELECT h.author_id AS authorId, max(h.author_name) AS authorName, h.record_id AS recordId, max(h.id) AS upTo
       ${WAITING} ${byAuthor} GROUP BY h.author_id, h.record_id ORDER BY upTo DESC LIMIT @limit`,
    )
    .all(params) as GroupRow[];
  const total = ws.db.prepare(`SELECT count(DISTINCT h.author_id || ' ' || h.record_id) ${WAITING} ${byAuthor}`).pluck().get(params) as number;
  const authors = ws.db
    .prepare(
      `SELECT h.author_id AS id, max(h.author_name) AS name, count(DISTINCT h.record_id) AS waiting ${WAITING}
       GROUP BY h.author_id ORDER BY name`,
    )
    .all(params) as ReviewQueue['authors'];
  const changes = ws.db.prepare(
    `SELECT id, field, before, after, hlc, kept FROM history WHERE record_id = ? AND author_id = ? AND id > ? AND id <= ? ORDER BY id DESC LIMIT ${CHANGES_PER_GROUP}`,
  );
  const mark = ws.db.prepare('SELECT up_to FROM review_marks WHERE record_id = ? AND author_id = ?').pluck();
  const recordRow = ws.db.prepare('SELECT kind, title, status FROM records WHERE id = ?');
  const groups = rows.map((row): ReviewGroup => {
    const since = (mark.get(row.recordId, row.authorId) as number | undefined) ?? 0;
    const record = recordRow.get(row.recordId) as { kind: RecordKind; title: string; status: ReviewGroup['record']['status'] } | undefined;
    const list = changes.all(row.recordId, row.authorId, since, row.upTo) as {
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
export function markReviewed(ws: Workspace, items: { recordId: string; authorId: string; upTo: number }[]): number {
  const upsert = ws.db.prepare(
    `INSERT INTO review_marks (record_id, author_id, up_to) VALUES (?, ?, ?)
     ON CONFLICT (record_id, author_id) DO UPDATE SET up_to = max(up_to, excluded.up_to)`,
  );
  return ws.db.transaction(() => items.reduce((n, i) => n + upsert.run(i.recordId, i.authorId, i.upTo).changes, 0))();
}
