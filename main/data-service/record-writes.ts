// A local change to records, inside the caller's transaction: input validated against the
// schema and its references, the record's doc changed as one stamped Yjs transaction, and
// the doc, its projection and its history stored together. Workspace holds the transaction
// and announces the change once it has committed.
import * as Y from 'yjs';
import {
  CREATE_INPUT,
  DEFAULTS,
  referencesOf,
  type AnyRecord,
  type Author,
  type DataOf,
  type RecordKind,
  type RecordMeta,
  type RecordOf,
} from '../../shared/domain';
import { RpcError, type FieldIssue } from '../../shared/rpc';
import type { DocStore } from './doc-store';
import type { HistoryLog } from './history';
import type { HybridLogicalClock } from './hlc';
import { parseOrThrow } from './parse';
import type { RecordReads, ReferenceTarget } from './read/records';
import type { ReadModel } from './read-model';
import { readData, readMeta, writeInitial, writeMeta, type FieldChange, type Stamp, type WriteStamp } from './record-doc';
import { encodeNewDoc } from './new-doc';
import type { ConflictInbox } from './team/conflicts';

/** Yjs transaction origin of this service's own writes. */
const LOCAL = Symbol('local');

/** The parts a write touches. */
export interface WriteParts {
  author: Author;
  clock: HybridLogicalClock;
  docs: DocStore;
  readModel: ReadModel;
  records: RecordReads;
  history: HistoryLog;
  conflicts: ConflictInbox;
}

/** A change to a record's doc: returns what it changed, field by field (nothing: no write). */
export type ChangeRecord<K extends RecordKind> = (doc: Y.Doc, current: DataOf<K>, meta: RecordMeta, stamp: WriteStamp) => FieldChange[];

export class RecordWrites {
  constructor(private readonly parts: WriteParts) {}

  stamp(): Stamp {
    const hlc = this.parts.clock.tick();
    return { author: this.parts.author, hlc, at: new Date(Number(hlc.slice(0, 13))).toISOString() };
  }

  /** Run `fn` on the doc as one local Yjs transaction and return the update it produced. */
  mutate(doc: Y.Doc, fn: () => void): Uint8Array | null {
    return captureUpdate(doc, () => doc.transact(fn, LOCAL));
  }

  /**
   * Every reference in `data` that `previous` did not already hold must name a live record
   * of the right kind. `lookup` finds a record (a bulk write passes the records it read in one query).
   */
  checkReferences<K extends RecordKind>(
    kind: K,
    data: DataOf<K>,
    previous: DataOf<K> | null,
    selfId: string,
    lookup: (id: string) => ReferenceTarget | undefined = (id) => this.parts.records.brief(id),
  ): void {
    const existing = new Set(previous ? referencesOf(kind, previous).map((r) => r.id) : []);
    const issues: FieldIssue[] = [];
    for (const ref of referencesOf(kind, data)) {
      if (existing.has(ref.id)) continue;
      const field = `data.${ref.field}`;
      if (ref.id === selfId) {
        issues.push({ field, message: 'a record cannot refer to itself' });
        continue;
      }
      const target = lookup(ref.id);
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

  validateCreate<K extends RecordKind>(kind: K, input: unknown): DataOf<K> {
    const parsed = parseOrThrow(CREATE_INPUT[kind], input, ['data']) as Partial<DataOf<K>>;
    return { ...DEFAULTS[kind], ...parsed } as DataOf<K>;
  }

  /** Build a new record's doc and store it with its projection. Returns the record. */
  insert<K extends RecordKind>(kind: K, id: string, data: DataOf<K>, keepInMemory: boolean): RecordOf<K> {
    if (this.parts.docs.exists(id)) throw alreadyUsed(id);
    this.checkReferences(kind, data, null, id);
    const stamp = this.stamp();
    const meta = newMeta(kind, stamp);
    const doc = new Y.Doc({ guid: id });
    doc.transact(() => {
      writeMeta(doc, meta);
      writeInitial(kind, doc, data as Record<string, unknown>, stamp);
    }, LOCAL);
    const record = this.store(id, meta, stamp, Y.encodeStateAsUpdate(doc), readData(kind, doc));
    if (keepInMemory) this.parts.docs.remember(id, doc);
    else doc.destroy();
    return record;
  }

  /**
   * Store many new records of one kind, inside the caller's transaction, with their
   * projections written together at the end (ReadModel.batch). The same checks, doc,
   * history and outbox row per record as `insert`; the records they refer to are read in one query.
   * `drafts[i]` failing names `i` in the error (its field paths start with it).
   */
  insertMany<K extends RecordKind>(kind: K, drafts: { id: string; data: DataOf<K> }[], firstIndex = 0): void {
    const targets = this.parts.records.referenceTargets(new Set(drafts.flatMap((d) => referencesOf(kind, d.data).map((r) => r.id))));
    const lookup = (id: string) => targets.get(id);
    const taken = this.parts.docs.existing(drafts.map((d) => d.id));
    const seen = new Set<string>();
    this.parts.readModel.batch(() => {
      drafts.forEach(({ id, data }, i) => {
        try {
          if (taken.has(id) || seen.has(id)) throw alreadyUsed(id);
          seen.add(id);
          this.checkReferences(kind, data, null, id, lookup);
          // The doc one `insert` builds, written straight to its bytes (new-doc.ts): building it item by item cost over a quarter of the time.
          const stamp = this.stamp();
          const meta = newMeta(kind, stamp);
          const doc = encodeNewDoc(kind, meta, data as Record<string, unknown>, stamp);
          this.store(id, meta, stamp, doc.update, doc.data);
        } catch (error) {
          throw error instanceof RpcError ? prefixIssues(error, firstIndex + i) : error;
        }
      });
    });
  }

  /** A new record's doc, encoded once: stored as its snapshot and queued for sync, with its projection and its '(created)' history line. */
  private store<K extends RecordKind>(id: string, meta: NewMeta<K>, stamp: Stamp, update: Uint8Array, data: unknown): RecordOf<K> {
    this.parts.docs.insert(id, meta.kind, update);
    const record = { id, ...meta, data } as RecordOf<K>;
    this.parts.readModel.projectValidated(record as AnyRecord, true);
    this.parts.history.write(id, [{ field: '(created)', before: null, after: null }], stamp, { local: true });
    return record;
  }

  /** Apply `apply` to the record's live doc and store the update, projection and history. Returns the record and the update (null: nothing changed). */
  change<K extends RecordKind>(kind: K, id: string, doc: Y.Doc, apply: ChangeRecord<K>): { record: RecordOf<K>; update: Uint8Array | null } {
    const current = readData(kind, doc);
    const meta = readMeta(id, doc);
    // A write replaces the values that lost a conflict here too: it is not concurrent with them.
    const stamp: WriteStamp = { ...this.stamp(), alsoReplaces: (key) => this.parts.conflicts.takeLosingHeads(id, key) };
    let changes: FieldChange[] = [];
    let update = this.mutate(doc, () => {
      changes = apply(doc, current, meta, stamp);
      if (changes.length) writeMeta(doc, { updatedAt: stamp.at, updatedBy: stamp.author });
    });
    const record = { ...readMeta(id, doc), data: readData(kind, doc) } as RecordOf<K>;
    if (update && changes.length) {
      this.parts.docs.append(id, update, { origin: 'local', authorId: stamp.author.id, hlc: stamp.hlc });
      this.parts.readModel.project(record as AnyRecord);
      this.parts.readModel.settle();
      this.parts.history.write(id, changes, stamp, { local: true });
    } else {
      update = null;
    }
    return { record, update };
  }
}

type NewMeta<K extends RecordKind> = Omit<RecordMeta, 'id'> & { kind: K };

function newMeta<K extends RecordKind>(kind: K, stamp: Stamp): NewMeta<K> {
  return {
    kind,
    createdAt: stamp.at,
    createdBy: stamp.author,
    updatedAt: stamp.at,
    updatedBy: stamp.author,
    deletedAt: null,
    deletedBy: null,
    mergedInto: null,
  };
}

function alreadyUsed(id: string): RpcError {
  return new RpcError('conflict', `a record with id ${id} already exists`, [{ field: 'id', message: 'is already used' }]);
}

/** An error about one of many records, its message and field paths naming which (by its index). */
export function prefixIssues(error: RpcError, index: number): RpcError {
  return new RpcError(
    error.code,
    `record ${index}: ${error.message}`,
    error.issues.map((i) => ({ ...i, field: `${index}.${i.field}` })),
  );
}

/** The update a function's changes to `doc` produce (however they are made). */
export function captureUpdate(doc: Y.Doc, fn: () => void): Uint8Array | null {
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
