// What a record kind's description says (one per kind in shared/kinds/<kind>.ts): the
// tables the rest of the app derives — the write schemas, the RPC unions, how each field
// merges, which fields point at other records, the list's date, category and filters, and
// the words the interface uses for it. The data service's own part of a kind (projection
// rows, search text) is in main/data-service/kinds/.
import type { z } from 'zod';
import type { RecordKind } from './index';

/**
 * How a field is held in the record's Y.Doc:
 * - value: last writer wins for the whole value;
 * - set: members added and removed independently;
 * - collection: items keyed by id, each item's properties merged independently;
 * - richtext: a Y.XmlFragment edited by the rich-text editor (`notes` of a session).
 */
export type FieldStorage = 'value' | 'set' | 'collection' | 'richtext';

/** A field that points at another record, and the kinds that record may be. */
export interface RecordReference {
  /** Data path of the reference: `venueId`, `attendeeIds.2`, `actions.0.ownerId`. */
  field: string;
  id: string;
  kinds: RecordKind[];
}

/**
 * A filter a list of this kind offers (`ListQuery.filter.<key>`): on the record's category
 * column (see `category`), or on the facets the data service projects under `facet`. A
 * filter whose values are a fixed list (a z.enum) is offered as a choice of those values.
 */
export type ListFilter = { label: string; values: z.ZodType<string> } & ({ on: 'category' } | { on: 'facet'; facet: string });

// Functions are declared as methods so that any kind's description is a KindDescription of
// any fields (method parameters are compared both ways).
export interface KindDescription<S extends z.ZodObject = AnyFields, Required extends keyof z.output<S> = keyof z.output<S>> {
  /** Every field, as a write must give it. */
  fields: S;
  /** Fields a new record must be given; every other field starts from `defaults`. */
  required: readonly Required[];
  defaults: Omit<z.output<S>, Required>;
  storage: { [F in keyof z.output<S>]-?: FieldStorage };
  /**
   * Fields of free text a person writes in their own words (notes, descriptions): when two
   * people write one at the same time, a lead can keep both texts instead of choosing.
   * Rich text merges both people's typing by itself and is not listed.
   */
  freeText: readonly (keyof z.output<S>)[];
  /**
   * Which fields point at other records: the data service checks each one a write adds and
   * reads each through merges (Workspace.resolveId); a view re-reads a record when one it
   * points at changes (its name, or a merge). Members of a `set` field are one each.
   */
  references(data: z.output<S>): RecordReference[];
  /** Short human title, used in pickers, chips and record pages. */
  title(data: z.output<S>): string;
  /** The record's date in lists (date filters and the `date` sort); null: its last change. */
  date: keyof z.output<S> | null;
  /** The field the list's category column holds (filters `on: 'category'` compare with it). */
  category: keyof z.output<S>;
  /** Filters the list of this kind offers, by their key in `ListQuery.filter`. */
  filters: Readonly<Record<string, ListFilter>>;
  /**
   * Who may write records of this kind: only team leads for the workspace's own settings
   * (the data service refuses anyone else's write, and the sync server anyone else's push).
   */
  writers?: 'leads';
  labels: {
    one: string;
    many: string;
    /** Labels of this kind's fields where the word the whole app uses for that name would mislead. */
    fields?: Partial<Record<keyof z.output<S>, string>>;
  };
}

/** Fields of any kind. */
export type AnyFields = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/** A description checked against its own schema, with its types kept for the tables derived from it. */
export const describeKind = <S extends z.ZodObject, const Required extends keyof z.output<S>, const F extends Readonly<Record<string, ListFilter>>>(
  description: KindDescription<S, Required> & { filters: F },
): Omit<KindDescription<S, Required>, 'filters'> & { filters: F } => description;
