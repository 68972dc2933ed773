// Attendance registers as sessions and the people at them. Two shapes are read: one row per
// attendee at one session (date, session title or type, venue, the attendee's name), and one
// row per person with a column per date whose cell is marked when they came. Rows of one
// date, title, type and venue are one session; the people are drafts of contacts, matched
// against the workspace when the import runs.
import type { CreateInput } from '../../../shared/domain';
import { humanize } from '../../../shared/format';
import { SESSION_TYPES, type SessionType } from '../../../shared/kinds/session';
import type { PreviewRow, RegisterDefaults, RegisterTarget } from '../../../shared/rpc-import';
import { contactFromRow } from './contact-mapping';
import { guessTargets, headerWords } from './row-rules';

/** A date as a register writes it: 2025-02-03, 03/02/2025, 3.2.25 (day first, as in the UK). */
export function readDate(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(t);
  let [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m) {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
    if (!m) return null;
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (year < 100) year += 2000;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const RULES: [RegExp, RegisterTarget][] = [
  [/^(date|day|session date|when)$/, 'date'],
  [/\b(time|start|starts)\b/, 'time'],
  [/\b(type|kind)\b/, 'type'],
  [/\b(venue|place|where|location|hall)\b/, 'venue'],
  [/\b(session|title|event|activity|group|class)\b/, 'title'],
  [/\b(phone|mobile|tel|telephone)\b/, 'phone'],
  [/\be ?mail\b/, 'email'],
  [/\b(name|attendee|participant|person|who|full name)\b/, 'attendee'],
];

export function guessRegisterMapping(headers: string[]): RegisterTarget[] {
  const guessed = guessTargets<RegisterTarget>(headers, RULES, 'skip', ['date', 'attendee']);
  return headers.map((header, i) => (readDate(header) ? 'present' : guessed[i]!));
}

const PRESENT = /^(y|yes|x|✓|✔|☑|1|p|present|attended|came|true)$/i;

export function sessionTypeFromWords(words: string): SessionType | null {
  const text = headerWords(words).replace(/ /g, '-');
  return SESSION_TYPES.find((t) => t === text || text.includes(t.split('-')[0]!)) ?? null;
}

export interface RegisterSession {
  /** The first row it was read from. */
  line: number;
  title: string;
  type: SessionType;
  startsAt: string;
  venue: string;
  /** Lines of the people at it (each person's first row). */
  people: number[];
}

export interface RegisterPlan {
  sessions: RegisterSession[];
  /** Each person once, by the line they were first read from. */
  people: Map<number, CreateInput<'contact'>>;
  problems: PreviewRow[];
}

/** Read a register's rows into its sessions and people. */
export function readRegister(headers: string[], targets: RegisterTarget[], rows: { line: number; cells: string[] }[], defaults: RegisterDefaults): RegisterPlan {
  const sessions = new Map<string, RegisterSession>();
  const people = new Map<number, CreateInput<'contact'>>();
  const personLine = new Map<string, number>();
  const problems: PreviewRow[] = [];
  const cell = (cells: string[], target: RegisterTarget) => cells[targets.indexOf(target)]?.trim() ?? '';
  const personTargets = targets.map((t) => (t === 'attendee' ? 'name' : t === 'phone' || t === 'email' ? t : 'skip'));

  for (const row of rows) {
    const rowProblems: string[] = [];
    const person = contactFromRow(headers, personTargets, row.cells, row.line);
    rowProblems.push(...person.problems);
    // One person once, however many rows name them (the same name and phone or email).
    let line: number | null = null;
    if (person.data) {
      const key = [person.data.name, person.data.phone, person.data.email].map((v) => headerWords(v ?? '')).join('|');
      line = personLine.get(key) ?? row.line;
      if (!personLine.has(key)) {
        personLine.set(key, row.line);
        people.set(row.line, person.data);
      }
    }
    const dates = targets.includes('present')
      ? targets.flatMap((t, i) => (t === 'present' && PRESENT.test(row.cells[i]?.trim() ?? '') ? [readDate(headers[i]!)!] : []))
      : [cell(row.cells, 'date')];
    const typeWords = cell(row.cells, 'type');
    const type = (typeWords && sessionTypeFromWords(typeWords)) || defaults.type;
    if (typeWords && !sessionTypeFromWords(typeWords)) rowProblems.push(`type "${typeWords}" is not one of ${SESSION_TYPES.join(', ')}: ${defaults.type} is used`);
    const title = cell(row.cells, 'title') || defaults.title || typeWords || humanize(type);
    const time = /^\d{1,2}[:.]\d{2}/.test(cell(row.cells, 'time')) ? cell(row.cells, 'time').replace('.', ':').padStart(5, '0').slice(0, 5) : defaults.time;
    const venue = cell(row.cells, 'venue') || defaults.venue;
    for (const written of dates) {
      const date = readDate(written);
      if (!date) {
        rowProblems.push(written ? `date "${written}" is not a date such as 03/02/2025` : 'has no date: map a column to Date, or give each date a column');
        continue;
      }
      const key = [date, time, title, type, venue].join('|');
      const session = sessions.get(key) ?? { line: row.line, title, type, startsAt: `${date}T${time}`, venue, people: [] };
      sessions.set(key, session);
      if (line !== null && !session.people.includes(line)) session.people.push(line);
    }
    if (rowProblems.length) problems.push({ line: row.line, data: null, problems: rowProblems });
  }
  // In date order, as a register is read; the order is the batch's, so a resumed import carries on where it stopped.
  const ordered = [...sessions.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.line - b.line);
  return { sessions: ordered, people, problems };
}
