// How `record_facets` keeps a facet's value. Most values are record ids (a session's
// attendees, a connection's ends): kept as text, a 36-character id made each row ~88 bytes,
// and a batch of new sessions, whose attendees land all over the table, rewrote nearly
// every page of it. A record id is kept as its 16 bytes instead (and the row's record as
// its `records.rid`), which more than halves the rows (migration 20). Every other value (a
// role, a theme, a field name) stays text. The mapping is one-to-one: only an id written
// exactly as ids are (lowercase, dashed) becomes bytes, and bytes always read back as that id.
import type { SqliteDatabase } from './db/sqlite';

export type StoredFacetValue = string | Buffer;

const HEX = '0123456789abcdef';
/** Each lowercase hex digit's value by char code; -1 for any other character. */
const NIBBLE = Array.from({ length: 128 }, (_, code) => HEX.indexOf(String.fromCharCode(code)));
/** Where each of an id's 16 bytes is written, as two hex digits, in its 36 characters. */
const BYTE_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const DASH = 45;
/** Where an id's four dashes are. */
const DASH_AT = [8, 13, 18, 23];

/** A value as `record_facets` keeps it: a record id as its 16 bytes, anything else as it is. */
export function storedFacetValue(value: string): StoredFacetValue {
  const dashed = value.length === 36 && DASH_AT.every((at) => value.charCodeAt(at) === DASH);
  if (!dashed) return value;
  const bytes = Buffer.allocUnsafe(16);
  for (let i = 0; i < 16; i++) {
    const at = BYTE_AT[i]!;
    const high = NIBBLE[value.charCodeAt(at)] ?? -1;
    const low = NIBBLE[value.charCodeAt(at + 1)] ?? -1;
    if (high < 0 || low < 0) return value;
    bytes[i] = high * 16 + low;
  }
  return bytes;
}

/** A value `record_facets` keeps, as it was written. */
export function facetValueText(stored: StoredFacetValue): string {
  if (typeof stored === 'string') return stored;
  const hex = stored.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * SQL's way to the same mapping, for queries whose values come from SQL (`json_each` of a
 * list of ids, another table's column): `facet_value(text)` and `facet_text(stored)`.
 */
export function registerFacetFunctions(db: SqliteDatabase): void {
  db.function('facet_value', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? storedFacetValue(value) : value));
  db.function('facet_text', { deterministic: true }, (stored: unknown) =>
    typeof stored === 'string' || Buffer.isBuffer(stored) ? facetValueText(stored) : stored,
  );
}
