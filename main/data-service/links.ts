// What other records say about one record: the sessions a contact came to or facilitated,
// the sessions held at an asset, and what a list shows of a session (where, how many came).
// Read from the projection (record_facets holds every session's attendees, facilitators and
// venue under its primary key), with every reference resolved through merges.
import { namedPeople, type SessionData } from '../../shared/domain';
import { SESSION_PARTS, type RecordSession, type RpcParsedParams, type SessionPart, type SessionSummary } from '../../shared/rpc';
import type { Workspace } from './workspace';

/**
 * Sessions' venues and head-counts as they read now: merged-away people and venues count
 * as their survivors. One query finds which of all the sessions' references were merged
 * away; only those are followed (a page of 100 sessions names over a thousand people).
 */
export function sessionSummaries(ws: Workspace, sessions: SessionData[]): SessionSummary[] {
  const referenced = sessions.flatMap((d) => [...d.facilitatorIds, ...d.attendeeIds, ...(d.venueId ? [d.venueId] : [])]);
  const mergedAway = new Set(
    ws.db
      .prepare('SELECT id FROM records WHERE merged_into IS NOT NULL AND id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify([...new Set(referenced)])) as string[],
  );
  const resolve = (id: string) => (mergedAway.has(id) ? ws.resolveId(id) : id);
  return sessions.map((d) => {
    const venueId = d.venueId ? resolve(d.venueId) : null;
    return {
      venue: venueId ? { id: venueId, title: ws.titleOf(venueId) } : null,
      named: namedPeople({ facilitatorIds: d.facilitatorIds.map(resolve), attendeeIds: d.attendeeIds.map(resolve) }),
      headCount: d.anonymousHeadCount,
    };
  });
}

const PARTS_SQL = SESSION_PARTS.map((part) => `'${part}'`).join(', ');

/** Active sessions in which the record, or one merged into it, was a facilitator, an attendee or the venue. */
export function sessionsOf(ws: Workspace, q: RpcParsedParams<'record.sessions'>): { rows: RecordSession[]; total: number } {
  const aliases = JSON.stringify(ws.aliasesOf(q.id));
  // CROSS JOIN keeps the facets' key as the outer loop: otherwise SQLite may walk every
  // active session by date and probe each one's facets, a scan of all 50,000.
  const from = `FROM record_facets f CROSS JOIN records s ON s.id = f.record_id
    WHERE f.facet IN (${PARTS_SQL}) AND f.value IN (SELECT value FROM json_each(@aliases))
      AND s.kind = 'session' AND s.status = 'active'`;
  const rows = ws.db
    .prepare(
      `SELECT s.id, s.title, s.category AS type, s.date AS startsAt, s.data, group_concat(DISTINCT f.facet) AS parts ${from}
       GROUP BY s.id ORDER BY s.date DESC, s.id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ aliases, limit: q.limit, offset: q.offset }) as (Omit<RecordSession, 'parts' | 'summary'> & { data: string; parts: string })[];
  const { total } = ws.db.prepare(`SELECT count(DISTINCT s.id) AS total ${from}`).get({ aliases }) as { total: number };
  const summaries = sessionSummaries(ws, rows.map((r) => JSON.parse(r.data) as SessionData));
  return {
    total,
    rows: rows.map(({ data: _data, parts, ...session }, i) => ({
      ...session,
      parts: SESSION_PARTS.filter((part) => parts.split(',').includes(part)) satisfies SessionPart[],
      summary: summaries[i]!,
    })),
  };
}
