// Every record kind, each described once (shared/kinds/<kind>.ts), and the tables the rest
// of the app reads derived from those descriptions. A new kind is a description here, its
// data-service part in main/data-service/kinds/, and its screens; the mapped types below
// make the compiler name whatever a new kind still lacks.
import { z } from 'zod';
import { ASSET } from './asset';
import { CONNECTION } from './connection';
import { CONTACT } from './contact';
import { POLICY } from './policy';
import type { FieldStorage, KindDescription, RecordReference } from './describe';
import { SESSION } from './session';

export const RECORD_KINDS = ['asset', 'contact', 'connection', 'session', 'policy'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
/** Kinds with a list, a form and a page of their own; the privacy settings are edited in Settings. */
export const LISTED_KINDS = ['asset', 'contact', 'connection', 'session'] as const satisfies readonly RecordKind[];
export type ListedKind = (typeof LISTED_KINDS)[number];

export const KINDS = {
  asset: ASSET,
  contact: CONTACT,
  connection: CONNECTION,
  session: SESSION,
  policy: POLICY,
} as const satisfies { [K in RecordKind]: KindDescription };

type Kinds = typeof KINDS;
type ShapeOf<K extends RecordKind> = Kinds[K]['fields']['shape'];
type RequiredOf<K extends RecordKind> = Extract<Kinds[K]['required'][number], keyof DataOf<K>>;

export type DataOf<K extends RecordKind> = z.infer<Kinds[K]['fields']>;
export type DefaultsOf<K extends RecordKind> = Omit<DataOf<K>, RequiredOf<K>>;
/** Input of `create`: the required fields plus any others. */
export type CreateInput<K extends RecordKind> = Partial<DataOf<K>> & Pick<DataOf<K>, RequiredOf<K>>;
/** Input of `update`: any subset of fields. */
export type PatchInput<K extends RecordKind> = Partial<DataOf<K>>;

/** A table with one entry per kind, built by `entryOf`. */
function perKind<T extends { [K in RecordKind]: unknown }>(entryOf: (kind: RecordKind) => T[RecordKind]): T {
  return Object.fromEntries(RECORD_KINDS.map((kind) => [kind, entryOf(kind)])) as T;
}

/** One schema per kind in RECORD_KINDS' order, for a union over kinds (the caller names its precise type). */
export function eachKind<T>(schemaOf: (kind: RecordKind) => T): T[] {
  return RECORD_KINDS.map(schemaOf);
}

/** Every field, as a write must give it. */
export const FIELDS = perKind<{ [K in RecordKind]: Kinds[K]['fields'] }>((kind) => KINDS[kind].fields);

export const DEFAULTS = perKind<{ [K in RecordKind]: DefaultsOf<K> }>((kind) => KINDS[kind].defaults);

type Optional<T> = T extends z.ZodType ? z.ZodOptional<T> : never;
type CreateSchema<K extends RecordKind> = z.ZodObject<
  { -readonly [F in keyof ShapeOf<K>]: F extends RequiredOf<K> ? z.ZodNonOptional<Optional<ShapeOf<K>[F]>> : Optional<ShapeOf<K>[F]> },
  z.core.$strict
>;
/** Input of `create`: the required fields plus any others. */
export const CREATE_INPUT = perKind<{ [K in RecordKind]: CreateSchema<K> }>((kind) => {
  const { fields, required } = KINDS[kind] as KindDescription;
  return fields.partial().required(Object.fromEntries(required.map((field) => [field, true]))) as never;
});

/** Input of `update`: any subset of fields. Collections and sets are given whole; the
 * data service turns the difference into per-item CRDT operations so that concurrent
 * edits of different items on different devices both survive. */
export const PATCH_INPUT = perKind<{ [K in RecordKind]: ReturnType<Kinds[K]['fields']['partial']> }>(
  (kind) => (KINDS[kind] as KindDescription).fields.partial() as never,
);

/** How each field of each kind is held in its record's Y.Doc (see FieldStorage). */
export const FIELD_STORAGE = perKind<{ [K in RecordKind]: Kinds[K]['storage'] }>((kind) => KINDS[kind].storage);

export const FREE_TEXT_FIELDS = perKind<{ [K in RecordKind]: Kinds[K]['freeText'] }>((kind) => KINDS[kind].freeText);

export const isFreeText = (kind: RecordKind, field: string) => (FREE_TEXT_FIELDS[kind] as readonly string[]).includes(field);

/** Which fields of `data` point at other records (see KindDescription.references). */
export function referencesOf<K extends RecordKind>(kind: K, data: DataOf<K>): RecordReference[] {
  return (KINDS[kind] as unknown as KindDescription<Kinds[K]['fields']>).references(data);
}

/** Short human title of a record, used in pickers, chips and record pages. */
export function recordTitle(kind: RecordKind, data: Record<string, unknown>): string {
  return String((KINDS[kind] as unknown as KindDescription).title(data) ?? '');
}

type FilterKey<K extends RecordKind> = keyof Kinds[K]['filters'] & string;
type FilterValue<K extends RecordKind, F extends FilterKey<K>> = Kinds[K]['filters'][F] extends { values: infer V extends z.ZodType } ? V : never;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type ListFilterShape = UnionToIntersection<{ [K in RecordKind]: { [F in FilterKey<K>]: z.ZodOptional<FilterValue<K, F>> } }[RecordKind]>;

/** Every kind's list filters as fields of `ListQuery.filter`, each optional. */
export const LIST_FILTER_SHAPE = Object.fromEntries(
  RECORD_KINDS.flatMap((kind) => Object.entries(KINDS[kind].filters).map(([key, filter]) => [key, filter.values.optional()])),
) as { [F in keyof ListFilterShape]: ListFilterShape[F] };

export type { FieldStorage, KindDescription, ListFilter, RecordReference } from './describe';
