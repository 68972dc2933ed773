// The ABCD data model: one zod schema per record kind, shared by the data service
// (which validates every write against it) and the renderer (which builds forms from it).
import { z } from 'zod';

export const RECORD_KINDS = ['asset', 'contact', 'connection', 'session'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const ASSET_CATEGORIES = [
  'individual',
  'association',
  'institution',
  'physical',
  'economic',
  'cultural',
] as const;
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

/** Plain-words explanations shown on the asset form. */
export const ASSET_CATEGORY_HELP: Record<AssetCategory, string> = {
  individual: 'A person’s gifts, skills and passions — what someone can and wants to give.',
  association: 'A voluntary, informal group run by its members: a walking group, a knit-and-natter.',
  institution: 'A paid, structured body: GP surgery, school, library, council service.',
  physical: 'A place: a building, hall, green space, allotment or piece of land.',
  economic: 'Local businesses and exchanges, often non-monetary: a time bank, a café.',
  cultural: 'Stories, heritage and traditions that give the community its identity.',
};

export const CONTACT_TYPES = ['person', 'organisation'] as const;
export const CONTACT_ROLES = ['resident', 'volunteer', 'champion', 'connector', 'staff', 'partner'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const CONSENT_METHODS = ['verbal', 'written', 'digital', 'by-proxy'] as const;

export const SESSION_TYPES = [
  'community-conversation',
  'workshop',
  'event',
  'one-to-one',
  'drop-in',
  'staff-training',
] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export const CONNECTION_KINDS = [
  'knows',
  'introduced-by',
  'member-of',
  'runs',
  'uses',
  'works-at',
  'volunteers-at',
  'partners-with',
  'other',
] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const ACTION_STATUSES = ['open', 'in-progress', 'done', 'cancelled'] as const;

/** Themes offered as suggestions; workers may add their own. */
export const SUGGESTED_THEMES = [
  'loneliness',
  'food',
  'arts',
  'dementia',
  'cancer prevention',
  'workplace wellbeing',
  'mental health',
  'physical activity',
  'young people',
  'older people',
  'housing',
  'employment',
  'environment',
  'digital inclusion',
] as const;

// ---------------------------------------------------------------- field types

export const LIMITS = {
  name: 200,
  shortText: 500,
  longText: 20_000,
  listItems: 500,
} as const;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const requiredText = (max: number) => text(max).min(1, 'is required');
export const recordId = z.uuid('must be a record id (UUID)');
const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
/** Sessions happen at a local wall-clock time; no offset is stored. */
const localDateTime = z.iso.datetime({ local: true, message: 'must be a date and time as YYYY-MM-DDTHH:mm' });
const idSet = z.array(recordId).max(LIMITS.listItems, `must list at most ${LIMITS.listItems} records`);
const theme = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters');
const themeSet = z.array(theme).max(50, 'must list at most 50 themes');
/** UK postcodes, loosely: letters, digits and one optional space; normalised to upper case. */
const postcode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^$|^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/, 'must be a UK postcode such as M14 5TQ');
const email = z.union([z.literal(''), z.email('must be an email address')]);
const phone = z
  .string()
  .trim()
  .max(40, 'must be at most 40 characters')
  .regex(/^[0-9+() .-]*$/, 'may contain only digits, spaces and + ( ) . -');

export const Location = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type Location = z.infer<typeof Location>;

// ---------------------------------------------------------------- collection items
// Items of a collection carry their own id so two devices can add, edit and remove
// items independently and still merge.

export const Skill = z.strictObject({
  id: recordId,
  domain: requiredText(80),
  skill: requiredText(120),
  has: z.boolean(),
  wantsToLearn: z.boolean(),
  willingToShare: z.boolean(),
});
export type Skill = z.infer<typeof Skill>;

export const Consent = z.strictObject({
  id: recordId,
  purpose: requiredText(200),
  wordingVersion: requiredText(40),
  givenAt: isoDate,
  method: z.enum(CONSENT_METHODS),
  withdrawnAt: isoDate.nullable(),
});
export type Consent = z.infer<typeof Consent>;

export const Priority = z.strictObject({
  id: recordId,
  text: requiredText(LIMITS.shortText),
  theme: theme.nullable(),
});
export type Priority = z.infer<typeof Priority>;

export const Action = z.strictObject({
  id: recordId,
  text: requiredText(LIMITS.shortText),
  ownerId: recordId.nullable(),
  dueDate: isoDate.nullable(),
  status: z.enum(ACTION_STATUSES),
});
export type Action = z.infer<typeof Action>;

const collection = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .max(LIMITS.listItems, `must have at most ${LIMITS.listItems} entries`)
    .refine((items) => new Set(items.map((i) => (i as { id: string }).id)).size === items.length, {
      message: 'has two entries with the same id',
    });

// ---------------------------------------------------------------- record fields

export const AssetFields = z.strictObject({
  name: requiredText(LIMITS.name),
  category: z.enum(ASSET_CATEGORIES, `must be one of ${ASSET_CATEGORIES.join(', ')}`),
  description: text(LIMITS.longText),
  themes: themeSet,
  tags: themeSet,
  location: Location.nullable(),
  address: text(LIMITS.shortText),
  postcode,
  availability: text(2_000),
  contactPersonId: recordId.nullable(),
});

export const ContactFields = z.strictObject({
  type: z.enum(CONTACT_TYPES),
  name: requiredText(LIMITS.name),
  roles: z.array(z.enum(CONTACT_ROLES, `must be one of ${CONTACT_ROLES.join(', ')}`)).max(CONTACT_ROLES.length),
  email,
  phone,
  address: text(LIMITS.shortText),
  postcode,
  themes: themeSet,
  notes: text(LIMITS.longText),
  skills: collection(Skill),
  consents: collection(Consent),
});

export const ConnectionFields = z.strictObject({
  fromId: recordId,
  toId: recordId,
  kind: z.enum(CONNECTION_KINDS, `must be one of ${CONNECTION_KINDS.join(', ')}`),
  date: isoDate.nullable(),
  note: text(2_000),
});

export const SessionFields = z.strictObject({
  title: requiredText(LIMITS.name),
  type: z.enum(SESSION_TYPES, `must be one of ${SESSION_TYPES.join(', ')}`),
  startsAt: localDateTime,
  endsAt: localDateTime.nullable(),
  venueId: recordId.nullable(),
  facilitatorIds: idSet,
  attendeeIds: idSet,
  anonymousHeadCount: z.number().int('must be a whole number').min(0, 'must not be negative').max(100_000),
  /** Plain text of the rich-text notes. Writing it replaces the notes with these paragraphs. */
  notes: text(200_000),
  priorities: collection(Priority),
  actions: collection(Action),
});

export const FIELDS = {
  asset: AssetFields,
  contact: ContactFields,
  connection: ConnectionFields,
  session: SessionFields,
} as const;

export type AssetData = z.infer<typeof AssetFields>;
export type ContactData = z.infer<typeof ContactFields>;
export type ConnectionData = z.infer<typeof ConnectionFields>;
export type SessionData = z.infer<typeof SessionFields>;
export type DataOf<K extends RecordKind> = z.infer<(typeof FIELDS)[K]>;

/** Fields a new record must be given; every other field starts from DEFAULTS. */
export const REQUIRED_FIELDS = {
  asset: ['name', 'category'],
  contact: ['name'],
  connection: ['fromId', 'toId', 'kind'],
  session: ['title', 'type', 'startsAt'],
} as const satisfies { [K in RecordKind]: readonly (keyof DataOf<K>)[] };

type RequiredOf<K extends RecordKind> = Extract<(typeof REQUIRED_FIELDS)[K][number], keyof DataOf<K>>;
export type DefaultsOf<K extends RecordKind> = Omit<DataOf<K>, RequiredOf<K>>;

export const DEFAULTS: { [K in RecordKind]: DefaultsOf<K> } = {
  asset: {
    description: '',
    themes: [],
    tags: [],
    location: null,
    address: '',
    postcode: '',
    availability: '',
    contactPersonId: null,
  },
  contact: {
    type: 'person',
    roles: [],
    email: '',
    phone: '',
    address: '',
    postcode: '',
    themes: [],
    notes: '',
    skills: [],
    consents: [],
  },
  connection: { date: null, note: '' },
  session: {
    endsAt: null,
    venueId: null,
    facilitatorIds: [],
    attendeeIds: [],
    anonymousHeadCount: 0,
    notes: '',
    priorities: [],
    actions: [],
  },
};

/** Input of `create`: the required fields plus any others. */
export const CREATE_INPUT = {
  asset: AssetFields.partial().required({ name: true, category: true }),
  contact: ContactFields.partial().required({ name: true }),
  connection: ConnectionFields.partial().required({ fromId: true, toId: true, kind: true }),
  session: SessionFields.partial().required({ title: true, type: true, startsAt: true }),
} as const;

/** Input of `update`: any subset of fields. Collections and sets are given whole; the
 * data service turns the difference into per-item CRDT operations so that concurrent
 * edits of different items on different devices both survive. */
export const PATCH_INPUT = {
  asset: AssetFields.partial(),
  contact: ContactFields.partial(),
  connection: ConnectionFields.partial(),
  session: SessionFields.partial(),
} as const;

export type CreateInput<K extends RecordKind> = Partial<DataOf<K>> & Pick<DataOf<K>, RequiredOf<K>>;
export type PatchInput<K extends RecordKind> = Partial<DataOf<K>>;

/**
 * How each field is held in the record's Y.Doc:
 * - value: last writer wins for the whole value;
 * - set: members added and removed independently;
 * - collection: items keyed by id, each item's properties merged independently;
 * - richtext: a Y.XmlFragment edited by the rich-text editor (`notes` of a session).
 */
export type FieldStorage = 'value' | 'set' | 'collection' | 'richtext';
export const FIELD_STORAGE: { [K in RecordKind]: { [F in keyof DataOf<K>]-?: FieldStorage } } = {
  asset: {
    name: 'value',
    category: 'value',
    description: 'value',
    themes: 'set',
    tags: 'set',
    location: 'value',
    address: 'value',
    postcode: 'value',
    availability: 'value',
    contactPersonId: 'value',
  },
  contact: {
    type: 'value',
    name: 'value',
    roles: 'set',
    email: 'value',
    phone: 'value',
    address: 'value',
    postcode: 'value',
    themes: 'set',
    notes: 'value',
    skills: 'collection',
    consents: 'collection',
  },
  connection: { fromId: 'value', toId: 'value', kind: 'value', date: 'value', note: 'value' },
  session: {
    title: 'value',
    type: 'value',
    startsAt: 'value',
    endsAt: 'value',
    venueId: 'value',
    facilitatorIds: 'set',
    attendeeIds: 'set',
    anonymousHeadCount: 'value',
    notes: 'richtext',
    priorities: 'collection',
    actions: 'collection',
  },
};

/**
 * Fields of free text a person writes in their own words (notes, descriptions): when two
 * people write one at the same time, a lead can keep both texts instead of choosing.
 * A session's notes are rich text, which merges both people's typing by itself.
 */
export const FREE_TEXT_FIELDS: { [K in RecordKind]: readonly (keyof DataOf<K>)[] } = {
  asset: ['description', 'availability'],
  contact: ['notes'],
  connection: ['note'],
  session: [],
};

export const isFreeText = (kind: RecordKind, field: string) => (FREE_TEXT_FIELDS[kind] as readonly string[]).includes(field);

/** A field that points at another record, and the kinds that record may be. */
export interface RecordReference {
  field: string;
  id: string;
  kinds: RecordKind[];
}

const REFERENCES: { [K in RecordKind]: (data: DataOf<K>) => RecordReference[] } = {
  asset: (d) => (d.contactPersonId ? [{ field: 'contactPersonId', id: d.contactPersonId, kinds: ['contact'] }] : []),
  contact: () => [],
  connection: (d) => [
    { field: 'fromId', id: d.fromId, kinds: ['contact', 'asset'] },
    { field: 'toId', id: d.toId, kinds: ['contact', 'asset'] },
  ],
  session: (d) => [
    ...(d.venueId ? [{ field: 'venueId', id: d.venueId, kinds: ['asset'] as RecordKind[] }] : []),
    ...d.facilitatorIds.map((id, i) => ({ field: `facilitatorIds.${i}`, id, kinds: ['contact'] as RecordKind[] })),
    ...d.attendeeIds.map((id, i) => ({ field: `attendeeIds.${i}`, id, kinds: ['contact'] as RecordKind[] })),
    ...d.actions.flatMap((a, i) =>
      a.ownerId ? [{ field: `actions.${i}.ownerId`, id: a.ownerId, kinds: ['contact'] as RecordKind[] }] : [],
    ),
  ],
};

/**
 * Which fields of `data` point at other records: the data service checks each one a write
 * adds, and a view re-reads a record when one it points at changes (its name, or a merge).
 */
export function referencesOf<K extends RecordKind>(kind: K, data: DataOf<K>): RecordReference[] {
  return (REFERENCES[kind] as (d: DataOf<K>) => RecordReference[])(data);
}

// ---------------------------------------------------------------- stored records

export interface Author {
  id: string;
  name: string;
}

/**
 * A field whose value, as merged from the team's devices, the schema refuses: the record
 * stays listed, the field shows what it holds (as text where it is text), and a lead fixes it.
 */
export interface FieldProblem {
  field: string;
  /** What the field holds, as JSON text (shortened). */
  holds: string;
  message: string;
}

/** Bookkeeping every record carries, whatever its kind. */
export interface RecordMeta {
  id: string;
  kind: RecordKind;
  createdAt: string;
  createdBy: Author;
  updatedAt: string;
  updatedBy: Author;
  deletedAt: string | null;
  deletedBy: Author | null;
  mergedInto: string | null;
  /** Fields holding values the schema refuses (see FieldProblem); absent when there are none. */
  problems?: FieldProblem[];
}

/** A stored record; distributes over a union of kinds, so RecordOf<RecordKind> is AnyRecord. */
export type RecordOf<K extends RecordKind> = K extends RecordKind ? RecordMeta & { kind: K; data: DataOf<K> } : never;
export type AnyRecord = RecordOf<RecordKind>;

/** People recorded by name at a session, facilitators and attendees, each once (with ids already resolved through merges). */
export function namedPeople(data: Pick<SessionData, 'facilitatorIds' | 'attendeeIds'>): number {
  return new Set([...data.facilitatorIds, ...data.attendeeIds]).size;
}

/** Short human title of a record, used in lists, search results and pickers. */
export function recordTitle(kind: RecordKind, data: Record<string, unknown>): string {
  switch (kind) {
    case 'asset':
    case 'contact':
      return String(data.name ?? '');
    case 'session':
      return String(data.title ?? '');
    case 'connection':
      return String(data.kind ?? '');
  }
}
