// Only team leads may merge or unmerge records. In a record's doc (layout in
// main/data-service/record-doc.ts, merges in main/data-service/team/merge.ts) a merge sets
// `meta.mergedInto`, `meta.mergeId` and `meta.mergedSeen` on the merged-away record and adds an entry to the survivor's `merges` map; an unmerge sets
// `mergedInto` back to null. So a push that changes any of those values is a merge.
//
// The update bytes alone cannot say so: Yjs encodes a map entry that overwrites an
// earlier one with only its left neighbour (`origin`), not its map or key, so a merge of
// an existing record decodes as an item with no parent at all. The update is therefore
// applied to the doc as the server has stored it, and the values compared before and
// after. Comparing values (not keys written) lets a worker create records: creation
// writes `mergedInto: null`, which changes nothing. A record the server has never seen is
// not guarded at all: a device that merged its own new records before joining its team as
// a worker would otherwise have every later change stuck behind that push, and merging a
// record nobody else has yet takes nothing from anyone (its survivor's `merges` log, on a
// record the server has, stays guarded).
import * as Y from 'yjs';
import { MERGE_META, MERGES_MAP } from '../shared/merge-layout';
import type { SyncStore } from './store';

const META = 'meta';
/** `mergedSeen` decides which of a worker's later edits the lead is shown as made after the merge. */
const MERGE_KEYS = Object.values(MERGE_META);

function mergeState(doc: Y.Doc): string {
  const meta = doc.getMap<unknown>(META);
  // A key never written reads as null: a new record is not merged.
  const keys = MERGE_KEYS.map((key) => meta.get(key) ?? null);
  return JSON.stringify([keys, doc.getMap<unknown>(MERGES_MAP).toJSON()]);
}

/**
 * The docs one push touches, as the server has stored them, for its updates to be applied
 * to (by checkUpdate, which applies each update once anyway) and then compared. A new doc
 * costs one indexed lookup that finds nothing.
 */
export class MergeGuard {
  private constructor(private readonly docs: Map<string, { doc: Y.Doc; before: string; known: boolean }>) {}

  static async load(store: SyncStore, workspaceId: string, docIds: Iterable<string>): Promise<MergeGuard> {
    const docs = new Map<string, { doc: Y.Doc; before: string; known: boolean }>();
    for (const docId of new Set(docIds)) {
      const doc = new Y.Doc({ guid: docId });
      const stored = await store.docUpdates(workspaceId, docId);
      for (const update of stored) Y.applyUpdate(doc, update);
      docs.set(docId, { doc, before: mergeState(doc), known: stored.length > 0 });
    }
    return new MergeGuard(docs);
  }

  docFor(docId: string): Y.Doc {
    const entry = this.docs.get(docId);
    if (!entry) throw new Error(`doc ${docId} was not loaded for this push`);
    return entry.doc;
  }

  /** The first doc whose merge state the updates applied so far changed, if any. */
  mergedDoc(): string | null {
    for (const [docId, { doc, before, known }] of this.docs) if (known && mergeState(doc) !== before) return docId;
    return null;
  }

  destroy(): void {
    for (const { doc } of this.docs.values()) doc.destroy();
  }
}
