// `npm run bench [-- --scale 0.1] [-- --seed 1]`: builds the reference workspace with the
// seeded generator in a temp dir, measures the local data engine and prints one JSON
// object of medians, each target beside its figure. Nothing is written to the repository.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULTS, type AnyRecord, type RecordKind } from '../shared/domain';
import { migrate } from '../main/data-service/db/migrations';
import { Projection } from '../main/data-service/projection';
import { Workspace } from '../main/data-service/workspace';
import { GENERATION_ORDER, countsAt, generateBatches, generateWorkspace, REFERENCE_COUNTS, type GenerateResult } from './generate';

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
let peakRssBytes = 0;
const sampleRss = () => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss()));
const sampler = setInterval(sampleRss, 50);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const median = (samples: number[]) => quantile(samples, 0.5);
const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const check = (value: number, op: '>=' | '<=', limit: number, unit: string) => ({
  value: round(value),
  target: `${op} ${limit} ${unit}`,
  met: op === '>=' ? value >= limit : value <= limit,
});

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function build(path: string, buildScale: number): GenerateResult {
  const ws = Workspace.open({ path, author, name: 'Bench' });
  try {
    return generateWorkspace(ws, { scale: buildScale, seed });
  } finally {
    ws.close();
  }
}

/**
 * The honest floor for bulk creation: the same read-model rows (records, facets, side
 * tables, FTS) written by the same prepared statements in the same batches, with the
 * same pragmas, but without validation, reference checks, Yjs docs or history.
 */
function rawInsertMs(path: string): Record<RecordKind, number> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrate(db);
  const projection = new Projection(db);
  const at = new Date().toISOString();
  const meta = { createdAt: at, createdBy: author, updatedAt: at, updatedBy: author, deletedAt: null, deletedBy: null, mergedInto: null };
  const ms = { contact: 0, asset: 0, session: 0, connection: 0 } as Record<RecordKind, number>;
  const insert = db.transaction((records: AnyRecord[]) => {
    for (const record of records) projection.write(record, true);
  });
  for (const batch of generateBatches({ scale, seed })) {
    const records = batch.inputs.map(({ id, data }) => ({ id, kind: batch.kind, ...meta, data: { ...DEFAULTS[batch.kind], ...data } }) as AnyRecord);
    ms[batch.kind] += time(() => insert(records));
  }
  db.close();
  return ms;
}

function rates(ms: Record<RecordKind, number>): Record<RecordKind | 'overall', number> {
  const counts = countsAt(scale);
  const out = {} as Record<RecordKind | 'overall', number>;
  for (const kind of GENERATION_ORDER) out[kind] = Math.round((counts[kind] / ms[kind]) * 1000);
  const total = GENERATION_ORDER.reduce((a, k) => a + counts[k], 0);
  out.overall = Math.round((total / GENERATION_ORDER.reduce((a, k) => a + ms[k], 0)) * 1000);
  return out;
}

/** Workspace.open plus the first page of contacts, as the app does on start. */
function openMs(path: string): number[] {
  const samples: number[] = [];
  for (let i = 0; i < OPEN_ROUNDS; i++) {
    let ws: Workspace | undefined;
    samples.push(
      time(() => {
        ws = Workspace.open({ path, author });
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

function searchMs(ws: Workspace, queries: string[]): number[] {
  for (const text of queries) ws.search({ text }); // warm-up round
  const samples: number[] = [];
  for (let r = 0; r < SEARCH_ROUNDS; r++) for (const text of queries) samples.push(time(() => ws.search({ text })));
  return samples;
}

/** Change a contact's phone; `update` returns once the FULL-synchronous commit is done. */
function editMs(ws: Workspace, contactIds: string[]): number[] {
  const step = Math.max(1, Math.floor(contactIds.length / EDITS));
  const samples: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const id = contactIds[(i * step) % contactIds.length]!;
    const phone = `07700 9${String(i).padStart(5, '0')}`;
    samples.push(time(() => ws.update('contact', id, { phone })));
  }
  return samples;
}

try {
  const counts = countsAt(scale);
  const referencePath = join(dir, 'reference.db');
  const built = build(referencePath, scale);
  gc();
  const raw = rawInsertMs(join(dir, 'raw.db'));
  gc();
  const ours = rates(built.writeMs);
  const rawRates = rates(raw);

  const smallPath = join(dir, 'small.db');
  build(smallPath, SMALL_RECORDS / REFERENCE_TOTAL);
  const smallOpen = median(openMs(smallPath));
  const referenceOpen = median(openMs(referencePath));

  const ws = Workspace.open({ path: referencePath, author });
  const search = searchMs(ws, searchQueries(ws, built.ids));
  const edits = editMs(ws, built.ids.contact);
  ws.close();
  sampleRss();

  const result = {
    scale,
    seed,
    counts,
    bulkCreate: {
      recordsPerSecond: ours,
      rawProjectionInsertsPerSecond: rawRates,
      oursToRaw: round(ours.overall / rawRates.overall),
      overall: check(ours.overall, '>=', 10_000, 'records/s'),
    },
    open: {
      smallRecords: Object.values(countsAt(SMALL_RECORDS / REFERENCE_TOTAL)).reduce((a, b) => a + b, 0),
      smallMs: round(smallOpen),
      referenceMs: check(referenceOpen, '<=', 200, 'ms'),
      referenceToSmall: check(referenceOpen / smallOpen, '<=', 1.5, '×'),
    },
    search: {
      queries: search.length / SEARCH_ROUNDS,
      p50Ms: round(quantile(search, 0.5)),
      p95Ms: check(quantile(search, 0.95), '<=', 20, 'ms'),
    },
    edit: {
      edits: edits.length,
      p50Ms: round(quantile(edits, 0.5)),
      p95Ms: check(quantile(edits, 0.95), '<=', 5, 'ms'),
    },
    peakRssMb: check(Math.max(peakRssBytes, process.resourceUsage().maxRSS * 1024) / 2 ** 20, '<=', 400, 'MB'),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
