// The baseline's server: express-pouchdb (CouchDB's HTTP API) over in-memory PouchDB, in
// its own process as the sync server is, driven by the coordinator (bench/sync.ts).
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import { serveRequests } from './ipc';
import { BenchPouchDB } from './pouchdb';

serveRequests({
  /** Listen on a free loopback port; its log goes to `dir`. */
  listen: (dir: string) =>
    new Promise<number>((resolve) => {
      const app = expressPouchDB(BenchPouchDB.defaults({ adapter: 'memory' }), { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: join(dir, 'pouchdb-server.log') });
      const server = app.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    }),
  exit: () => void setImmediate(() => process.exit(0)),
});
