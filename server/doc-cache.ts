// Records' docs as stored, kept hydrated between pushes, so the push guard need not rebuild
// each doc from its stored rows on every push (that was a third of the server's time).
// Only for a store no other process writes (SyncStore.singleWriter): a doc here must be
// exactly what the store holds. A push takes its docs out while it is checked and stored
// (pushes of a workspace are checked one at a time, see SyncServer.guarded) and puts them
// back only once the store holds what it applied to them; a refused or failed push drops
// them, so nothing half-applied is ever served to the next push.
import type * as Y from 'yjs';
import type { RecordKind } from '../shared/domain';

/** A doc as stored, with what the push guard read of it, so the next push need not read it again. */
export interface StoredDoc {
  doc: Y.Doc;
  kind: RecordKind | null;
  /** Its fields as a device reads them; null if unreadable. */
  data: Record<string, unknown> | null;
  /** Its merge state (push-guard.ts mergeState). */
  merge: string;
}

export class DocCache {
  /** Most recently used last. */
  private readonly docs = new Map<string, StoredDoc>();

  constructor(private readonly capacity: number) {}

  private static key(workspaceId: string, docId: string): string {
    return `${workspaceId}\n${docId}`;
  }

  /** The doc as stored, now owned by the caller; undefined if not kept here. */
  take(workspaceId: string, docId: string): StoredDoc | undefined {
    const key = DocCache.key(workspaceId, docId);
    const doc = this.docs.get(key);
    this.docs.delete(key);
    return doc;
  }

  /** Keep a doc that is now exactly as stored. */
  put(workspaceId: string, docId: string, stored: StoredDoc): void {
    const key = DocCache.key(workspaceId, docId);
    this.docs.get(key)?.doc.destroy();
    this.docs.delete(key);
    this.docs.set(key, stored);
    for (const [oldest, old] of this.docs) {
      if (this.docs.size <= this.capacity) break;
      old.doc.destroy();
      this.docs.delete(oldest);
    }
  }

  /** Forget docs whose stored rows changed another way (an erasure). */
  drop(workspaceId: string, docIds: readonly string[]): void {
    for (const docId of docIds) this.take(workspaceId, docId)?.doc.destroy();
  }
}
