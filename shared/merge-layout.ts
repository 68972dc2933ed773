// Where a merge lives in a record's Y.Doc (see main/data-service/team/merge.ts). Shared
// because the sync server refuses these writes from anyone but a lead (server/merge-guard.ts).

/** Keys of the root `meta` map a merge or unmerge writes on a merged-away record. */
export const MERGE_META = {
  mergedInto: 'mergedInto',
  mergeId: 'mergeId',
  /** The record's Yjs state vector when it was merged (base64): what the lead saw. */
  seen: 'mergedSeen',
} as const;

/** The survivor's root map of the merges it took part in, keyed by merge id. */
export const MERGES_MAP = 'merges';
