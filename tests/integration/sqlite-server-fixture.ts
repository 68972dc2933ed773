// A sync server on SQLite for the tests of one file (not itself a test file): started in a
// child process before them and stopped after, with an admin handle on its store file.
import { after, before } from 'node:test';
import { join } from 'node:path';
import type { SqliteStore } from '../../server/store-sqlite';
import { type ServerProcess, sqliteStoreFor, startServer, tempDir } from './sync-helpers';

export interface SqliteServerFixture {
  /** A scratch folder of the file's own, beside the server's database. */
  dir: string;
  server: ServerProcess;
  store: SqliteStore;
}

/** Set once `before` has run: read its fields inside tests and hooks, not at module level. */
export function sqliteServerForFile(prefix: string): SqliteServerFixture {
  const fixture = {} as SqliteServerFixture;
  before(async () => {
    fixture.dir = tempDir(prefix);
    const dbPath = join(fixture.dir, 'sync.sqlite');
    fixture.server = await startServer(['--db', dbPath]);
    fixture.store = await sqliteStoreFor(dbPath);
  });
  after(async () => {
    await fixture.server.stop();
    await fixture.store.close();
  });
  return fixture;
}
