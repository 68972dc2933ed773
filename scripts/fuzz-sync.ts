// `npm run fuzz:sync [-- --runs 10000] [-- --from 1000]`: many more convergence runs than
// the test suite makes; every failing seed is added to tests/integration/sync-regressions.json,
// which the suite replays from then on.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { convergenceRun } from '../tests/integration/sync-convergence';
import { sqliteStoreFor, startServer, tempDir } from '../tests/integration/sync-helpers';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, from: { type: 'string', default: '1000' } } });
const regressionsFile = new URL('../tests/integration/sync-regressions.json', import.meta.url);
const db = join(tempDir('fuzz-sync'), 'sync.sqlite');
const server = await startServer(['--db', db]);
const store = await sqliteStoreFor(db);
const failed: number[] = [];
const first = Number(values.from);
for (let seed = first; seed < first + Number(values.runs); seed++) {
  try {
    await convergenceRun(seed, { url: server.url, store });
  } catch (error) {
    failed.push(seed);
    console.error(`seed ${seed} failed: ${(error as Error).message.split('\n')[0]}`);
    const known = JSON.parse(readFileSync(regressionsFile, 'utf8')) as number[];
    if (!known.includes(seed)) writeFileSync(regressionsFile, `${JSON.stringify([...known, seed])}\n`);
  }
  if ((seed - first + 1) % 100 === 0) console.log(`${seed - first + 1} runs, ${failed.length} failed`);
}
await store.close();
await server.stop();
console.log(JSON.stringify({ runs: Number(values.runs), failed }));
process.exit(failed.length ? 1 : 0);
