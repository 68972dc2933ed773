// The read model: rows derived from a record's data and meta, written in the same SQLite
// transaction as the CRDT update that produced them. Nothing here reads other records,
// so projecting the same doc always gives the same rows (the rebuild test relies on it).
import type { AnyRecord, DataOf, FieldProblem, RecordKind, RecordMeta } from '../../shared/domain';
import type { SqliteDatabase, SqliteStatement } from './db/sqlite';
import type { TableClaim } from './db/tables';
import { storedFacetValue } from './facet-value';
import { KIND_TABLES, projectedRow, searchFieldsOf } from './kinds';
import { sanitizeChanged, sanitizeRecord } from './sync/sanitize';
import { foldText, indexText } from './text';

export type RecordStatus = 'active' | 'deleted' | 'merged';

/** Where a record's invalid fields (RecordMeta.problems) are kept beside its data in `records.data`. */
export const PROBLEMS_KEY = '$problems';
/** The facet naming each of a record's invalid fields, so the lead's list of them reads an index, not every record. */
export const PROBLEM_FACET = 'problem';

export function statusOf(meta: Pick<RecordMeta, 'deletedAt' | 'mergedInto'>): RecordStatus {
  if (meta.mergedInto) return 'merged';
  if (meta.deletedAt) return 'deleted';
  return 'active';
}

/**
 * A record's title and search fields as the search index's row holds them before their
 * joined words are added (`indexed`): the same text gives the same row, so comparing these
 * says whether the row changed without working out the words.
 */
function searchText<K extends RecordKind>(kind: K, data: DataOf<K>, title: string): [string, string] {
  const body = searchFieldsOf(kind, data).flatMap((f) => [f.text, ...(f.forms ?? [])]);
  return [title, body.join('\n')];
}

/** The search index's row of a record's search text: with joined words (see indexText). */
const indexed = ([title, body]: [string, string]): [string, string] => [indexText(title), indexText(body)];

/**
 * The search row of an active record as `records` holds it. The index keeps no copy of its
 * text (contentless, migration 18), so what it holds of a record is read from here.
 */
export function storedSearchRow(kind: RecordKind, stored: { title: string; data: string }): [string, string] {
  return indexed(searchText(kind, JSON.parse(stored.data), stored.title));
}

/** One of a record's facets: `record_facets` keeps it with the record's rid, and the value as facet-value.ts says. */
type FacetRow = [facet: string, value: string];

/** A record's facet as `record_facets` keeps it. */
const facetRow = ([facet, value]: FacetRow, rid: number) => [facet, storedFacetValue(value), rid];

/** Rows of one table in key order: SQLite's B-trees take sorted inserts best. */
function compareRows(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number | null;
    const y = b[i] as string | number | null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** An author as `records` holds them: the same author, written for every record of a batch, is encoded once. */
let lastAuthor: { author: unknown; json: string } = { author: null, json: 'null' };
function authorJson(author: unknown): string {
  if (lastAuthor.author !== author) lastAuthor = { author, json: JSON.stringify(author) };
  return lastAuthor.json;
}

/** Whether two lists of rows derived alike hold the same rows in the same order. */
function sameList(a: readonly unknown[][], b: readonly unknown[][]): boolean {
  return a.length === b.length && a.every((row, i) => row.length === b[i]!.length && row.every((value, j) => value === b[i]![j]));
}

/** A record's facet rows and its kind's own tables' rows with this status. */
function sideRows(record: AnyRecord, status: RecordStatus, derived = projectedRow(record)) {
  const tables = new Map<string, unknown[][]>();
  for (const table of KIND_TABLES) {
    if (table.kind !== record.kind || (table.activeOnly && status !== 'active')) continue;
    tables.set(table.name, table.rows(record.id, record.data));
  }
  const facets: FacetRow[] = derived.facets.map((f): FacetRow => [f.facet, f.value]);
  for (const p of record.problems ?? []) facets.push([PROBLEM_FACET, p.field]);
  return { facets, tables };
}

/** A record's data and its problems, as `records.data` keeps them together. */
export function storedParts(stored: Record<string, unknown>): { data: Record<string, unknown>; problems: FieldProblem[] | undefined } {
  const { [PROBLEMS_KEY]: problems, ...data } = stored;
  return { data, problems: problems as FieldProblem[] | undefined };
}

/** The facet and kind-table rows a record's stored data (`records.data`, its problems beside it) gave with its stored status. */
function storedSideRows(record: AnyRecord, status: RecordStatus, storedData: Record<string, unknown>) {
  return sideRows({ ...record, ...storedParts(storedData) } as AnyRecord, status);
}

/** The facets a `records` row's stored data gives: those the table holds of it. */
function storedFacets(row: { id: string; kind: RecordKind; status: RecordStatus; data: string }): FacetRow[] {
  return storedSideRows({ id: row.id, kind: row.kind } as AnyRecord, row.status, JSON.parse(row.data)).facets;
}

/** Every projected row of one record with this status: pure, so one record and a batch of them get the same rows. */
function projectedRows(record: AnyRecord, status: RecordStatus) {
  const derived = projectedRow(record);
  const { facets, tables } = sideRows(record, status, derived);
  return {
    // The `records` columns in INSERT_RECORD's order.
    record: [
      record.id,
      record.kind,
      status,
      derived.title,
      foldText(derived.title),
      derived.subtitle,
      JSON.stringify(derived.badges),
      derived.category,
      derived.date,
      JSON.stringify(record.problems ? { ...record.data, [PROBLEMS_KEY]: record.problems } : record.data),
      record.createdAt,
      authorJson(record.createdBy),
      record.updatedAt,
      authorJson(record.updatedBy),
      record.deletedAt,
      record.deletedBy ? authorJson(record.deletedBy) : null,
      record.mergedInto,
    ],
    facets,
    search: status === 'active' ? searchText(record.kind, record.data, derived.title) : null,
    tables,
  };
}

/** The projection tables, in the order the rebuild clears them: what each holds of a person, and one record's rows. */
export const PROJECTION_TABLE_CLAIMS: TableClaim[] = [
  {
    table: 'records',
    personal: "every record's data as JSON (a contact's name, phone, email, address, notes; a session's notes), its title and the authors' names",
    recordRows: 'id = @id',
    subjectAccess: ['person', 'mergedIn', 'sessions', 'connections'],
  },
  {
    table: 'record_facets',
    personal: "a record's roles, themes, tags, the ids of the people and places it names, and which of its fields hold invalid values",
    recordRows: 'record_rid = (SELECT rid FROM records WHERE id = @id)',
    byRid: true,
    subjectAccess: ['person', 'mergedIn', 'sessions', 'connections'],
  },
  ...KIND_TABLES.map((t): TableClaim => ({ table: t.name, personal: t.personal, recordRows: `${t.key} = @id`, subjectAccess: t.subjectAccess })),
  {
    table: 'search_index',
    personal: "an active record's title and searchable fields (names, phones, postcodes, notes) as words",
    recordRows: 'rowid = (SELECT rid FROM records WHERE id = @id)',
    byRid: true,
    subjectAccess: ['person', 'mergedIn', 'sessions', 'connections'],
    fts: true,
  },
  { table: 'record_counts', personal: 'nothing personal (how many records of each kind and status)', recordRows: null },
];

export const PROJECTION_TABLES = PROJECTION_TABLE_CLAIMS.map((claim) => claim.table);

const INSERT_RECORD = `
  INSERT INTO records (id, kind, status, title, sort_key, subtitle, badges, category, date, data,
                       created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, merged_into)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const INSERT_FACET = 'INSERT OR IGNORE INTO record_facets (facet, value, record_rid) VALUES (?, ?, ?)';

/** Where `data` is in INSERT_RECORD's row: every edit changes it, and no index holds it. */
const DATA_POSITION = 9;
/** Where `title` is: with `data`, what the search row is worked out from. */
const TITLE_POSITION = 3;
/**
 * The other `records` columns an edit may change, with their positions in INSERT_RECORD's
 * row (id, kind and creation stay): compared with the stored row, so an UPDATE names only
 * those that changed.
 */
const UPDATABLE_COLUMNS: [column: string, position: number][] = [
  ['status', 2], ['title', TITLE_POSITION], ['sort_key', 4], ['subtitle', 5], ['badges', 6], ['category', 7], ['date', 8],
  ['updated_at', 12], ['updated_by', 13], ['deleted_at', 14], ['deleted_by', 15], ['merged_into', 16],
];

/** Where `data` is in the stored row `storedRecord` reads: after `rid` and UPDATABLE_COLUMNS. */
const STORED_DATA = UPDATABLE_COLUMNS.length + 1;

export class Projection {
  private readonly stmt: Record<string, SqliteStatement>;
  /** Each kind's own tables (kinds/<kind>.ts), with their statements. */
  private readonly kindTables;
  /** `UPDATE records` statements by the set of columns they write (a bit per UPDATABLE_COLUMNS entry), prepared when first needed. */
  private readonly updates = new Map<number, SqliteStatement>();
  /**
   * Search rows to write when the batch ends (deferSearch), by rid: whether the index holds
   * a row for it now, and the text of the row it should hold (searchText; null: none). Null outside a batch.
   */
  private searchWrites: Map<number, { indexed: boolean; row: [string, string] | null }> | null = null;

  constructor(private readonly db: SqliteDatabase) {
    this.stmt = {
      insertRecord: db.prepare(INSERT_RECORD),
      // `data` last: the search row an edit replaces is worked out from it (storedSearchRow).
      storedRecord: db.prepare(`SELECT rid, ${UPDATABLE_COLUMNS.map(([column]) => column).join(', ')}, data FROM records WHERE id = ?`).raw(),
      deleteRecord: db.prepare('DELETE FROM records WHERE id = ? RETURNING rid, kind, status, data'),
      count: db.prepare(
        'INSERT INTO record_counts (kind, status, n) VALUES (?, ?, ?) ON CONFLICT (kind, status) DO UPDATE SET n = n + excluded.n',
      ),
      dropZeroCount: db.prepare('DELETE FROM record_counts WHERE kind = ? AND status = ? AND n = 0'),
      // By its whole key: facets have no index by record (migration 19); a record's are those its stored data gives.
      deleteFacet: db.prepare('DELETE FROM record_facets WHERE facet = ? AND value = ? AND record_rid = ?'),
      insertFacet: db.prepare(INSERT_FACET),
      deleteSearch: db.prepare('DELETE FROM search_index WHERE rowid = ?'),
      insertSearch: db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)'),
    };
    this.kindTables = KIND_TABLES.map((table) => ({
      ...table,
      delete: db.prepare(`DELETE FROM ${table.name} WHERE ${table.key} = ?`),
      insert: db.prepare(`INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`),
    }));
  }

  /**
   * Write every projected row of one record. `isNew` skips the deletes a brand-new
   * record cannot need. `status` overrides the record's own only for a merge cycle
   * (Workspace.settleMergeCycles). Returns its `mergedInto` as it was.
   */
  write(record: AnyRecord, isNew = false, status: RecordStatus = statusOf(record)): string | null {
    return this.writeRows(record, status, isNew ? undefined : (this.stmt.storedRecord!.get(record.id) as unknown[] | undefined));
  }

  /**
   * `write` for a record projected before of which only the `changed` fields can differ
   * (`raw`: as its doc holds it, not sanitized): only those are sanitized again, the others
   * taken from the data stored (sync/sanitize.ts, sanitizeChanged). Returns the record as
   * written, and its `mergedInto` as it was.
   */
  writeChanged(raw: AnyRecord, changed: readonly string[]): { record: AnyRecord; mergedInto: string | null } {
    const stored = this.stmt.storedRecord!.get(raw.id) as unknown[] | undefined;
    const data = raw.data as Record<string, unknown>;
    let record: AnyRecord | null = null;
    let previous: Record<string, unknown> | undefined;
    if (stored) {
      previous = JSON.parse(stored[STORED_DATA] as string) as Record<string, unknown>;
      const { data: clean, problems } = storedParts(previous);
      record = sanitizeChanged(raw.kind, raw, data, clean, problems ?? [], changed);
    }
    record ??= sanitizeRecord(raw.kind, raw, data);
    return { record, mergedInto: this.writeRows(record, statusOf(record), stored, previous) };
  }

  /** `write` with the stored `records` row (`rid`, UPDATABLE_COLUMNS, data; none for a new record) and, if already parsed, its data. */
  private writeRows(record: AnyRecord, status: RecordStatus, stored: unknown[] | undefined, storedData?: Record<string, unknown>): string | null {
    const rows = projectedRows(record, status);
    // Positions in `stored`: rid, then UPDATABLE_COLUMNS (status first, merged_into last), then data (STORED_DATA).
    const previous = stored && {
      rid: stored[0] as number,
      status: stored[1] as RecordStatus,
      title: stored[2] as string,
      mergedInto: stored[UPDATABLE_COLUMNS.length] as string | null,
      data: stored[STORED_DATA] as string,
    };
    // Not RETURNING: that opens a statement savepoint, and FTS5 flushes its pending index
    // at every savepoint, which inside a bulk transaction means once per record.
    const rid = stored ? this.updateChanged(stored, rows.record) : Number(this.stmt.insertRecord!.run(rows.record).lastInsertRowid);
    if (previous?.status !== status) {
      if (previous) this.uncount(record.kind, previous.status);
      this.stmt.count!.run(record.kind, status, 1);
    }

    // An edit changes few of a record's rows; reading the others costs far less than
    // writing them again, the search row above all (FTS5 re-indexes every word of it).
    // The stored rows are those the stored data gives (projecting is pure), worked out here
    // rather than read: facets have no index by record to read them by.
    const before = previous && ((storedData ?? JSON.parse(previous.data)) as Record<string, unknown>);
    const storedSide = previous && before ? storedSideRows(record, previous.status, before) : null;
    if (!storedSide || !sameList(storedSide.facets, rows.facets)) {
      for (const f of storedSide?.facets ?? []) this.stmt.deleteFacet!.run(facetRow(f, rid));
      for (const f of rows.facets) this.stmt.insertFacet!.run(facetRow(f, rid));
    }
    // The same title and data give the same search row: only another is worked out again
    // from what was stored (the index keeps no copy of its text).
    const unchanged = previous?.title === rows.record[TITLE_POSITION] && previous?.data === rows.record[DATA_POSITION];
    const queued = this.searchWrites?.get(rid);
    const indexedNow = previous?.status === 'active';
    // What the index holds (or will, once the batch's search writes are done).
    const search = queued
      ? queued.row
      : indexedNow
        ? unchanged && rows.search
          ? rows.search
          : searchText(record.kind, before as DataOf<RecordKind>, previous.title)
        : null;
    if (!sameList(search ? [search] : [], rows.search ? [rows.search] : [])) this.writeSearch(rid, queued ? queued.indexed : indexedNow, rows.search);
    for (const table of this.kindTables) {
      if (table.kind !== record.kind) continue;
      const tableRows = rows.tables.get(table.name) ?? [];
      if (storedSide && sameList(storedSide.tables.get(table.name) ?? [], tableRows)) continue;
      if (storedSide) table.delete.run(record.id);
      for (const row of tableRows) table.insert.run(...row);
    }
    return previous?.mergedInto ?? null;
  }

  /**
   * Update `data` and only those UPDATABLE_COLUMNS whose values differ from the stored row
   * (`rid` then UPDATABLE_COLUMNS): an edit changes a field or two, and SQLite rewrites an
   * index only when the UPDATE names one of its columns, so a changed note no longer
   * rewrites the title, category, date and created lists' entries. Returns the row's rid.
   */
  private updateChanged(stored: unknown[], row: unknown[]): number {
    const rid = stored[0] as number;
    let mask = 0;
    const values: unknown[] = [row[DATA_POSITION]];
    UPDATABLE_COLUMNS.forEach(([, position], i) => {
      if (stored[i + 1] === row[position]) return;
      mask |= 1 << i;
      values.push(row[position]);
    });
    let update = this.updates.get(mask);
    if (!update) {
      const set = UPDATABLE_COLUMNS.filter((_, i) => mask & (1 << i)).map(([column]) => `, ${column} = ?`);
      update = this.db.prepare(`UPDATE records SET data = ?${set.join('')} WHERE rid = ?`);
      this.updates.set(mask, update);
    }
    update.run(...values, rid);
    return rid;
  }

  /**
   * Write the rows of many brand-new records (none projected before), table by table
   * rather than record by record: the records in order, one count per kind and status
   * instead of one per record, each side table's rows sorted by key (its B-tree filled in
   * key order, not at random), and the search rows last, in rowid order. Gives the rows
   * `write` gives for each record (tests/unit/bulk-create.test.ts).
   */
  writeNew(records: { record: AnyRecord; status: RecordStatus }[]): void {
    const counts = new Map<string, { kind: string; status: string; n: number }>();
    const facets = new Map<string, [value: string, rid: number][]>();
    const search: [number, string, string][] = [];
    const tables = new Map<string, unknown[][]>();
    for (const { record, status } of records) {
      const rows = projectedRows(record, status);
      const rid = Number(this.stmt.insertRecord!.run(rows.record).lastInsertRowid);
      const key = `${record.kind}\n${status}`;
      const count = counts.get(key) ?? counts.set(key, { kind: record.kind, status, n: 0 }).get(key)!;
      count.n++;
      for (const [facet, value] of rows.facets) (facets.get(facet) ?? facets.set(facet, []).get(facet)!).push([value, rid]);
      if (rows.search) search.push([rid, rows.search[0], rows.search[1]]);
      for (const [name, tableRows] of rows.tables) {
        const all = tables.get(name) ?? tables.set(name, []).get(name)!;
        for (const row of tableRows) all.push(row);
      }
    }
    for (const c of counts.values()) this.stmt.count!.run(c.kind, c.status, c.n);
    // In key order, values compared as text: a record id's text and its bytes sort alike.
    for (const facet of [...facets.keys()].sort()) {
      const rows = facets.get(facet)!.sort(([a, ridA], [b, ridB]) => (a < b ? -1 : a > b ? 1 : ridA - ridB));
      for (const [value, rid] of rows) this.stmt.insertFacet!.run(facetRow([facet, value], rid));
    }
    for (const table of this.kindTables) {
      const rows = tables.get(table.name);
      if (!rows) continue;
      rows.sort(compareRows);
      for (const row of rows) table.insert.run(row);
    }
    for (const [rid, title, body] of search) this.writeSearch(rid, false, [title, body]);
  }

  /**
   * Run `fn` (inside the caller's transaction) holding every change it makes to the search
   * index, then write them: the deletes first, then the inserts, each in rowid order. One
   * record at a time, each delete from the contentless index after an insert makes FTS5
   * write its pending rows out as a segment of their own (~30 µs a record for a peer's edit,
   * and more segments to merge later); held, ~9 µs. Nothing reads the index until `fn`
   * returns (ReadModel.batch); if it throws, the transaction is rolled back, so nothing held is wanted.
   */
  deferSearch<T>(fn: () => T): T {
    if (this.searchWrites) return fn();
    const writes = new Map<number, { indexed: boolean; row: [string, string] | null }>();
    this.searchWrites = writes;
    let result: T;
    try {
      result = fn();
    } finally {
      this.searchWrites = null;
    }
    const rids = [...writes.keys()].sort((a, b) => a - b);
    for (const rid of rids) if (writes.get(rid)!.indexed) this.stmt.deleteSearch!.run(rid);
    for (const rid of rids) {
      const { row } = writes.get(rid)!;
      if (row) this.stmt.insertSearch!.run(rid, ...indexed(row));
    }
    return result;
  }

  /** Replace the search row of `rid` (`indexedNow`: the index holds one now) with `row`'s (searchText; null: none), now or when the batch ends. */
  private writeSearch(rid: number, indexedNow: boolean, row: [string, string] | null): void {
    if (this.searchWrites) {
      this.searchWrites.set(rid, { indexed: indexedNow, row });
      return;
    }
    if (indexedNow) this.stmt.deleteSearch!.run(rid);
    if (row) this.stmt.insertSearch!.run(rid, ...indexed(row));
  }

  /** Remove every projected row of one record (a peer's record that cannot be shown). */
  remove(id: string): void {
    const row = this.stmt.deleteRecord!.get(id) as { rid: number; kind: RecordKind; status: RecordStatus; data: string } | undefined;
    if (row) {
      const queued = this.searchWrites?.get(row.rid);
      this.writeSearch(row.rid, queued ? queued.indexed : true, null);
      this.uncount(row.kind, row.status);
      for (const f of storedFacets({ id, ...row })) this.stmt.deleteFacet!.run(facetRow(f, row.rid));
    }
    for (const table of this.kindTables) table.delete.run(id);
  }

  private uncount(kind: string, status: string): void {
    this.stmt.count!.run(kind, status, -1);
    this.stmt.dropZeroCount!.run(kind, status);
  }

  /** Empty every projection table (inside the caller's transaction). */
  clear(): void {
    this.searchWrites?.clear();
    for (const table of PROJECTION_TABLES) this.db.exec(`DELETE FROM ${table}`);
  }
}

/**
 * Write every record's facets again from its stored data (a migration runs it when what a
 * record's facets are worked out from changes: an edit deletes a record's old facets by the
 * rows its stored data gives, so the table must hold exactly those).
 */
export function rederiveFacets(db: SqliteDatabase): void {
  db.exec('DELETE FROM record_facets');
  const page = db.prepare('SELECT rid, id, kind, status, data FROM records WHERE rid > ? ORDER BY rid LIMIT 1000');
  const insert = db.prepare(INSERT_FACET);
  for (let after = 0; ; ) {
    const rows = page.all(after) as { rid: number; id: string; kind: RecordKind; status: RecordStatus; data: string }[];
    if (rows.length === 0) return;
    for (const row of rows) for (const f of storedFacets(row)) insert.run(facetRow(f, row.rid));
    after = rows.at(-1)!.rid;
  }
}

/**
 * Write the search index again from the projected records, a page at a time (a migration
 * runs it when what the index holds changes; the records table already has every record's
 * title and data).
 */
export function reindexSearch(db: SqliteDatabase): void {
  db.exec('DELETE FROM search_index');
  const page = db.prepare(
    "SELECT rid, kind, title, data FROM records WHERE status = 'active' AND rid > ? ORDER BY rid LIMIT 1000",
  );
  const insert = db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)');
  for (let after = 0; ; ) {
    const rows = page.all(after) as { rid: number; kind: RecordKind; title: string; data: string }[];
    if (rows.length === 0) return;
    for (const row of rows) insert.run(row.rid, ...storedSearchRow(row.kind, row));
    after = rows.at(-1)!.rid;
  }
}
