// `npm run bench:engine [-- --scale 0.1 --seed 1]` (also part of `npm run bench`): builds the reference workspace with the
// seeded generator in a temp dir, measures the local data engine and prints one JSON
// object of medians, each target beside its figure. Nothing is written to the repository.
// It runs twice in one go — on an encrypted workspace, as the app keeps them, and on a
// plaintext one — and prints what encryption costs as the ratio of each figure (target ≤ 1.3×).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BULK_BATCH_RECORDS, Workspace } from '../main/data-service/workspace';
import { bulkCreateFigures, rawInsertMs, writtenBatches } from './bulk-create';
import { GENERATION_ORDER, countsAt, generateWorkspace, REFERENCE_COUNTS, type GenerateResult } from './generate';
import { check, median, quantile, round } from './stats';

const { values: args } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' } },
});
const scale = Number(args.scale);
const seed = Number(args.seed);
if (!(scale > 0) || !Number.isInteger(seed)) throw new Error('usage: bench/run.ts [--scale 0.1] [--seed 1]');

const author = { id: 'bench', name: 'Bench Runner' };
const SMALL_RECORDS = 1_000;
const REFERENCE_TOTAL = Object.values(REFERENCE_COUNTS).reduce((a, b) => a + b, 0);
const OPEN_ROUNDS = 21;
const SEARCH_ROUNDS = 5;
const EDITS = 300;

const dir = mkdtempSync(join(tmpdir(), 'fieldbook-bench-'));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function time(fn: () => void): number {
  return measure(fn).ms;
}

/** Wall time and CPU time (user + system) of one call. */
function measure(fn: () => void): { ms: number; cpuMs: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** The file key of the workspaces measured: a 256-bit key as the app's, or none (plaintext). */
type FileKey = Buffer | undefined;

function build(path: string, buildScale: number, key: FileKey): GenerateResult {
  const ws = Workspace.open({ path, author, name: 'Bench', key });
  try {
    return generateWorkspace(ws, { scale: buildScale, seed, batchSize: BULK_BATCH_RECORDS });
  } finally {
    ws.close();
  }
}

/** Workspace.open plus the first page of contacts, as the app does on start. */
function openMs(path: string, key: FileKey): number[] {
  const samples: number[] = [];
  for (let i = 0; i < OPEN_ROUNDS; i++) {
    let ws: Workspace | undefined;
    samples.push(
      time(() => {
        ws = Workspace.open({ path, author, key });
        ws.list({ kind: 'contact', limit: 50 });
      }),
    );
    ws!.close();
  }
  return samples.slice(1); // the first round warms up the JIT
}

/** Fifty fixed, realistic queries drawn from the generated data and the generator's vocabulary. */
function searchQueries(ws: Workspace, ids: GenerateResult['ids']): string[] {
  const people = ids.contact
    .filter((_, i) => i % Math.max(1, Math.floor(ids.contact.length / 40)) === 0)
    .map((id) => ws.get('contact', id).data)
    .filter((c) => c.type === 'person' && c.postcode);
  const names = people.slice(0, 10).map((c) => c.name);
  const postcodes = people.slice(10, 18).map((c) => c.postcode);
  const compactPostcodes = people.slice(18, 23).map((c) => c.postcode.replace(' ', ''));
  return [
    ...names,
    'Smi', 'Pat', 'Kha', 'Huss', 'Moh', 'Agn', 'Zoe', "O'Br", 'Wis', 'Llew',
    ...postcodes,
    ...compactPostcodes,
    'M14', 'LS6', 'B11', 'CF24 1', 'M14 5',
    'plumbing', 'knitting', 'British Sign Language', 'first aid', 'bike repair', 'Urdu',
    'loneliness', 'dementia', 'digital inclusion', 'food', 'mental health', 'young people',
  ];
}

function searches(ws: Workspace, queries: string[]): { ms: number; cpuMs: number }[] {
  for (const text of queries) ws.search({ text }); // warm-up round
  return Array.from({ length: SEARCH_ROUNDS }, () => queries.map((text) => measure(() => ws.search({ text })))).flat();
}

/** Change a contact's phone; `update` returns once the FULL-synchronous commit is done. */
function edits(ws: Workspace, contactIds: string[]): { ms: number; cpuMs: number }[] {
  const step = Math.max(1, Math.floor(contactIds.length / EDITS));
  return Array.from({ length: EDITS }, (_, i) => {
    const id = contactIds[(i * step) % contactIds.length]!;
    const phone = `07700 9${String(i).padStart(5, '0')}`;
    return measure(() => ws.update('contact', id, { phone }));
  });
}

/** The floor for an edit: one single-row write committed durably to the same file. */
function rawCommitMs(ws: Workspace): number[] {
  const write = ws.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?)");
  const commit = ws.db.transaction((i: number) => write.run(String(i)));
  return Array.from({ length: EDITS }, (_, i) => time(() => commit(i)));
}

/** Every figure of the engine on workspaces kept with `key` (files named with `label`). */
function engineFigures(label: string, key: FileKey) {
  const counts = countsAt(scale);
  const referencePath = join(dir, `${label}-reference.db`);
  const built = build(referencePath, scale, key);
  gc();
  const raw = rawInsertMs(referencePath, join(dir, `${label}-raw.db`), writtenBatches(built.ids, GENERATION_ORDER, BULK_BATCH_RECORDS), key);
  gc();

  const smallPath = join(dir, `${label}-small.db`);
  build(smallPath, SMALL_RECORDS / REFERENCE_TOTAL, key);
  const smallOpen = median(openMs(smallPath, key));
  const referenceOpen = median(openMs(referencePath, key));

  const ws = Workspace.open({ path: referencePath, author, key });
  const searched = searches(ws, searchQueries(ws, built.ids));
  const searchMs = searched.map((s) => s.ms);
  const searchCpuMs = searched.map((s) => s.cpuMs);
  const edited = edits(ws, built.ids.contact);
  const editMs = edited.map((e) => e.ms);
  const editCpuMs = edited.map((e) => e.cpuMs);
  const rawCommit = rawCommitMs(ws);
  ws.close();

  return {
    bulkCreate: { batchSize: BULK_BATCH_RECORDS, ...bulkCreateFigures(scale, { ms: built.writeMs, cpuMs: built.writeCpuMs }, raw) },
    open: {
      smallRecords: Object.values(countsAt(SMALL_RECORDS / REFERENCE_TOTAL)).reduce((a, b) => a + b, 0),
      smallMs: round(smallOpen),
      referenceMs: check(referenceOpen, '<=', 200, 'ms'),
      referenceToSmall: check(referenceOpen / smallOpen, '<=', 1.5, '×'),
    },
    search: {
      queries: searched.length / SEARCH_ROUNDS,
      p50Ms: round(quantile(searchMs, 0.5)),
      p95Ms: check(quantile(searchMs, 0.95), '<=', 20, 'ms'),
      cpuP50Ms: round(quantile(searchCpuMs, 0.5)),
      cpuP95Ms: round(quantile(searchCpuMs, 0.95)),
    },
    edit: {
      edits: EDITS,
      p50Ms: round(quantile(editMs, 0.5)),
      p95Ms: check(quantile(editMs, 0.95), '<=', 5, 'ms'),
      cpuP50Ms: round(quantile(editCpuMs, 0.5)),
      cpuP95Ms: round(quantile(editCpuMs, 0.95)),
      rawDurableCommitP50Ms: round(quantile(rawCommit, 0.5)),
      rawDurableCommitP95Ms: round(quantile(rawCommit, 0.95)),
    },
    counts,
  };
}

/** What encryption costs: each figure encrypted over plaintext (bulk create as time per record), against ≤ 1.3×. */
function encryptionCost(encrypted: ReturnType<typeof engineFigures>, plaintext: ReturnType<typeof engineFigures>) {
  const ratio = (value: number) => check(value, '<=', 1.3, '×');
  return {
    bulkCreate: ratio(plaintext.bulkCreate.recordsPerSecond.overall / encrypted.bulkCreate.recordsPerSecond.overall),
    // CPU time, which other processes on a shared machine disturb less than wall time.
    bulkCreateCpu: ratio(plaintext.bulkCreate.recordsPerCpuSecond.overall / encrypted.bulkCreate.recordsPerCpuSecond.overall),
    editP95: ratio(encrypted.edit.p95Ms.value / plaintext.edit.p95Ms.value),
    editCpuP95: ratio(encrypted.edit.cpuP95Ms / plaintext.edit.cpuP95Ms),
    searchP95: ratio(encrypted.search.p95Ms.value / plaintext.search.p95Ms.value),
    searchCpuP95: ratio(encrypted.search.cpuP95Ms / plaintext.search.cpuP95Ms),
    open: ratio(encrypted.open.referenceMs.value / plaintext.open.referenceMs.value),
  };
}

try {
  const loadAtStart = loadavg()[0]!;
  // Warm the JIT first, so neither run pays for it alone.
  build(join(dir, 'warm-up.db'), SMALL_RECORDS / REFERENCE_TOTAL, undefined);
  gc();
  const encrypted = engineFigures('encrypted', randomBytes(32));
  gc();
  const plaintext = engineFigures('plaintext', undefined);
  const { counts } = encrypted;
  const result = {
    scale,
    seed,
    counts,
    // Other processes share the CPUs: compare with the raw baselines of the same run, and
    // read CPU-time figures as what the engine itself costs.
    machine: { cpus: availableParallelism(), loadAverage1m: { start: round(loadAtStart), end: round(loadavg()[0]!) } },
    // The app's workspaces are encrypted: these are its figures; `plaintext` the same engine without a key.
    ...omitCounts(encrypted),
    plaintext: omitCounts(plaintext),
    encryptedToPlaintext: encryptionCost(encrypted, plaintext),
    // The kernel's high-water mark for the whole run (the run is synchronous, so no sampler would get a turn).
    peakRssMb: check(process.resourceUsage().maxRSS / 1024, '<=', 400, 'MB'),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function omitCounts({ counts: _counts, ...figures }: ReturnType<typeof engineFigures>) {
  return figures;
}
