// One duplicate scan of a workspace file in a process of its own, as the data service runs
// each scan in a fresh worker: nothing it remembers between scans (the words of names, their
// similarities) is warm. `--code` names the finder's index.ts to run (this checkout's, or an
// earlier commit's, see duplicates-baseline.ts). Prints one JSON object: the scan's figures
// and its wall-clock and CPU time; `--profile` also writes a CPU profile of the scan and
// says where its time went.
//   node --import tsx bench/duplicates-scan.ts --db ref.db --kind contact [--code …/duplicates/index.ts] [--profile out.cpuprofile]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { DuplicateKind } from '../shared/rpc';
import { openWorkspaceDb } from '../main/data-service/db/workspace-db';
import type { scanDuplicates as ScanDuplicates } from '../main/data-service/duplicates';
import { startProfile, summariseProfile } from './cpu-profile';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    kind: { type: 'string', default: 'contact' },
    code: { type: 'string', default: new URL('../main/data-service/duplicates/index.ts', import.meta.url).pathname },
    profile: { type: 'string' },
  },
});
if (!args.db || !['contact', 'asset'].includes(args.kind!)) {
  throw new Error('usage: bench/duplicates-scan.ts --db <workspace file> [--kind contact|asset] [--code <duplicates/index.ts>] [--profile out.cpuprofile]');
}

const { scanDuplicates } = (await import(pathToFileURL(args.code!).href)) as { scanDuplicates: typeof ScanDuplicates };
const file = openWorkspaceDb(args.db, { readonly: true });
try {
  const stop = args.profile ? await startProfile() : null;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { pairs, ...figures } = scanDuplicates(file.sql, { kind: args.kind as DuplicateKind, limit: Infinity });
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - started;
  const profile = stop ? summariseProfile(await stop(args.profile!), 20) : undefined;
  console.log(JSON.stringify({ ...figures, pairsFound: pairs.length, ms, cpuMs: (used.user + used.system) / 1000, profile }));
} finally {
  file.close();
}
