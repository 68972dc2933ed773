// Settings of one workspace file, as keys and values: its id, name and device id (Workspace)
// and the sync server, token, cursor and role (sync/sync-client.ts).
import type { SqliteDatabase } from './db/sqlite';
import type { TableClaim } from './db/tables';

export const META_TABLES: TableClaim[] = [
  { table: 'meta', personal: 'nothing personal (workspace and device ids, the sync server and its token)', recordRows: null },
];

export class MetaStore {
  private readonly stmt;

  constructor(db: SqliteDatabase) {
    this.stmt = {
      get: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      set: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      delete: db.prepare('DELETE FROM meta WHERE key = ?'),
    };
  }

  get(key: string): string | null {
    return (this.stmt.get.get(key) as string | undefined) ?? null;
  }

  set(key: string, value: string): void {
    this.stmt.set.run(key, value);
  }

  delete(key: string): void {
    this.stmt.delete.run(key);
  }

  /** The stored value, or `initial()` stored now. */
  getOrInit(key: string, initial: () => string): string {
    const stored = this.get(key);
    if (stored !== null) return stored;
    const value = initial();
    this.set(key, value);
    return value;
  }
}
