// A change to a record, or one value of a field, in plain words: shared by the history
// panel, the review queue, the conflict inbox, the merge dialog and the data service's
// subject access export, so a change reads the same everywhere.
import { FIELD_STORAGE, type Consent, type ContactLawfulBasis, type DataUse, type RecordKind, type RetentionDecision, type WordingVersion } from './domain';
import { USE_LABELS } from './privacy/consent-rules';
import { splitKey, type FieldChange, type Item } from './field-items';
import { consentState, WITHDRAWN_HOW } from './consent-state';
import { formatDate, formatDateTime, formatList, humanize } from './format';
import { KIND_LABEL, fieldLabel } from './labels';

export type { FieldChange };

/** Fields, and properties of collection items (an action's owner), that hold a contact's id. */
export const CONTACT_REFS = new Set(['contactPersonId', 'attendeeIds', 'facilitatorIds', 'ownerId']);
export const ASSET_REFS = new Set(['venueId']);
/** History entries of merges: their values are ids of records of the same kind. */
export const MERGE_ENTRIES = new Set(['(merged)', '(merged into)', '(unmerged)']);

/** Titles of records referred to by id, for showing references as names. */
export type Names = Record<string, string>;

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
  if (field === 'lawfulBasis' && value && typeof value === 'object') {
    const basis = value as ContactLawfulBasis;
    return `${quote(basis.basis)} since ${formatDate(basis.since)}${basis.note ? ` (${quote(basis.note)})` : ''}`;
  }
  if (field === 'retention' && value && typeof value === 'object') {
    const kept = value as RetentionDecision;
    return `until ${formatDate(kept.keptUntil)}, decided by ${kept.decidedBy} on ${formatDate(kept.decidedOn)}: ${quote(kept.reason)}`;
  }
  if (value && typeof value === 'object' && 'id' in value) return itemText(splitKey(field).field, value as Item);
  return String(value);
}

/** What an item is called in a sentence about one of its properties: `consent for “Photos”`. */
function itemName(field: string, item: Item): string {
  switch (field) {
    case 'skills':
      return `${quote(String(item.skill))} (${item.domain})`;
    case 'consents':
      return `consent for ${quote(String(item.purpose))}`;
    case 'actions':
      return `the action ${quote(String(item.text))}`;
    case 'purposes':
      return `the purpose ${quote(String(item.name))}`;
    case 'lawfulBases':
      return `the lawful basis ${quote(String(item.name))}`;
    default:
      return quote(String(item.text ?? item.id));
  }
}

/** An item as a list shows it: a consent with its state, so a withdrawn one never reads as active. */
function itemText(field: string, item: Item): string {
  return field === 'consents' ? `${itemName(field, item)} (${consentState(item as unknown as Consent)})` : itemName(field, item);
}

/** Yes/no properties of a skill, as what the person is marked as. */
const SKILL_FLAGS: Record<string, [yes: string, no: string]> = {
  has: ['a skill they have', 'not a skill they have'],
  wantsToLearn: ['something they want to learn', 'not something they want to learn'],
  willingToShare: ['willing to share', 'not willing to share'],
};
const DATE_PROPERTIES = new Set(['dueDate', 'givenAt', 'withdrawnAt', 'renewedAt']);
const CHOICE_PROPERTIES = new Set(['status', 'method']);
/** A consent's properties said together with its withdrawal, or not at all (the purpose's name says which purpose). */
const UNSAID_CONSENT_PROPERTIES = new Set(['withdrawnBy', 'withdrawalMethod', 'purposeId']);
/** A consent's properties that read as "how/when consent for … was given". */
const GIVEN: Record<string, string> = { method: 'how', givenAt: 'when' };

function propertyValue(property: string, value: unknown, names: Names): string {
  if (property === 'uses' && Array.isArray(value)) return value.length ? formatList(value.map((u) => USE_LABELS[u as DataUse] ?? String(u))) : 'nothing';
  if (property === 'versions' && Array.isArray(value)) return formatList((value as WordingVersion[]).map((v) => `${quote(v.label)} from ${formatDate(v.from)}`));
  if (typeof value !== 'string') return String(value);
  if (CONTACT_REFS.has(property)) return names[value] ?? 'someone';
  if (DATE_PROPERTIES.has(property)) return formatDate(value);
  if (CHOICE_PROPERTIES.has(property)) return humanize(value).toLowerCase();
  return quote(value);
}

/** One item of a collection added, removed or edited: `changed the due date of the action “…” from 3 Mar 2026 to 5 Mar 2026`. */
function describeItem(kind: RecordKind, field: string, label: string, before: Item | null, after: Item | null, names: Names): string {
  if (!before && !after) return `added and removed an entry of ${label}`;
  if (!before) return `added ${itemText(field, after!)} to ${label}`;
  if (!after) return `removed ${itemText(field, before)} from ${label}`;
  const item = itemName(field, before);
  const properties = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (p) => p !== 'id' && JSON.stringify(before[p] ?? null) !== JSON.stringify(after[p] ?? null),
  );
  const parts = properties.flatMap((p) => {
    const [was, now] = [before[p], after[p]];
    if (SKILL_FLAGS[p]) return `marked ${item} as ${SKILL_FLAGS[p][now ? 0 : 1]}`;
    if (field === 'consents' && p === 'withdrawnAt') {
      if (isEmptyValue(now)) return `recorded that ${item} is given again`;
      const how = after.withdrawalMethod ? ` ${WITHDRAWN_HOW[after.withdrawalMethod as keyof typeof WITHDRAWN_HOW] ?? humanize(String(after.withdrawalMethod))}` : '';
      const by = after.withdrawnBy ? `, recorded by ${String(after.withdrawnBy)}` : '';
      return `recorded that ${item} was withdrawn on ${propertyValue(p, now, names)}${how}${by}`;
    }
    if (field === 'consents' && UNSAID_CONSENT_PROPERTIES.has(p)) return [];
    if (field === 'consents' && p === 'renewedAt' && !isEmptyValue(now)) return `recorded that ${item} was renewed on ${propertyValue(p, now, names)}`;
    if (GIVEN[p]) return `changed ${GIVEN[p]} ${item} was given from ${propertyValue(p, was, names)} to ${propertyValue(p, now, names)}`;
    const name = fieldLabel(kind, p).toLowerCase();
    if (isEmptyValue(was)) return `set the ${name} of ${item} to ${propertyValue(p, now, names)}`;
    if (isEmptyValue(now)) return `cleared the ${name} of ${item}`;
    return `changed the ${name} of ${item} from ${propertyValue(p, was, names)} to ${propertyValue(p, now, names)}`;
  });
  return parts.join('; ') || `changed ${item} in ${label}`;
}

function describeCollection(kind: RecordKind, field: string, label: string, before: Item[], after: Item[], names: Names): string {
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  const parts: string[] = [];
  const added = after.filter((i) => !old.has(i.id));
  const removed = before.filter((i) => !now.has(i.id));
  if (added.length) parts.push(`added ${added.map((i) => itemText(field, i)).join(', ')} to ${label}`);
  if (removed.length) parts.push(`removed ${removed.map((i) => itemText(field, i)).join(', ')} from ${label}`);
  for (const item of after) {
    const was = old.get(item.id);
    if (was && JSON.stringify(was) !== JSON.stringify(item)) parts.push(describeItem(kind, field, label, was, item, names));
  }
  return parts.join('; ') || `changed the order of ${label}`;
}

/** One member of a set in words: a person by name, a theme or role quoted. */
export const setMember = (field: string, value: string, names: Names) => (CONTACT_REFS.has(field) ? (names[value] ?? 'someone') : quote(value));

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
    const { field, item } = splitKey(change.field);
    if (item !== null && (FIELD_STORAGE[kind] as Record<string, string>)[field] === 'set') {
      const member = setMember(field, item, names);
      return isEmptyValue(change.after)
        ? `removed ${member} from ${fieldLabel(kind, field)} — not kept: sync kept it there`
        : `added ${member} to ${fieldLabel(kind, field)} — not kept: sync left it out`;
    }
    const tried = describeChange(kind, { field: change.field, before: null, after: change.after }, names);
    return `${tried} — not kept: sync kept ${describeValue(change.field, change.before, names)}`;
  }
  const what = KIND_LABEL[kind].one;
  if (change.field === '(created)') return `created this ${what}`;
  if (change.field === '(deleted)') return `deleted this ${what}`;
  if (change.field === '(restored)') return `restored this ${what}`;
  // What erasing a person named here did to this record, in words that name no one.
  if (change.field === '(erasure)') return String(change.after);
  if (change.field === '(conflict resolved)') return `resolved a conflict over ${fieldLabel(kind, String(change.before))}: ${String(change.after)}`;
  if (MERGE_ENTRIES.has(change.field)) return describeMerge(what, change, names);
  if (kind === 'session' && change.field === 'notes') return 'edited the notes';
  const { field, item } = splitKey(change.field);
  const storage = (FIELD_STORAGE[kind] as Record<string, string>)[field];
  const label = fieldLabel(kind, field);
  const { before, after } = change;
  // One member of a set, or one item of a collection.
  if (item !== null && storage === 'set') {
    const member = setMember(field, item, names);
    if (isEmptyValue(before) && isEmptyValue(after)) return `added and removed ${member} in ${label}`;
    return isEmptyValue(before) ? `added ${member} to ${label}` : `removed ${member} from ${label}`;
  }
  if (item !== null && storage === 'collection') return describeItem(kind, field, label, before as Item | null, after as Item | null, names);
  // Whole lists: a set, a collection's new order, or an entry written before history was item by item.
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = (before ?? []) as unknown[];
    const a = (after ?? []) as unknown[];
    const sample = a[0] ?? b[0];
    if (storage === 'collection' && typeof sample !== 'object') return `changed the order of ${label}`;
    return sample && typeof sample === 'object'
      ? describeCollection(kind, field, label, b as Item[], a as Item[], names)
      : describeSet(field, label, b as string[], a as string[], names);
  }
  if (isEmptyValue(before)) return `set ${label} to ${valueText(field, after, names)}`;
  if (isEmptyValue(after)) return `cleared ${label}`;
  return `changed ${label} from ${valueText(field, before, names)} to ${valueText(field, after, names)}`;
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

/** Ids of records the changes refer to in the given reference fields (or properties of their items). */
export function referencedIds(changes: readonly FieldChange[], refs: Set<string>): string[] {
  const ids = new Set<string>();
  for (const c of changes) {
    const isRef = refs.has(splitKey(c.field).field);
    for (const v of [c.before, c.after].flat()) {
      if (typeof v === 'string' && isRef) ids.add(v);
      else if (v && typeof v === 'object') for (const [p, id] of Object.entries(v)) if (refs.has(p) && typeof id === 'string') ids.add(id);
    }
  }
  return [...ids];
}

/** A description as a sentence of its own: `Changed Phone from …`. */
export const asSentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
