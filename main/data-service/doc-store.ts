// Persistence of per-record Y.Docs: a snapshot per doc plus an append-only log of the
// updates since, merged into the snapshot once the log passes a threshold (the shape of
// AFFiNE's nbstore). All writes happen inside the caller's SQLite transaction so the
// projection written beside them commits or rolls back with them.
import { setFlagsFromString } from 'node:v8';
import * as Y from 'yjs';
import type { RecordKind } from '../../shared/domain';
import type { SqliteDatabase, SqliteStatement } from './db/sqlite';
import type { TableClaim } from './db/tables';
import type { SyncOutbox } from './sync/outbox';

/** Updates appended to one doc before they are merged into its snapshot. */
export const COMPACTION_THRESHOLD = 64;
/**
 * Hydrated docs kept in memory, most recently used last. A sync after offline work brings
 * peers' changes to the records edited here: kept hydrated since their edit, they are not
 * decoded from the file a second time (a third of applying a peer's change to a record).
 * A contact's doc takes ~25 KB.
 */
const CACHE_SIZE = 2_048;

export const DOC_STORE_TABLES: TableClaim[] = [
  {
    table: 'docs',
    personal: "every field of a record (a contact's name, phone, notes…) as a Yjs snapshot, with its authors",
    recordRows: 'id = @id',
    subjectAccess: ['person', 'history', 'mergedIn', 'sessions', 'connections'],
  },
  {
    table: 'doc_updates',
    personal: "changes to a record's fields (any of its data) as Yjs updates, and the id of the worker who made each",
    recordRows: 'doc_id = @id',
    // A session's or connection's past versions show only as they are now.
    subjectAccess: ['history', 'mergedIn', 'sessions', 'connections'],
  },
];

export interface UpdateOrigin {
  origin: 'local' | 'remote';
  authorId: string;
  hlc: string;
}

export class DocStore {
  private readonly cache = new Map<string, Y.Doc>();
  private readonly stmt: {
    insertDoc: SqliteStatement;
    selectDoc: SqliteStatement;
    selectKind: SqliteStatement;
    selectExisting: SqliteStatement;
    selectUpdates: SqliteStatement;
    appendUpdate: SqliteStatement;
    countUpdates: SqliteStatement;
    writeSnapshot: SqliteStatement;
    deleteUpdates: SqliteStatement;
    allDocIds: SqliteStatement;
    docsAfter: SqliteStatement;
    setKind: SqliteStatement;
    deleteDoc: SqliteStatement;
  };

  /** Local changes go to `outbox` in the same transaction; peers' changes came from the server. */
  constructor(
    db: SqliteDatabase,
    private readonly outbox: SyncOutbox,
  ) {
    // Docs kept hydrated in the cache teach V8 that what Yjs decodes lives long, and it then
    // allocates every doc decoded after (allocation-site pretenuring) in the old generation:
    // the thousands a sync hydrates and drops wait there for full collections, and made
    // garbage collection a fifth of applying a colleague's updates. Without it they die
    // young. The flag is the process's (setting it again changes nothing); V8 reads it at
    // each collection.
    setFlagsFromString('--no-allocation-site-pretenuring');
    this.stmt = {
      insertDoc: db.prepare('INSERT INTO docs (id, kind, snapshot) VALUES (?, ?, ?)'),
      selectDoc: db.prepare('SELECT kind, snapshot FROM docs WHERE id = ?'),
      // Without the snapshot: checking a doc's kind on every applied update need not read it.
      selectKind: db.prepare('SELECT kind FROM docs WHERE id = ?'),
      selectExisting: db.prepare('SELECT id FROM docs WHERE id IN (SELECT value FROM json_each(?))').pluck(),
      selectUpdates: db.prepare('SELECT data FROM doc_updates WHERE doc_id = ? ORDER BY seq'),
      appendUpdate: db.prepare(
        'INSERT INTO doc_updates (doc_id, data, origin, author_id, hlc) VALUES (?, ?, ?, ?, ?)',
      ),
      countUpdates: db.prepare('SELECT count(*) FROM doc_updates WHERE doc_id = ?').pluck(),
      writeSnapshot: db.prepare('UPDATE docs SET snapshot = ? WHERE id = ?'),
      deleteUpdates: db.prepare('DELETE FROM doc_updates WHERE doc_id = ?'),
      allDocIds: db.prepare('SELECT id, kind FROM docs ORDER BY id'),
      docsAfter: db.prepare('SELECT rid, id FROM docs WHERE rid > ? ORDER BY rid LIMIT ?'),
      setKind: db.prepare('UPDATE docs SET kind = ? WHERE id = ?'),
      deleteDoc: db.prepare('DELETE FROM docs WHERE id = ?'),
    };
  }

  exists(id: string): boolean {
    return this.stmt.selectKind.get(id) !== undefined;
  }

  /** Which of these ids are stored already (one query for a batch). */
  existing(ids: string[]): Set<string> {
    return new Set(this.stmt.selectExisting.all(JSON.stringify(ids)) as string[]);
  }

  kindOf(id: string): RecordKind | null {
    const row = this.stmt.selectKind.get(id) as { kind: RecordKind | '' } | undefined;
    return row?.kind || null;
  }

  /**
   * A new doc whose whole initial state is `state`: stored directly as its snapshot (and,
   * made here, queued for sync as that snapshot, not a second copy of it). `kind` is '' for
   * a doc a peer sent before its creation.
   */
  insert(id: string, kind: RecordKind | '', state: Uint8Array, origin: UpdateOrigin['origin'] = 'local'): void {
    this.stmt.insertDoc.run(id, kind, state);
    if (origin === 'local') this.outbox.enqueueSnapshot(id);
  }

  /** Forget a doc entirely, snapshot and log (to be stored again as a sync server holds it). */
  remove(id: string): void {
    this.forget(id);
    this.stmt.deleteUpdates.run(id);
    this.stmt.deleteDoc.run(id);
  }

  /** Record the kind of a doc first stored without one. */
  setKind(id: string, kind: RecordKind): void {
    this.stmt.setKind.run(kind, id);
  }

  append(id: string, update: Uint8Array, origin: UpdateOrigin): void {
    this.stmt.appendUpdate.run(id, update, origin.origin, origin.authorId, origin.hlc);
    if (origin.origin === 'local') this.outbox.enqueue(id, update);
    if ((this.stmt.countUpdates.get(id) as number) >= COMPACTION_THRESHOLD) this.compact(id);
  }

  /** Merge a doc's update log into its snapshot. Re-encoding a loaded doc drops deleted content. */
  compact(id: string): void {
    const doc = this.load(id);
    if (!doc) return;
    this.stmt.writeSnapshot.run(Y.encodeStateAsUpdate(doc), id);
    this.stmt.deleteUpdates.run(id);
  }

  /**
   * The doc, hydrated from storage (or the in-memory cache). Null if it was never stored.
   * `keep` false: a doc not in the cache is not added to it (a peer's change to a record not
   * edited here lately: kept, thousands of them pushed out the docs edited here, and as
   * they aged into the old heap garbage collection cost a tenth of applying them).
   */
  load(id: string, keep = true): Y.Doc | null {
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    const row = this.stmt.selectDoc.get(id) as { snapshot: Buffer | null } | undefined;
    if (!row) return null;
    const doc = new Y.Doc({ guid: id });
    Y.transact(doc, () => {
      if (row.snapshot) Y.applyUpdate(doc, row.snapshot);
      for (const { data } of this.stmt.selectUpdates.iterate(id) as Iterable<{ data: Buffer }>) {
        Y.applyUpdate(doc, data);
      }
    });
    if (keep) this.remember(id, doc);
    return doc;
  }

  /** Keep a hydrated doc in memory for the next edit. */
  remember(id: string, doc: Y.Doc): void {
    this.cache.set(id, doc);
    while (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.get(oldest)?.destroy();
      this.cache.delete(oldest);
    }
  }

  /** Drop a cached doc, e.g. after a failed transaction left it ahead of storage. */
  forget(id: string): void {
    this.cache.get(id)?.destroy();
    this.cache.delete(id);
  }

  forgetAll(): void {
    for (const doc of this.cache.values()) doc.destroy();
    this.cache.clear();
  }

  *allDocs(): Iterable<{ id: string; kind: RecordKind }> {
    yield* this.stmt.allDocIds.iterate() as Iterable<{ id: string; kind: RecordKind }>;
  }

  /** Up to `limit` stored docs in the order they were first stored, after the one stored as `rid` (a resumable walk of them all). */
  docsAfter(rid: number, limit: number): { rid: number; id: string }[] {
    return this.stmt.docsAfter.all(rid, limit) as { rid: number; id: string }[];
  }

  /** The full encoded state of a doc, for a client (editor or sync peer) that has nothing. */
  encodeState(id: string, stateVector?: Uint8Array): Uint8Array | null {
    const doc = this.load(id);
    return doc ? Y.encodeStateAsUpdate(doc, stateVector) : null;
  }
}
