// A new record's doc written straight to bytes: the Yjs update (v1) that encoding a doc built
// by `writeMeta` and `writeInitial` in one transaction gives, byte for byte for the same client
// id (tests/unit/new-doc.test.ts), and the data reading that doc gives — without building it.
// Building a doc item by item and encoding it was a third of a bulk create's time: a new doc
// is one client's items in clock order, each a map entry or, in rich text, the next of a list,
// with nothing deleted. It takes validated data only: a value Yjs would store other than as
// JSON, or a collection naming one item twice, is an error here (zod refuses both before).
import * as encoding from 'lib0/encoding';
import { uint32 } from 'lib0/random';
import { DEFAULTS, type RecordKind, type RecordMeta } from '../../shared/domain';
import { CREATED, POSITION, ROOTS, ROOT_PREFIX, storageOf } from '../../shared/record-layout';
import type { Stamp } from './record-doc';

// Yjs's content and type references (yjs/src/structs/Item.js, yjs/src/types/*.js).
const CONTENT_STRING = 4;
const CONTENT_TYPE = 7;
const CONTENT_ANY = 8;
const TYPE_MAP = 1;
const TYPE_XML_ELEMENT = 3;
const TYPE_XML_TEXT = 6;
// An item's info byte: it has a left origin; it has a key in its parent map.
const HAS_ORIGIN = 0x80;
const HAS_PARENT_SUB = 0x20;

/** Where an item hangs: a root type by name, or the type an earlier item of this doc holds (its clock). */
type Parent = string | number;

class NewDocWriter {
  private readonly body = encoding.createEncoder();
  private clock = 0;
  private structs = 0;

  constructor(private readonly client: number) {}

  private item(ref: number, origin: number | null, parent: Parent, key: string | null): number {
    const at = this.clock;
    encoding.writeUint8(this.body, ref | (origin === null ? 0 : HAS_ORIGIN) | (key === null ? 0 : HAS_PARENT_SUB));
    if (origin !== null) {
      encoding.writeVarUint(this.body, this.client);
      encoding.writeVarUint(this.body, origin);
    } else {
      if (typeof parent === 'string') {
        encoding.writeVarUint(this.body, 1);
        encoding.writeVarString(this.body, parent);
      } else {
        encoding.writeVarUint(this.body, 0);
        encoding.writeVarUint(this.body, this.client);
        encoding.writeVarUint(this.body, parent);
      }
      if (key !== null) encoding.writeVarString(this.body, key);
    }
    this.structs++;
    return at;
  }

  /** `parent.set(key, value)` of a JSON value. */
  value(parent: Parent, key: string, value: unknown): void {
    this.item(CONTENT_ANY, null, parent, key);
    encoding.writeVarUint(this.body, 1);
    encoding.writeAny(this.body, value as Parameters<typeof encoding.writeAny>[1]);
    this.clock += 1;
  }

  /** A new type: `parent.set(key, type)` in a map, or inserted after `origin` in a list. Returns its clock. */
  type(parent: Parent, key: string | null, origin: number | null, typeRef: number, nodeName?: string): number {
    const at = this.item(CONTENT_TYPE, origin, parent, key);
    encoding.writeVarUint(this.body, typeRef);
    if (nodeName !== undefined) encoding.writeVarString(this.body, nodeName);
    this.clock += 1;
    return at;
  }

  /** A text's first string. */
  string(parent: number, text: string): void {
    this.item(CONTENT_STRING, null, parent, null);
    encoding.writeVarString(this.body, text);
    this.clock += text.length;
  }

  /** The update: this client's items from clock 0, and an empty delete set. */
  finish(): Uint8Array {
    const out = encoding.createEncoder();
    encoding.writeVarUint(out, 1);
    encoding.writeVarUint(out, this.structs);
    encoding.writeVarUint(out, this.client);
    encoding.writeVarUint(out, 0);
    encoding.writeUint8Array(out, encoding.toUint8Array(this.body));
    encoding.writeVarUint(out, 0);
    return encoding.toUint8Array(out);
  }
}

type Item = Record<string, unknown> & { id: string };

/** Plain text as `richTextToPlain` reads it back from the paragraphs `writeInitial` makes of it. */
const plainOfLines = (text: string) => text.split('\n').map((line) => line.replace(/<[^>]*>/g, '')).join('\n').replace(/\n+$/, '');

/** Refuse what a validated record cannot hold (see above): the bytes would not be the doc's. */
function json(value: unknown, where: string): unknown {
  if (value === null || value === undefined) return value;
  const type = (value as object).constructor;
  if (type === Number || type === String || type === Boolean || type === Object || type === Array) return value;
  throw new Error(`${where} is not a JSON value`);
}

/**
 * A new record's doc as Yjs encodes it (`client`: its Yjs client id, random as Yjs makes
 * them) and its data as `readData` reads that doc.
 */
export function encodeNewDoc(
  kind: RecordKind,
  meta: Omit<RecordMeta, 'id'>,
  data: Record<string, unknown>,
  stamp: Stamp,
  client: number = uint32(),
): { update: Uint8Array; data: Record<string, unknown> } {
  const w = new NewDocWriter(client);
  for (const [key, value] of Object.entries(meta)) {
    if (value !== undefined) w.value(ROOTS.meta, key, json(value, `meta.${key}`));
  }
  w.value(ROOTS.stamps, CREATED, stamp);
  const storage = storageOf(kind);
  const defaults = DEFAULTS[kind] as Record<string, unknown>;
  const read: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) {
    if (value === undefined) continue;
    switch (storage[field]) {
      case 'value':
        w.value(ROOTS.fields, field, json(value, field));
        break;
      case 'set': {
        const members = [...new Set(value as string[])];
        for (const member of members) w.value(`${ROOT_PREFIX.set}${field}`, member, true);
        read[field] = members.sort();
        break;
      }
      case 'collection': {
        const items = value as Item[];
        if (new Set(items.map((i) => i.id)).size !== items.length) throw new Error(`${field} has two entries with the same id`);
        const root = `${ROOT_PREFIX.collection}${field}`;
        read[field] = items.map((item, index) => {
          const map = w.type(root, item.id, null, TYPE_MAP);
          w.value(map, POSITION, index);
          const readItem: Item = { id: item.id };
          for (const [key, property] of Object.entries(item)) {
            if (key === 'id') continue;
            if (key === POSITION) throw new Error(`${field}.${index} has a property named ${POSITION}`);
            w.value(map, key, json(property, `${field}.${index}.${key}`));
            readItem[key] = property;
          }
          return readItem;
        });
        break;
      }
      case 'richtext': {
        const root = `${ROOT_PREFIX.richtext}${field}`;
        let previous: number | null = null;
        if (value !== '') {
          for (const line of (value as string).split('\n')) {
            previous = w.type(root, null, previous, TYPE_XML_ELEMENT, 'paragraph');
            if (line) w.string(w.type(previous, null, null, TYPE_XML_TEXT), line);
          }
        }
        read[field] = plainOfLines(value as string);
        break;
      }
      default:
        throw new Error(`${kind} has no field ${field}`);
    }
  }
  // Read in the layout's field order, as readData does: a field never written reads as its default.
  const out: Record<string, unknown> = {};
  for (const [field, how] of Object.entries(storage)) {
    if (how === 'value') out[field] = data[field] !== undefined ? data[field] : (defaults[field] ?? null);
    else out[field] = read[field] ?? (how === 'richtext' ? '' : []);
  }
  return { update: w.finish(), data: out };
}
