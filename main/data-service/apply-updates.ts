// Applying a Yjs update made elsewhere to a record's doc, inside the caller's transaction:
// by a rich-text editor's replica of the doc (`editor`) or by another device (`remote`).
// A malformed update is refused before anything is stored; what it changed is stored with
// its projection and history, field by field under each write's own author, and a peer's
// writes that conflict with this device's go to the conflict inbox (team/conflicts.ts).
import * as Y from 'yjs';
import type { AnyRecord, Author, RecordKind } from '../../shared/domain';
import { RpcError } from '../../shared/rpc';
import { changedFields, changedRoots, rereadFields, stateVectorOf } from '../../shared/record-layout';
import { diffData, docKind, readData, readMeta, readStamp, writeMeta, writeStamp, type Stamp } from './record-doc';
import { captureUpdate, type RecordWrites, type WriteParts } from './record-writes';
import { readNewDoc, type NewDocRead } from './sync/read-new-doc';
import { isRecordKind } from './sync/sanitize';
import { beforeApply, writesAdded, type ConflictInbox, type Write } from './team/conflicts';
import type { UpdateSource } from './workspace';

/** Largest update accepted from an editor replica or a peer. */
export const MAX_UPDATE_BYTES = 4 * 1024 * 1024;

export interface AppliedUpdate {
  kind: RecordKind | null;
  /** What the update added to the stored doc; null if nothing (already known). */
  stored: Uint8Array | null;
  /** The record as projected; null if nothing changed, or its projection waited for a later update (UpdateApplier.applyRun). */
  record: AnyRecord | null;
  /** Conflicts this update added to the inbox. */
  conflicts: number;
}

/** A doc hydrated for a run of updates to it, with its kind and its data as the last of them left it. */
interface OpenDoc {
  doc: Y.Doc;
  kind: RecordKind | null;
  data: Record<string, unknown> | null;
}

/** What the projection has still to be told of a doc: the fields its updates touched, or everything. */
type Owed = Set<string> | 'all';

/** Both of what was owed and what is owed now. */
function owing(owed: Owed | null, more: Owed | null): Owed | null {
  if (owed === 'all' || more === 'all') return 'all';
  if (!owed || !more) return owed ?? more;
  for (const field of more) owed.add(field);
  return owed;
}

/** One peer's update of a run to one doc (Workspace.applyRemoteUpdates). */
export interface PeerUpdate {
  update: Uint8Array;
  author?: Author | null;
}

export class UpdateApplier {
  constructor(
    private readonly parts: WriteParts & { conflicts: ConflictInbox },
    private readonly writes: RecordWrites,
  ) {}

  /**
   * Apply one update; a peer's update may create the doc. `attested`: who the sync server
   * says pushed it, which history and the conflict inbox name instead of whatever the
   * update's stamps claim. `prefetched`: the doc's reading made elsewhere (on the sync
   * client's second thread), asked for only if the doc is new here.
   */
  apply(
    id: string,
    update: Uint8Array,
    source: Exclude<UpdateSource, 'local'>,
    attested: Author | null = null,
    prefetched?: () => NewDocRead | undefined,
  ): AppliedUpdate {
    const step = this.applyTo(id, null, update, source, attested, prefetched);
    const record = step.owed && step.open ? this.project(id, step.open, step.owed) : step.applied.record;
    return { ...step.applied, record };
  }

  /**
   * A peer's updates to one doc, in order, as `apply` would apply them one by one: the doc is
   * hydrated and read once for all of them, not once each, and projected once, after the
   * last. An update that cannot be decoded is refused (`refuse`, with the reason) and the
   * others still apply; what it half-applied in memory is dropped, and the doc read again.
   */
  applyRun(id: string, updates: readonly PeerUpdate[], prefetched: ((update: Uint8Array) => NewDocRead | undefined) | undefined, refuse: (reason: string) => void): AppliedUpdate[] {
    const applied: AppliedUpdate[] = [];
    let open: OpenDoc | null = null;
    let owed: Owed | null = null;
    for (const { update, author } of updates) {
      try {
        const step = this.applyTo(id, open, update, 'remote', author ?? null, prefetched && (() => prefetched(update)));
        applied.push(step.applied);
        open = step.open;
        owed = owing(owed, step.owed);
      } catch (error) {
        if (!(error instanceof RpcError)) throw error;
        this.parts.docs.forget(id);
        open = null;
        refuse(error.message);
      }
    }
    if (owed) {
      // After a refused update the doc is read again as stored, with what the others added.
      open ??= this.reopen(id);
      if (open) this.project(id, open, owed);
    }
    return applied;
  }

  /** A doc as stored, for a projection owed after a refused update dropped it from memory. */
  private reopen(id: string): OpenDoc | null {
    const doc = this.parts.docs.load(id, false);
    const kind = this.parts.docs.kindOf(id);
    return doc && kind ? { doc, kind, data: readData(kind, doc) as Record<string, unknown> } : null;
  }

  /** Write a doc's projection from its data as the last update left it: only the `owed` fields can differ. */
  private project(id: string, { doc, kind, data }: OpenDoc, owed: Owed): AnyRecord {
    const record = { ...readMeta(id, doc), kind, data } as AnyRecord;
    if (owed === 'all') this.parts.readModel.project(record);
    else this.parts.readModel.projectChanged(record, [...owed]);
    return record;
  }

  /**
   * Apply one update to the doc (`open`: hydrated already, as the update before left it),
   * storing it with its history and conflicts; its projection is left to the caller
   * (`owed`). Returns the doc as the update left it, for the next one.
   */
  private applyTo(
    id: string,
    open: OpenDoc | null,
    update: Uint8Array,
    source: Exclude<UpdateSource, 'local'>,
    attested: Author | null,
    prefetched?: () => NewDocRead | undefined,
  ): { applied: AppliedUpdate; open: OpenDoc | null; owed: Owed | null } {
    if (update.byteLength > MAX_UPDATE_BYTES) {
      throw new RpcError('invalid', `update for ${id} is ${update.byteLength} bytes; the limit is ${MAX_UPDATE_BYTES}`);
    }
    const doc = open?.doc ?? this.parts.docs.load(id, source !== 'remote');
    if (!doc && source !== 'remote') throw new RpcError('not_found', `no record with id ${id}`);
    if (!doc) return { applied: this.applyNew(id, update, attested, prefetched?.() ?? readNewDoc(id, update)), open: null, owed: null };
    const storedKind = open ? open.kind : this.parts.docs.kindOf(id);
    if (source === 'editor' && !storedKind) throw new RpcError('not_found', `record ${id} has no kind yet`);
    const before = storedKind ? (open?.data ?? (readData(storedKind, doc) as Record<string, unknown>)) : null;
    // A peer's write to a record this device already has may conflict with one made here.
    const watched = before && source === 'remote' ? beforeApply(doc, before) : null;
    const stamp = this.writes.stamp();
    let stored: Uint8Array | null;
    // Read inside the update's transaction (see changedRoots and writesAdded).
    let seen = null as { roots: Map<string, Set<string | null>>; changed: boolean; writes: Write[] } | null;
    // Decoded once, straight into the doc: if that fails, the doc is forgotten by the caller
    // (reloaded from storage next time), so nothing of the update stays.
    try {
      const applyAndLook = () =>
        Y.transact(
          doc,
          (transaction) => {
            Y.applyUpdate(doc, update, source);
            seen = {
              roots: changedRoots(doc, transaction),
              changed: transaction.deleteSet.clients.size > 0 || [...stateVectorOf(doc)].some(([client, clock]) => clock !== (transaction.beforeState.get(client) ?? 0)),
              writes: watched ? writesAdded(doc, storedKind!, watched, attested) : [],
            };
          },
          source,
        );
      // A peer's update is stored as it came, not encoded again: only what it changed here
      // matters, and Yjs skips what a doc already holds. An editor's is what it added (it
      // goes to the outbox, and an editor may send what the doc already has).
      stored = source === 'editor' ? captureUpdate(doc, applyAndLook) : (applyAndLook(), seen!.changed ? update : null);
    } catch (error) {
      throw new RpcError('invalid', `update for ${id} could not be decoded: ${(error as Error).message}`);
    }
    // An update whose dependencies have not arrived yet waits inside the doc without an
    // update event; store it anyway, or a restart would lose it.
    if (!stored && (doc.store.pendingStructs || doc.store.pendingDs)) stored = update;
    // Only a doc's creation says what kind it is; a later claim to another kind is ignored.
    const learned = isRecordKind(docKind(doc)) ? docKind(doc) : null;
    const kind = storedKind ?? learned;
    if (!storedKind && kind) this.parts.docs.setKind(id, kind);
    if (!kind) return { applied: { kind: null, stored, record: null, conflicts: 0 }, open: { doc, kind: null, data: null }, owed: null };
    if (!stored) return { applied: { kind, stored, record: null, conflicts: 0 }, open: { doc, kind, data: before }, owed: null };
    // Only the fields the update touched can differ from before.
    const touched = before && seen ? changedFields(kind, seen.roots) : null;
    let after = before && touched ? rereadFields(kind, doc, before, touched) : (readData(kind, doc) as Record<string, unknown>);
    const changes = before ? diffData(kind, before, after, touched ?? undefined) : [];
    if (source === 'editor' && changes.length) {
      // The editor only changes rich text; this service keeps meta current for it.
      const metaUpdate = this.writes.mutate(doc, () => {
        for (const c of changes) writeStamp(doc, c.field, stamp);
        writeMeta(doc, { updatedAt: stamp.at, updatedBy: stamp.author });
      });
      if (metaUpdate) stored = Y.mergeUpdates([stored, metaUpdate]);
      after = readData(kind, doc) as Record<string, unknown>;
    }
    this.parts.docs.append(id, stored, { origin: source === 'remote' ? 'remote' : 'local', authorId: (attested ?? stamp.author).id, hlc: stamp.hlc });
    const attest = (by: Stamp): Stamp => (attested ? { ...by, author: attested } : by);
    if (!before) this.parts.history.write(id, [{ field: '(created)', before: null, after: null }], attest({ ...stamp, author: readMeta(id, doc).createdBy }));
    for (const c of changes) {
      const by = source === 'remote' ? attest(readStamp(doc, c.field) ?? stamp) : stamp;
      this.parts.history.recordMergedChange(id, c, by, source === 'editor');
    }
    const found = watched && seen ? this.parts.conflicts.detect(id, kind, doc, watched, after, seen.writes, stamp.at) : null;
    // A write that lost a conflict changed nothing here, yet it is a change its author made.
    for (const lost of found?.notKept ?? []) this.parts.history.write(id, [{ field: lost.field, before: lost.kept, after: lost.value }], attest(lost.stamp), { kept: false });
    return {
      applied: { kind, stored, record: null, conflicts: found?.conflicts ?? 0 },
      open: { doc, kind, data: after },
      owed: touched ? new Set(touched) : 'all',
    };
  }

  /**
   * A peer's doc new to this device: its update is its whole state, stored as its snapshot.
   * The doc is not kept in memory: it is rarely edited here next, and keeping thousands
   * alive through a first sync made garbage collection its largest cost.
   */
  private applyNew(id: string, update: Uint8Array, attested: Author | null, read: NewDocRead): AppliedUpdate {
    if (!read.ok) throw new RpcError('invalid', `update for ${id} could not be decoded: ${read.error}`);
    this.parts.docs.insert(id, read.kind ?? '', update, 'remote');
    if (!read.kind) return { kind: null, stored: update, record: null, conflicts: 0 };
    // Sanitized as it was read (read-new-doc.ts).
    this.parts.readModel.projectValidated(read.record, true);
    const stamp = this.writes.stamp();
    this.parts.history.write(id, [{ field: '(created)', before: null, after: null }], { ...stamp, author: attested ?? read.record.createdBy });
    return { kind: read.kind, stored: update, record: read.record, conflicts: 0 };
  }
}
