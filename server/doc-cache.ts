// Records' docs as stored, kept between pushes in the few kilobytes of their updates (with
// what the push guard read of them), so the push guard need not read each doc's rows and
// read its fields again on every push. Only for a store no other process writes
// (SyncStore.singleWriter): a doc here must be exactly what the store holds. A push takes
// its docs out while it is checked and stored (pushes of a workspace are checked one at a
// time, see SyncServer.inTurn) and puts them back only once the store holds what it applied
// to them; a refused or failed push drops them, so nothing the store does not hold is ever
// served to the next push.
//
// Not hydrated docs: a contact's Y.Doc took ~33 KB of heap against its ~2.8 KB of updates
// (the large team bench), so the 11,000 docs of that team's working set would take ~360 MB
// hydrated; kept as updates with what was read of them, ~5.3 KB a doc, 58 MB. A doc rebuilt
// for a push is let go once judged, so it dies young, cheap to collect.
import type { RecordKind } from '../shared/domain';

/** A doc as stored, with what the push guard read of it, so the next push need not read it again. */
export interface StoredDoc {
  /** Updates that rebuild it exactly as stored (its rows, or its state encoded, then what later pushes added). */
  updates: Uint8Array[];
  kind: RecordKind | null;
  /** Its fields as a device reads them; null if unreadable. */
  data: Record<string, unknown> | null;
  /** Its merge state (push-guard.ts mergeState). */
  merge: string;
  /** Who created it and when (push-guard.ts creationOf). */
  created: string;
  /** Bytes of `updates`: what it costs to keep, roughly (a hostile worker may grow a doc to megabytes). */
  bytes: number;
}

export class DocCache {
  /** Most recently used last. */
  private readonly docs = new Map<string, StoredDoc>();
  private bytes = 0;

  /** At most `maxDocs` docs of at most `maxBytes` of updates; a doc of more than an eighth of that is not kept. */
  constructor(
    private readonly maxDocs: number,
    private readonly maxBytes: number,
  ) {}

  /** Bytes of the kept docs' updates. */
  get keptBytes(): number {
    return this.bytes;
  }

  private static key(workspaceId: string, docId: string): string {
    return `${workspaceId}\n${docId}`;
  }

  /** The doc as stored, now owned by the caller; undefined if not kept here. */
  take(workspaceId: string, docId: string): StoredDoc | undefined {
    const key = DocCache.key(workspaceId, docId);
    const stored = this.docs.get(key);
    if (stored) this.bytes -= stored.bytes;
    this.docs.delete(key);
    return stored;
  }

  /** Keep a doc that is now exactly as stored. */
  put(workspaceId: string, docId: string, stored: StoredDoc): void {
    this.take(workspaceId, docId);
    if (stored.bytes > this.maxBytes / 8) return;
    this.docs.set(DocCache.key(workspaceId, docId), stored);
    this.bytes += stored.bytes;
    for (const [oldest, old] of this.docs) {
      if (this.docs.size <= this.maxDocs && this.bytes <= this.maxBytes) break;
      this.bytes -= old.bytes;
      this.docs.delete(oldest);
    }
  }

  /** Forget docs whose stored rows changed another way (an erasure). */
  drop(workspaceId: string, docIds: readonly string[]): void {
    for (const docId of docIds) this.take(workspaceId, docId);
  }
}
