// The seeded team workload of `bench:sync`, the same for both engines it measures: a
// shared base of contacts and sessions, then each of two devices' offline edits to it —
// value fields, set members, collection-item properties and lines of rich-text notes —
// and the check of which one-sided edits the converged data still shows.
import { CONTACT_ROLES, SUGGESTED_THEMES, type ContactData, type SessionData } from '../shared/domain';
import { prng } from '../tests/integration/sync-helpers';

export interface WorkloadSize {
  contacts: number;
  editsPerDevice: number;
  seed: number;
}

/** One session (with rich-text notes) per this many contacts. */
const CONTACTS_PER_SESSION = 10;
export const sessionCount = (size: WorkloadSize) => Math.max(1, Math.floor(size.contacts / CONTACTS_PER_SESSION));
export const DEVICES = ['a', 'b'] as const;
export type DeviceName = (typeof DEVICES)[number];

export const VALUE_FIELDS = ['name', 'phone', 'email', 'address', 'notes'] as const;
export const SET_FIELDS = { themes: SUGGESTED_THEMES, roles: CONTACT_ROLES } as const;
/** Text properties of collection items, so every edit writes a value never seen before. */
export const ITEM_PROPERTIES = { skills: ['skill', 'domain'], consents: ['purpose', 'wordingVersion'] } as const;

export type Edit =
  | { type: 'value'; id: string; field: (typeof VALUE_FIELDS)[number]; value: string }
  | { type: 'set'; id: string; field: keyof typeof SET_FIELDS; member: string; present: boolean }
  | { type: 'item'; id: string; field: keyof typeof ITEM_PROPERTIES; item: string; property: string; value: string }
  /** A new last line of a session's notes, typed in the rich-text editor. */
  | { type: 'line'; id: string; text: string };

export interface Base {
  contacts: { id: string; data: ContactData }[];
  sessions: { id: string; data: Pick<SessionData, 'title' | 'type' | 'startsAt' | 'notes'> }[];
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The records both devices start from, the same ids for both engines. */
export function teamBase(size: WorkloadSize): Base {
  const random = prng(size.seed);
  const contacts = Array.from({ length: size.contacts }, (_, i) => ({
    id: uuidFrom(random),
    data: {
      type: 'person' as const,
      name: `Resident ${i}`,
      roles: [pick(random, CONTACT_ROLES)],
      email: `resident${i}@example.org`,
      phone: `07700 ${String(900000 + i).slice(-6)}`,
      address: `${1 + (i % 200)} Albert Road`,
      postcode: 'M14 5TQ',
      themes: [pick(random, SUGGESTED_THEMES)],
      notes: 'Met at the Tuesday drop-in.',
      skills: [0, 1].map((k) => ({ id: uuidFrom(random), domain: 'Practical', skill: `skill ${k}`, has: true, wantsToLearn: false, willingToShare: true })),
      consents: [{ id: uuidFrom(random), purpose: 'to be contacted', wordingVersion: 'v1', givenAt: '2024-05-01', method: 'verbal' as const, withdrawnAt: null }],
      lawfulBasis: null,
      retention: null,
    },
  }));
  const sessions = Array.from({ length: sessionCount(size) }, (_, i) => ({
    id: uuidFrom(random),
    data: { title: `Community conversation ${i}`, type: 'community-conversation' as const, startsAt: '2024-06-04T18:30', notes: 'Who came and why.\nWhat we heard.' },
  }));
  return { contacts, sessions };
}

/**
 * Each device's offline edits, in order. A set edit toggles a member as that device sees
 * the set (its own earlier edits included), so every edit changes something.
 */
export function teamEdits(size: WorkloadSize, base: Base): Record<DeviceName, Edit[]> {
  const edits = {} as Record<DeviceName, Edit[]>;
  DEVICES.forEach((device, d) => {
    const random = prng(size.seed * 31 + d + 1);
    const sets = new Map(base.contacts.map((c) => [c.id, { themes: new Set<string>(c.data.themes), roles: new Set<string>(c.data.roles) }]));
    edits[device] = Array.from({ length: size.editsPerDevice }, (_, n): Edit => {
      const r = random();
      const contact = pick(random, base.contacts);
      const tag = `${device}${n}`;
      if (r < 0.45) {
        const field = pick(random, VALUE_FIELDS);
        const value = { name: `Resident ${tag}`, phone: `07700 ${d}${String(n).padStart(5, '0')}`, email: `${tag}@example.org`, address: `${n} Wilmslow Road, ${tag}`, notes: `Visit ${tag}: asked about the food bank.` }[field];
        return { type: 'value', id: contact.id, field, value };
      }
      if (r < 0.65) {
        const field = pick(random, Object.keys(SET_FIELDS) as (keyof typeof SET_FIELDS)[]);
        const member = pick(random, SET_FIELDS[field]);
        const members = sets.get(contact.id)![field];
        const present = !members.has(member);
        if (present) members.add(member);
        else members.delete(member);
        return { type: 'set', id: contact.id, field, member, present };
      }
      if (r < 0.85) {
        const field = pick(random, Object.keys(ITEM_PROPERTIES) as (keyof typeof ITEM_PROPERTIES)[]);
        const item = pick<{ id: string }>(random, contact.data[field]).id;
        return { type: 'item', id: contact.id, field, item, property: pick(random, ITEM_PROPERTIES[field]), value: `${field} ${tag}` };
      }
      return { type: 'line', id: pick(random, base.sessions).id, text: `Line ${tag}: what the group decided.` };
    });
  });
  return edits;
}

/** An edit's target: the field, set member, item property or line it writes. */
function targetOf(edit: Edit): string {
  switch (edit.type) {
    case 'value':
      return `${edit.id}/${edit.field}`;
    case 'set':
      return `${edit.id}/${edit.field}/${edit.member}`;
    case 'item':
      return `${edit.id}/${edit.field}/${edit.item}/${edit.property}`;
    case 'line':
      return `${edit.id}/notes/${edit.text}`;
  }
}

/** Whether a record's converged data shows what `edit` wrote. */
function shows(data: Record<string, unknown>, edit: Edit): boolean {
  switch (edit.type) {
    case 'value':
      return data[edit.field] === edit.value;
    case 'set':
      return (data[edit.field] as string[]).includes(edit.member) === edit.present;
    case 'item':
      return (data[edit.field] as Record<string, unknown>[]).find((i) => i.id === edit.item)?.[edit.property] === edit.value;
    case 'line':
      return (data.notes as string).split('\n').includes(edit.text);
  }
}

/**
 * One-sided edits (a target only one device wrote; its last write there) and how many of
 * them the converged data does not show: edits lost, or hidden in a conflict nobody sees.
 * `read` gives a record's data as the engine presents it.
 */
export async function lostEdits(edits: Record<DeviceName, Edit[]>, read: (id: string) => Promise<Record<string, unknown>>): Promise<{ oneSided: number; lost: number }> {
  const lastBy = DEVICES.map((device) => new Map(edits[device].map((e) => [targetOf(e), e])));
  const oneSided = lastBy.flatMap((mine, d) => [...mine].filter(([target]) => !lastBy[1 - d]!.has(target)).map(([, edit]) => edit));
  let lost = 0;
  for (const edit of oneSided) if (!shows(await read(edit.id), edit)) lost += 1;
  return { oneSided: oneSided.length, lost };
}
