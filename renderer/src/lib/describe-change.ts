// A change to a record, or one value of a field, in plain words: shared by the history
// panel, the review queue, the conflict inbox and the merge dialog so a change reads the
// same everywhere.
import type { Consent, RecordKind } from '../../../shared/domain';
import { consentState } from './consent-state';
import { formatDateTime, formatList, humanize } from './format';
import { KIND_LABEL, fieldLabel } from './labels';

export const CONTACT_REFS = new Set(['contactPersonId', 'attendeeIds', 'facilitatorIds']);
export const ASSET_REFS = new Set(['venueId']);
/** History entries of merges: their values are ids of records of the same kind. */
export const MERGE_ENTRIES = new Set(['(merged)', '(merged into)', '(unmerged)']);

/** Titles of records referred to by id, for showing references as names. */
export type Names = Record<string, string>;
type Item = Record<string, unknown> & { id: string };

/** What a change is about: one field's value before and after. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  /** False for a write that lost a conflict: `before` is the value the record kept instead. */
  kept?: boolean;
}

export const isEmptyValue = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
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
      return `consent for ${quote(String(item.purpose))} (${consentState(item as unknown as Consent)})`;
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

const setMember = (field: string, value: string, names: Names) => (CONTACT_REFS.has(field) ? (names[value] ?? 'someone') : quote(value));

function describeSet(field: string, label: string, before: string[], after: string[], names: Names): string {
  const added = after.filter((v) => !before.includes(v)).map((v) => setMember(field, v, names));
  const removed = before.filter((v) => !after.includes(v)).map((v) => setMember(field, v, names));
  return [added.length && `added ${added.join(', ')} to ${label}`, removed.length && `removed ${removed.join(', ')} from ${label}`]
    .filter(Boolean)
    .join('; ');
}

/** `changed Phone from “07700 900123” to “07700 900456”`, `created this contact`, … */
export function describeChange(kind: RecordKind, change: FieldChange, names: Names): string {
  if (change.kept === false) {
    const tried = describeChange(kind, { field: change.field, before: null, after: change.after }, names);
    return `${tried} — not kept: sync kept ${describeValue(change.field, change.before, names)}`;
  }
  const what = KIND_LABEL[kind].one;
  if (change.field === '(created)') return `created this ${what}`;
  if (change.field === '(deleted)') return `deleted this ${what}`;
  if (change.field === '(restored)') return `restored this ${what}`;
  if (change.field === '(conflict resolved)') return `resolved a conflict over ${fieldLabel(kind, String(change.before))}: ${String(change.after)}`;
  if (MERGE_ENTRIES.has(change.field)) return describeMerge(what, change, names);
  if (kind === 'session' && change.field === 'notes') return 'edited the notes';
  const label = fieldLabel(kind, change.field);
  const { before, after } = change;
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = (before ?? []) as unknown[];
    const a = (after ?? []) as unknown[];
    const sample = a[0] ?? b[0];
    return sample && typeof sample === 'object'
      ? describeCollection(change.field, label, b as Item[], a as Item[])
      : describeSet(change.field, label, b as string[], a as string[], names);
  }
  if (isEmptyValue(before)) return `set ${label} to ${valueText(change.field, after, names)}`;
  if (isEmptyValue(after)) return `cleared ${label}`;
  return `changed ${label} from ${valueText(change.field, before, names)} to ${valueText(change.field, after, names)}`;
}

function describeMerge(what: string, change: FieldChange, names: Names): string {
  const named = (ids: unknown) => formatList([ids ?? []].flat().map((id) => names[String(id)] ?? 'a record'));
  if (change.field === '(merged)') return `merged ${named(change.after)} into this ${what}`;
  if (change.field === '(merged into)') return `merged this ${what} into ${named(change.after)}`;
  return Array.isArray(change.before) ? `unmerged ${named(change.before)}` : `unmerged this ${what} from ${named(change.before)}`;
}

/** One field's value on its own: `“07700 900123”`, `Volunteer, Champion`, `2 skills: …`, `(empty)`. */
export function describeValue(field: string, value: unknown, names: Names): string {
  if (isEmptyValue(value)) return '(empty)';
  if (Array.isArray(value)) {
    return value
      .map((v) => (v && typeof v === 'object' ? itemText(field, v as Item) : CONTACT_REFS.has(field) ? setMember(field, String(v), names) : humanize(String(v))))
      .join(', ');
  }
  return valueText(field, value, names);
}

/** Ids of records the changes refer to in the given reference fields. */
export function referencedIds(changes: readonly FieldChange[], refs: Set<string>): string[] {
  const ids = new Set<string>();
  for (const c of changes) {
    if (!refs.has(c.field)) continue;
    for (const v of [c.before, c.after].flat()) if (typeof v === 'string') ids.add(v);
  }
  return [...ids];
}

/** A description as a sentence of its own: `Changed Phone from …`. */
export const asSentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
