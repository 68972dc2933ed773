// Recovering what can be read from a damaged workspace file: every row of the tables that
// hold the workspace's own truth (the docs and their updates, history, settings, the outbox,
// the team's inbox and marks) is copied into a new file, skipping pages SQLite cannot read.
// The read model is not copied: it is derived from the docs again once the new file is open
// (Workspace.rebuildProjections). The damaged file is only read.
import { PROJECTION_TABLES } from '../projection';
import { openSqlite, type SqliteDatabase, type SqliteStatement } from './sqlite';
import { MIGRATION_TABLES } from './migrations';
import { WORKSPACE_TABLES } from './tables';
import { openWorkspaceDb } from './workspace-db';

export interface SalvagedTable {
  table: string;
  /** Rows copied into the new file. */
  rows: number;
  /** Some of the table's pages could not be read: rows stored there are not in the new file. */
  unreadable: boolean;
}

export interface SalvageResult {
  /** False when not even the list of tables could be read: nothing was recovered. */
  schemaReadable: boolean;
  tables: SalvagedTable[];
}

/** The tables worth copying: the truth, not what is derived from it. */
const TRUTH_TABLES = WORKSPACE_TABLES.filter(
  (claim) => !claim.fts && !PROJECTION_TABLES.includes(claim.table) && !MIGRATION_TABLES.some((m) => m.table === claim.table),
).map((claim) => claim.table);

/** The largest rowid SQLite gives a row. */
const MAX_ROWID = Number.MAX_SAFE_INTEGER;

/** A read-only connection to the damaged file, opened again after an error (an unreadable page can leave it failing every read). */
class DamagedReader {
  private db: SqliteDatabase;
  /** Statements prepared on the current connection, by their SQL: a row-by-row scan reuses one. */
  private statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly path: string,
    private readonly key: Buffer | undefined,
  ) {
    this.db = this.open();
  }

  private open(): SqliteDatabase {
    return openSqlite(this.path, { readonly: true, fileMustExist: true, key: this.key });
  }

  /** Run `read`; on an error, open the file again and answer `undefined`. */
  tryRead<T>(read: (db: SqliteDatabase, prepare: (sql: string) => SqliteStatement) => T): T | undefined {
    try {
      return read(this.db, (sql) => this.statements.get(sql) ?? this.statements.set(sql, this.db.prepare(sql)).get(sql)!);
    } catch {
      this.db.close();
      this.db = this.open();
      this.statements = new Map();
      return undefined;
    }
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Every readable row of a rowid table, one seek at a time, so a bad page loses only its own
 * rows: past an unreadable row it looks further on (1, 2, 4, … rowids on) for one it can
 * read, then back to the first readable row after the bad page.
 */
function* rowidTableRows(reader: DamagedReader, table: string, columns: string): Generator<unknown[], boolean> {
  const sql = `SELECT rowid, ${columns} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT 1`;
  const next = (after: number) => reader.tryRead((_db, prepare) => (prepare(sql).raw().get(after) as unknown[] | undefined) ?? null);
  let after = -MAX_ROWID;
  let unreadable = false;
  for (;;) {
    const row = next(after);
    if (row === null) return unreadable;
    if (row !== undefined) {
      after = row[0] as number;
      yield row.slice(1);
      continue;
    }
    unreadable = true;
    // Find a readable start further on, then the first readable one between here and there.
    let bad = after;
    let step = 1;
    while (bad + step < MAX_ROWID && next(bad + step) === undefined) step *= 2;
    if (bad + step >= MAX_ROWID) return unreadable;
    let good = bad + step;
    while (good - bad > 1) {
      const mid = bad + Math.floor((good - bad) / 2);
      if (next(mid) !== undefined) good = mid;
      else bad = mid;
    }
    after = good;
  }
}

/** Every row of a table without rowids (small settings and marks tables), up to the first unreadable one. */
function* keyedTableRows(reader: DamagedReader, table: string, columns: string): Generator<unknown[], boolean> {
  const rows = reader.tryRead((db) => {
    const read: unknown[][] = [];
    try {
      for (const row of db.prepare(`SELECT ${columns} FROM "${table}"`).raw().iterate()) read.push(row as unknown[]);
    } catch {
      return { read, complete: false };
    }
    return { read, complete: true };
  });
  yield* rows?.read ?? [];
  return !rows?.complete;
}

const columnsOf = (db: SqliteDatabase, table: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);

/**
 * Copy every readable row of the damaged file at `damagedPath` into a new workspace file at
 * `targetPath` (created with the current schema and `key`). The caller opens it as a
 * Workspace and rebuilds its projections.
 */
export function salvageInto(damagedPath: string, targetPath: string, key: Buffer | undefined): SalvageResult {
  let reader: DamagedReader;
  let sourceTables: Map<string, string>;
  try {
    reader = new DamagedReader(damagedPath, key);
    sourceTables = new Map(reader.tryRead((db) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").raw().all() as [string, string][]) ?? []);
  } catch {
    return { schemaReadable: false, tables: [] };
  }
  const target = openWorkspaceDb(targetPath, { key });
  try {
    if (sourceTables.size === 0) return { schemaReadable: false, tables: [] };
    const tables: SalvagedTable[] = [];
    for (const table of TRUTH_TABLES) {
      const sourceSql = sourceTables.get(table);
      if (sourceSql === undefined) continue;
      const sourceColumns = new Set(reader.tryRead((db) => columnsOf(db, table)) ?? []);
      const columns = columnsOf(target.sql, table).filter((c) => sourceColumns.has(c));
      if (columns.length === 0) {
        tables.push({ table, rows: 0, unreadable: true });
        continue;
      }
      const list = columns.map((c) => `"${c}"`).join(', ');
      const insert = target.sql.prepare(`INSERT OR IGNORE INTO "${table}" (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
      const rows = /WITHOUT\s+ROWID/i.test(sourceSql) ? keyedTableRows(reader, table, list) : rowidTableRows(reader, table, list);
      let copied = 0;
      const unreadable = target.sql.transaction(() => {
        for (let row = rows.next(); ; row = rows.next()) {
          if (row.done) return row.value;
          insert.run(row.value);
          copied++;
        }
      })();
      tables.push({ table, rows: copied, unreadable });
    }
    return { schemaReadable: true, tables };
  } finally {
    reader.close();
    target.close();
  }
}
