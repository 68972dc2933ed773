// The conflict inbox: what sync settled without anyone choosing, found while a peer's
// update is applied (UpdateApplier.apply), so nothing is lost without someone seeing it.
//
// - `concurrent`: two devices set the same field, or the same property of one collection
//   item (a consent's withdrawal, a skill's level, an action's status), or put the same
//   member in a set and take it out (one removes the theme "food", the other had removed
//   and added it again), without seeing each other's write. Yjs keeps one value (by
//   client id, not by time) and the other vanishes from the doc. A write "saw" every write
//   it replaced: the stamp it overwrote (`base`), the values that had lost a conflict on
//   its device (`seen`), and its own client's earlier writes. The writes no other write
//   saw are the field's heads; two heads with different values are a conflict. The doc
//   keeps only the winner's stamp, so while a field has two or more heads they are kept
//   here (table `conflict_heads`): a later write is checked against all of them, and a
//   local write names them in its `seen`. Each pair of heads is listed once, when the
//   second of them arrives; losing values are read from the update's own bytes, since the
//   doc garbage-collects them.
// - `edited-after-merge`: a worker edited a record the lead had already merged away. The
//   merge stored the record's state vector (what the lead saw); a write it does not cover
//   is new to the lead and is offered for copying to the survivor.
//
// Each device finds its conflicts from what it applies, so the inbox itself is local; a
// lead's answer is also written into the record's doc (root map `resolved`, keyed by the
// conflict's signature, the same on every device that lists the same writes), so the
// lead's other devices, and any device that finds the conflict later, list it as resolved.
import type { SqliteDatabase, SqliteStatement } from '../db/sqlite';
import * as Y from 'yjs';
import { FIELD_STORAGE, type Author, type RecordKind } from '../../../shared/domain';
import { fromBase64 } from '../../../shared/base64';
import { Emitter } from '../../../shared/emitter';
import { splitKey, type Item } from '../../../shared/field-items';
import type { ConflictEntry, ConflictType, ConflictValue } from '../../../shared/rpc-team';
import { sameValue, type Stamp } from '../record-doc';
import { MERGE_META, RESOLVED_MAP } from '../../../shared/merge-layout';
import { setOf, stateVectorOf } from '../../../shared/record-layout';
import type { TableClaim } from '../db/tables';

export const CONFLICT_TABLES: TableClaim[] = [
  {
    table: 'conflicts',
    personal: "both values of a field two workers set at once (a name, phone, notes…) as JSON, with each author's id, name and time",
    recordRows: 'record_id = @id',
    // Each value was a write, kept in the history whether it won or not.
    subjectAccess: ['history', 'mergedIn', 'sessions', 'connections'],
  },
  {
    table: 'conflict_heads',
    personal: "every value a field or item property holds while it is in conflict (a name, phone, consent's purpose…) as JSON, with its author's id, name and time",
    recordRows: 'record_id = @id',
    subjectAccess: ['history', 'mergedIn', 'sessions', 'connections'],
  },
];

/** What a doc held before a peer's update was applied to it. */
export interface BeforeApply {
  data: Record<string, unknown>;
  /** Each stamp key's stamp, with the Yjs id of the write that set it. */
  stamps: Map<string, { stamp: Stamp; id: Y.ID }>;
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
const CREATED = '(created)';

/** A lead's answer to a conflict, as kept in the record's doc. */
export interface Resolution {
  by: Author;
  at: string;
  resolution: string;
}

export const resolutionsOf = (doc: Y.Doc) => doc.getMap<Resolution>(RESOLVED_MAP);

const toValue = (value: unknown, stamp: Stamp): ConflictValue => ({ value, author: stamp.author, at: stamp.at, hlc: stamp.hlc });

/**
 * What a stamp key is to the inbox: a plain field, one member of a set (`themes.food`,
 * `property` null: its value is whether the member is in the set), one property of a
 * collection item (`consents.<item id>.withdrawnAt`), or neither (a set or collection as
 * a whole, rich text and whole items merge).
 */
export function conflictKey(kind: RecordKind, key: string): { field: string; item: string | null; property: string | null; member: boolean } | null {
  const storage = FIELD_STORAGE[kind] as Record<string, string>;
  if (storage[key] === 'value') return { field: key, item: null, property: null, member: false };
  // A member may hold dots (a theme), so it is all that follows the field's name.
  const member = splitKey(key);
  if (member.item !== null && storage[member.field] === 'set') return { field: member.field, item: member.item, property: null, member: true };
  const [field, item, property, ...rest] = key.split('.');
  if (!field || !item || !property || rest.length || storage[field] !== 'collection') return null;
  return { field, item, property, member: false };
}

/** The value `data` holds at a conflict key: a field's, or one property of a collection item. */
export function valueAtKey(kind: RecordKind, data: Record<string, unknown>, key: string): unknown {
  const at = conflictKey(kind, key);
  if (!at) return undefined;
  if (!at.item) return data[at.field];
  if (at.member) return ((data[at.field] ?? []) as string[]).includes(at.item);
  const item = ((data[at.field] ?? []) as Item[]).find((i) => i.id === at.item);
  return item?.[at.property!];
}

/** The stamps a doc holds now, to compare with after an update. */
export function beforeApply(doc: Y.Doc, data: Record<string, unknown>): BeforeApply {
  const stamps = new Map<string, { stamp: Stamp; id: Y.ID }>();
  for (const [key, item] of stampsOf(doc)._map) {
    const stamp = item.deleted ? undefined : (item.content.getContent().at(-1) as Stamp | undefined);
    if (stamp && typeof stamp === 'object') stamps.set(key, { stamp, id: item.id });
  }
  const mergedInto = doc.getMap('meta').get(MERGE_META.mergedInto);
  return { data, stamps, mergedInto: typeof mergedInto === 'string' ? mergedInto : null, stateVector: stateVectorOf(doc) };
}

/**
 * The items a peer's update added to the doc (those past `known`), client by client as Yjs
 * encodes an update (highest client id first), each client's in clock order.
 */
function itemsAdded(doc: Y.Doc, known: ReadonlyMap<number, number>): Y.Item[] {
  const items: Y.Item[] = [];
  for (const client of [...doc.store.clients.keys()].sort((a, b) => b - a)) {
    const from = known.get(client) ?? 0;
    if (Y.getState(doc.store, client) <= from) continue;
    const structs = doc.store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
      const struct = structs[i];
      if (struct instanceof Y.Item) items.push(struct);
    }
  }
  return items;
}

/** One stamped write in a peer's update: a field's (or item property's) new value and its stamp. */
export interface Write {
  key: string;
  id: Y.ID;
  stamp: Stamp;
  /** The value it set, read from the same transaction; undefined for keys the inbox does not watch. */
  value: unknown;
}

/**
 * Every stamped write a peer's update added to the doc, each with the value its transaction
 * set. Called inside the update's transaction, once it is applied: a write that lost to one
 * made here is still whole there (the doc garbage-collects it when the transaction ends), so
 * the update need not be decoded a second time. `attested`: who the sync server says pushed
 * the update, named as the author of its writes instead of whom their stamps claim.
 */
export function writesAdded(doc: Y.Doc, kind: RecordKind, before: BeforeApply, attested: Author | null): Write[] {
  const fieldsMap = doc.getMap('fields');
  const stampsMap = stampsOf(doc);
  const collections = new Map<unknown, string>();
  const sets = new Map<unknown, string>();
  for (const [field, storage] of Object.entries(FIELD_STORAGE[kind])) {
    if (storage === 'collection') collections.set(doc.getMap(`col:${field}`), field);
    else if (storage === 'set') sets.set(setOf(doc, field), field);
  }
  const stamps: Write[] = [];
  /** key -> client -> the values set there, by clock. */
  const values = new Map<string, Map<number, { clock: number; value: unknown }[]>>();
  for (const item of itemsAdded(doc, before.stateVector)) {
    if (!(item.content instanceof Y.ContentAny) || typeof item.parentSub !== 'string') continue;
    const { client, clock } = item.id;
    const parent = item.parent as Y.AbstractType<unknown>;
    const content = item.content.getContent();
    if (parent === stampsMap) {
      content.forEach((stamp, i) => {
        if (!stamp || typeof stamp !== 'object') return;
        // Who the sync server says pushed it, rather than whom the stamp claims.
        const attestedStamp = attested ? { ...(stamp as Stamp), author: attested } : (stamp as Stamp);
        stamps.push({ key: item.parentSub!, id: Y.createID(client, clock + i), stamp: attestedStamp, value: undefined });
      });
      continue;
    }
    let key: string | null = null;
    if (parent === fieldsMap) key = item.parentSub;
    else if (sets.has(parent)) key = `${sets.get(parent)}.${item.parentSub}`;
    else {
      const holder = parent._item;
      const field = holder ? collections.get(holder.parent) : undefined;
      if (field && typeof holder!.parentSub === 'string') key = `${field}.${holder!.parentSub}.${item.parentSub}`;
    }
    if (!key) continue;
    const byClient = values.get(key) ?? new Map<number, { clock: number; value: unknown }[]>();
    values.set(key, byClient);
    const list = byClient.get(client) ?? [];
    byClient.set(client, list);
    content.forEach((value, i) => list.push({ clock: clock + i, value }));
  }
  // A write's value is the last one its client set at that key before stamping it, after its previous stamp there.
  stamps.sort((a, b) => a.id.clock - b.id.clock);
  const previousStamp = new Map<string, number>();
  for (const write of stamps) {
    const seenKey = `${write.key}\u0000${write.id.client}`;
    const after = previousStamp.get(seenKey) ?? -1;
    previousStamp.set(seenKey, write.id.clock);
    const set = values.get(write.key)?.get(write.id.client)?.filter((v) => v.clock > after && v.clock < write.id.clock);
    if (set?.length) {
      write.value = set.at(-1)!.value;
      continue;
    }
    // A member stamped without being set in the same change was removed (a removal leaves no item, only a deletion).
    if (conflictKey(kind, write.key)?.member) write.value = false;
  }
  return stamps;
}

/** A row of conflict_heads. */
interface StoredHead {
  hlc: string;
  client: number;
  clock: number;
  value: string;
}

/** A write standing on a key: no other write this device knows of saw it. */
interface Head {
  hlc: string;
  client: number;
  clock: number;
  value: ConflictValue;
  /** Arrived with this update. */
  isNew: boolean;
}

/** A peer's write to a field that lost to another write: the doc never shows it. */
export interface NotKept {
  field: string;
  /** The value it set, and the one the record kept instead, as history records them (a set member: the member, or null for out). */
  value: unknown;
  kept: unknown;
  stamp: Stamp;
}

/** One peer update applied to one record's doc, as the detectors read it. */
interface Applied {
  id: string;
  kind: RecordKind;
  doc: Y.Doc;
  before: BeforeApply;
  after: Record<string, unknown>;
  writes: Write[];
  now: string;
}

export class ConflictInbox {
  private readonly stmt: Record<
    | 'insert'
    | 'byId'
    | 'open'
    | 'openAfter'
    | 'resolved'
    | 'resolvedAfter'
    | 'countOpen'
    | 'resolve'
    | 'resolveBySignature'
    | 'heads'
    | 'headsOfRecord'
    | 'dropHeads'
    | 'addHead',
    SqliteStatement
  >;
  private readonly changes = new Emitter<[open: number]>();

  constructor(db: SqliteDatabase) {
    this.stmt = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO conflicts (type, signature, record_id, field, current, others, detected_at)
         VALUES (@type, @signature, @recordId, @field, @current, @others, @detectedAt)`,
      ),
      byId: db.prepare('SELECT * FROM conflicts WHERE id = ?'),
      open: db.prepare('SELECT * FROM conflicts WHERE resolved_at IS NULL ORDER BY id DESC LIMIT ?'),
      openAfter: db.prepare('SELECT * FROM conflicts WHERE resolved_at IS NULL AND id < @id ORDER BY id DESC LIMIT @limit'),
      resolved: db.prepare('SELECT * FROM conflicts WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC LIMIT ?'),
      resolvedAfter: db.prepare(
        `SELECT * FROM conflicts WHERE resolved_at IS NOT NULL AND (resolved_at < @at OR (resolved_at = @at AND id < @id))
         ORDER BY resolved_at DESC, id DESC LIMIT @limit`,
      ),
      countOpen: db.prepare('SELECT count(*) FROM conflicts WHERE resolved_at IS NULL').pluck(),
      resolve: db.prepare('UPDATE conflicts SET resolved_at = @at, resolved_by = @by, resolution = @resolution WHERE id = @id AND resolved_at IS NULL'),
      resolveBySignature: db.prepare(
        'UPDATE conflicts SET resolved_at = @at, resolved_by = @by, resolution = @resolution WHERE signature = @signature AND resolved_at IS NULL',
      ),
      heads: db.prepare('SELECT hlc, client, clock, value FROM conflict_heads WHERE record_id = ? AND key = ?'),
      headsOfRecord: db.prepare('SELECT key, hlc, client, clock, value FROM conflict_heads WHERE record_id = ?'),
      dropHeads: db.prepare('DELETE FROM conflict_heads WHERE record_id = ? AND key = ?'),
      addHead: db.prepare('INSERT OR REPLACE INTO conflict_heads (record_id, key, hlc, client, clock, value) VALUES (?, ?, ?, ?, ?, ?)'),
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
   * A local write to `key` is about to be stamped: the writes that stood there besides the
   * winner (it replaces them all), and they stand no longer. Inside the write's transaction.
   */
  takeLosingHeads(recordId: string, key: string): string[] {
    const rows = this.stmt.heads.all(recordId, key) as { hlc: string }[];
    if (rows.length) this.stmt.dropHeads.run(recordId, key);
    return rows.map((r) => r.hlc);
  }

  /**
   * Find the conflicts a peer's update created, inside the caller's transaction: how many
   * were new, and the update's writes the doc does not hold (they changed nothing here,
   * so only this tells the history they were made). `writes`: the update's (writesAdded).
   */
  detect(id: string, kind: RecordKind, doc: Y.Doc, before: BeforeApply, after: Record<string, unknown>, writes: Write[], now: string): { conflicts: number; notKept: NotKept[] } {
    const applied: Applied = { id, kind, doc, before, after, writes, now };
    const { found, notKept } = this.detectConcurrent(applied);
    let conflicts = found;
    const mergedInto = doc.getMap('meta').get(MERGE_META.mergedInto);
    if (typeof mergedInto === 'string') conflicts += this.detectEditsAfterMerge(applied);
    return { conflicts: conflicts + this.takeResolutions(doc), notKept };
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

  /**
   * The writes standing on `key` before this update: those kept here (`stored`: the record's
   * rows of conflict_heads, read once per update), else the doc's stamp there.
   */
  private headsBefore({ kind, before }: Applied, key: string, storedHeads: ReadonlyMap<string, StoredHead[]>): { heads: Head[]; stored: boolean } {
    const rows = storedHeads.get(key);
    if (rows) {
      return { heads: rows.map((r) => ({ hlc: r.hlc, client: r.client, clock: r.clock, value: JSON.parse(r.value) as ConflictValue, isNew: false })), stored: true };
    }
    // Never written on its own: the record's creation stands for it (as writeStamp's `base` says).
    const stamped = before.stamps.get(key) ?? before.stamps.get(CREATED);
    if (!stamped) return { heads: [], stored: false };
    const { stamp, id: itemId } = stamped;
    return { heads: [{ hlc: stamp.hlc, client: itemId.client, clock: itemId.clock, value: toValue(valueAtKey(kind, before.data, key), stamp), isNew: false }], stored: false };
  }

  private detectConcurrent(applied: Applied): { found: number; notKept: NotKept[] } {
    const { id, kind, doc, after, writes, now } = applied;
    const byKey = new Map<string, Write[]>();
    for (const w of writes) if (conflictKey(kind, w.key)) byKey.set(w.key, [...(byKey.get(w.key) ?? []), w]);
    let found = 0;
    const notKept: NotKept[] = [];
    // Each key is read and rewritten once below, so the record's heads can all be read first.
    const storedHeads = new Map<string, StoredHead[]>();
    if (byKey.size) {
      for (const row of this.stmt.headsOfRecord.all(id) as (StoredHead & { key: string })[]) {
        storedHeads.set(row.key, [...(storedHeads.get(row.key) ?? []), row]);
      }
    }
    for (const [key, keyWrites] of byKey) {
      const current = valueAtKey(kind, after, key);
      // Stamps written before `base` existed cannot tell concurrent from sequential: take them as sequential.
      if (keyWrites.some((w) => w.stamp.base === undefined)) {
        this.stmt.dropHeads.run(id, key);
        continue;
      }
      const replaced = new Set(keyWrites.flatMap((w) => [w.stamp.base, ...(w.stamp.seen ?? [])]));
      const arrived: Head[] = keyWrites.map((w) => ({
        hlc: w.stamp.hlc,
        client: w.id.client,
        clock: w.id.clock,
        value: toValue(w.value === undefined ? current : w.value, w.stamp),
        isNew: true,
      }));
      // A client's writes follow one another: its later write saw its earlier ones.
      const standing = this.headsBefore(applied, key, storedHeads);
      const all = [...standing.heads, ...arrived];
      const heads = all.filter((h) => !replaced.has(h.hlc) && !all.some((o) => o.client === h.client && o.clock > h.clock));
      // Most keys never had two heads: nothing kept here to replace.
      if (standing.stored) this.stmt.dropHeads.run(id, key);
      if (heads.length > 1) for (const h of heads) this.stmt.addHead.run(id, key, h.hlc, h.client, h.clock, JSON.stringify(h.value));
      const winner = stampsOf(doc).get(key) ?? stampsOf(doc).get(CREATED);
      if (!winner) continue;
      // A set member's presence is not last-writer-wins (a removal cannot take back a
      // concurrent re-add), so the value kept may be another head's than the winning stamp's.
      const winnerHead = heads.find((h) => h.hlc === winner.hlc);
      const keptHead = winnerHead && !sameValue(winnerHead.value.value, current) ? heads.find((h) => sameValue(h.value.value, current)) : undefined;
      const kept = keptHead ? { ...keptHead.value, value: current } : toValue(current, winner);
      const at = conflictKey(kind, key)!;
      if (at.item === null || at.member) {
        const asHistory = (value: unknown) => (at.member ? (value === true ? at.item : null) : value);
        for (const h of heads) {
          if (!h.isNew || h.hlc === kept.hlc || sameValue(h.value.value, current)) continue;
          notKept.push({ field: key, value: asHistory(h.value.value), kept: asHistory(current), stamp: keyWrites.find((w) => w.stamp.hlc === h.hlc)!.stamp });
        }
      }
      for (const clique of newCliques(heads, winner.hlc)) found += this.insertConcurrent(id, key, kept, clique, now);
    }
    return { found, notKept };
  }

  /** One entry for a group of concurrent writes, if two of them set different values. */
  private insertConcurrent(recordId: string, key: string, current: ConflictValue, clique: Head[], now: string): number {
    const differ = clique.some((a) => clique.some((b) => !sameValue(a.value.value, b.value.value)));
    if (!differ) return 0;
    const others = clique.filter((h) => h.hlc !== current.hlc && !sameValue(h.value.value, current.value)).map((h) => h.value);
    const signature = `concurrent:${recordId}:${key}:${clique.map((h) => h.hlc).sort().join(',')}`;
    return this.insertRow('concurrent', signature, recordId, key, current, others, now);
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
      candidates.push(...writes);
    }
    const latestByField = new Map<string, Stamp>();
    for (const c of candidates) {
      if (c.key === CREATED || covered(c.id)) continue;
      const field = c.key.split('.')[0]!;
      const known = latestByField.get(field);
      if (!known || known.hlc < c.stamp.hlc) latestByField.set(field, c.stamp);
    }
    let found = 0;
    for (const [field, stamp] of latestByField) {
      // `current` is the survivor's value, read when the inbox is listed.
      const others = [toValue(after[field], stamp)];
      found += this.insertRow('edited-after-merge', `edited-after-merge:${id}:${field}:${stamp.hlc}`, id, field, null, others, now);
    }
    return found;
  }

  private insertRow(type: ConflictType, signature: string, recordId: string, field: string, current: ConflictValue | null, others: ConflictValue[], now: string): number {
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

  /** The first `limit` entries, newest first (resolved: last resolved first). */
  list(status: 'open' | 'resolved', limit: number): StoredEntry[] {
    return this.page(status, limit).entries;
  }

  /** A page of the inbox in the order of `list`, and the cursor the next page starts after (null: none). */
  page(status: 'open' | 'resolved', limit: number, after?: string): { entries: StoredEntry[]; next: string | null } {
    const [at, id] = after ? splitCursor(after) : [null, null];
    const rows = (
      status === 'open'
        ? id === null
          ? this.stmt.open.all(limit + 1)
          : this.stmt.openAfter.all({ id, limit: limit + 1 })
        : id === null
          ? this.stmt.resolved.all(limit + 1)
          : this.stmt.resolvedAfter.all({ at, id, limit: limit + 1 })
    ) as StoredConflict[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { entries: page.map(parseRow), next: rows.length > limit && last ? `${last.resolved_at ?? ''}|${last.id}` : null };
  }

  /** Mark resolved; false if it already was (by someone else, a moment ago). */
  markResolved(id: number, by: Author, at: string, resolution: string): boolean {
    return this.stmt.resolve.run({ id, by: JSON.stringify(by), at, resolution }).changes > 0;
  }
}

/** A page cursor: the last entry's resolution time (empty while open) and id. */
function splitCursor(cursor: string): [string, number] {
  const bar = cursor.lastIndexOf('|');
  const id = Number(cursor.slice(bar + 1));
  if (bar < 0 || !Number.isInteger(id) || id < 1) throw new RangeError(`not a conflict page cursor: ${cursor}`);
  return [cursor.slice(0, bar), id];
}

/**
 * The pairs of heads not listed before, as groups of writes all concurrent with each other:
 * every pair of the heads that stood before was listed when the second of it arrived. The
 * first group holds everything new and the winner (or the first head that stood before);
 * each other old head pairs with each new one on its own, so no pair is listed twice.
 */
function newCliques(heads: Head[], winner: string): Head[][] {
  const arrived = heads.filter((h) => h.isNew);
  if (!arrived.length || heads.length < 2) return [];
  const stood = heads.filter((h) => !h.isNew).sort((a, b) => (a.hlc === winner ? -1 : b.hlc === winner ? 1 : a.hlc < b.hlc ? -1 : 1));
  const [first, ...rest] = stood;
  return [[...arrived, ...(first ? [first] : [])], ...rest.flatMap((old) => arrived.map((h) => [h, old]))];
}

/** A stored conflict, before the record's present state is added (see team/handlers.ts). */
export type StoredEntry = Omit<ConflictEntry, 'record' | 'survivor' | 'current' | 'item'> & {
  recordId: string;
  signature: string;
  current: ConflictValue | null;
  /** The writes it is about (their HLCs): for `concurrent`, every two with different values were concurrent. */
  writes: string[];
};

function parseRow(row: StoredConflict): StoredEntry {
  const others = JSON.parse(row.others) as ConflictValue[];
  return {
    id: row.id,
    type: row.type,
    signature: row.signature,
    recordId: row.record_id,
    field: row.field,
    current: JSON.parse(row.current) as ConflictValue | null,
    others,
    writes: row.type === 'concurrent' ? row.signature.slice(`concurrent:${row.record_id}:${row.field}:`.length).split(',') : others.map((o) => o.hlc),
    detectedAt: row.detected_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by ? (JSON.parse(row.resolved_by) as Author) : null,
    resolution: row.resolution,
  };
}
