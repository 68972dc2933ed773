// Erasing a person on every replica (team leads only): what an erasure will do, the mentions
// of their name in other records' free text (read a page at a time, so a large workspace
// shows progress and can be cancelled before anything changes), the erasure itself, and the
// erasure log. Listed in RPC_AREAS by shared/rpc.ts.
import { z } from 'zod';
import { recordId, type Author, type RecordKind } from './domain';
import { returns } from './rpc-area';

/** A record an erasure changes or names, as the dialog links to it. */
export interface ErasureRecordRef {
  id: string;
  kind: RecordKind;
  title: string;
}

/** What erasing a person will do, in numbers and records the dialog puts in words. */
export interface ErasurePlan {
  person: { id: string; name: string };
  /** Every record that goes: the contact, the contacts merged into it, their connections. */
  records: number;
  mergedIn: ErasureRecordRef[];
  connections: number;
  /** Sessions where they are named (attendee or facilitator): they become one more in its head-count. */
  sessions: ErasureRecordRef[];
  /** Actions they own: left without an owner. */
  actions: { session: ErasureRecordRef; text: string }[];
  /** Assets that name them as contact person: left without one. */
  assets: ErasureRecordRef[];
  /** Records to look through for mentions of their name (erasure.mentions pages through them). */
  recordsToCheck: number;
}

export const ErasureTarget = z.strictObject({ id: recordId });

export const MentionsQuery = z.strictObject({
  id: recordId,
  /** The `next` of the page before (0: from the start). */
  after: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5_000).default(2_000),
});

/** A record whose free text names the person: the lead redacts it, the app does not. */
export interface Mention extends ErasureRecordRef {
  /** The fields that name them, as field keys (`notes`, `actions.<id>.text`). */
  fields: string[];
}

export interface MentionsPage {
  mentions: Mention[];
  /** Records looked through so far, of ErasurePlan.recordsToCheck. */
  checked: number;
  /** Pass as `after` for the next page; null when every record has been looked through. */
  next: number | null;
}

export const EraseParams = z.strictObject({
  id: recordId,
  /** The person's name as the lead typed it, to confirm. */
  confirmName: z.string().max(400),
});

/** What an erasure did, for the notice afterwards. */
export interface ErasureResult {
  erasureId: string;
  records: number;
  mergedIn: number;
  connections: number;
  sessions: number;
  actions: { session: ErasureRecordRef; text: string }[];
  assets: number;
}

/** A line of the erasure log: nothing about who was erased. */
export interface ErasureLogEntry {
  erasureId: string;
  at: string;
  by: Author;
  records: number;
  /** False while the lead's device has not yet given it to the sync server. */
  sent: boolean;
  /** Why, for the retention review's erasures on this device (null otherwise); it never syncs. */
  reason: string | null;
}

export const ERASURE_RPC_METHODS = {
  'erasure.plan': { params: ErasureTarget, result: returns<ErasurePlan>() },
  'erasure.mentions': { params: MentionsQuery, result: returns<MentionsPage>() },
  'erasure.apply': { params: EraseParams, result: returns<ErasureResult>() },
  'erasure.log': { params: z.strictObject({}), result: returns<ErasureLogEntry[]>() },
} as const;
