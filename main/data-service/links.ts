// What other records say about one record: the sessions a contact came to or facilitated,
// the sessions held at an asset, and what a list shows of a session (where, how many came).
// Read from the projection (record_facets holds every session's attendees, facilitators and
// venue under its primary key), with every reference resolved through merges.
import { type SessionData } from '../../shared/domain';
import { mayUse } from '../../shared/privacy/consent-rules';
import { SESSION_PARTS, type RecordSession, type RpcParsedParams, type SessionPart, type SessionSummary } from '../../shared/rpc';
import type { SqliteDatabase } from './db/sqlite';
import type { RecordReads } from './read/records';
import { localToday } from './today';

const PARTS_SQL = SESSION_PARTS.map((part) => `'${part}'`).join(', ');
// CROSS JOIN keeps the facets' key as the outer loop: otherwise SQLite may walk every
// active session by date and probe each one's facets, a scan of all 50,000.
const SESSIONS_OF = `FROM record_facets f CROSS JOIN records s ON s.rid = f.record_rid
  WHERE f.facet IN (${PARTS_SQL}) AND f.value IN (SELECT facet_value(value) FROM json_each(@aliases))
    AND s.kind = 'session' AND s.status = 'active'`;

export class RecordLinks {
  private readonly stmt;

  constructor(
    db: SqliteDatabase,
    private readonly records: RecordReads,
  ) {
    this.stmt = {
      sessionsOf: db.prepare(
        `SELECT s.id, s.title, s.category AS type, s.date AS startsAt, s.data, group_concat(DISTINCT f.facet) AS parts ${SESSIONS_OF}
         GROUP BY s.id ORDER BY s.date DESC, s.id DESC LIMIT @limit OFFSET @offset`,
      ),
      countSessionsOf: db.prepare(`SELECT count(DISTINCT s.id) AS total ${SESSIONS_OF}`),
      // Every reference a kind's description declares is projected as a facet (attendee,
      // facilitator, venue, action owner, contact person, connection end), whatever the status.
      referrers: db.prepare(
        `SELECT DISTINCT r.id FROM record_facets f JOIN records r ON r.rid = f.record_rid
           WHERE f.value IN (SELECT facet_value(value) FROM json_each(@ids)) AND r.id NOT IN (SELECT value FROM json_each(@ids)) ORDER BY r.id`,
      ).pluck(),
    };
  }

  /** Records of any status, other than these, that name any of them (an erasure rewrites or erases each). */
  referrersOf(ids: string[]): string[] {
    return this.stmt.referrers.all({ ids: JSON.stringify(ids) }) as string[];
  }

  /**
   * Sessions' venues and head-counts as they read now: merged-away people and venues count
   * as their survivors. One query finds which of all the sessions' references were merged
   * away; only those are followed (a page of 100 sessions names over a thousand people).
   * How many came is an evaluation figure: a person whose data may not be used for
   * evaluation today (shared/privacy/consent-rules.ts) is left out of it, and only the
   * number left out is said.
   */
  sessionSummaries(sessions: SessionData[], today: string): SessionSummary[] {
    const referenced = sessions.flatMap((d) => [...d.facilitatorIds, ...d.attendeeIds, ...(d.venueId ? [d.venueId] : [])]);
    const mergedAway = this.records.mergedAmong([...new Set(referenced)]);
    const resolve = (id: string) => (mergedAway.has(id) ? this.records.resolveId(id) : id);
    const people = sessions.map((d) => [...new Set([...d.facilitatorIds, ...d.attendeeIds].map(resolve))]);
    const grounds = this.records.groundsOf([...new Set(people.flat())]);
    const policy = this.records.policy();
    return sessions.map((d, i) => {
      const venueId = d.venueId ? resolve(d.venueId) : null;
      // A person not (yet) synced to this device cannot be asked; they are counted as before.
      const evaluated = people[i]!.filter((id) => {
        const person = grounds.get(id);
        return !person || mayUse(person, 'evaluate', policy, today);
      });
      return {
        venue: venueId ? { id: venueId, title: this.records.titleOf(venueId) } : null,
        named: evaluated.length,
        headCount: d.anonymousHeadCount,
        notCounted: people[i]!.length - evaluated.length,
      };
    });
  }

  /** Active sessions in which the record, or one merged into it, was a facilitator, an attendee or the venue. */
  sessionsOf(q: RpcParsedParams<'record.sessions'>): { rows: RecordSession[]; total: number } {
    const aliases = JSON.stringify(this.records.aliasesOf(q.id));
    const rows = this.stmt.sessionsOf.all({ aliases, limit: q.limit, offset: q.offset }) as (Omit<RecordSession, 'parts' | 'summary'> & {
      data: string;
      parts: string;
    })[];
    const { total } = this.stmt.countSessionsOf.get({ aliases }) as { total: number };
    const summaries = this.sessionSummaries(
      rows.map((r) => JSON.parse(r.data) as SessionData),
      localToday(),
    );
    return {
      total,
      rows: rows.map(({ data: _data, parts, ...session }, i) => ({
        ...session,
        parts: SESSION_PARTS.filter((part) => parts.split(',').includes(part)) satisfies SessionPart[],
        summary: summaries[i]!,
      })),
    };
  }
}
