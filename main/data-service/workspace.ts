// A workspace: one SQLite file holding every record of one team's work as per-record
// Y.Docs (the truth) and the projection tables read by lists, search and reports.
// This is the only writer to that file.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { z } from 'zod';
import {
  CREATE_INPUT,
  DEFAULTS,
  KINDS,
  LIST_FILTER_SHAPE,
  PATCH_INPUT,
  RECORD_KINDS,
  referencesOf,
  type AnyRecord,
  type Author,
  type CreateInput,
  type DataOf,
  type ListFilter,
  type PatchInput,
  type RecordKind,
  type RecordMeta,
  type RecordOf,
} from '../../shared/domain';
import {
  ActionQuery,
  ListQuery,
  RpcError,
  SearchQuery,
  fromZodError,
  type ActionRow,
  type ConnectionView,
  type FieldIssue,
  type HistoryEntry,
  type ListResult,
  type ListRow,
  type SearchHit,
  type WorkspaceInfo,
} from '../../shared/rpc';
import { migrate } from './db/migrations';
import { openSqlite, type SqliteDatabase } from './db/sqlite';
import { DocStore } from './doc-store';
import { HybridLogicalClock } from './hlc';
import { Projection, type RecordStatus } from './projection';
import { diffData, docKind, readData, readMeta, readStamp, writeInitial, writeMeta, writePatch, writeStamp, type FieldChange, type Stamp } from './record-doc';
import { isRecordKind, sanitizeRecord } from './sync/sanitize';
import { beforeApply, ConflictInbox } from './team/conflicts';
import { Emitter } from '../../shared/emitter';
import { splitKey } from '../../shared/field-items';
import { foldText, prefixMatchExpression, searchTerms } from './text';
import { matchedField } from './search-snippet';
import { sessionSummaries } from './links';
import { presentData } from './kinds';

/** The list filters some kind offers, as against the date, title and status filters every list has. */
const LIST_FILTER_KEYS = new Set(Object.keys(LIST_FILTER_SHAPE));

export interface OpenOptions {
  /** Path of the workspace file; created with its schema if missing. ':memory:' for tests. */
  path: string;
  /** The person whose changes these will be. */
  author: Author;
  /** Name given to a new workspace. */
  name?: string;
  /**
   * `full` (default) syncs the WAL to disk on every commit, so a finished write survives
   * power loss too; `normal` survives a killed process but not a power cut.
   */
  durability?: 'full' | 'normal';
}

export type ChangeListener = (change: { kind: RecordKind; id: string; source: UpdateSource }) => void;
export type DocUpdateListener = (id: string, update: Uint8Array, source: UpdateSource) => void;
/** Where a change came from: this service's own write path, a rich-text editor replica, or a sync peer. */
export type UpdateSource = 'local' | 'editor' | 'remote';

interface AppliedUpdate {
  kind: RecordKind | null;
  /** What the update added to the stored doc; null if nothing (already known). */
  stored: Uint8Array | null;
  record: AnyRecord | null;
  /** Conflicts this update added to the inbox. */
  conflicts: number;
}

/** Yjs transaction origin of this service's own writes. */
const LOCAL = Symbol('local');
/** Largest update accepted from an editor replica or a peer. */
export const MAX_UPDATE_BYTES = 4 * 1024 * 1024;
/** Pages in the WAL past which SQLite checkpoints on its own, even while writes go on (~40 MB). */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** The WAL is checkpointed once no record has been written for this long. */
const CHECKPOINT_IDLE_MS = 1_000;
/** Rich-text edits by one author to one field within this window share a history entry. */
const HISTORY_COALESCE_MS = 5 * 60 * 1000;

interface RecordRow {
  id: string;
  kind: RecordKind;
  status: RecordStatus;
  data: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  deleted_by: string | null;
  merged_into: string | null;
}

function rowToRecord(row: RecordRow): AnyRecord {
  return {
    id: row.id,
    kind: row.kind,
    data: JSON.parse(row.data),
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by),
    updatedAt: row.updated_at,
    updatedBy: JSON.parse(row.updated_by),
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by ? JSON.parse(row.deleted_by) : null,
    mergedInto: row.merged_into,
  } as AnyRecord;
}

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, path: string[]): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, path);
  return result.data;
}

export class Workspace {
  readonly db: SqliteDatabase;
  readonly id: string;
  readonly name: string;
  readonly deviceId: string;
  readonly author: Author;
  readonly clock: HybridLogicalClock;
  private readonly docs: DocStore;
  private readonly projection: Projection;
  /** What sync settled without anyone choosing (see team/conflicts.ts). */
  readonly conflicts: ConflictInbox;
  private readonly changes = new Emitter<Parameters<ChangeListener>>();
  private readonly docUpdates = new Emitter<Parameters<DocUpdateListener>>();
  private readonly stmt;
  private lastWriteAt = 0;
  /** Records whose `mergedInto` a write changed, for settleMergeCycles. */
  private readonly mergeChanged = new Set<string>();
  private checkpointTimer: NodeJS.Timeout | null = null;

  private constructor(db: SqliteDatabase, author: Author, name: string | undefined) {
    this.db = db;
    this.author = author;
    this.id = this.metaValue('workspace_id', randomUUID);
    this.name = this.metaValue('workspace_name', () => name ?? 'My workspace');
    this.deviceId = this.metaValue('device_id', randomUUID);
    this.clock = new HybridLogicalClock(this.deviceId);
    this.docs = new DocStore(db);
    this.projection = new Projection(db);
    this.conflicts = new ConflictInbox(db);
    this.stmt = {
      recordById: db.prepare('SELECT * FROM records WHERE id = ?'),
      refById: db.prepare('SELECT kind, status, merged_into AS mergedInto FROM records WHERE id = ?'),
      insertHistory: db.prepare(
        'INSERT INTO history (record_id, field, before, after, author_id, author_name, hlc, kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // What recordMergedChange may extend: a kept change the lead has not marked reviewed yet.
      lastHistory: db.prepare(
        `SELECT h.id, h.author_id AS authorId, h.hlc, h.kept AND h.id > coalesce(m.up_to, 0) AS open FROM history h
         LEFT JOIN review_marks m ON m.record_id = h.record_id AND m.author_id = h.author_id
         WHERE h.record_id = ? AND h.field = ? ORDER BY h.id DESC LIMIT 1`,
      ),
      // An extended entry takes a new id (the old row goes): a lead marking the queue as it
      // was loaded marks up to the old id, and has not seen the edit folded in since.
      extendHistory: db.prepare(
        `INSERT INTO history (record_id, field, before, after, author_id, author_name, hlc, kept)
         SELECT record_id, field, before, @after, author_id, author_name, @hlc, kept FROM history WHERE id = @id`,
      ),
      deleteHistory: db.prepare('DELETE FROM history WHERE id = ?'),
      history: db.prepare('SELECT * FROM history WHERE record_id IN (SELECT value FROM json_each(?)) ORDER BY hlc DESC, id DESC LIMIT 1000'),
      titleById: db.prepare('SELECT kind, title FROM records WHERE id = ?'),
      mergedIntoById: db.prepare('SELECT merged_into AS mergedInto FROM records WHERE id = ?').pluck(),
      countByKind: db.prepare("SELECT kind, n FROM record_counts WHERE status = 'active'"),
      countOf: db.prepare('SELECT n FROM record_counts WHERE kind = @kind AND status = @status'),
      // Ordering by FTS5's own `rank` lets it sort the matches itself and hand them over best
      // first, so the LIMIT stops the scan.
      search: db.prepare(
        `SELECT r.id, r.kind, r.title, r.data
         FROM search_index JOIN records r ON r.rid = search_index.rowid
         WHERE search_index MATCH @match AND rank MATCH 'bm25(10.0, 1.0)'
           AND r.kind IN (SELECT value FROM json_each(@kinds))
         ORDER BY rank LIMIT @limit`,
      ),
    };
  }

  static open(options: OpenOptions): Workspace {
    const db = openSqlite(options.path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.pragma('busy_timeout = 5000');
      // 64 MB of page cache (the default is 2 MB): the reference workspace's id indexes
      // alone exceed 2 MB, so every write and lookup would otherwise re-read pages.
      db.pragma('cache_size = -65536');
      // A checkpoint copies the WAL into the database file, in the writer's thread. At
      // SQLite's default (every 1,000 pages, ~33 edits here) one edit in 33 paid for it; the
      // checkpoint now runs once writes pause (scheduleCheckpoint), and this larger bound only
      // keeps the WAL from growing without end during long bulk work (a first sync, an import).
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      migrate(db);
      return new Workspace(db, options.author, options.name);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    this.docs.forgetAll();
    if (this.db.open) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }

  private metaValue(key: string, initial: () => string): string {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    if (row) return row.value;
    const value = initial();
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, value);
    return value;
  }

  // ---------------------------------------------------------------- events

  onChange(listener: ChangeListener): () => void {
    return this.changes.on(listener);
  }

  /** Every Yjs update stored for any doc, from whatever source: editors and sync peers listen here. */
  onDocUpdate(listener: DocUpdateListener): () => void {
    return this.docUpdates.on(listener);
  }

  /** Checkpoint the WAL once writes pause (see WAL_AUTOCHECKPOINT_PAGES), off every edit's path. */
  private scheduleCheckpoint(): void {
    this.lastWriteAt = Date.now();
    if (this.checkpointTimer) return;
    const check = () => {
      const quietFor = Date.now() - this.lastWriteAt;
      if (quietFor < CHECKPOINT_IDLE_MS) {
        this.checkpointTimer = setTimeout(check, CHECKPOINT_IDLE_MS - quietFor).unref();
        return;
      }
      this.checkpointTimer = null;
      // PASSIVE: never waits for readers (a duplicate scan's connection); what it cannot copy now waits for the next one.
      if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
    };
    this.checkpointTimer = setTimeout(check, CHECKPOINT_IDLE_MS).unref();
  }

  private emit(kind: RecordKind, id: string, update: Uint8Array | null, source: UpdateSource): void {
    this.scheduleCheckpoint();
    if (update) this.docUpdates.emit(id, update, source);
    this.changes.emit({ kind, id, source });
  }

  // ---------------------------------------------------------------- writes

  private stamp(): Stamp {
    const hlc = this.clock.tick();
    return { author: this.author, hlc, at: new Date(Number(hlc.slice(0, 13))).toISOString() };
  }

  /** Run `fn` on the doc as one local Yjs transaction and return the update it produced. */
  private mutate(doc: Y.Doc, fn: () => void): Uint8Array | null {
    return captureUpdate(doc, () => doc.transact(fn, LOCAL));
  }

  /** `kept` false: peers' writes the record never held (see ConflictInbox.detect); `before` is the value it kept instead. */
  private writeHistory(recordId: string, changes: FieldChange[], stamp: Stamp, kept = true): void {
    for (const c of changes) {
      this.stmt.insertHistory.run(
        recordId,
        c.field,
        c.before === undefined ? null : JSON.stringify(c.before),
        c.after === undefined ? null : JSON.stringify(c.after),
        stamp.author.id,
        stamp.author.name,
        stamp.hlc,
        kept ? 1 : 0,
      );
    }
  }

  /** Every reference in `data` that `previous` did not already hold must name a live record of the right kind. */
  private checkReferences<K extends RecordKind>(kind: K, data: DataOf<K>, previous: DataOf<K> | null, selfId: string): void {
    const existing = new Set(previous ? referencesOf(kind, previous).map((r) => r.id) : []);
    const issues: FieldIssue[] = [];
    for (const ref of referencesOf(kind, data)) {
      if (existing.has(ref.id)) continue;
      const field = `data.${ref.field}`;
      if (ref.id === selfId) {
        issues.push({ field, message: 'a record cannot refer to itself' });
        continue;
      }
      const target = this.stmt.refById.get(ref.id) as { kind: RecordKind; status: RecordStatus; mergedInto: string | null } | undefined;
      const wanted = ref.kinds.join(' or ');
      if (!target || !ref.kinds.includes(target.kind)) issues.push({ field, message: `no ${wanted} with id ${ref.id}` });
      else if (target.status === 'deleted') issues.push({ field, message: `the ${target.kind} ${ref.id} is deleted` });
      else if (target.status === 'merged') {
        issues.push({ field, message: `the ${target.kind} ${ref.id} was merged into ${target.mergedInto}; use that record` });
      }
    }
    if (kind === 'connection') {
      const d = data as DataOf<'connection'>;
      if (d.fromId === d.toId) issues.push({ field: 'data.toId', message: 'a connection needs two different records' });
    }
    if (issues.length) throw RpcError.invalid(issues);
  }

  private validateCreate<K extends RecordKind>(kind: K, input: unknown): DataOf<K> {
    const parsed = parseOrThrow(CREATE_INPUT[kind], input, ['data']) as Partial<DataOf<K>>;
    return { ...DEFAULTS[kind], ...parsed } as DataOf<K>;
  }

  /** Build a new record's doc and store it with its projection. Returns the record. Caller holds the transaction. */
  private insertRecord<K extends RecordKind>(kind: K, id: string, data: DataOf<K>, keepInMemory: boolean): RecordOf<K> {
    if (this.docs.exists(id)) throw new RpcError('conflict', `a record with id ${id} already exists`, [{ field: 'id', message: 'is already used' }]);
    this.checkReferences(kind, data, null, id);
    const stamp = this.stamp();
    const meta: Omit<RecordMeta, 'id'> = {
      kind,
      createdAt: stamp.at,
      createdBy: stamp.author,
      updatedAt: stamp.at,
      updatedBy: stamp.author,
      deletedAt: null,
      deletedBy: null,
      mergedInto: null,
    };
    const doc = new Y.Doc({ guid: id });
    doc.transact(() => {
      writeMeta(doc, meta);
      writeInitial(kind, doc, data as Record<string, unknown>, stamp);
    }, LOCAL);
    const state = Y.encodeStateAsUpdate(doc);
    this.docs.insert(id, kind, state);
    const record = { id, ...meta, data: readData(kind, doc) } as RecordOf<K>;
    this.projection.write(record as AnyRecord, true);
    this.writeHistory(id, [{ field: '(created)', before: null, after: null }], stamp);
    if (keepInMemory) this.docs.remember(id, doc);
    else doc.destroy();
    return record;
  }

  create<K extends RecordKind>(kind: K, input: CreateInput<K>, options: { id?: string } = {}): RecordOf<K> {
    const data = this.validateCreate(kind, input);
    const id = options.id ?? randomUUID();
    let record: RecordOf<K>;
    try {
      record = this.db.transaction(() => this.insertRecord(kind, id, data, true))();
    } catch (error) {
      this.docs.forget(id);
      throw error;
    }
    this.emit(kind, id, null, 'local');
    return record;
  }

  /** Create many records of one kind in one transaction: all are stored, or none. */
  createMany<K extends RecordKind>(kind: K, inputs: { id?: string; data: CreateInput<K> }[]): string[] {
    const prepared = inputs.map((input, index) => {
      try {
        return { id: input.id ?? randomUUID(), data: this.validateCreate(kind, input.data) };
      } catch (error) {
        throw error instanceof RpcError ? prefixIssues(error, `${index}`) : error;
      }
    });
    this.db.transaction(() => {
      prepared.forEach(({ id, data }, index) => {
        try {
          this.insertRecord(kind, id, data, false);
        } catch (error) {
          throw error instanceof RpcError ? prefixIssues(error, `${index}`) : error;
        }
      });
    })();
    for (const { id } of prepared) this.emit(kind, id, null, 'local');
    return prepared.map((p) => p.id);
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
    apply: (doc: Y.Doc, current: DataOf<K>, meta: RecordMeta, stamp: Stamp) => FieldChange[],
  ): RecordOf<K> {
    const doc = this.loadDoc(kind, id);
    let update: Uint8Array | null = null;
    let record: RecordOf<K>;
    try {
      record = this.db.transaction(() => {
        const current = readData(kind, doc);
        const meta = readMeta(id, doc);
        const stamp = this.stamp();
        let changes: FieldChange[] = [];
        update = this.mutate(doc, () => {
          changes = apply(doc, current, meta, stamp);
          if (changes.length) writeMeta(doc, { updatedAt: stamp.at, updatedBy: stamp.author });
        });
        const next = { ...readMeta(id, doc), data: readData(kind, doc) } as RecordOf<K>;
        if (update && changes.length) {
          this.docs.append(id, update, { origin: 'local', authorId: stamp.author.id, hlc: stamp.hlc });
          this.project(next as AnyRecord);
          this.settleMergeCycles();
          this.writeHistory(id, changes, stamp);
        } else {
          update = null;
        }
        return next;
      })();
    } catch (error) {
      this.docs.forget(id);
      throw error;
    }
    if (update) this.emit(kind, id, update, 'local');
    return this.present(record);
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

  /** The kind of a stored record, or null if there is none. */
  docKind(id: string): RecordKind | null {
    const kind = this.docs.kindOf(id);
    return isRecordKind(kind) ? kind : null;
  }

  /** A record's title as lists show it ('(missing record)' if there is none). */
  titleOf(id: string): string {
    return (this.stmt.titleById.get(id) as { title: string } | undefined)?.title ?? '(missing record)';
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
      this.checkReferences(kind, { ...current, ...patch }, current, id);
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
    let applied!: AppliedUpdate;
    try {
      applied = this.db.transaction(() => {
        const result = this.applyOne(id, update, source);
        this.settleMergeCycles();
        return result;
      })();
    } catch (error) {
      this.docs.forget(id);
      throw error;
    }
    if (applied.stored && applied.kind) this.emit(applied.kind, id, applied.stored, source);
    if (applied.conflicts) this.conflicts.announce();
    if (!applied.kind) throw new RpcError('not_found', `record ${id} has no kind yet`);
    return applied.record ? this.present(applied.record) : (this.get(applied.kind, id) as AnyRecord);
  }

  /**
   * Apply a batch of peers' updates in one transaction, with `commit` (the sync cursor
   * advance) inside it: all of it is stored with its projections, or none. An update
   * that cannot be decoded is left out and reported; the rest still apply.
   */
  applyRemoteUpdates(updates: { id: string; update: Uint8Array }[], commit: () => void): { id: string; reason: string }[] {
    const refused: { id: string; reason: string }[] = [];
    const applied: ({ id: string } & AppliedUpdate)[] = [];
    try {
      this.db.transaction(() => {
        for (const { id, update } of updates) {
          try {
            // applyOne refuses an update (RpcError) before writing anything, so no savepoint is needed.
            applied.push({ id, ...this.applyOne(id, update, 'remote') });
          } catch (error) {
            if (!(error instanceof RpcError)) throw error;
            this.docs.forget(id);
            refused.push({ id, reason: error.message });
          }
        }
        this.settleMergeCycles();
        commit();
      })();
    } catch (error) {
      this.docs.forgetAll();
      throw error;
    }
    for (const a of applied) if (a.stored && a.kind) this.emit(a.kind, a.id, a.stored, 'remote');
    if (applied.some((a) => a.conflicts)) this.conflicts.announce();
    return refused;
  }

  /** The body of applyUpdate, inside the caller's transaction. A peer's update may create the doc. */
  private applyOne(id: string, update: Uint8Array, source: Exclude<UpdateSource, 'local'>): AppliedUpdate {
    if (update.byteLength > MAX_UPDATE_BYTES) {
      throw new RpcError('invalid', `update for ${id} is ${update.byteLength} bytes; the limit is ${MAX_UPDATE_BYTES}`);
    }
    const existing = this.docs.load(id);
    if (!existing && source !== 'remote') throw new RpcError('not_found', `no record with id ${id}`);
    const storedKind = existing ? this.docs.kindOf(id) : null;
    if (source === 'editor' && !storedKind) throw new RpcError('not_found', `record ${id} has no kind yet`);
    const doc = existing ?? new Y.Doc({ guid: id });
    const before = storedKind ? (readData(storedKind, doc) as Record<string, unknown>) : null;
    // A peer's write to a record this device already has may conflict with one made here.
    const watched = before && source === 'remote' ? beforeApply(doc, before) : null;
    const stamp = this.stamp();
    let stored: Uint8Array | null;
    // Decoded once, straight into the doc: if that fails, a new doc is dropped and a stored
    // one is forgotten by the caller (reloaded from storage next time), so nothing of it stays.
    // All of a new doc's update is new to it: no update event to encode, and it is the snapshot.
    try {
      stored = existing ? captureUpdate(doc, () => Y.applyUpdate(doc, update, source)) : (Y.applyUpdate(doc, update, source), update);
    } catch (error) {
      throw new RpcError('invalid', `update for ${id} could not be decoded: ${(error as Error).message}`);
    }
    // An update whose dependencies have not arrived yet waits inside the doc without an
    // update event; store it anyway, or a restart would lose it.
    if (!stored && (doc.store.pendingStructs || doc.store.pendingDs)) stored = update;
    // Only a doc's creation says what kind it is; a later claim to another kind is ignored.
    const learned = isRecordKind(docKind(doc)) ? docKind(doc) : null;
    const kind = storedKind ?? learned;
    // A peer's new doc is not kept in memory: it is rarely edited here next, and keeping
    // thousands alive through a first sync made garbage collection its largest cost.
    if (!existing) this.docs.insert(id, kind ?? '', update, 'remote');
    else if (!storedKind && kind) this.docs.setKind(id, kind);
    if (!kind) return { kind: null, stored, record: null, conflicts: 0 };
    if (!stored) return { kind, stored, record: null, conflicts: 0 };
    let after = readData(kind, doc) as Record<string, unknown>;
    const changes = before ? diffData(kind, before, after) : [];
    if (source === 'editor' && changes.length) {
      // The editor only changes rich text; this service keeps meta current for it.
      const metaUpdate = this.mutate(doc, () => {
        for (const c of changes) writeStamp(doc, c.field, stamp);
        writeMeta(doc, { updatedAt: stamp.at, updatedBy: stamp.author });
      });
      if (metaUpdate) stored = Y.mergeUpdates([stored, metaUpdate]);
      after = readData(kind, doc) as Record<string, unknown>;
    }
    if (existing) {
      this.docs.append(id, stored, { origin: source === 'remote' ? 'remote' : 'local', authorId: stamp.author.id, hlc: stamp.hlc });
    }
    const record = { ...readMeta(id, doc), kind, data: after } as AnyRecord;
    this.project(record, !existing);
    if (!before) this.writeHistory(id, [{ field: '(created)', before: null, after: null }], { ...stamp, author: record.createdBy });
    for (const c of changes) {
      const by = source === 'remote' ? (readStamp(doc, c.field) ?? stamp) : stamp;
      this.recordMergedChange(id, c, by);
    }
    const found = watched ? this.conflicts.detect(id, kind, doc, watched, after, update, stamp.at) : null;
    // A write that lost a conflict changed nothing here, yet it is a change its author made.
    for (const lost of found?.notKept ?? []) this.writeHistory(id, [{ field: lost.field, before: after[lost.field], after: lost.value }], lost.stamp, false);
    return { kind, stored, record, conflicts: found?.conflicts ?? 0 };
  }

  /** Write a record's projection from its doc's data; data the schema refuses never reaches it (see sanitize.ts). */
  private project(record: AnyRecord, isNew = false, status?: RecordStatus): void {
    const clean = sanitizeRecord(record.kind, record, record.data as Record<string, unknown>);
    if (clean) {
      if (this.projection.write(clean, isNew, status) !== clean.mergedInto) this.mergeChanged.add(record.id);
    } else if (!isNew) this.projection.remove(record.id);
  }

  /**
   * Two leads merging records into each other offline make a cycle (A into B, B into A):
   * every member's doc says merged, so all would vanish from lists. The member resolveId
   * names for the cycle (its smallest id, the same on every device) is shown as active
   * instead, until an unmerge breaks the cycle. Run inside the transaction of any write that
   * changed whose `mergedInto` is what; the projection stays derived from the docs alone.
   */
  private settleMergeCycles(): void {
    if (!this.mergeChanged.size) return;
    const affected = new Set<string>();
    const mergedInto = (id: string) => (this.stmt.mergedIntoById.get(id) as string | null | undefined) ?? null;
    for (const id of this.mergeChanged) {
      // Whatever chains into it, and whatever it chains into, up to the end or round a cycle.
      for (const alias of this.aliasesOf(id)) affected.add(alias);
      for (let next = mergedInto(id); next && !affected.has(next); next = mergedInto(next)) affected.add(next);
    }
    this.mergeChanged.clear();
    for (const id of affected) {
      const row = this.stmt.refById.get(id) as { status: RecordStatus; mergedInto: string | null } | undefined;
      if (!row?.mergedInto) continue;
      const standsForCycle = this.resolveId(id) === id;
      if (standsForCycle === (row.status === 'active')) continue;
      const kind = this.docs.kindOf(id);
      const doc = kind ? this.docs.load(id) : null;
      if (!kind || !doc) continue;
      this.project({ ...readMeta(id, doc), kind, data: readData(kind, doc) } as AnyRecord, false, standsForCycle ? 'active' : 'merged');
    }
  }

  /**
   * History for edits not made through `update`: consecutive edits by one author to one
   * field (or one item) share an entry, unless the lead has marked it reviewed (the review
   * queue lists history ids past the mark, so an edit folded into a reviewed entry would
   * never show); adding or removing a member or an item is an entry of its own.
   */
  private recordMergedChange(id: string, change: FieldChange, by: Stamp): void {
    const addsOrRemoves = splitKey(change.field).item !== null && (change.before === null || change.after === null);
    const last = addsOrRemoves
      ? undefined
      : (this.stmt.lastHistory.get(id, change.field) as { id: number; authorId: string; hlc: string; open: number } | undefined);
    const recent =
      last?.open && last.authorId === by.author.id && Number(by.hlc.slice(0, 13)) - Number(last.hlc.slice(0, 13)) < HISTORY_COALESCE_MS;
    if (recent) {
      this.stmt.extendHistory.run({ after: JSON.stringify(change.after), hlc: by.hlc, id: last.id });
      this.stmt.deleteHistory.run(last.id);
    } else this.writeHistory(id, [change], by);
  }

  /** The encoded state of a record's doc (for an editor replica or a peer), optionally only what `stateVector` lacks. */
  docState(id: string, stateVector?: Uint8Array): Uint8Array {
    const state = this.docs.encodeState(id, stateVector);
    if (!state) throw new RpcError('not_found', `no record with id ${id}`);
    return state;
  }

  /** Drop every projected row and derive them again from the stored docs alone. */
  rebuildProjections(): void {
    this.docs.forgetAll();
    this.db.transaction(() => {
      this.projection.clear();
      for (const { id } of [...this.docs.allDocs()]) {
        const doc = this.docs.load(id)!;
        const kind = this.docs.kindOf(id);
        if (kind) this.project({ ...readMeta(id, doc), kind, data: readData(kind, doc) } as AnyRecord, true);
        this.docs.forget(id);
      }
      this.settleMergeCycles();
    })();
  }

  // ---------------------------------------------------------------- reads

  /**
   * The record that stands for `id` now: itself, or the survivor it was merged into
   * (following merges of merges). References keep the id they were written with, so an
   * unmerge needs no rewrite; every read resolves them through here. Two leads merging
   * records into each other offline make a cycle: its smallest id stands for all of it,
   * the same on every device.
   */
  resolveId(id: string): string {
    const seen: string[] = [];
    let current = id;
    for (;;) {
      const next = this.stmt.mergedIntoById.get(current) as string | null | undefined;
      if (!next) return current;
      seen.push(current);
      const cycleStart = seen.indexOf(next);
      if (cycleStart >= 0) return seen.slice(cycleStart).sort()[0]!;
      current = next;
    }
  }

  get<K extends RecordKind>(kind: K, id: string): RecordOf<K> {
    const row = this.stmt.recordById.get(id) as RecordRow | undefined;
    if (!row || row.kind !== kind) throw new RpcError('not_found', `no ${kind} with id ${id}`, [{ field: 'id', message: `no ${kind} with this id` }]);
    return this.present(rowToRecord(row)) as RecordOf<K>;
  }

  /** A record as readers see it: references to merged-away records point at their survivors. */
  private present<R extends AnyRecord>(record: R): R {
    const data = presentData(record.kind, record.data, (id) => this.resolveId(id));
    return data === record.data ? record : { ...record, data };
  }

  /** `id` and every record merged into it (directly or through other merges). */
  aliasesOf(id: string): string[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE aliases(id) AS (SELECT @id UNION SELECT r.id FROM records r JOIN aliases a ON r.merged_into = a.id)
         SELECT id FROM aliases`,
      )
      .pluck()
      .all({ id }) as string[];
    return rows;
  }

  info(): WorkspaceInfo {
    const counts = Object.fromEntries(RECORD_KINDS.map((k) => [k, 0])) as Record<RecordKind, number>;
    for (const { kind, n } of this.stmt.countByKind.all() as { kind: RecordKind; n: number }[]) counts[kind] = n;
    return { workspaceId: this.id, name: this.name, author: this.author, counts };
  }

  list(queryInput: ListQuery): ListResult {
    const q = parseOrThrow(ListQuery, queryInput, []);
    const where: string[] = ['r.kind = @kind', 'r.status = @status'];
    const f = q.filter;
    const params: Record<string, unknown> = { kind: q.kind, status: f.status };
    // A filter the kind does not offer (KindDescription.filters) matches none of its records.
    for (const [key, value] of Object.entries(f)) {
      if (!LIST_FILTER_KEYS.has(key) || value === undefined) continue;
      const filter = (KINDS[q.kind].filters as Readonly<Record<string, ListFilter>>)[key];
      if (!filter) {
        where.push('0');
        continue;
      }
      where.push(filter.on === 'category' ? `r.category = @${key}` : `r.id IN (SELECT record_id FROM record_facets WHERE facet = '${filter.facet}' AND value = @${key})`);
      params[key] = value;
    }
    const dateExpr = KINDS[q.kind].date ? 'r.date' : 'r.updated_at';
    if (f.from) {
      where.push(`${dateExpr} >= @from`);
      params.from = f.from;
    }
    if (f.to) {
      where.push(`${dateExpr} < @toExclusive`);
      params.toExclusive = nextDay(f.to);
    }
    if (f.titlePrefix) {
      const prefix = foldText(f.titlePrefix);
      where.push('r.sort_key >= @prefix AND r.sort_key < @prefixEnd');
      params.prefix = prefix;
      // The highest code point: U+FFFF would sort below titles whose next character is an emoji.
      params.prefixEnd = prefix + '\u{10ffff}';
    }
    const sortColumn = { title: 'r.sort_key', createdAt: 'r.created_at', updatedAt: 'r.updated_at', date: dateExpr }[q.sort.field];
    const direction = q.sort.direction === 'desc' ? 'DESC' : 'ASC';
    const whereSql = where.join(' AND ');
    const rows = this.db
      .prepare(
        `SELECT r.id, r.kind, r.title, r.subtitle, r.badges, r.date, r.updated_at, r.deleted_at, r.data FROM records r
         WHERE ${whereSql} ORDER BY ${sortColumn} ${direction}, r.id ${direction} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as {
      id: string;
      kind: RecordKind;
      title: string;
      subtitle: string;
      badges: string;
      date: string | null;
      updated_at: string;
      deleted_at: string | null;
      data: string;
    }[];
    // Unfiltered (kind and status only), the total is kept by the projection: no scan.
    const total =
      where.length === 2
        ? ((this.stmt.countOf.get(params) as { n: number } | undefined)?.n ?? 0)
        : (this.db.prepare(`SELECT count(*) AS n FROM records r WHERE ${whereSql}`).get(params) as { n: number }).n;
    const summaries = q.kind === 'session' ? sessionSummaries(this, rows.map((r) => JSON.parse(r.data))) : null;
    return {
      total,
      rows: rows.map((r, i): ListRow => ({
        id: r.id,
        kind: r.kind,
        title: r.kind === 'connection' ? this.connectionTitle(JSON.parse(r.data), r.title) : r.title,
        subtitle: r.subtitle,
        badges: JSON.parse(r.badges),
        date: r.date,
        updatedAt: r.updated_at,
        deletedAt: r.deleted_at,
        ...(summaries && { session: summaries[i]! }),
      })),
    };
  }

  private endpoint(written: string): { id: string; kind: RecordKind; title: string } {
    const id = this.resolveId(written);
    const row = this.stmt.titleById.get(id) as { kind: RecordKind; title: string } | undefined;
    return { id, kind: row?.kind ?? 'contact', title: row?.title ?? '(missing record)' };
  }

  private connectionTitle(data: DataOf<'connection'>, kindLabel: string): string {
    return `${this.endpoint(data.fromId).title} — ${kindLabel} — ${this.endpoint(data.toId).title}`;
  }

  /** Connections with this record (or one merged into it) at either end. */
  connectionsOf(id: string): ConnectionView[] {
    const aliases = JSON.stringify(this.aliasesOf(id));
    const rows = this.db
      .prepare(
        `SELECT c.id, c.kind, c.date, r.data FROM connections c JOIN records r ON r.id = c.id
         WHERE c.from_id IN (SELECT value FROM json_each(@aliases)) OR c.to_id IN (SELECT value FROM json_each(@aliases))
         ORDER BY c.date DESC, c.id`,
      )
      .all({ aliases }) as { id: string; kind: string; date: string | null; data: string }[];
    return rows.map((row) => {
      const data = JSON.parse(row.data) as DataOf<'connection'>;
      return { id: row.id, kind: row.kind, date: row.date, note: data.note, from: this.endpoint(data.fromId), to: this.endpoint(data.toId) };
    });
  }

  search(queryInput: SearchQuery): SearchHit[] {
    const q = parseOrThrow(SearchQuery, queryInput, []);
    const match = prefixMatchExpression(q.text);
    if (!match) return [];
    const terms = searchTerms(q.text);
    const kinds = q.kinds?.length ? q.kinds : RECORD_KINDS;
    // The matched field is found for the returned rows only.
    const rows = this.stmt.search.all({ match, kinds: JSON.stringify(kinds), limit: q.limit }) as {
      id: string;
      kind: RecordKind;
      title: string;
      data: string;
    }[];
    return rows.map((row) => {
      const data = JSON.parse(row.data);
      return {
        id: row.id,
        kind: row.kind,
        title: row.kind === 'connection' ? this.connectionTitle(data, row.title) : row.title,
        snippet: matchedField(row.kind, data, row.title, terms),
      };
    });
  }

  /** Every change to the record, and to the records merged into it, newest first. */
  history(id: string): HistoryEntry[] {
    const rows = this.stmt.history.all(JSON.stringify(this.aliasesOf(id))) as {
      id: number;
      record_id: string;
      field: string;
      before: string | null;
      after: string | null;
      author_id: string;
      author_name: string;
      hlc: string;
      kept: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      recordId: r.record_id,
      field: r.field,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
      author: { id: r.author_id, name: r.author_name },
      hlc: r.hlc,
      at: new Date(Number(r.hlc.slice(0, 13))).toISOString(),
      kept: r.kept === 1,
    }));
  }

  actions(queryInput: z.input<typeof ActionQuery>): { rows: ActionRow[]; total: number } {
    const q = parseOrThrow(ActionQuery, queryInput, []);
    const where = ["s.status = 'active'"];
    if (q.status === 'open') where.push("a.status IN ('open', 'in-progress')");
    if (q.status === 'overdue') where.push("a.status IN ('open', 'in-progress') AND a.due_date < @today");
    if (q.status === 'done') where.push("a.status = 'done'");
    if (q.ownerId) where.push('a.owner_id IN (SELECT value FROM json_each(@owners))');
    const whereSql = where.join(' AND ');
    const params = { today: q.today, owners: q.ownerId ? JSON.stringify(this.aliasesOf(q.ownerId)) : null };
    const rows = this.db
      .prepare(
        `SELECT a.session_id AS sessionId, s.title AS sessionTitle, s.date AS sessionStartsAt, a.action_id AS actionId,
                a.text, coalesce(w.merged_into, a.owner_id) AS ownerId, o.title AS ownerName, a.due_date AS dueDate, a.status
         FROM session_actions a JOIN records s ON s.id = a.session_id
         LEFT JOIN records w ON w.id = a.owner_id LEFT JOIN records o ON o.id = coalesce(w.merged_into, a.owner_id)
         WHERE ${whereSql}
         ORDER BY a.due_date IS NULL, a.due_date, s.date, a.position LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: q.limit, offset: q.offset }) as ActionRow[];
    const { total } = this.db
      .prepare(`SELECT count(*) AS total FROM session_actions a JOIN records s ON s.id = a.session_id WHERE ${whereSql}`)
      .get(params) as { total: number };
    return { rows, total };
  }
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function prefixIssues(error: RpcError, index: string): RpcError {
  return new RpcError(
    error.code,
    `record ${index}: ${error.message}`,
    error.issues.map((i) => ({ ...i, field: `${index}.${i.field}` })),
  );
}

/** The update a function's changes to `doc` produce (however they are made). */
function captureUpdate(doc: Y.Doc, fn: () => void): Uint8Array | null {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array) => updates.push(update);
  doc.on('update', collect);
  try {
    fn();
  } finally {
    doc.off('update', collect);
  }
  if (updates.length === 0) return null;
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}
