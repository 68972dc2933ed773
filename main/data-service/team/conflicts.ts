// The conflict inbox: what sync settled without anyone choosing, found while a peer's
// update is applied (Workspace.applyOne), so nothing is lost without someone seeing it.
//
// - `concurrent`: two devices set the same field without seeing each other's write. Yjs
//   keeps one value (by client id, not by time) and the other vanishes from the doc. Each
//   stamp names the write it replaced (`base`), so writes that are "heads" — replaced by no
//   other — are concurrent when there are two or more. The losing value is read from the
//   update's own bytes, since the doc garbage-collects it.
// - `edited-after-merge`: a worker edited a record the lead had already merged away. The
//   merge stored the record's state vector (what the lead saw); a write it does not cover
//   is new to the lead and is offered for copying to the survivor.
//
// Each device finds its conflicts from what it applies, so the inbox itself is local; a
// lead's answer is also written into the record's doc (root map `resolved`, keyed by the
// conflict's signature, the same on every device), so the lead's other devices, and any
// device that finds the conflict later, list it as resolved.
import type { SqliteDatabase, SqliteStatement } from '../db/sqlite';
import * as Y from 'yjs';
import { FIELD_STORAGE, type Author, type RecordKind } from '../../../shared/domain';
import { fromBase64 } from '../../../shared/base64';
import { Emitter } from '../../../shared/emitter';
import type { ConflictEntry, ConflictType, ConflictValue } from '../../../shared/rpc-team';
import { readStamp, sameValue, type Stamp } from '../record-doc';
import { MERGE_META } from '../../../shared/merge-layout';
import type { TableClaim } from '../db/tables';

export const CONFLICT_TABLES: TableClaim[] = [
  {
    table: 'conflicts',
    personal: "both values of a field two workers set at once (a name, phone, notes…) as JSON, with each author's id, name and time",
    recordRows: 'record_id = @id',
  },
];

/** What a doc held before a peer's update was applied to it. */
export interface BeforeApply {
  data: Record<string, unknown>;
  stamps: Map<string, Stamp>;
  mergedInto: string | null;
  /** What the doc had seen, per client: writes past it are new. */
  stateVector: Map<number, number>;
}

interface StoredConflict {
  id: number;
  type: ConflictType;
  signature: string;
  record_id: string;
  field: string;
  current: string;
  others: string;
  detected_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
}

const stampsOf = (doc: Y.Doc) => doc.getMap<Stamp>('stamps');

/** A lead's answer to a conflict, as kept in the record's doc. */
export interface Resolution {
  by: Author;
  at: string;
  resolution: string;
}

const RESOLVED_MAP = 'resolved';
export const resolutionsOf = (doc: Y.Doc) => doc.getMap<Resolution>(RESOLVED_MAP);

const toValue = (value: unknown, stamp: Stamp): ConflictValue => ({ value, author: stamp.author, at: stamp.at, hlc: stamp.hlc });

/** The stamps a doc holds now, to compare with after an update. */
export function beforeApply(doc: Y.Doc, data: Record<string, unknown>): BeforeApply {
  const stamps = new Map<string, Stamp>();
  stampsOf(doc).forEach((stamp, key) => stamps.set(key, stamp));
  const mergedInto = doc.getMap('meta').get(MERGE_META.mergedInto);
  return { data, stamps, mergedInto: typeof mergedInto === 'string' ? mergedInto : null, stateVector: Y.decodeStateVector(Y.encodeStateVector(doc)) };
}

/**
 * Each write in `update` that `known` lacks, by root map and key: the client's latest value
 * there. Read from the peer's update itself: a write that lost to one made here is already
 * garbage-collected in the doc (and in the update event the doc emits).
 */
function newWrites(doc: Y.Doc, update: Uint8Array, known: Map<number, number>): { fields: Map<string, Map<number, unknown>>; stamps: Map<string, Map<number, { stamp: Stamp; id: Y.ID }>> } {
  const fieldsMap = doc.getMap('fields');
  const stampsMap = stampsOf(doc);
  const fields = new Map<string, Map<number, unknown>>();
  const stamps = new Map<string, Map<number, { stamp: Stamp; id: Y.ID }>>();
  const latest = new Map<string, number>();
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
    if (struct.id.clock < (known.get(struct.id.client) ?? 0)) continue;
    // Still waiting on writes it depends on: not part of the doc yet.
    if (struct.id.clock >= Y.getState(doc.store, struct.id.client)) continue;
    // A decoded item names its parent only when it has no left neighbour; the integrated one always does.
    const integrated = Y.getItem(doc.store, struct.id);
    if (!(integrated instanceof Y.Item) || typeof integrated.parentSub !== 'string') continue;
    const root = integrated.parent === fieldsMap ? 'fields' : integrated.parent === stampsMap ? 'stamps' : null;
    if (!root) continue;
    const key = integrated.parentSub;
    const client = struct.id.client;
    const seenKey = `${root}\u0000${key}\u0000${client}`;
    if ((latest.get(seenKey) ?? -1) > struct.id.clock) continue;
    latest.set(seenKey, struct.id.clock);
    const value = struct.content.getContent().at(-1);
    if (root === 'fields') fields.set(key, (fields.get(key) ?? new Map()).set(client, value));
    else if (value && typeof value === 'object') stamps.set(key, (stamps.get(key) ?? new Map()).set(client, { stamp: value as Stamp, id: struct.id }));
  }
  return { fields, stamps };
}

/** A peer's write to a field that lost to another write: the doc never shows it. */
export interface NotKept {
  field: string;
  value: unknown;
  stamp: Stamp;
}

function notKept({ doc, after, writes }: Applied, kind: RecordKind): NotKept[] {
  const storage = FIELD_STORAGE[kind] as Record<string, string>;
  const lost: NotKept[] = [];
  for (const [field, byClient] of writes.stamps) {
    if (storage[field] !== 'value') continue;
    const winner = readStamp(doc, field);
    for (const [client, { stamp }] of byClient) {
      const value = writes.fields.get(field)?.get(client);
      if (value === undefined || stamp.hlc === winner?.hlc || sameValue(value, after[field])) continue;
      lost.push({ field, value, stamp });
    }
  }
  return lost;
}

/** One peer update applied to one record's doc, as the detectors read it. */
interface Applied {
  id: string;
  doc: Y.Doc;
  before: BeforeApply;
  after: Record<string, unknown>;
  writes: ReturnType<typeof newWrites>;
  now: string;
}

export class ConflictInbox {
  private readonly stmt: Record<'insert' | 'byId' | 'open' | 'resolved' | 'countOpen' | 'resolve' | 'resolveBySignature', SqliteStatement>;
  private readonly changes = new Emitter<[open: number]>();

  constructor(db: SqliteDatabase) {
    this.stmt = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO conflicts (type, signature, record_id, field, current, others, detected_at)
         VALUES (@type, @signature, @recordId, @field, @current, @others, @detectedAt)`,
      ),
      byId: db.prepare('SELECT * FROM conflicts WHERE id = ?'),
      open: db.prepare('SELECT * FROM conflicts WHERE resolved_at IS NULL ORDER BY id DESC LIMIT ?'),
      resolved: db.prepare('SELECT * FROM conflicts WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC LIMIT ?'),
      countOpen: db.prepare('SELECT count(*) FROM conflicts WHERE resolved_at IS NULL').pluck(),
      resolve: db.prepare('UPDATE conflicts SET resolved_at = @at, resolved_by = @by, resolution = @resolution WHERE id = @id AND resolved_at IS NULL'),
      resolveBySignature: db.prepare(
        'UPDATE conflicts SET resolved_at = @at, resolved_by = @by, resolution = @resolution WHERE signature = @signature AND resolved_at IS NULL',
      ),
    };
  }

  onChange(listener: (open: number) => void): () => void {
    return this.changes.on(listener);
  }

  /** Tell listeners the inbox changed; called once a transaction that changed it has committed. */
  announce(): void {
    this.changes.emit(this.openCount());
  }

  openCount(): number {
    return this.stmt.countOpen.get() as number;
  }

  /**
   * Find the conflicts a peer's update created, inside the caller's transaction: how many
   * were new, and the update's writes the doc does not hold (they changed nothing here,
   * so only this tells the history they were made).
   */
  detect(
    id: string,
    kind: RecordKind,
    doc: Y.Doc,
    before: BeforeApply,
    after: Record<string, unknown>,
    update: Uint8Array,
    now: string,
  ): { conflicts: number; notKept: NotKept[] } {
    const applied: Applied = { id, doc, before, after, writes: newWrites(doc, update, before.stateVector), now };
    let found = this.detectConcurrent(applied, kind);
    const mergedInto = doc.getMap('meta').get(MERGE_META.mergedInto);
    if (typeof mergedInto === 'string') found += this.detectEditsAfterMerge(applied);
    return { conflicts: found + this.takeResolutions(doc), notKept: notKept(applied, kind) };
  }

  /** Mark resolved here what a lead resolved on another device (the doc's `resolved` map); returns how many. */
  private takeResolutions(doc: Y.Doc): number {
    if (!doc.share.has(RESOLVED_MAP)) return 0;
    let taken = 0;
    resolutionsOf(doc).forEach((r, signature) => {
      taken += this.stmt.resolveBySignature.run({ signature, at: r.at, by: JSON.stringify(r.by), resolution: r.resolution }).changes;
    });
    return taken;
  }

  private detectConcurrent({ id, doc, before, after, writes, now }: Applied, kind: RecordKind): number {
    const storage = FIELD_STORAGE[kind] as Record<string, string>;
    let found = 0;
    for (const [field, byClient] of writes.stamps) {
      if (storage[field] !== 'value') continue;
      const local = before.stamps.get(field) ?? before.stamps.get('(created)');
      const heads: ConflictValue[] = [];
      let unknownBase = false;
      for (const [client, { stamp }] of byClient) {
        if (stamp.base === undefined) unknownBase = true;
        const value = writes.fields.get(field)?.get(client);
        heads.push(toValue(value === undefined ? after[field] : value, stamp));
      }
      // Stamps written before `base` existed cannot tell concurrent from sequential.
      if (unknownBase) continue;
      if (local) heads.push(toValue(before.data[field], local));
      const replaced = new Set([...byClient.values()].map(({ stamp }) => stamp.base));
      const standing = heads.filter((h) => !replaced.has(h.hlc));
      if (standing.length < 2) continue;
      const winner = readStamp(doc, field);
      if (!winner) continue;
      const current = toValue(after[field], winner);
      const others = standing.filter((h) => h.hlc !== winner.hlc && !sameValue(h.value, current.value));
      if (!others.length) continue;
      found += this.insert('concurrent', id, field, current, others, now);
    }
    return found;
  }

  private detectEditsAfterMerge({ id, doc, before, after, writes, now }: Applied): number {
    const seenText = doc.getMap('meta').get(MERGE_META.seen);
    if (typeof seenText !== 'string') return 0;
    const seen = Y.decodeStateVector(fromBase64(seenText));
    const covered = (itemId: Y.ID) => (seen.get(itemId.client) ?? 0) > itemId.clock;
    // When the merge itself just arrived, edits that came before it may be unseen too.
    const candidates: { key: string; stamp: Stamp; id: Y.ID }[] = [];
    if (!before.mergedInto) {
      for (const [key, item] of stampsOf(doc)._map) {
        if (!item.deleted) candidates.push({ key, stamp: stampsOf(doc).get(key)!, id: item.id });
      }
    } else {
      for (const [key, byClient] of writes.stamps) for (const { stamp, id: itemId } of byClient.values()) candidates.push({ key, stamp, id: itemId });
    }
    const latestByField = new Map<string, Stamp>();
    for (const c of candidates) {
      if (c.key === '(created)' || covered(c.id)) continue;
      const field = c.key.split('.')[0]!;
      const known = latestByField.get(field);
      if (!known || known.hlc < c.stamp.hlc) latestByField.set(field, c.stamp);
    }
    let found = 0;
    for (const [field, stamp] of latestByField) {
      // `current` is the survivor's value, read when the inbox is listed.
      found += this.insert('edited-after-merge', id, field, null, [toValue(after[field], stamp)], now);
    }
    return found;
  }

  private insert(type: ConflictType, recordId: string, field: string, current: ConflictValue | null, others: ConflictValue[], now: string): number {
    const signature = `${type}:${recordId}:${field}:${others.map((o) => o.hlc).sort().join(',')}`;
    return this.stmt.insert.run({
      type,
      signature,
      recordId,
      field,
      current: JSON.stringify(current),
      others: JSON.stringify(others),
      detectedAt: now,
    }).changes;
  }

  get(id: number): StoredEntry | null {
    const row = this.stmt.byId.get(id) as StoredConflict | undefined;
    return row ? parseRow(row) : null;
  }

  list(status: 'open' | 'resolved', limit: number): StoredEntry[] {
    return ((status === 'open' ? this.stmt.open : this.stmt.resolved).all(limit) as StoredConflict[]).map(parseRow);
  }

  /** Mark resolved; false if it already was (by someone else, a moment ago). */
  markResolved(id: number, by: Author, at: string, resolution: string): boolean {
    return this.stmt.resolve.run({ id, by: JSON.stringify(by), at, resolution }).changes > 0;
  }
}

/** A stored conflict, before the record's present state is added (see team/handlers.ts). */
export type StoredEntry = Omit<ConflictEntry, 'record' | 'survivor' | 'current'> & { recordId: string; signature: string; current: ConflictValue | null };

function parseRow(row: StoredConflict): StoredEntry {
  return {
    id: row.id,
    type: row.type,
    signature: row.signature,
    recordId: row.record_id,
    field: row.field,
    current: JSON.parse(row.current) as ConflictValue | null,
    others: JSON.parse(row.others) as ConflictValue[],
    detectedAt: row.detected_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by ? (JSON.parse(row.resolved_by) as Author) : null,
    resolution: row.resolution,
  };
}
