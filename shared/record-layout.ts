// How a record lives inside its own Y.Doc, and how its data is read from it: shared by the
// data service (main/data-service/record-doc.ts writes records) and the sync server, which
// reads every pushed record the way a device will before storing it (server/push-guard.ts).
//
// Layout of a record's doc (top-level types merge by name, so two devices can never
// create competing copies of them):
//   meta            Y.Map   kind, createdAt/By, updatedAt/By, deletedAt/By, mergedInto
//   fields          Y.Map   every `value` field (last writer wins per field)
//   stamps          Y.Map   field (or field.itemId) -> who wrote it last, and when (HLC);
//                           field.itemId.property -> the same for one property of a
//                           collection item edited in place (the conflict inbox's unit);
//                           '(created)' -> the creation stamp, for fields not written since
//   set:<field>     Y.Map   member -> true
//   col:<field>     Y.Map   item id -> Y.Map of the item's properties, plus `_pos`
//   rich:<field>    Y.XmlFragment   rich text, edited by tiptap through y-prosemirror
// plus the merge and resolution maps of shared/merge-layout.ts.
import * as Y from 'yjs';
import { DEFAULTS, FIELD_STORAGE, type DataOf, type FieldStorage, type RecordKind } from './domain';

export const ROOTS = { meta: 'meta', fields: 'fields', stamps: 'stamps' } as const;
/** The root type of a field that is not a plain value is named by its storage and the field. */
export const ROOT_PREFIX = { set: 'set:', collection: 'col:', richtext: 'rich:' } as const satisfies Partial<Record<FieldStorage, string>>;

/** A collection item's own position among its siblings. */
export const POSITION = '_pos';
/** Stamp key every field falls back to until it is first written after the record's creation. */
export const CREATED = '(created)';

export const fieldsOf = (doc: Y.Doc) => doc.getMap<unknown>(ROOTS.fields);
export const metaOf = (doc: Y.Doc) => doc.getMap<unknown>(ROOTS.meta);
export const stampsOf = (doc: Y.Doc) => doc.getMap<unknown>(ROOTS.stamps);
export const setOf = (doc: Y.Doc, field: string) => doc.getMap<true>(`${ROOT_PREFIX.set}${field}`);
export const collectionOf = (doc: Y.Doc, field: string) => doc.getMap<Y.Map<unknown>>(`${ROOT_PREFIX.collection}${field}`);
export const richTextOf = (doc: Y.Doc, field: string) => doc.getXmlFragment(`${ROOT_PREFIX.richtext}${field}`);

export function storageOf(kind: RecordKind): Record<string, FieldStorage> {
  return FIELD_STORAGE[kind] as Record<string, FieldStorage>;
}

// ---------------------------------------------------------------- rich text

/** Plain text of a rich-text fragment: one line per block. */
export function richTextToPlain(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, line: string[]): void => {
    if (node instanceof Y.XmlText) {
      line.push(node.toString().replace(/<[^>]*>/g, ''));
    } else if (node instanceof Y.XmlElement) {
      const children = node.toArray();
      const isBlockContainer = children.some((c) => c instanceof Y.XmlElement);
      if (isBlockContainer) {
        for (const child of children) {
          const childLine: string[] = [];
          walk(child, childLine);
          if (childLine.length) lines.push(childLine.join(''));
        }
      } else {
        for (const child of children) walk(child, line);
      }
    }
  };
  for (const node of fragment.toArray()) {
    const line: string[] = [];
    walk(node, line);
    if (line.length || node instanceof Y.XmlElement) lines.push(line.join(''));
  }
  return lines.join('\n').replace(/\n+$/, '');
}

// ---------------------------------------------------------------- reading

function readCollection(doc: Y.Doc, field: string): Record<string, unknown>[] {
  const items: { pos: number; id: string; item: Record<string, unknown> }[] = [];
  collectionOf(doc, field).forEach((ymap, id) => {
    if (!(ymap instanceof Y.Map)) return;
    const item: Record<string, unknown> = { id };
    let pos = 0;
    ymap.forEach((value, key) => {
      if (key === POSITION) pos = typeof value === 'number' ? value : 0;
      else item[key] = value;
    });
    items.push({ pos, id, item });
  });
  items.sort((a, b) => a.pos - b.pos || (a.id < b.id ? -1 : 1));
  return items.map((i) => i.item);
}

/** The doc's state vector (each client's next clock) as a map, read from its store without encoding it. */
export function stateVectorOf(doc: Y.Doc): Map<number, number> {
  return new Map([...doc.store.clients.keys()].map((client) => [client, Y.getState(doc.store, client)]));
}

/** One field of a record as read from its doc (its default while never written). */
export function readField(kind: RecordKind, doc: Y.Doc, field: string): unknown {
  switch (storageOf(kind)[field]) {
    case 'value': {
      const fields = fieldsOf(doc);
      return fields.has(field) ? fields.get(field) : ((DEFAULTS[kind] as Record<string, unknown>)[field] ?? null);
    }
    case 'set':
      return [...setOf(doc, field).keys()].sort();
    case 'collection':
      return readCollection(doc, field);
    case 'richtext':
      return richTextToPlain(richTextOf(doc, field));
    default:
      return undefined;
  }
}

export function readData<K extends RecordKind>(kind: K, doc: Y.Doc): DataOf<K> {
  const data: Record<string, unknown> = {};
  for (const field of Object.keys(storageOf(kind))) data[field] = readField(kind, doc, field);
  return data as DataOf<K>;
}

/**
 * The root types a transaction changed, by name, each with the keys it set or deleted
 * directly in that root (for `fields`: which value fields). Read inside the transaction,
 * before it ends; a change nested in a collection item or in rich text counts for its root.
 * Deletions count too (Yjs records every type an insertion or a deletion changed).
 */
export function changedRoots(doc: Y.Doc, transaction: Y.Transaction): Map<string, Set<string | null>> {
  const names = new Map<unknown, string>();
  for (const [name, type] of doc.share) names.set(type, name);
  const roots = new Map<string, Set<string | null>>();
  for (const [type, keys] of transaction.changed) {
    let root = type;
    while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent as typeof type;
    const name = names.get(root);
    if (name === undefined) continue;
    const at = roots.get(name) ?? new Set<string | null>();
    roots.set(name, at);
    if (root === type) for (const key of keys) at.add(key);
  }
  return roots;
}

/** The fields of a record of `kind` whose value the changed roots (changedRoots) may have changed, in the kind's order. */
export function changedFields(kind: RecordKind, roots: ReadonlyMap<string, ReadonlySet<string | null>>): string[] {
  const fields = roots.get(ROOTS.fields);
  return Object.entries(storageOf(kind))
    .filter(([field, storage]) => (storage === 'value' ? fields?.has(field) : roots.has(`${ROOT_PREFIX[storage]}${field}`)))
    .map(([field]) => field);
}

/** `data` with the changed fields read again from the doc (a new object; the other fields are `data`'s). */
export function rereadFields(kind: RecordKind, doc: Y.Doc, data: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  const after = { ...data };
  for (const field of fields) after[field] = readField(kind, doc, field);
  return after;
}
