// Sessions, actions and connections as CSV rows for spreadsheets. People's names arrive
// already decided by the consent gate: a name that may not leave is not passed in.
import type { RecordOf } from '../../../shared/domain';
import { humanize } from '../../../shared/format';
import type { ActionRow, SessionSummary } from '../../../shared/rpc';

export const SESSION_CSV_COLUMNS = [
  'Date',
  'Start',
  'End',
  'Title',
  'Type',
  'Venue',
  'Named and counted',
  'Head-count',
  'Named, not counted (no consent to evaluation)',
  'Facilitators',
  'Priorities',
] as const;

/** `2026-03-01T10:00` → date and time; an end on another day keeps its date. */
function when(startsAt: string, endsAt: string | null) {
  const end = endsAt === null ? '' : endsAt.slice(0, 10) === startsAt.slice(0, 10) ? endsAt.slice(11, 16) : endsAt.replace('T', ' ');
  return { date: startsAt.slice(0, 10), start: startsAt.slice(11, 16), end };
}

/**
 * A session as a row: how many came as the Sessions list counts them (people named once each,
 * facilitators and attendees, and the head-count of those not named), then how many named
 * people that figure leaves out because they did not agree to be counted in evaluation, so
 * the three columns still add up to everyone who came; the facilitators whose names may go
 * out, and the priorities heard with their theme.
 */
export function sessionCsvRow(session: RecordOf<'session'>, summary: SessionSummary, facilitators: readonly string[]): (string | number)[] {
  const d = session.data;
  const { date, start, end } = when(d.startsAt, d.endsAt);
  const priorities = d.priorities.map((p) => (p.theme ? `${p.text} (${p.theme})` : p.text)).join('; ');
  return [date, start, end, d.title, humanize(d.type), summary.venue?.title ?? '', summary.named, summary.headCount, summary.notCounted, facilitators.join('; '), priorities];
}

export const ACTION_CSV_COLUMNS = ['Action', 'Owner', 'Due', 'Status', 'Session', 'Session date'] as const;

export function actionCsvRow(action: ActionRow, owner: string): string[] {
  return [action.text, owner, action.dueDate ?? '', humanize(action.status), action.sessionTitle, action.sessionStartsAt.slice(0, 10)];
}

export const CONNECTION_CSV_COLUMNS = ['From', 'From is', 'Connection', 'To', 'To is', 'Date', 'Note', 'Recorded'] as const;

/** One end of a connection: its name as it is now and whether it is a contact or an asset. */
export interface ConnectionEnd {
  title: string;
  kind: string;
}

export function connectionCsvRow(connection: RecordOf<'connection'>, from: ConnectionEnd, to: ConnectionEnd): string[] {
  const d = connection.data;
  return [from.title, from.kind, humanize(d.kind), to.title, to.kind, d.date ?? '', d.note, connection.createdAt.slice(0, 10)];
}
