// The people a lead reviews for privacy: every active contact who is a person, with what the
// consent rules and the retention review read of them, and the day each last came to or
// facilitated a session. Read from the projection; a lead's screens only.
import type { ContactData } from '../../../shared/domain';
import type { SqliteDatabase } from '../db/sqlite';

export interface PersonRow {
  id: string;
  name: string;
  /** YYYY-MM-DD the record was added. */
  added: string;
  data: ContactData;
}

export function activePeople(db: SqliteDatabase): PersonRow[] {
  const rows = db
    .prepare(
      `SELECT id, title AS name, substr(created_at, 1, 10) AS added, data FROM records
       WHERE kind = 'contact' AND status = 'active' AND category = 'person' ORDER BY sort_key`,
    )
    .all() as (Omit<PersonRow, 'data'> & { data: string })[];
  return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as ContactData }));
}

/** The latest session day of each id named as attendee or facilitator of an active session (ids as written, before merges). */
export function lastSessionDays(db: SqliteDatabase): Map<string, string> {
  const rows = db
    .prepare(
      `SELECT facet_text(f.value) AS id, max(substr(s.date, 1, 10)) AS day FROM record_facets f JOIN records s ON s.rid = f.record_rid
       WHERE f.facet IN ('attendee', 'facilitator') AND s.kind = 'session' AND s.status = 'active' GROUP BY f.value`,
    )
    .all() as { id: string; day: string }[];
  return new Map(rows.map((r) => [r.id, r.day]));
}
