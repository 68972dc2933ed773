// The team lead's part of the RPC contract: merging duplicates (and undoing a merge), the
// review queue of what workers changed, the conflict inbox, and restoring an earlier
// value from a record's history. Listed in RPC_AREAS by shared/rpc.ts.
import { z } from 'zod';
import { RECORD_KINDS, recordId, type AnyRecord, type Author, type FieldProblem, type ListedKind, type RecordKind } from './domain';
import { returns } from './rpc-area';

/** Who may do what in this workspace: the sync token's role, or `lead` on a device that does not sync. */
export type TeamRole = 'lead' | 'worker' | 'trainer' | 'viewer';

export const MERGE_KINDS = ['contact', 'asset'] as const;
export type MergeKind = (typeof MERGE_KINDS)[number];

export const MergeParams = z.strictObject({
  kind: z.enum(MERGE_KINDS),
  /** The record that stays: it keeps its id, and every reference to the others resolves to it. */
  survivorId: recordId,
  /** The records merged away; each keeps its own data and `mergedInto` = survivorId. */
  mergedIds: z.array(recordId).min(1, 'name at least one record to merge').max(20, 'merge at most 20 records at once'),
  /**
   * For each field, the record whose value the survivor keeps. Left out: the survivor's
   * value, or the first non-empty one of the others when the survivor's is empty. Lists
   * (roles, themes, tags) and collections (skills, consents) are joined unless a choice names one record.
   */
  choices: z.record(z.string(), recordId).default({}),
});
export type MergeParams = z.input<typeof MergeParams>;

/** One merge as the survivor remembers it, so it can be undone. */
export interface MergeEntry {
  mergeId: string;
  survivorId: string;
  merged: { id: string; title: string }[];
  at: string;
  by: Author;
  /** Fields of the survivor that took another record's value. */
  fields: string[];
  undoneAt: string | null;
  undoneBy: Author | null;
}

export interface MergeResult {
  survivor: AnyRecord;
  merge: MergeEntry;
}

export const UnmergeParams = z.strictObject({ survivorId: recordId, mergeId: z.string().min(1).max(100) });

export interface UnmergeResult {
  survivor: AnyRecord;
  restored: AnyRecord[];
}

/** One change in the review queue or a record's history. */
export interface ReviewChange {
  /** Local history row id: what `review.mark` counts up to. */
  historyId: number;
  field: string;
  before: unknown;
  after: unknown;
  at: string;
  /** False for a write that lost a conflict: the record never held `after`, and `before` is what it kept instead. */
  kept: boolean;
}

export interface ReviewGroup {
  author: Author;
  record: { id: string; kind: RecordKind; title: string; status: 'active' | 'deleted' | 'merged' };
  changes: ReviewChange[];
  /** The newest history id in this group: pass it to review.mark. */
  upTo: number;
}

export const ReviewQuery = z.strictObject({
  authorId: z.string().min(1).max(100).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const ReviewMark = z.strictObject({
  items: z
    .array(z.strictObject({ recordId, authorId: z.string().min(1).max(100), upTo: z.number().int().min(0) }))
    .min(1)
    .max(5000),
});

export interface ReviewQueue {
  groups: ReviewGroup[];
  /** Groups waiting in all, beyond `limit` too. */
  total: number;
  /** Everyone with changes waiting, for the filter. */
  authors: (Author & { waiting: number })[];
}

export const CONFLICT_TYPES = ['concurrent', 'edited-after-merge'] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];

export interface ConflictValue {
  value: unknown;
  author: Author;
  at: string;
  hlc: string;
  /** This device's own write, not yet acknowledged by the sync server (`author` is only what the device claims). */
  unsynced?: boolean;
}

/**
 * Something sync settled without anyone choosing: two devices set one field at the same
 * time (Yjs kept one value by client id), or a worker edited a record that a lead had
 * already merged away.
 */
export interface ConflictEntry {
  id: number;
  type: ConflictType;
  record: { id: string; kind: RecordKind; title: string };
  field: string;
  /**
   * `field` as `consents.<item id>.withdrawnAt`: one property of a collection item, named
   * here in words (the item's text, skill or purpose) for the lead.
   */
  item: { field: string; name: string; property: string } | null;
  /** The value the record holds now (for `edited-after-merge`: the survivor's value). */
  current: ConflictValue;
  /** The value(s) that lost, or the edit made to the merged-away record. */
  others: ConflictValue[];
  /** For `edited-after-merge`: the record the edit can be copied to. */
  survivor: { id: string; title: string } | null;
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: Author | null;
  resolution: string | null;
}

export const ConflictQuery = z.strictObject({
  status: z.enum(['open', 'resolved']).default('open'),
  limit: z.number().int().min(1).max(500).default(200),
  /** The `next` of the page before: this page starts after it. */
  after: z
    .string()
    .regex(/^[^|]{0,40}\|[1-9][0-9]{0,15}$/, 'must be the `next` of a page of conflicts')
    .optional(),
});

export interface ConflictPage {
  entries: ConflictEntry[];
  /** Open conflicts in all, beyond this page too. */
  open: number;
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

export const ConflictResolve = z.strictObject({
  id: z.number().int().min(1),
  /**
   * `keep`: the current value stays; a number: use that entry of `others` instead; `both`
   * (free text only, see FREE_TEXT_FIELDS): every text joined, each under its author and
   * time — for an edit after a merge, onto the survivor beside its own text.
   */
  choice: z.union([z.literal('keep'), z.literal('both'), z.number().int().min(0)]),
});

export const RestoreValueParams = z.strictObject({
  kind: z.enum(RECORD_KINDS),
  id: recordId,
  historyId: z.number().int().min(1),
  /** Which value of that change to put back: what it replaced (`before`, the default) or what it set. */
  side: z.enum(['before', 'after']).default('before'),
});

/** A listed record with fields holding values their rules refuse (a peer's bad change), for the lead to fix. */
export interface UnreadableRecord {
  id: string;
  kind: ListedKind;
  title: string;
  problems: FieldProblem[];
}

export interface UnreadableRecords {
  /** By title, the first `limit`. */
  records: UnreadableRecord[];
  total: number;
}

export const TEAM_RPC_METHODS = {
  /** Merge duplicates into one survivor, field by field; leads only. */
  'merge.apply': { params: MergeParams, result: returns<MergeResult>() },
  /** Undo a merge: every record as it was, with the edits made since; leads only. */
  'merge.undo': { params: UnmergeParams, result: returns<UnmergeResult>() },
  /** The merges a record has survived, newest first. */
  'merge.list': { params: z.strictObject({ id: recordId }), result: returns<MergeEntry[]>() },
  /** What others changed since this device's lead last marked it reviewed, grouped by author and record. */
  'review.list': { params: ReviewQuery, result: returns<ReviewQueue>() },
  'review.mark': { params: ReviewMark, result: returns<{ marked: number }>() },
  /** Records a field of which holds a value that could not be read (see RecordMeta.problems). */
  'review.unreadable': { params: z.strictObject({ limit: z.number().int().min(1).max(500).default(100) }), result: returns<UnreadableRecords>() },
  /** One page of the inbox, newest first; `next` continues it. */
  'conflicts.list': { params: ConflictQuery, result: returns<ConflictPage>() },
  /** Choose a conflict's outcome; leads only. */
  'conflicts.resolve': { params: ConflictResolve, result: returns<ConflictEntry>() },
  /** Put an earlier value of one field back (a new change, itself in the history). */
  'record.restoreValue': { params: RestoreValueParams, result: returns<AnyRecord>() },
} as const;
