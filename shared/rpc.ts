// The one contract between the renderer (or any other client) and the data service.
// Every request is validated against these schemas at the data service's boundary;
// the TypeScript types of params and results are derived from the same table.
import { z } from 'zod';
import {
  ACTION_STATUSES,
  ASSET_CATEGORIES,
  CONTACT_ROLES,
  CONTACT_TYPES,
  CREATE_INPUT,
  eachKind,
  LIST_FILTER_SHAPE,
  Location,
  PATCH_INPUT,
  RECORD_KINDS,
  SESSION_TYPES,
  recordId,
  type AnyRecord,
  type Author,
  type RecordKind,
  type SessionType,
} from './domain';
import { MAP_RPC_METHODS } from './rpc-map';
import { NETWORK_RPC_METHODS } from './rpc-network';
import { TEAM_RPC_METHODS, type TeamRole } from './rpc-team';
import { SyncConnectParams, type SyncStatus } from './sync-status';

const kind = z.enum(RECORD_KINDS, `must be one of ${RECORD_KINDS.join(', ')}`);
const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

// One member per record kind, each with that kind's own input schema.
const createParamsOf = <K extends RecordKind>(kind: K) =>
  z.strictObject({ kind: z.literal(kind), id: recordId.optional(), data: CREATE_INPUT[kind] });
const updateParamsOf = <K extends RecordKind>(kind: K) => z.strictObject({ kind: z.literal(kind), id: recordId, patch: PATCH_INPUT[kind] });
type CreateParamsOf<Kinds extends readonly RecordKind[]> = { [I in keyof Kinds]: ReturnType<typeof createParamsOf<Kinds[I]>> };
type UpdateParamsOf<Kinds extends readonly RecordKind[]> = { [I in keyof Kinds]: ReturnType<typeof updateParamsOf<Kinds[I]>> };
const createParams = z.discriminatedUnion('kind', eachKind(createParamsOf) as unknown as CreateParamsOf<typeof RECORD_KINDS>);
const updateParams = z.discriminatedUnion('kind', eachKind(updateParamsOf) as unknown as UpdateParamsOf<typeof RECORD_KINDS>);

const recordRef = z.strictObject({ kind, id: recordId });

export const LIST_SORT_FIELDS = ['title', 'createdAt', 'updatedAt', 'date'] as const;

export const ListQuery = z.strictObject({
  kind,
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

export const SearchQuery = z.strictObject({
  text: z.string().max(200, 'must be at most 200 characters'),
  kinds: z.array(kind).optional(),
  limit: z.number().int().min(1).max(200).default(30),
});
export type SearchQuery = z.input<typeof SearchQuery>;

/** The field a search matched besides the title, and its text with the matching words wrapped in [[ and ]]. */
export interface SearchSnippet {
  /** The field's data path (`phone`, `notes`, …), for the renderer to name in words. */
  field: string;
  text: string;
}

export interface SearchHit {
  id: string;
  kind: RecordKind;
  title: string;
  /** Null when the title holds every word searched for. */
  snippet: SearchSnippet | null;
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
}

export interface ConnectionView {
  id: string;
  kind: string;
  date: string | null;
  note: string;
  from: { id: string; kind: RecordKind; title: string };
  to: { id: string; kind: RecordKind; title: string };
}

export const ActionQuery = z.strictObject({
  status: z.enum(['open', 'overdue', 'done', 'all']).default('open'),
  /** Today's date on the user's device decides what is overdue. */
  today: isoDate,
  ownerId: recordId.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export interface ActionRow {
  sessionId: string;
  sessionTitle: string;
  sessionStartsAt: string;
  actionId: string;
  text: string;
  ownerId: string | null;
  ownerName: string | null;
  dueDate: string | null;
  status: (typeof ACTION_STATUSES)[number];
}

/** An action still to be done whose due date is before `today` (YYYY-MM-DD), as ActionQuery's `overdue` finds them. */
export function isOverdue(action: Pick<ActionRow, 'dueDate' | 'status'>, today: string): boolean {
  return action.dueDate !== null && action.dueDate < today && (action.status === 'open' || action.status === 'in-progress');
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

export interface WorkspaceInfo {
  workspaceId: string;
  name: string;
  author: Author;
  counts: Record<RecordKind, number>;
}

export const DUPLICATE_KINDS = ['contact', 'asset'] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];

export const DuplicateQuery = z.strictObject({
  kind: z.enum(DUPLICATE_KINDS),
  /** Lowest score listed, in [0, 1]; the finder's default if left out. */
  threshold: z.number().min(0).max(1).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type DuplicateQuery = z.input<typeof DuplicateQuery>;

const draftText = (max: number) => z.string().max(max).optional();
/** A form's fields while it is being filled in: loose, since half-typed values are normal here; other fields are ignored. */
export const DraftQuery = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('contact'),
    data: z.object({
      type: z.enum(CONTACT_TYPES).optional(),
      name: draftText(200),
      phone: draftText(40),
      email: draftText(320),
      postcode: draftText(20),
      address: draftText(500),
    }),
    /** The record being edited, never its own match. */
    excludeId: recordId.optional(),
    limit: z.number().int().min(1).max(50).default(5),
  }),
  z.strictObject({
    kind: z.literal('asset'),
    data: z.object({
      name: draftText(200),
      category: z.enum(ASSET_CATEGORIES).optional(),
      location: Location.nullable().optional(),
      postcode: draftText(20),
      address: draftText(500),
    }),
    excludeId: recordId.optional(),
    limit: z.number().int().min(1).max(50).default(5),
  }),
]);
export type DraftQuery = z.input<typeof DraftQuery>;

export interface DuplicateRecordRef {
  id: string;
  title: string;
  subtitle: string;
}

/** Two records that look like one: a score in [0, 1] and the reasons, for and against, in plain words. */
export interface DuplicatePair {
  a: DuplicateRecordRef;
  b: DuplicateRecordRef;
  score: number;
  reasons: string[];
}

/** An existing record that looks like a draft not saved yet. */
export interface LikelyMatch {
  record: DuplicateRecordRef;
  score: number;
  reasons: string[];
}

/** Phantom marker for a method's result type. */
const returns = <T>() => undefined as unknown as T;

export interface Profile {
  /** Null until the first-run setup has been done on this device. */
  author: Author | null;
  workspaceName: string | null;
  /** What this device's user may do: the sync role, or `lead` where the workspace does not sync. */
  role: TeamRole;
}

/** The worker on this device as a contact, offered as "Me" wherever a contact is chosen. */
export interface WorkerContact {
  /** The contact standing for the worker now: a lead's merge may have moved them onto a survivor. */
  id: string;
  name: string;
  /** False until "Me" is first chosen on this device; the staff contact is created then, once. */
  stored: boolean;
}

export const ProfileSetup = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  workspaceName: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
});

export const RPC_METHODS = {
  'profile.get': { params: z.strictObject({}), result: returns<Profile>() },
  /** First run: who is using this device, and the name of the workspace to create. */
  'profile.setup': { params: ProfileSetup, result: returns<Profile>() },
  /** The worker's own contact ("Me"); null once that contact has been deleted. */
  'profile.me': { params: z.strictObject({}), result: returns<WorkerContact | null>() },
  /** Store the worker's staff contact if this device has not yet (synced like any contact); returns it either way. */
  'profile.createMe': { params: z.strictObject({}), result: returns<WorkerContact>() },
  'workspace.info': { params: z.strictObject({}), result: returns<WorkspaceInfo>() },
  'record.create': { params: createParams, result: returns<AnyRecord>() },
  'record.get': { params: recordRef, result: returns<AnyRecord>() },
  'record.update': { params: updateParams, result: returns<AnyRecord>() },
  'record.delete': { params: recordRef, result: returns<AnyRecord>() },
  'record.restore': { params: recordRef, result: returns<AnyRecord>() },
  'record.list': { params: ListQuery, result: returns<ListResult>() },
  'record.history': { params: z.strictObject({ id: recordId }), result: returns<HistoryEntry[]>() },
  'record.connections': { params: z.strictObject({ id: recordId }), result: returns<ConnectionView[]>() },
  'search.global': { params: SearchQuery, result: returns<SearchHit[]>() },
  /** Sessions a contact came to or facilitated, or that were held at an asset: newest first, a page at a time. */
  'record.sessions': { params: RecordSessionsQuery, result: returns<{ rows: RecordSession[]; total: number }>() },
  /** Actions of active sessions; `ownerId` also finds actions owned by records merged into that contact. */
  'action.list': { params: ActionQuery, result: returns<{ rows: ActionRow[]; total: number }>() },
  /** Candidate duplicate pairs among active records of one kind, most alike first. */
  'duplicates.find': { params: DuplicateQuery, result: returns<DuplicatePair[]>() },
  /** Stop a running `duplicates.find` of one kind (its caller is answered `conflict`: stopped). */
  'duplicates.cancel': { params: z.strictObject({ kind: z.enum(DUPLICATE_KINDS) }), result: returns<null>() },
  /** Existing records that look like the record being entered, before it is saved. */
  'duplicates.forDraft': { params: DraftQuery, result: returns<LikelyMatch[]>() },
  // A rich-text editor holds its own replica of one record's Y.Doc: `doc.open` returns
  // the doc's state and subscribes this connection to its updates (`doc.update` events);
  // the editor sends its own updates with `doc.update`, exactly as a sync peer would.
  'doc.open': { params: z.strictObject({ id: recordId }), result: returns<{ state: string }>() },
  'doc.update': {
    params: z.strictObject({ id: recordId, update: z.base64('must be base64-encoded Yjs update') }),
    result: returns<AnyRecord>(),
  },
  'doc.close': { params: z.strictObject({ id: recordId }), result: returns<null>() },
  // Sync with the team's server. Progress and outcome also arrive as `sync.status` events.
  'sync.status': { params: z.strictObject({}), result: returns<SyncStatus>() },
  /** Redeem an invite code at the server; the token and address are kept in the workspace. */
  'sync.connect': { params: SyncConnectParams, result: returns<SyncStatus>() },
  /** Start a sync now (it also runs on its own while online); returns at once. */
  'sync.now': { params: z.strictObject({}), result: returns<SyncStatus>() },
  /** Stop syncing until sync.now. */
  'sync.cancel': { params: z.strictObject({}), result: returns<SyncStatus>() },
  /** Forget the server; unsent changes stay queued. */
  'sync.disconnect': { params: z.strictObject({}), result: returns<SyncStatus>() },
  ...TEAM_RPC_METHODS,
  ...MAP_RPC_METHODS,
  ...NETWORK_RPC_METHODS,
} as const;

export type RpcMethod = keyof typeof RPC_METHODS;
export type RpcParams<M extends RpcMethod> = z.input<(typeof RPC_METHODS)[M]['params']>;
export type RpcParsedParams<M extends RpcMethod> = z.output<(typeof RPC_METHODS)[M]['params']>;
export type RpcResult<M extends RpcMethod> = (typeof RPC_METHODS)[M]['result'];

// ---------------------------------------------------------------- wire format
// Every message is one JSON text, the same over an Electron MessagePort and a WebSocket.

export interface RpcRequest {
  type: 'request';
  id: number;
  method: string;
  params: unknown;
}

export type RpcResponse =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: RpcErrorShape };

export type ServiceEvent =
  /** A record was written (by this device, an editor replica or a sync peer): refresh views of it. */
  | { type: 'event'; name: 'record.changed'; kind: RecordKind; id: string; source: 'local' | 'editor' | 'remote' }
  /**
   * Many records changed at once (a sync batch, a bulk import), sent instead of one
   * `record.changed` each: reload whatever shows records of these kinds.
   */
  | { type: 'event'; name: 'records.changed'; kinds: RecordKind[]; source: 'local' | 'editor' | 'remote' }
  /** A Yjs update (base64) to a doc this connection opened with `doc.open`. */
  | { type: 'event'; name: 'doc.update'; id: string; update: string }
  /** Sync progress: pending changes, last sync, the current problem. */
  | { type: 'event'; name: 'sync.status'; status: SyncStatus }
  /** The conflict inbox changed (sync found a conflict, or one was resolved). */
  | { type: 'event'; name: 'conflicts.changed'; open: number };

export type ServiceMessage = RpcResponse | ServiceEvent;

export type RpcErrorCode = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'not_ready' | 'unknown_method' | 'internal';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `data.attendeeIds.2`. */
  field: string;
  message: string;
}

export interface RpcErrorShape {
  code: RpcErrorCode;
  message: string;
  issues: FieldIssue[];
}

/** An error the data service reports to its caller, naming what was wrong. */
export class RpcError extends Error implements RpcErrorShape {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'RpcError';
  }

  static invalid(issues: FieldIssue[]): RpcError {
    const first = issues[0];
    const summary = first ? `${first.field}: ${first.message}` : 'invalid input';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new RpcError('invalid', `${summary}${more}`, issues);
  }

  toShape(): RpcErrorShape {
    return { code: this.code, message: this.message, issues: this.issues };
  }
}

export function fromZodError(error: z.ZodError, prefix: string[] = []): RpcError {
  return RpcError.invalid(
    error.issues.map((issue) => ({
      field: [...prefix, ...issue.path.map(String)].join('.') || '(input)',
      message: issue.message,
    })),
  );
}
