// A new record's doc written straight to bytes: the Yjs update (v1) that encoding a doc built
// by `writeMeta` and `writeInitial` in one transaction gives, byte for byte for the same client
// id (tests/unit/new-doc.test.ts), and the data reading that doc gives — without building it.
// Building a doc item by item, encoding it and reading it back was over a quarter of a bulk
// create's time (~50 µs of ~185 a record; this writer ~11 µs): a new doc
// is one client's items in clock order, each a map entry or, in rich text, the next of a list,
// with nothing deleted. It takes validated data only: a value Yjs would store other than as
// JSON, or a collection naming one item twice, is an error here (zod refuses both before).
import * as encoding from 'lib0/encoding';
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

const utf8 = new TextEncoder();

/**
 * lib0's encoding (varuints, strings, `writeAny`) into one buffer reused for every doc, with
 * each string encoded straight into it: lib0 copies a string's bytes one at a time, and
 * allocates as an encoder grows. Numbers other than small counts are written by lib0 itself.
 */
class Bytes {
  buf = new Uint8Array(1 << 16);
  pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buf[this.pos++] = value;
  }

  varUint(value: number): void {
    this.reserve(10);
    while (value > 0x7f) {
      this.buf[this.pos++] = 0x80 | (value & 0x7f);
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value & 0x7f;
  }

  /** lib0's writeVarString: the UTF-8 length, then the bytes. */
  string(text: string): void {
    const n = text.length;
    // At most 3 bytes per UTF-16 unit, and a length of up to 5.
    this.reserve(10 + n * 3);
    const start = this.pos;
    // Most text is ASCII, whose bytes are its code units: no call into the encoder.
    this.varUint(n);
    const buf = this.buf;
    let at = this.pos;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        this.pos = start;
        this.utf8(text);
        return;
      }
      buf[at++] = c;
    }
    this.pos = at;
  }

  private utf8(text: string): void {
    const from = this.pos + 5;
    const { written } = utf8.encodeInto(text, this.buf.subarray(from));
    this.varUint(written);
    this.buf.copyWithin(this.pos, from, from + written);
    this.pos += written;
  }

  /** lib0's writeAny, for the JSON values a record holds. */
  any(value: unknown): void {
    if (typeof value === 'string') {
      this.u8(119);
      this.string(value);
    } else if (typeof value === 'boolean') {
      this.u8(value ? 120 : 121);
    } else if (value === null) {
      this.u8(126);
    } else if (value === undefined) {
      this.u8(127);
    } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 64 && !Object.is(value, -0)) {
      // A small count: lib0's varint of it is the number itself.
      this.u8(125);
      this.u8(value);
    } else if (Array.isArray(value)) {
      this.u8(117);
      this.varUint(value.length);
      for (const v of value) this.any(v);
    } else if (typeof value === 'object' && !(value instanceof Uint8Array)) {
      const keys = Object.keys(value);
      this.u8(118);
      this.varUint(keys.length);
      for (const key of keys) {
        this.string(key);
        this.any((value as Record<string, unknown>)[key]);
      }
    } else {
      // Other numbers (floats, large or negative ones), and what no record holds, as lib0 writes them.
      const e = encoding.createEncoder();
      encoding.writeAny(e, value as Parameters<typeof encoding.writeAny>[1]);
      this.bytes(encoding.toUint8Array(e));
    }
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}

const body = new Bytes();
const header = new Bytes();

/** Yjs client ids, random as Yjs draws them, a thousand at a time. */
const clientIds = new Uint32Array(1024);
let clientIdsLeft = 0;
function newClientId(): number {
  if (clientIdsLeft === 0) {
    crypto.getRandomValues(clientIds);
    clientIdsLeft = clientIds.length;
  }
  return clientIds[--clientIdsLeft]!;
}

class NewDocWriter {
  private clock = 0;
  private structs = 0;

  constructor(private readonly client: number) {
    body.pos = 0;
  }

  private item(ref: number, origin: number | null, parent: Parent, key: string | null): number {
    const at = this.clock;
    body.u8(ref | (origin === null ? 0 : HAS_ORIGIN) | (key === null ? 0 : HAS_PARENT_SUB));
    if (origin !== null) {
      body.varUint(this.client);
      body.varUint(origin);
    } else {
      if (typeof parent === 'string') {
        body.varUint(1);
        body.string(parent);
      } else {
        body.varUint(0);
        body.varUint(this.client);
        body.varUint(parent);
      }
      if (key !== null) body.string(key);
    }
    this.structs++;
    return at;
  }

  /** `parent.set(key, value)` of a JSON value. */
  value(parent: Parent, key: string, value: unknown): void {
    this.item(CONTENT_ANY, null, parent, key);
    body.varUint(1);
    body.any(value);
    this.clock += 1;
  }

  /** A new type: `parent.set(key, type)` in a map, or inserted after `origin` in a list. Returns its clock. */
  type(parent: Parent, key: string | null, origin: number | null, typeRef: number, nodeName?: string): number {
    const at = this.item(CONTENT_TYPE, origin, parent, key);
    body.varUint(typeRef);
    if (nodeName !== undefined) body.string(nodeName);
    this.clock += 1;
    return at;
  }

  /** A text's first string. */
  string(parent: number, text: string): void {
    this.item(CONTENT_STRING, null, parent, null);
    body.string(text);
    this.clock += text.length;
  }

  /** The update: this client's items from clock 0, and an empty delete set. */
  finish(): Uint8Array {
    header.pos = 0;
    header.varUint(1);
    header.varUint(this.structs);
    header.varUint(this.client);
    header.varUint(0);
    const out = new Uint8Array(header.pos + body.pos + 1);
    out.set(header.buf.subarray(0, header.pos));
    out.set(body.buf.subarray(0, body.pos), header.pos);
    out[out.length - 1] = 0;
    return out;
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
  client: number = newClientId(),
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
