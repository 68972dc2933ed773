// What the data service needs of a record kind besides its shared description
// (shared/kinds/<kind>.ts): the list row and facets it projects, the text global search
// looks in, and the kind's own projection tables. One file per kind beside this one.
import type { DataOf, RecordKind } from '../../../shared/domain';
import type { SubjectAccessSection } from '../db/tables';

export interface Facet {
  facet: string;
  value: string;
}

/** A record's line in the `records` table, besides its category and date (from the shared description). */
export interface ListRowOf {
  title: string;
  subtitle: string;
  badges: string[];
  /** Values lists and links find records by (`record_facets`): a list filter's facet, a session's attendees. */
  facets: Facet[];
}

/**
 * A field global search looks in, named by its data path so a result can say which field
 * matched; `forms` are other spellings indexed but not shown (a phone number's digits).
 */
export interface SearchField {
  field: string;
  text: string;
  forms?: string[];
}

/**
 * A projection table of one kind's own rows (a contact's skills, a session's actions),
 * keyed by the record's id in `key`: written again whenever the record is, emptied when
 * it is removed. Its migration creates it (main/data-service/db/migrations.ts).
 */
export interface KindTable<K extends RecordKind> {
  name: string;
  /** What its rows hold about a person (db/tables.ts: erasure and subject access walk these claims). */
  personal: string;
  /** Where a subject access export shows it (db/tables.ts). */
  subjectAccess: readonly SubjectAccessSection[];
  key: string;
  /** Columns in the order `rows` gives their values; the first is `key`. */
  columns: readonly string[];
  /** Only an active record has rows (deleted and merged-away records drop out of what reads this table). */
  activeOnly: boolean;
  rows(id: string, data: DataOf<K>): unknown[][];
}

export interface KindProjection<K extends RecordKind> {
  row(data: DataOf<K>): ListRowOf;
  /** What global search looks in besides the title, field by field. */
  search(data: DataOf<K>): SearchField[];
  tables: readonly KindTable<K>[];
}

/** A value as lists and search show it: `community-conversation` as `community conversation`. */
export const label = (value: string) => value.replace(/-/g, ' ');
export const facets = (facet: string, values: readonly string[]): Facet[] => values.map((value) => ({ facet, value }));
export const join = (parts: (string | null | undefined)[], separator = ' · ') => parts.filter(Boolean).join(separator);
/** Postcodes and phone numbers are also indexed without spaces, so "M145TQ" finds "M14 5TQ". */
export const compact = (value: string) => [value.replace(/[^0-9A-Za-z]/g, '')];
