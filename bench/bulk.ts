// `npm run bench:bulk [-- --scale 0.2 --batch 2000 --runs 3 --profile /tmp/bulk.cpuprofile]`:
// bulk creation alone, through the real write path (Workspace.createMany: validation,
// references, Yjs docs, history, sync outbox, projection and search index), writing the
// seeded reference workspace into a fresh file, against the raw better-sqlite3 inserts of
// the same rows in the same run (bench/bulk-create.ts). Prints one JSON object of medians
// over the runs; `--profile` records the write phase of the first run and says where its
// time went.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BULK_BATCH_RECORDS, Workspace } from '../main/data-service/workspace';
import { bulkCreateFigures, rawInsertMs, writtenBatches } from './bulk-create';
import { startProfile, summariseProfile } from './cpu-profile';
import { GENERATION_ORDER, countsAt, generateWorkspace, type GeneratedKind } from './generate';
import { check, median, round } from './stats';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: String(BULK_BATCH_RECORDS) },
    runs: { type: 'string', default: '3' },
    profile: { type: 'string' },
  },
});
const scale = Number(args.scale);
const seed = Number(args.seed);
const batchSize = Number(args.batch);
const runs = Number(args.runs);
if (!(scale > 0) || !Number.isInteger(seed) || !(batchSize >= 1) || !(runs >= 1)) {
  throw new Error('usage: bench/bulk.ts [--scale 0.2] [--seed 1] [--batch 2000] [--runs 3] [--profile out.cpuprofile]');
}

const author = { id: 'bench', name: 'Bench Runner' };
const dir = mkdtempSync(join(tmpdir(), 'fieldbook-bulk-'));

async function run(round: number) {
  const path = join(dir, `bulk-${round}.db`);
  const ws = Workspace.open({ path, author, name: 'Bench' });
  const stop = round === 0 && args.profile ? await startProfile() : null;
  let built;
  try {
    built = generateWorkspace(ws, { scale, seed, batchSize });
  } finally {
    ws.close();
  }
  const profile = stop ? summariseProfile(await stop(args.profile!)) : null;
  const raw = rawInsertMs(path, join(dir, `raw-${round}.db`), writtenBatches(built.ids, GENERATION_ORDER, batchSize));
  rmSync(path, { force: true });
  rmSync(join(dir, `raw-${round}.db`), { force: true });
  return { figures: bulkCreateFigures(scale, { ms: built.writeMs, cpuMs: built.writeCpuMs }, raw), profile };
}

try {
  const loadAtStart = loadavg()[0]!;
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await run(i));
  const figures = results.map((r) => r.figures);
  const mid = (pick: (f: (typeof figures)[number]) => number) => round(median(figures.map(pick)));
  const perKind = (pick: (f: (typeof figures)[number]) => Record<GeneratedKind | 'overall', number>) =>
    Object.fromEntries([...GENERATION_ORDER, 'overall'].map((k) => [k, mid((f) => pick(f)[k as GeneratedKind | 'overall'])]));
  const overall = mid((f) => f.recordsPerSecond.overall);
  console.log(
    JSON.stringify(
      {
        scale,
        seed,
        batchSize,
        runs,
        counts: countsAt(scale),
        // Other processes share the CPUs: compare with the raw inserts of the same run, and
        // read the CPU-time rates as what the write path itself costs.
        machine: { cpus: availableParallelism(), loadAverage1m: { start: round(loadAtStart), end: round(loadavg()[0]!) } },
        bulkCreate: {
          medianOf: runs,
          recordsPerSecond: perKind((f) => f.recordsPerSecond),
          recordsPerCpuSecond: perKind((f) => f.recordsPerCpuSecond),
          rawInsertsPerSecond: perKind((f) => f.rawInsertsPerSecond),
          rawInsertsPerCpuSecond: perKind((f) => f.rawInsertsPerCpuSecond),
          oursToRaw: mid((f) => f.oursToRaw),
          oursToRawCpu: mid((f) => f.oursToRawCpu),
          runsOverall: figures.map((f) => f.recordsPerSecond.overall),
          overall: check(overall, '>=', 10_000, 'records/s'),
        },
        ...(results[0]!.profile ? { profile: results[0]!.profile } : {}),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
