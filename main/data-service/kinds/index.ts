// The data service's part of every record kind (one file each beside this one), and what
// the projection, search and reads derive from it together with the shared description.
import { FIELD_STORAGE, KINDS, RECORD_KINDS, referencesOf, type AnyRecord, type DataOf, type RecordKind } from '../../../shared/domain';
import { ASSET_PROJECTION } from './asset';
import { CONNECTION_PROJECTION } from './connection';
import { CONTACT_PROJECTION } from './contact';
import type { Facet, KindProjection, KindTable, SearchField } from './describe';
import { POLICY_PROJECTION } from './policy';
import { SESSION_PROJECTION } from './session';

export type { Facet, SearchField } from './describe';

const PROJECTIONS: { [K in RecordKind]: KindProjection<K> } = {
  asset: ASSET_PROJECTION,
  contact: CONTACT_PROJECTION,
  connection: CONNECTION_PROJECTION,
  session: SESSION_PROJECTION,
  policy: POLICY_PROJECTION,
};

const projectionOf = <K extends RecordKind>(kind: K) => PROJECTIONS[kind] as unknown as KindProjection<RecordKind>;

/** A record's line in the `records` table and its facets. */
export interface ProjectedRow {
  title: string;
  subtitle: string;
  badges: string[];
  /** The list's category column: the field the kind's description names. */
  category: string;
  /** The list's date: the field the kind's description names; null where the list dates records by their last change. */
  date: string | null;
  facets: Facet[];
}

export function projectedRow(record: AnyRecord): ProjectedRow {
  const description = KINDS[record.kind];
  const data = record.data as Record<string, unknown>;
  return {
    ...projectionOf(record.kind).row(record.data),
    category: data[description.category] as string,
    date: description.date ? (data[description.date] as string | null) : null,
  };
}

/** The fields global search looks in besides the title (those with any text). */
export function searchFieldsOf<K extends RecordKind>(kind: K, data: DataOf<K>): SearchField[] {
  return projectionOf(kind)
    .search(data)
    .filter((f) => f.text);
}

/** Every kind's own projection tables, each with the kind it belongs to. */
export const KIND_TABLES: readonly (KindTable<RecordKind> & { kind: RecordKind })[] = RECORD_KINDS.flatMap((kind) =>
  projectionOf(kind).tables.map((table) => ({ ...table, kind })),
);

/**
 * A record's data as readers see it: every reference (KindDescription.references) names
 * the record standing for it now (`resolveId`, through merges), and a set that a merge
 * made hold one record twice holds it once.
 */
export function presentData<K extends RecordKind>(kind: K, data: DataOf<K>, resolveId: (id: string) => string): DataOf<K> {
  const references = referencesOf(kind, data);
  if (references.length === 0) return data;
  // A peer's doc is read as it came (see sync/sanitize.ts): only an id is looked up.
  const resolve = (id: unknown) => (typeof id === 'string' ? resolveId(id) : id);
  const source = data as Record<string, unknown>;
  const out: Record<string, unknown> = { ...source };
  const copied = new Set<string>();
  for (const ref of references) {
    const [field, index, property] = ref.field.split('.') as [string, string?, string?];
    if (index === undefined) {
      out[field] = resolve(ref.id);
      continue;
    }
    if (!copied.has(field)) out[field] = [...(source[field] as unknown[])];
    copied.add(field);
    const list = out[field] as unknown[];
    list[Number(index)] = property === undefined ? resolve(ref.id) : { ...(list[Number(index)] as object), [property]: resolve(ref.id) };
  }
  const storage = FIELD_STORAGE[kind] as Record<string, string>;
  for (const field of copied) if (storage[field] === 'set') out[field] = [...new Set(out[field] as string[])];
  return out as DataOf<K>;
}
