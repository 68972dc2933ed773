// A record's history in plain words: who changed what, and when.
import { useEffect, useState } from 'react';
import type { RecordKind } from '../../../shared/domain';
import type { HistoryEntry } from '../../../shared/rpc';
import { call, errorMessage } from '../app/connection';
import { useProfile } from '../app/profile';
import { formatDateTime, formatRelative, humanize } from '../lib/format';
import { KIND_LABEL, fieldLabel } from '../lib/labels';
import { useTitles } from '../lib/titles';

const SHOWN_AT_FIRST = 8;
const CONTACT_REFS = new Set(['contactPersonId', 'attendeeIds', 'facilitatorIds']);
const ASSET_REFS = new Set(['venueId']);

type Names = Record<string, string>;
type Item = Record<string, unknown> & { id: string };

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const quote = (text: string) => `“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”`;

function valueText(field: string, value: unknown, names: Names): string {
  if (typeof value === 'string') {
    if (CONTACT_REFS.has(field) || ASSET_REFS.has(field)) return names[value] ?? 'a record';
    if (['category', 'type', 'kind'].includes(field)) return humanize(value);
    if (field === 'startsAt' || field === 'endsAt') return formatDateTime(value);
    return quote(value);
  }
  if (value && typeof value === 'object' && 'lat' in value && 'lon' in value) return `${value.lat}, ${value.lon}`;
  return String(value);
}

function itemText(field: string, item: Item): string {
  switch (field) {
    case 'skills':
      return `${quote(String(item.skill))} (${item.domain})`;
    case 'consents':
      return `consent for ${quote(String(item.purpose))}`;
    case 'actions':
      return `the action ${quote(String(item.text))}`;
    default:
      return quote(String(item.text ?? item.id));
  }
}

function describeCollection(field: string, label: string, before: Item[], after: Item[]): string {
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  const parts: string[] = [];
  const added = after.filter((i) => !old.has(i.id));
  const removed = before.filter((i) => !now.has(i.id));
  if (added.length) parts.push(`added ${added.map((i) => itemText(field, i)).join(', ')} to ${label}`);
  if (removed.length) parts.push(`removed ${removed.map((i) => itemText(field, i)).join(', ')} from ${label}`);
  for (const item of after) {
    const was = old.get(item.id);
    if (!was || JSON.stringify(was) === JSON.stringify(item)) continue;
    if (field === 'consents' && !was.withdrawnAt && item.withdrawnAt) parts.push(`recorded that ${itemText(field, item)} was withdrawn`);
    else parts.push(`changed ${itemText(field, item)} in ${label}`);
  }
  return parts.join('; ') || `changed the order of ${label}`;
}

function describeSet(field: string, label: string, before: string[], after: string[], names: Names): string {
  const show = (v: string) => (CONTACT_REFS.has(field) ? (names[v] ?? 'someone') : quote(v));
  const added = after.filter((v) => !before.includes(v)).map(show);
  const removed = before.filter((v) => !after.includes(v)).map(show);
  return [added.length && `added ${added.join(', ')} to ${label}`, removed.length && `removed ${removed.join(', ')} from ${label}`]
    .filter(Boolean)
    .join('; ');
}

export function describeChange(kind: RecordKind, entry: HistoryEntry, names: Names): string {
  const what = KIND_LABEL[kind].one;
  if (entry.field === '(created)') return `created this ${what}`;
  if (entry.field === '(deleted)') return `deleted this ${what}`;
  if (entry.field === '(restored)') return `restored this ${what}`;
  if (kind === 'session' && entry.field === 'notes') return 'edited the notes';
  const label = fieldLabel(kind, entry.field);
  const { before, after } = entry;
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = (before ?? []) as unknown[];
    const a = (after ?? []) as unknown[];
    const sample = a[0] ?? b[0];
    return sample && typeof sample === 'object'
      ? describeCollection(entry.field, label, b as Item[], a as Item[])
      : describeSet(entry.field, label, b as string[], a as string[], names);
  }
  if (isEmpty(before)) return `set ${label} to ${valueText(entry.field, after, names)}`;
  if (isEmpty(after)) return `cleared ${label}`;
  return `changed ${label} from ${valueText(entry.field, before, names)} to ${valueText(entry.field, after, names)}`;
}

function referencedIds(entries: HistoryEntry[], refs: Set<string>): string[] {
  const ids = new Set<string>();
  for (const e of entries) {
    if (!refs.has(e.field)) continue;
    for (const v of [e.before, e.after].flat()) if (typeof v === 'string') ids.add(v);
  }
  return [...ids];
}

export function HistoryPanel({ kind, id, version }: { kind: RecordKind; id: string; version: string }) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const me = useProfile((s) => s.profile?.author?.id);
  useEffect(() => {
    call('record.history', { id }).then(setEntries, (e) => setError(errorMessage(e)));
  }, [id, version]);
  const contactNames = useTitles('contact', referencedIds(entries ?? [], CONTACT_REFS));
  const assetNames = useTitles('asset', referencedIds(entries ?? [], ASSET_REFS));
  const names = { ...contactNames, ...assetNames };
  const shown = showAll ? entries : entries?.slice(0, SHOWN_AT_FIRST);
  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {error && <p className="field-error">The history could not be loaded: {error}</p>}
      {shown && (
        <ol className="history">
          {shown.map((entry) => (
            <li key={`${entry.hlc}-${entry.field}`}>
              <span className="history-text">
                <strong>{entry.author.id === me ? 'You' : entry.author.name}</strong> {describeChange(kind, entry, names)}
              </span>
              <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                {formatRelative(entry.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {entries && entries.length > SHOWN_AT_FIRST && !showAll && (
        <button type="button" className="button button--ghost button--small" onClick={() => setShowAll(true)}>
          Show all {entries.length} changes
        </button>
      )}
    </section>
  );
}
