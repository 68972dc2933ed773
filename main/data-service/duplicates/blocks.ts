// The blocks of a scan: every key the records give and which records gave it. A scan of
// 50,000 contacts gives some 800,000 keys; as texts in a Map they cost a fifth of the scan
// (a string built, hashed and compared per key, in a table too large for the CPU's caches).
// Here a key is a kind and two ids of its parts (partId: a word, a sound, first letters,
// a house number), packed in one number, in an open-addressing table of typed arrays; a
// key that is not made of parts (an email) is a text given its own id.

/** Parts of keys are below this (ids of texts and parts, 24 bits each); a key packs its kind and two of them in a double exactly. */
const PART_LIMIT = 2 ** 24;
/** Kinds of key a matcher may use (0 is for texts). */
export const MAX_KEY_KIND = 31;

/** Ids of the texts blocking keys are made of: the same text, the same id. */
const partIds = new Map<string, number>();
/** Texts interned before the table starts again (between scans: an id must not change within one). */
const MOST_PARTS = 1_000_000;
/** Bumped each time the table starts again, so parts worked out before (memoised on words) are worked out again. */
let epoch = 0;

/** Which start of the part ids is current (see `epoch`). */
export const partEpoch = (): number => epoch;

/** The id of a text that is part of keys (a word, a sound, first letters, a number), below PART_LIMIT while ids last. */
export function partId(text: string): number {
  let id = partIds.get(text);
  if (id === undefined) partIds.set(text, (id = partIds.size + 1));
  return id;
}

/** Where a matcher gives a record's blocking keys. */
export interface BlockingKeys {
  /** A key as text. */
  text(key: string): void;
  /** A key of a kind (1 to MAX_KEY_KIND) made of one or two part ids. */
  ids(kind: number, x: number, y?: number): void;
}

/** A slot of the table: its key (0: empty), the last record that gave it, how many records gave it, and its number in the order keys were first given (a quarter of a cache line). */
const SLOT = 4;
const [KEY, LAST, SIZE, ORDINAL] = [0, 1, 2, 3];

export class Blocks implements BlockingKeys {
  /**
   * The slots, each one's figures side by side: giving a key reads and writes one cache line
   * where three arrays cost three misses (800,000 keys in a table of 16 MB, far larger than the caches).
   */
  private slots: Float64Array;
  private used = 0;
  /** Per entry (a record giving a key), in the order given: its record, and its key's ordinal. */
  private records = new Int32Array(1 << 16);
  private keys = new Int32Array(1 << 16);
  private entries = 0;
  /** Texts given as keys, with their ids (per scan). */
  private readonly texts = new Map<string, number>();
  /** The record whose keys are being given. */
  private record = 0;

  constructor(expectedKeys: number) {
    // Between scans is the one time the part ids may start again: each scan's keys are made of one epoch's ids.
    if (partIds.size > MOST_PARTS) {
      partIds.clear();
      epoch++;
    }
    let size = 1 << 10;
    while (size < 2 * expectedKeys) size *= 2;
    this.slots = new Float64Array(SLOT * size);
  }

  /** Give the keys of record `index` (records in ascending order). */
  of(index: number): this {
    this.record = index;
    return this;
  }

  text(key: string): void {
    let id = this.texts.get(key);
    if (id === undefined) this.texts.set(key, (id = this.texts.size + 1));
    this.add(0, Math.floor(id / PART_LIMIT), id % PART_LIMIT);
  }

  ids(kind: number, x: number, y = 0): void {
    if (!(kind >= 1 && kind <= MAX_KEY_KIND)) throw new Error(`a blocking key's kind is 1 to ${MAX_KEY_KIND} (0 is for texts), not ${kind}`);
    if (x >= PART_LIMIT || y >= PART_LIMIT) this.text(`${kind}:${x}:${y}`);
    else this.add(kind, x, y);
  }

  /** How many distinct keys were given. */
  get size(): number {
    return this.used;
  }

  /**
   * Each key given by two records or more: `visit` is given its records, in ascending order,
   * as `members` from `from` to before `to` (one array holds every key's: a scan has some
   * 100,000 such keys, and an array each was garbage to collect).
   */
  shared(visit: (members: Int32Array, from: number, to: number) => void): void {
    // Where each shared key's records start (by ordinal; -1: a key given once), then the
    // records put in place in the order given (ascending) — reads that do not wait on each
    // other, where following a chain of entries per key waited on a cache miss per record.
    const next = new Int32Array(this.used).fill(-1);
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += SLOT) if (slots[at + SIZE]! >= 2) next[slots[at + ORDINAL]!] = slots[at + SIZE]!;
    let total = 0;
    for (let ordinal = 0; ordinal < next.length; ordinal++) {
      const size = next[ordinal]!;
      if (size < 0) continue;
      next[ordinal] = total;
      total += size;
    }
    const members = new Int32Array(total);
    for (let entry = 0; entry < this.entries; entry++) {
      const key = this.keys[entry]!;
      const at = next[key]!;
      if (at < 0) continue;
      members[at] = this.records[entry]!;
      next[key] = at + 1;
    }
    // `next` now holds where each key's records end.
    let from = 0;
    for (let ordinal = 0; ordinal < next.length; ordinal++) {
      const to = next[ordinal]!;
      if (to < 0) continue;
      visit(members, from, to);
      from = to;
    }
  }

  private add(kind: number, x: number, y: number): void {
    const key = (kind * PART_LIMIT + x) * PART_LIMIT + y;
    const hash = hashOf(kind, x, y);
    let mask = this.slots.length / SLOT - 1;
    let at = SLOT * (hash & mask);
    for (;;) {
      const found = this.slots[at + KEY]!;
      if (found === key) break;
      if (found === 0) {
        if (2 * (this.used + 1) > this.slots.length / SLOT) {
          this.grow();
          mask = this.slots.length / SLOT - 1;
          at = SLOT * (hash & mask);
          continue;
        }
        this.slots[at + KEY] = key;
        this.slots[at + LAST] = -1;
        this.slots[at + ORDINAL] = this.used++;
        break;
      }
      at = SLOT * ((at / SLOT + 1) & mask);
    }
    // A record may give one key twice.
    if (this.slots[at + LAST] === this.record) return;
    if (this.entries === this.records.length) {
      this.records = grown(this.records);
      this.keys = grown(this.keys);
    }
    this.records[this.entries] = this.record;
    this.keys[this.entries++] = this.slots[at + ORDINAL]!;
    this.slots[at + LAST] = this.record;
    this.slots[at + SIZE]!++;
  }

  private grow(): void {
    const slots = this.slots;
    this.slots = new Float64Array(2 * slots.length);
    const mask = this.slots.length / SLOT - 1;
    for (let from = 0; from < slots.length; from += SLOT) {
      const key = slots[from + KEY]!;
      if (key === 0) continue;
      const kind = Math.floor(key / PART_LIMIT ** 2);
      const x = Math.floor(key / PART_LIMIT) % PART_LIMIT;
      const y = key % PART_LIMIT;
      let slot = hashOf(kind, x, y) & mask;
      while (this.slots[SLOT * slot + KEY] !== 0) slot = (slot + 1) & mask;
      this.slots.set(slots.subarray(from, from + SLOT), SLOT * slot);
    }
  }
}

function hashOf(kind: number, x: number, y: number): number {
  const hash = Math.imul(x ^ (kind << 24), 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b);
  return hash ^ (hash >>> 15);
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(2 * array.length);
  bigger.set(array);
  return bigger;
}
