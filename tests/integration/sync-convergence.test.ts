// Convergence property test: ~200 seeded runs of five replicas syncing through a real
// server process over a faulty network (see sync-convergence.ts), plus every seed that
// `npm run fuzz:sync` ever found failing (sync-regressions.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SqliteStore } from '../../server/store-sqlite';
import { convergenceRun } from './sync-convergence';
import { startServer, tempDir, type ServerProcess } from './sync-helpers';

const RUNS = Number(process.env.FIELDBOOK_SYNC_RUNS ?? 200);
const regressions = JSON.parse(readFileSync(new URL('./sync-regressions.json', import.meta.url), 'utf8')) as number[];

let server: ServerProcess;
let store: SqliteStore;

before(async () => {
  const db = join(tempDir('conv-server'), 'sync.sqlite');
  server = await startServer(['--db', db]);
  store = new SqliteStore(db);
});

after(async () => {
  await store.close();
  await server.stop();
});

test(`${RUNS} seeded runs: five replicas converge to the same Yjs state and projections`, async () => {
  for (let seed = 1; seed <= RUNS; seed++) await convergenceRun(seed, { url: server.url, store, steps: 30 });
});

test('every seed fuzz:sync found failing converges now', async () => {
  for (const seed of regressions) await convergenceRun(seed, { url: server.url, store });
});
