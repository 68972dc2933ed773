// A workspace: one SQLite file holding every record of one team's work as per-record
// Y.Docs (the truth) and the projection tables read by lists, search and reports.
// This is the only writer to that file, and a thin front over the parts that each own a
// job (and their tables): the docs (doc-store.ts), the read model (read-model.ts,
// projection.ts), reads of records and of screens (read/, links.ts), history (history.ts),
// local writes (record-writes.ts), updates from editors and peers (apply-updates.ts), the
// conflict inbox and review marks (team/). It holds the transactions and announces each
// change once it has committed; feature code asks the parts, never the connection.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { newRecordId } from './record-id';
import type { z } from 'zod';
import {
  PATCH_INPUT,
  type AnyRecord,
  type Author,
  type CreateInput,
  type DataOf,
  type PatchInput,
  type RecordKind,
  type RecordMeta,
  type RecordOf,
} from '../../shared/domain';
import {
  RpcError,
  type ActionQuery,
  type ActionRow,
  type ConnectionView,
  type HistoryEntry,
  type ListQuery,
  type ListResult,
  type SearchHit,
  type SearchQuery,
  type WorkspaceInfo,
} from '../../shared/rpc';
import { Emitter } from '../../shared/emitter';
import { groupBy } from '../../shared/group-by';
import { UpdateApplier, type AppliedUpdate } from './apply-updates';
import type { NewDocRead } from './sync/read-new-doc';
import { isCorrupt, type SqliteDatabase } from './db/sqlite';
import { openWorkspaceDb, type WorkspaceDb } from './db/workspace-db';
import { DocStore } from './doc-store';
import { HistoryLog } from './history';
import { HybridLogicalClock } from './hlc';
import { ImportBatches } from './import/batches';
import { RecordLinks } from './links';
import { MetaStore } from './meta-store';
import { parseOrThrow } from './parse';
import { applyErasure } from './privacy/erasure';
import { ErasureLog, type Erasure } from './privacy/erasure-log';
import { RecordReads } from './read/records';
import { ScreenQueries } from './read/screens';
import { ReadModel } from './read-model';
import { docKind, readData, readMeta, writeMeta, writePatch, type FieldChange, type Stamp } from './record-doc';
import { RecordWrites, prefixIssues, type ChangeRecord } from './record-writes';
import { SyncOutbox } from './sync/outbox';
import { isRecordKind } from './sync/sanitize';
import { ConflictInbox } from './team/conflicts';
import { ReviewMarks } from './team/review';
import { SubjectAccessLog } from './privacy/access-log';

export interface OpenOptions {
  /** Path of the workspace file; created with its schema if missing. ':memory:' for tests. */
  path: string;
  /** The person whose changes these will be. */
  author: Author;
  /** Name given to a new workspace. */
  name?: string;
  /** Id given to a new workspace (its key file is bound to it before the file exists); random otherwise. */
  id?: string;
  /** The file's 256-bit key (db/sqlite.ts): a new workspace is created encrypted with it; an encrypted one opens only with it. */
  key?: Buffer;
  /**
   * `full` (default) syncs the WAL to disk on every commit, so a finished write survives
   * power loss too; `normal` survives a killed process but not a power cut.
   */
  durability?: 'full' | 'normal';
}

/**
 * Records per transaction a bulk write (an import, a restore) should ask createMany for:
 * large enough that each commit's page writes and sync to disk are shared by many
 * records, small enough that progress and Cancel come often and memory stays small.
 */
export const BULK_BATCH_RECORDS = 2_000;

export interface CreateManyOptions {
  /** Records per transaction (default: all of them in one). */
  batchSize?: number;
  /** After each committed batch: how many of the drafts are stored so far. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Stops between batches; the batches committed before stay. */
  signal?: AbortSignal;
  /** Runs inside each batch's transaction with its ids, so what it writes commits with them or not at all. */
  inEachBatch?: (ids: string[]) => void;
}

export type ChangeListener = (change: { kind: RecordKind; id: string; source: UpdateSource }) => void;
export type DocUpdateListener = (id: string, update: Uint8Array, source: UpdateSource) => void;
/** Where a change came from: this service's own write path, a rich-text editor replica, or a sync peer. */
export type UpdateSource = 'local' | 'editor' | 'remote';

/** A peer's update as the sync server delivered it, with the author the server attests (null: not attested). */
export interface RemoteUpdate {
  id: string;
  update: Uint8Array;
  author?: Author | null;
}

export class Workspace {
  /** The connection, for tests and benches that look under the parts; feature code asks the parts. */
  readonly db: SqliteDatabase;
  /** The workspace file's path, which a reader on its own connection may open (the duplicate scan's worker); null in memory. */
  readonly path: string | null;
  /** The file's key, which such a reader needs too; null for a plaintext file. */
  readonly key: Buffer | null;
  readonly id: string;
  readonly name: string;
  readonly deviceId: string;
  readonly author: Author;
  readonly clock: HybridLogicalClock;
  /** Workspace and sync settings. */
  readonly meta: MetaStore;
  /** Local updates not yet acknowledged by the sync server. */
  readonly outbox: SyncOutbox;
  /** Single records as the read model holds them; what an id stands for after merges. */
  readonly records: RecordReads;
  /** What other records say about one: sessions of a contact or an asset. */
  readonly links: RecordLinks;
  /** Lists, search, actions, connections. */
  readonly queries: ScreenQueries;
  /** Who changed which field, when. */
  readonly historyLog: HistoryLog;
  /** What sync settled without anyone choosing (see team/conflicts.ts). */
  readonly conflicts: ConflictInbox;
  /** How far the lead has reviewed each worker's changes (see team/review.ts). */
  readonly reviews: ReviewMarks;
  /** Subject access exports made on this device (see privacy/access-log.ts). */
  readonly accessLog: SubjectAccessLog;
  /** Erasures known here and the erased records' ids (see privacy/erasure.ts). */
  readonly erasures: ErasureLog;
  /** Import batches: what each import stored, to resume or undo it (see import/). */
  readonly imports: ImportBatches;
  private readonly docs: DocStore;
  private readonly readModel: ReadModel;
  private readonly writes: RecordWrites;
  private readonly updates: UpdateApplier;
  private readonly changes = new Emitter<Parameters<ChangeListener>>();
  private readonly docUpdates = new Emitter<Parameters<DocUpdateListener>>();
  private readonly erasedEvents = new Emitter<[erasure: Erasure]>();

  private constructor(
    private readonly file: WorkspaceDb,
    author: Author,
    name: string | undefined,
    id: string | undefined,
    key: Buffer | undefined,
  ) {
    const db = file.sql;
    this.db = db;
    this.path = db.memory ? null : db.name;
    this.key = key ?? null;
    this.author = author;
    this.meta = new MetaStore(db);
    this.id = this.meta.getOrInit('workspace_id', () => id ?? randomUUID());
    this.name = this.meta.getOrInit('workspace_name', () => name ?? 'My workspace');
    this.deviceId = this.meta.getOrInit('device_id', randomUUID);
    this.clock = new HybridLogicalClock(this.deviceId);
    this.historyLog = new HistoryLog(db);
    this.outbox = new SyncOutbox(db, (seq, by) => this.historyLog.requeued(seq, by));
    this.docs = new DocStore(db, this.outbox);
    this.records = new RecordReads(db);
    this.links = new RecordLinks(db, this.records);
    this.queries = new ScreenQueries(db, this.records, this.links);
    this.conflicts = new ConflictInbox(db);
    this.reviews = new ReviewMarks(db, this.records);
    this.accessLog = new SubjectAccessLog(db);
    this.erasures = new ErasureLog(db);
    this.imports = new ImportBatches(db);
    this.readModel = new ReadModel(db, this.docs, this.records);
    const parts = { author, clock: this.clock, docs: this.docs, readModel: this.readModel, records: this.records, history: this.historyLog, conflicts: this.conflicts };
    this.writes = new RecordWrites(parts);
    this.updates = new UpdateApplier(parts, this.writes);
  }

  static open(options: OpenOptions): Workspace {
    const file = openWorkspaceDb(options.path, { durability: options.durability, key: options.key, markCleanClose: true });
    try {
      return new Workspace(file, options.author, options.name, options.id, options.key);
    } catch (error) {
      if (isCorrupt(error)) file.foundDamage();
      file.close();
      throw error;
    }
  }

  close(): void {
    this.docs.forgetAll();
    this.file.close();
  }

  /** A read met a damaged page of the file: it is checked in full when next opened (db/file-check.ts). */
  foundDamage(): void {
    this.file.foundDamage();
  }

  // ---------------------------------------------------------------- events

  onChange(listener: ChangeListener): () => void {
    return this.changes.on(listener);
  }

  /** Every Yjs update stored for any doc, from whatever source: editors and sync peers listen here. */
  onDocUpdate(listener: DocUpdateListener): () => void {
    return this.docUpdates.on(listener);
  }

  private emit(kind: RecordKind, id: string, update: Uint8Array | null, source: UpdateSource): void {
    this.file.wrote();
    if (update) this.docUpdates.emit(id, update, source);
    this.changes.emit({ kind, id, source });
  }

  /**
   * Every erasure once it is applied here, a lead's own or one from the sync server: what
   * else holds a copy of this workspace (a backup) is scrubbed the same way from here
   * (privacy/erasure.ts, scrubWorkspaceFile).
   */
  onErasure(listener: (erasure: Erasure) => void): () => void {
    return this.erasedEvents.on(listener);
  }

  // ---------------------------------------------------------------- writes

  create<K extends RecordKind>(kind: K, input: CreateInput<K>, options: { id?: string } = {}): RecordOf<K> {
    const data = this.writes.validateCreate(kind, input);
    const id = options.id ?? newRecordId();
    if (this.erasures.isErased(id)) throw new RpcError('conflict', `the record ${id} was erased and cannot be created again`);
    let record: RecordOf<K>;
    try {
      record = this.db.transaction(() => this.writes.insert(kind, id, data, true))();
    } catch (error) {
      this.docs.forget(id);
      throw error;
    }
    this.emit(kind, id, null, 'local');
    return record;
  }

  /**
   * Create many records of one kind: the bulk write path (an import, a restore). Every
   * draft is validated before anything is stored, and a failing one is named by its index
   * (`record 12: …`, fields `12.data.phone`). They are then stored `batchSize` at a time
   * (default: all at once), each batch in one transaction with its docs, history, sync
   * outbox and projection, so a batch is stored whole or not at all; `inEachBatch` runs
   * inside that transaction with the batch's ids (to record them beside it). `signal`
   * stops it between batches; `onProgress` hears after each committed batch. Returns the
   * ids of the records created, in the drafts' order: fewer than the drafts if stopped.
   */
  createMany<K extends RecordKind>(kind: K, drafts: { id?: string; data: CreateInput<K> }[], options: CreateManyOptions = {}): string[] {
    const prepared = drafts.map((draft, index) => {
      try {
        return { id: draft.id ?? newRecordId(), data: this.writes.validateCreate(kind, draft.data) };
      } catch (error) {
        throw error instanceof RpcError ? prefixIssues(error, index) : error;
      }
    });
    const batchSize = Math.max(1, options.batchSize ?? prepared.length);
    const created: string[] = [];
    for (let start = 0; start < prepared.length; start += batchSize) {
      if (options.signal?.aborted) break;
      const batch = prepared.slice(start, start + batchSize);
      const ids = batch.map((p) => p.id);
      this.db.transaction(() => {
        this.writes.insertMany(kind, batch, start);
        options.inEachBatch?.(ids);
      })();
      created.push(...ids);
      for (const id of ids) this.emit(kind, id, null, 'local');
      options.onProgress?.({ done: created.length, total: prepared.length });
    }
    return created;
  }

  /** Load a live (hydrated) doc of a record of the given kind, or fail with not_found. */
  private loadDoc(kind: RecordKind, id: string): Y.Doc {
    const storedKind = this.docs.kindOf(id);
    if (storedKind !== kind) throw new RpcError('not_found', `no ${kind} with id ${id}`, [{ field: 'id', message: `no ${kind} with this id` }]);
    return this.docs.load(id)!;
  }

  /**
   * Apply a local change to a record's doc and store it, its projection and its history
   * atomically. Team operations (main/data-service/team/) call it for each record they
   * change, inside one outer transaction (`transaction`).
   */
  changeRecord<K extends RecordKind>(
    kind: K,
    id: string,
    apply: ChangeRecord<K>,
  ): RecordOf<K> {
    const doc = this.loadDoc(kind, id);
    let changed: { record: RecordOf<K>; update: Uint8Array | null };
    try {
      changed = this.db.transaction(() => this.writes.change(kind, id, doc, apply))();
    } catch (error) {
      this.docs.forget(id);
      throw error;
    }
    if (changed.update) this.emit(kind, id, changed.update, 'local');
    return this.records.present(changed.record);
  }

  /**
   * Run `fn` in one SQLite transaction: every record it changes is stored, or none. On
   * failure the docs it loaded are forgotten, so memory holds nothing that was not stored.
   */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (error) {
      this.docs.forgetAll();
      throw error;
    }
  }

  /** A count that moves with every write through this workspace's connection (every write of the data service): a reading is current while it stays. */
  changeCount(): number {
    return this.db.prepare('SELECT total_changes()').pluck().get() as number;
  }

  /** The kind of a stored record, or null if there is none. */
  docKind(id: string): RecordKind | null {
    const kind = this.docs.kindOf(id);
    return isRecordKind(kind) ? kind : null;
  }

  /** A record's title as lists show it ('(missing record)' if there is none). */
  titleOf(id: string): string {
    return this.records.titleOf(id);
  }

  /** The live doc of a record, for team operations that read more than its data (merges, stamps). */
  recordDoc(kind: RecordKind, id: string): Y.Doc {
    return this.loadDoc(kind, id);
  }

  update<K extends RecordKind>(kind: K, id: string, patchInput: PatchInput<K>): RecordOf<K> {
    const patch = parseOrThrow(PATCH_INPUT[kind], patchInput, ['patch']) as PatchInput<K>;
    return this.changeRecord(kind, id, (doc, current, meta, stamp) => {
      if (meta.mergedInto) throw new RpcError('conflict', `this ${kind} was merged into ${meta.mergedInto}; edit that record instead`);
      if (meta.deletedAt) throw new RpcError('conflict', `this ${kind} is deleted; restore it before editing`);
      this.writes.checkReferences(kind, { ...current, ...patch }, current, id);
      return writePatch(kind, doc, current as Record<string, unknown>, patch as Record<string, unknown>, stamp);
    });
  }

  /** Soft delete: the record disappears from lists and search but stays in the store and can be restored. */
  delete<K extends RecordKind>(kind: K, id: string): RecordOf<K> {
    return this.changeRecord(kind, id, (doc, _current, meta, stamp) => {
      if (meta.deletedAt) return [];
      writeMeta(doc, { deletedAt: stamp.at, deletedBy: stamp.author });
      return [{ field: '(deleted)', before: null, after: stamp.at }];
    });
  }

  restore<K extends RecordKind>(kind: K, id: string): RecordOf<K> {
    return this.changeRecord(kind, id, (doc, _current, meta) => {
      if (!meta.deletedAt) return [];
      writeMeta(doc, { deletedAt: null, deletedBy: null });
      return [{ field: '(restored)', before: meta.deletedAt, after: null }];
    });
  }

  /**
   * Apply a Yjs update made elsewhere: by the rich-text editor's replica of this doc
   * (`editor`) or by another device (`remote`). A malformed one is refused before anything
   * is stored, and the doc it was decoded into is dropped from memory.
   */
  applyUpdate(id: string, update: Uint8Array, source: Exclude<UpdateSource, 'local'>): AnyRecord {
    if (this.erasures.isErased(id)) throw new RpcError('not_found', 'this record was erased');
    let applied!: AppliedUpdate;
    try {
      applied = this.db.transaction(() => {
        const result = this.updates.apply(id, update, source);
        this.readModel.settle();
        return result;
      })();
    } catch (error) {
      this.docs.forget(id);
      throw error;
    }
    if (applied.stored && applied.kind) this.emit(applied.kind, id, applied.stored, source);
    if (applied.conflicts) this.conflicts.announce();
    if (!applied.kind) throw new RpcError('not_found', `record ${id} has no kind yet`);
    return applied.record ? this.records.present(applied.record) : (this.get(applied.kind, id) as AnyRecord);
  }

  /**
   * Apply a batch of peers' updates in one transaction, with `commit` (the sync cursor
   * advance) inside it: all of it is stored with its projections, or none. An update
   * that cannot be decoded is left out and reported; the rest still apply. `erasures` the
   * server sent with the batch are applied first; an update to an erased record is left out.
   * `prefetched`: a doc's reading made elsewhere from its update, taken if the doc is new
   * here (the sync client's second thread, sync/new-doc-reader.ts).
   */
  applyRemoteUpdates(
    updates: RemoteUpdate[],
    commit: () => void,
    erasures: Erasure[] = [],
    prefetched?: (update: Uint8Array) => NewDocRead | undefined,
  ): { id: string; reason: string }[] {
    const refused: { id: string; reason: string }[] = [];
    const applied: ({ id: string } & AppliedUpdate)[] = [];
    const erased: { kind: RecordKind; id: string }[] = [];
    // A lead's own erasure comes back in its next pull: applied again, it changes nothing and is not announced again.
    const newErasures: Erasure[] = [];
    try {
      // A first sync brings thousands of new docs at once: their projections are written
      // together (ReadModel.batch), as a bulk create writes them.
      this.db.transaction(() =>
        this.readModel.batch(() => {
          for (const erasure of erasures) {
            const scrubbed = this.scrub(erasure, true);
            erased.push(...scrubbed.records);
            if (scrubbed.isNew) newErasures.push(erasure);
          }
          // Each doc's updates in turn, in the order they came: a doc is hydrated and
          // projected once for all of its updates in the batch (docs do not depend on each
          // other; a pull of a colleague's offline work brings several updates to a doc).
          for (const [id, run] of groupBy(updates, (u) => u.id)) {
            if (this.erasures.isErased(id)) {
              refused.push(...run.map(() => ({ id, reason: 'this record was erased' })));
              continue;
            }
            // An update is refused (RpcError) before anything of it is written, so no savepoint is needed.
            for (const a of this.updates.applyRun(id, run, prefetched, (reason) => refused.push({ id, reason }))) applied.push({ id, ...a });
          }
          this.readModel.settle();
          commit();
        }),
      )();
    } catch (error) {
      this.docs.forgetAll();
      throw error;
    }
    if (newErasures.length || erased.length) this.afterErasure(erased, 'remote', newErasures);
    for (const a of applied) if (a.stored && a.kind) this.emit(a.kind, a.id, a.stored, 'remote');
    if (applied.some((a) => a.conflicts)) this.conflicts.announce();
    return refused;
  }

  /**
   * Erase records for good, in one transaction with `prepare` (a lead's own erasure rewrites
   * the records that name the person there, and returns the erasure): every row any table
   * holds of them goes (privacy/erasure.ts), their docs leave memory, their ids stay as
   * tombstones, and the WAL is emptied into the file so no old page keeps their bytes.
   * `sent` false: this device's own erasure, for the sync client to send.
   */
  erase(prepare: () => Erasure, sent: boolean): Erasure {
    let erasure!: Erasure;
    let erased: { kind: RecordKind; id: string }[] = [];
    this.transaction(() => {
      erasure = prepare();
      erased = this.scrub(erasure, sent).records;
      this.readModel.settle();
    });
    this.afterErasure(erased, 'local', [erasure]);
    return erasure;
  }

  /** Write a doc's state again as one snapshot: Yjs leaves out what was deleted from it (an erased person's id in a session). */
  reencodeDoc(id: string): void {
    this.docs.compact(id);
  }

  /** Inside a transaction: log the erasure, keep its tombstones, delete its records' rows. Returns the records that were here, and whether it is new here. */
  private scrub(erasure: Erasure, sent: boolean): { records: { kind: RecordKind; id: string }[]; isNew: boolean } {
    const records = erasure.recordIds.flatMap((id) => {
      const kind = this.docKind(id);
      return kind ? [{ kind, id }] : [];
    });
    for (const id of erasure.recordIds) this.docs.forget(id);
    return { records, isNew: applyErasure(this.db, this.erasures, erasure, sent) };
  }

  private afterErasure(erased: { kind: RecordKind; id: string }[], source: UpdateSource, erasures: Erasure[]): void {
    this.file.checkpointNow();
    for (const { kind, id } of erased) this.changes.emit({ kind, id, source });
    for (const erasure of erasures) this.erasedEvents.emit(erasure);
  }

  /**
   * Throw away every change of this device to a record that the sync server has not stored,
   * and hold the record as the server does (`state`: its stored updates merged; empty if it
   * never had the record, which then goes). `commit` (the sync client's bookkeeping) runs in
   * the same transaction. History keeps the discarded edits, followed by a line saying so.
   */
  revertToServer(id: string, state: Uint8Array, reason: string, commit: () => void): void {
    const doc = new Y.Doc({ guid: id });
    if (state.byteLength) Y.applyUpdate(doc, state);
    const kind = docKind(doc);
    const localKind = this.docKind(id);
    this.transaction(() => {
      this.docs.remove(id);
      if (isRecordKind(kind)) {
        this.docs.insert(id, kind, state, 'remote');
        this.readModel.project({ ...readMeta(id, doc), kind, data: readData(kind, doc) } as AnyRecord);
      } else this.readModel.remove(id);
      this.historyLog.markNeverSynced(id);
      this.historyLog.write(id, [{ field: '(change discarded)', before: null, after: reason }], this.writes.stamp());
      this.readModel.settle();
      commit();
    });
    doc.destroy();
    const shown = isRecordKind(kind) ? kind : localKind;
    if (shown) this.emit(shown, id, null, 'remote');
  }

  /** The encoded state of a record's doc (for an editor replica or a peer), optionally only what `stateVector` lacks. */
  docState(id: string, stateVector?: Uint8Array): Uint8Array {
    const state = this.docs.encodeState(id, stateVector);
    if (!state) throw new RpcError('not_found', `no record with id ${id}`);
    return state;
  }

  /** Which of these records have a doc stored here (one query for a batch). */
  storedAmong(ids: string[]): Set<string> {
    return this.docs.existing(ids);
  }

  /** Up to `limit` stored docs after the one stored as `rid`, in the order they were stored (sync's re-push walks them all). */
  docsAfter(rid: number, limit: number): { rid: number; id: string }[] {
    return this.docs.docsAfter(rid, limit);
  }

  /** Drop every projected row and derive them again from the stored docs alone. */
  rebuildProjections(): void {
    this.readModel.rebuild();
  }

  // ---------------------------------------------------------------- reads

  /** See RecordReads.resolveId. */
  resolveId(id: string): string {
    return this.records.resolveId(id);
  }

  get<K extends RecordKind>(kind: K, id: string): RecordOf<K> {
    const record = this.records.stored(id);
    if (!record || record.kind !== kind) throw new RpcError('not_found', `no ${kind} with id ${id}`, [{ field: 'id', message: `no ${kind} with this id` }]);
    return this.records.present(record) as RecordOf<K>;
  }

  /** `id` and every record merged into it (directly or through other merges). */
  aliasesOf(id: string): string[] {
    return this.records.aliasesOf(id);
  }

  info(): WorkspaceInfo {
    return { workspaceId: this.id, name: this.name, author: this.author, counts: this.records.activeCounts() };
  }

  list(query: ListQuery): ListResult {
    return this.queries.list(query);
  }

  connectionsOf(id: string): ConnectionView[] {
    return this.queries.connectionsOf(id);
  }

  search(query: SearchQuery): SearchHit[] {
    return this.queries.search(query);
  }

  /** Every change to the record, and to the records merged into it, newest first. */
  history(id: string): HistoryEntry[] {
    return this.historyLog.entries(this.aliasesOf(id));
  }

  actions(query: z.input<typeof ActionQuery>): { rows: ActionRow[]; total: number } {
    return this.queries.actions(query);
  }
}
