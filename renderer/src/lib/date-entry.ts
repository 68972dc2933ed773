// Dates as people in England write them, DD/MM/YYYY (and HH:MM on a 24-hour clock), read
// into the ISO forms the data model stores. What cannot be a date is refused in the same
// words the field shows, and as soon as more typing could not make it one.

export const DATE_FORMAT = 'DD/MM/YYYY';
export const DATE_TIME_FORMAT = 'DD/MM/YYYY HH:MM';

export type DateEntry =
  /** A date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:mm); '' when nothing is typed. */
  | { value: string }
  /** `problem` reads after the field's label; `final` when typing on cannot mend it. */
  | { problem: string; final: boolean };

const pad = (n: string) => n.padStart(2, '0');

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Reads what was typed: `27/3/2026`, `27-03-2026`, `27.03.2026`, and `27/03/2026 14:30` with time. */
export function readDateEntry(text: string, withTime = false): DateEntry {
  const format = withTime ? DATE_TIME_FORMAT : DATE_FORMAT;
  const unwritten = (final: boolean) => ({ problem: `must be written ${format}, like ${withTime ? '27/03/2026 14:30' : '27/03/2026'}`, final });
  const trimmed = text.trim();
  if (!trimmed) return { value: '' };

  const [datePart = '', timePart, ...rest] = trimmed.split(/\s+/);
  if (rest.length > 0 || (!withTime && timePart !== undefined)) return unwritten(true);
  const parts = datePart.split(/[/.-]/);
  if (parts.length > 3 || parts.some((p) => !/^\d*$/.test(p))) return unwritten(true);
  const [day = '', month = '', year = ''] = parts;
  if (day.length > 2 || Number(day) > 31 || month.length > 2 || Number(month) > 12 || (day.length === 2 && Number(day) === 0) || (month.length === 2 && Number(month) === 0)) {
    return { problem: `must be a real date, written ${format}`, final: true };
  }
  if (year.length > 4) return { problem: `must have a four-digit year, written ${format}`, final: true };
  if (parts.length < 3 || !day || !month || !year) return unwritten(false);
  if (year.length < 4) return { problem: `must have a four-digit year, written ${format}`, final: false };
  if (Number(day) === 0 || Number(month) === 0 || Number(day) > daysIn(Number(month), Number(year))) {
    return { problem: `must be a real date: there is no ${pad(day)}/${pad(month)}/${year}`, final: true };
  }
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (!withTime) return { value: date };

  if (timePart === undefined) return unwritten(false);
  const clock = timePart.split(/[:.]/);
  if (clock.length > 2 || clock.some((p) => !/^\d*$/.test(p))) return unwritten(true);
  const [hours = '', minutes = ''] = clock;
  if (hours.length > 2 || Number(hours) > 23 || minutes.length > 2 || Number(minutes) > 59) {
    return { problem: `must be a real time on a 24-hour clock, written ${format}`, final: true };
  }
  if (!hours || minutes.length < 2) return unwritten(false);
  return { value: `${date}T${pad(hours)}:${minutes}` };
}

/** `2026-03-27` → `27/03/2026`; `2026-03-27T14:30` → `27/03/2026 14:30`; '' stays ''. */
export function writeDateEntry(value: string, withTime = false): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(value);
  if (!match) return value;
  const [, year, month, day, time] = match;
  return `${day}/${month}/${year}${withTime && time ? ` ${time}` : ''}`;
}
