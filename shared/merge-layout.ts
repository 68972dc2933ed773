// Where a merge and a lead's conflict answers live in a record's Y.Doc (see
// main/data-service/team/merge.ts and conflicts.ts). Shared because the sync server refuses
// these writes from anyone but a lead (server/push-guard.ts).

/** Keys of the root `meta` map a merge or unmerge writes on a merged-away record. */
export const MERGE_META = {
  mergedInto: 'mergedInto',
  mergeId: 'mergeId',
  /** The record's Yjs state vector when it was merged (base64): what the lead saw. */
  seen: 'mergedSeen',
} as const;

/** The survivor's root map of the merges it took part in, keyed by merge id. */
export const MERGES_MAP = 'merges';

/** A lead's answers to conflicts, keyed by the conflict's signature. */
export const RESOLVED_MAP = 'resolved';
