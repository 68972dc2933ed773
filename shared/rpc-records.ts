// The records' part of the RPC contract: creating, reading, changing, deleting and listing
// records of every kind, and what a record's page shows besides its fields (history,
// connections, sessions).
import { z } from 'zod';
import {
  CREATE_INPUT,
  eachKind,
  LIST_FILTER_SHAPE,
  PATCH_INPUT,
  RECORD_KINDS,
  recordId,
  type AnyRecord,
  type Author,
  type RecordKind,
  type SessionType,
} from './domain';
import { returns } from './rpc-area';

export const recordKind = z.enum(RECORD_KINDS, `must be one of ${RECORD_KINDS.join(', ')}`);
export const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

// One member per record kind, each with that kind's own input schema.
const createParamsOf = <K extends RecordKind>(kind: K) =>
  z.strictObject({ kind: z.literal(kind), id: recordId.optional(), data: CREATE_INPUT[kind] });
const updateParamsOf = <K extends RecordKind>(kind: K) => z.strictObject({ kind: z.literal(kind), id: recordId, patch: PATCH_INPUT[kind] });
type CreateParamsOf<Kinds extends readonly RecordKind[]> = { [I in keyof Kinds]: ReturnType<typeof createParamsOf<Kinds[I]>> };
type UpdateParamsOf<Kinds extends readonly RecordKind[]> = { [I in keyof Kinds]: ReturnType<typeof updateParamsOf<Kinds[I]>> };
const createParams = z.discriminatedUnion('kind', eachKind(createParamsOf) as unknown as CreateParamsOf<typeof RECORD_KINDS>);
const updateParams = z.discriminatedUnion('kind', eachKind(updateParamsOf) as unknown as UpdateParamsOf<typeof RECORD_KINDS>);

const recordRef = z.strictObject({ kind: recordKind, id: recordId });

export const LIST_SORT_FIELDS = ['title', 'createdAt', 'updatedAt', 'date'] as const;

export const ListQuery = z.strictObject({
  kind: recordKind,
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
  sort: z
    .strictObject({ field: z.enum(LIST_SORT_FIELDS), direction: z.enum(['asc', 'desc']) })
    .default({ field: 'title', direction: 'asc' }),
  filter: z
    .strictObject({
      // Each kind's own filters (category, role, type, connectionKind, theme: KindDescription.filters).
      ...LIST_FILTER_SHAPE,
      /** Inclusive date range on the record's date: a session's start, a connection's date, otherwise its last change. */
      from: isoDate.optional(),
      to: isoDate.optional(),
      /** Records whose title starts with this text (accent- and case-insensitive). */
      titlePrefix: z.string().trim().max(200).optional(),
      /** `active` (the default) hides deleted and merged-away records; `deleted` lists only deleted ones. */
      status: z.enum(['active', 'deleted']).default('active'),
    })
    .default({ status: 'active' }),
});
export type ListQuery = z.input<typeof ListQuery>;

/** Another record a row points at, by its name as it is now. */
export interface RecordLink {
  id: string;
  title: string;
}

/** What a list shows of a session besides its title: where it was held and how many came. */
export interface SessionSummary {
  /** The venue as it stands now (a merged-away venue shows its survivor); null if none was recorded. */
  venue: RecordLink | null;
  /** People recorded by name, facilitators and attendees, each person counted once. */
  named: number;
  /** People who came but were not recorded by name. */
  headCount: number;
  /** Named people left out of `named` because their data may not be used for evaluation (no consent or basis covering it). */
  notCounted: number;
}

/** One line of a list: enough to draw a row without loading the record. */
export interface ListRow {
  id: string;
  kind: RecordKind;
  title: string;
  subtitle: string;
  badges: string[];
  date: string | null;
  updatedAt: string;
  deletedAt: string | null;
  /** Sessions only. */
  session?: SessionSummary;
}

export interface ListResult {
  rows: ListRow[];
  total: number;
}

export interface HistoryEntry {
  /** Local history row id (see record.restoreValue). */
  id: number;
  /** The record changed: this one, or one merged into it. */
  recordId: string;
  field: string;
  before: unknown;
  after: unknown;
  author: Author;
  at: string;
  hlc: string;
  /** False for a peer's write that lost a conflict: the record never held `after`, and `before` is what it kept instead. */
  kept: boolean;
  /**
   * This device's own change that the sync server has not acknowledged yet: `author` is only
   * what the device claims. Once acknowledged, `author` is the user the server attests.
   */
  unsynced: boolean;
}

export interface ConnectionView {
  id: string;
  kind: string;
  date: string | null;
  note: string;
  from: { id: string; kind: RecordKind; title: string };
  to: { id: string; kind: RecordKind; title: string };
}

/** How a contact or an asset took part in a session. */
export const SESSION_PARTS = ['facilitator', 'attendee', 'venue'] as const;
export type SessionPart = (typeof SESSION_PARTS)[number];

export const RecordSessionsQuery = z.strictObject({
  /** A contact or an asset; sessions of the records merged into it are included. */
  id: recordId,
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100).default(10),
});

/** A session a contact or an asset took part in, newest first. */
export interface RecordSession {
  id: string;
  title: string;
  type: SessionType;
  startsAt: string;
  /** Every part the record (or one merged into it) had in the session. */
  parts: SessionPart[];
  summary: SessionSummary;
}

export const RECORD_RPC_METHODS = {
  'record.create': { params: createParams, result: returns<AnyRecord>() },
  'record.get': { params: recordRef, result: returns<AnyRecord>() },
  'record.update': { params: updateParams, result: returns<AnyRecord>() },
  'record.delete': { params: recordRef, result: returns<AnyRecord>() },
  'record.restore': { params: recordRef, result: returns<AnyRecord>() },
  'record.list': { params: ListQuery, result: returns<ListResult>() },
  'record.history': { params: z.strictObject({ id: recordId }), result: returns<HistoryEntry[]>() },
  'record.connections': { params: z.strictObject({ id: recordId }), result: returns<ConnectionView[]>() },
  /** Sessions a contact came to or facilitated, or that were held at an asset: newest first, a page at a time. */
  'record.sessions': { params: RecordSessionsQuery, result: returns<{ rows: RecordSession[]; total: number }>() },
} as const;
