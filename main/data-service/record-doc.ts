// The translation between a record's plain data and CRDT operations on its Y.Doc (layout
// and reading in shared/record-layout.ts, which the sync server shares).
import * as Y from 'yjs';
import { type Author, type RecordKind, type RecordMeta } from '../../shared/domain';
import { fieldChanges, sameValue, splitKey, type FieldChange, type Item } from '../../shared/field-items';
import {
  CREATED,
  POSITION,
  collectionOf,
  fieldsOf,
  metaOf,
  readData,
  richTextOf,
  setOf,
  stampsOf,
  storageOf,
} from '../../shared/record-layout';

export { readData, richTextOf, richTextToPlain } from '../../shared/record-layout';
export { sameValue, type FieldChange };

export interface Stamp {
  author: Author;
  hlc: string;
  at: string;
  /**
   * The HLC of the stamp this write replaced: a write that knew the value it overwrote.
   * Two writes with the same base were made without seeing each other (a conflict).
   */
  base?: string | null;
  /**
   * Other writes it replaced: values that had lost a conflict on the writer's device (its
   * doc keeps only the winner's stamp). It saw them, so it is not concurrent with them.
   */
  seen?: string[];
}

/**
 * The stamp a local write is made with. `alsoReplaces` names, for a key, the writes that
 * had lost a conflict there on this device (see team/conflicts.ts); it is not stored.
 */
export interface WriteStamp extends Stamp {
  alsoReplaces?: (key: string) => readonly string[];
}

// ---------------------------------------------------------------- rich text

/** Replace a fragment's content with one paragraph per line (the shape tiptap uses). */
function writePlainToRichText(fragment: Y.XmlFragment, text: string): void {
  if (fragment.length) fragment.delete(0, fragment.length);
  const paragraphs = text === '' ? [] : text.split('\n');
  fragment.insert(
    0,
    paragraphs.map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      if (line) paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    }),
  );
}

export function readMeta(id: string, doc: Y.Doc): RecordMeta {
  const meta = metaOf(doc);
  const get = <T>(key: string, fallback: T): T => (meta.has(key) ? (meta.get(key) as T) : fallback);
  const unknownAuthor: Author = { id: 'unknown', name: 'Unknown' };
  return {
    id,
    kind: get<RecordKind>('kind', 'contact'),
    createdAt: get('createdAt', ''),
    createdBy: get('createdBy', unknownAuthor),
    updatedAt: get('updatedAt', ''),
    updatedBy: get('updatedBy', unknownAuthor),
    deletedAt: get<string | null>('deletedAt', null),
    deletedBy: get<Author | null>('deletedBy', null),
    mergedInto: get<string | null>('mergedInto', null),
  };
}

/**
 * Who wrote `key` (a field, or `field.item`) last. A set member never stamped on its own
 * (written by a version that stamped only the whole set) falls back to its set's stamp.
 */
export function readStamp(doc: Y.Doc, key: string): Stamp | null {
  const stamps = stampsOf(doc);
  const stamp = stamps.get(key) ?? stamps.get(splitKey(key).field) ?? stamps.get(CREATED);
  return stamp && typeof stamp === 'object' ? (stamp as Stamp) : null;
}

/** The stamp key of one property of a collection item edited in place. */
export const itemPropertyKey = (field: string, itemId: string, property: string) => `${field}.${itemId}.${property}`;

/** Stamp `key` as written now by `stamp`, remembering which writes it replaced. */
export function writeStamp(doc: Y.Doc, key: string, stamp: WriteStamp): void {
  const stamps = stampsOf(doc);
  const replaced = (stamps.get(key) ?? stamps.get(CREATED)) as Stamp | undefined;
  const base = replaced?.hlc ?? null;
  const seen = (stamp.alsoReplaces?.(key) ?? []).filter((hlc) => hlc !== base);
  stamps.set(key, { author: stamp.author, hlc: stamp.hlc, at: stamp.at, base, ...(seen.length ? { seen: [...seen].sort() } : {}) });
}

export function docKind(doc: Y.Doc): RecordKind | null {
  const kind = metaOf(doc).get('kind');
  return typeof kind === 'string' ? (kind as RecordKind) : null;
}

// ---------------------------------------------------------------- writing

/**
 * Write a new record's fields, inside the caller's transaction. One creation stamp stands
 * for all of them: a stamp per field made up most of a new doc's bytes and encoding time.
 */
export function writeInitial(kind: RecordKind, doc: Y.Doc, data: Record<string, unknown>, stamp: Stamp): void {
  stampsOf(doc).set(CREATED, stamp);
  // What writePatch would write over blank data, without working out what changed: a
  // bulk create writes thousands of records, and comparing each field with nothing cost
  // a tenth of its time. An empty set, collection or rich text writes nothing, as there.
  const storage = storageOf(kind);
  for (const [field, value] of Object.entries(data)) {
    if (value === undefined) continue;
    switch (storage[field]) {
      case 'value':
        fieldsOf(doc).set(field, value);
        break;
      case 'set':
        for (const member of new Set(value as string[])) setOf(doc, field).set(member, true);
        break;
      case 'collection':
        if ((value as Item[]).length) writeCollection(doc, field, [], value as Item[]);
        break;
      case 'richtext':
        if (value !== '') writePlainToRichText(richTextOf(doc, field), value as string);
        break;
      default:
        throw new Error(`${kind} has no field ${field}`);
    }
  }
}

/**
 * Apply `patch` to the doc as the smallest set of CRDT operations, inside the caller's
 * transaction, stamping each changed field, set member and collection item (unless `stamp`
 * is null: see writeInitial). Returns what changed, item by item in sets and collections.
 */
export function writePatch(
  kind: RecordKind,
  doc: Y.Doc,
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
  stamp: WriteStamp | null,
): FieldChange[] {
  const all: FieldChange[] = [];
  const storage = storageOf(kind);
  for (const [field, after] of Object.entries(patch)) {
    if (after === undefined) continue;
    if (!storage[field]) throw new Error(`${kind} has no field ${field}`);
    const before = current[field];
    const changes = fieldChanges(storage[field], field, before, after);
    if (!changes.length) continue;
    switch (storage[field]) {
      case 'value':
        fieldsOf(doc).set(field, after);
        break;
      case 'set': {
        const members = setOf(doc, field);
        for (const { before: removed, after: added } of changes) {
          if (removed !== null) members.delete(removed as string);
          if (added !== null) members.set(added as string, true);
        }
        break;
      }
      case 'collection':
        for (const [itemId, property] of writeCollection(doc, field, before as Item[], after as Item[])) {
          if (stamp) writeStamp(doc, itemPropertyKey(field, itemId, property), stamp);
        }
        break;
      case 'richtext':
        writePlainToRichText(richTextOf(doc, field), after as string);
        break;
    }
    if (stamp) {
      for (const change of changes) writeStamp(doc, change.field, stamp);
      // A set's own stamp says who changed it last as a whole (unmerge and the inbox read it).
      if (storage[field] === 'set') writeStamp(doc, field, stamp);
    }
    all.push(...changes);
  }
  return all;
}

/** Returns the properties edited in items that were there before, as [item id, property]. */
function writeCollection(doc: Y.Doc, field: string, before: Item[], after: Item[]): [string, string][] {
  const edited: [string, string][] = [];
  const items = collectionOf(doc, field);
  const previous = new Map(before.map((item) => [item.id, item]));
  const kept = new Set<string>();
  after.forEach((item, index) => {
    kept.add(item.id);
    const old = previous.get(item.id);
    let ymap = items.get(item.id);
    if (!ymap) {
      ymap = new Y.Map<unknown>();
      items.set(item.id, ymap);
    }
    if (ymap.get(POSITION) !== index) ymap.set(POSITION, index);
    for (const [key, value] of Object.entries(item)) {
      if (key === 'id') continue;
      if (old && sameValue(old[key], value)) continue;
      ymap.set(key, value);
      if (old) edited.push([item.id, key]);
    }
  });
  for (const id of previous.keys()) if (!kept.has(id)) items.delete(id);
  return edited;
}

/**
 * What changed between two readings of a record's data (a peer's or an editor's update),
 * item by item: in `fields` only (those the update touched, see changedFields), else in all.
 */
export function diffData(kind: RecordKind, before: Record<string, unknown>, after: Record<string, unknown>, fields?: readonly string[]): FieldChange[] {
  const storage = storageOf(kind);
  return (fields ?? Object.keys(storage)).flatMap((field) => fieldChanges(storage[field]!, field, before[field], after[field]));
}

export function writeMeta(doc: Y.Doc, values: Partial<Omit<RecordMeta, 'id'>>): void {
  const meta = metaOf(doc);
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) meta.set(key, value);
  }
}
