// How values read to a person (the renderer and the data service's documents alike): labels from identifiers, dates in British English.
const locale = 'en-GB';

/** `community-conversation` → `Community conversation`. */
export function humanize(value: string): string {
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString(locale)} ${n === 1 ? singular : plural}`;
}

/** `1.5 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toLocaleString(locale, { maximumFractionDigits: 1 })} MB`;
}

const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(locale, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** `2026-11-20` → `20 Nov 2026`. */
export function formatDate(isoDate: string): string {
  return dateFormat.format(new Date(`${isoDate.slice(0, 10)}T00:00`));
}

/** `2026-11-20T10:00` (wall-clock) or a full ISO timestamp → `Fri, 20 Nov 2026, 10:00`. */
export function formatDateTime(value: string): string {
  return dateTimeFormat.format(new Date(value));
}

const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });

/** A recent moment (ISO timestamp): `14:32` today, `3 Mar, 14:32` on another day. */
export function formatMoment(isoTimestamp: string): string {
  const at = new Date(isoTimestamp);
  const time = timeFormat.format(at);
  return at.toDateString() === new Date().toDateString() ? time : `${dayFormat.format(at)}, ${time}`;
}

const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** `5 minutes ago`, `yesterday`, … */
export function formatRelative(isoTimestamp: string, now = Date.now()): string {
  const seconds = (new Date(isoTimestamp).getTime() - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** Today on this device, as YYYY-MM-DD (what is overdue is decided by the worker's own calendar). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Now on this device as a wall-clock YYYY-MM-DDTHH:mm, the format of a session's start. */
export function nowLocal(): string {
  const d = new Date();
  return `${today()}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const listFormats = {
  and: new Intl.ListFormat(locale, { type: 'conjunction' }),
  or: new Intl.ListFormat(locale, { type: 'disjunction' }),
};

/** `Smith, Rob and Bob Smith`: names that may hold commas themselves still read apart. */
export function formatList(items: readonly string[], joiner: keyof typeof listFormats = 'and'): string {
  return listFormats[joiner].format(items);
}
