// The baseline for bulk creation: the very rows the write path stored (docs, sync outbox,
// history, records, facets, each kind's tables, the search index and the counts), read
// back from its file and inserted again into a fresh workspace file by plain prepared
// better-sqlite3 statements, one record's rows after another, in the same batches and
// transactions and with the same pragmas: SQLite's own cost for those rows, without
// validation, Yjs, projection code or any batching of ours.
import { openWorkspaceDb } from '../main/data-service/db/workspace-db';
import { KIND_TABLES } from '../main/data-service/kinds';
import { storedSearchRow } from '../main/data-service/projection';
import type { RecordKind } from '../shared/domain';
import { groupBy } from '../shared/group-by';
import { GENERATION_ORDER, countsAt, type GeneratedKind } from './generate';
import { check, round } from './stats';

type Row = Record<string, unknown>;

export interface WrittenBatch {
  kind: GeneratedKind;
  ids: string[];
}

/** Wall and CPU milliseconds per kind spent inserting the rows of `batches` again. */
export function rawInsertMs(
  writtenPath: string,
  freshPath: string,
  batches: Iterable<WrittenBatch>,
  key?: Buffer,
): { ms: Record<GeneratedKind, number>; cpuMs: Record<GeneratedKind, number> } {
  const source = openWorkspaceDb(writtenPath, { readonly: true, key });
  const target = openWorkspaceDb(freshPath, { key });
  const from = source.sql;
  const to = target.sql;
  const ofIds = (table: string, key: string) => from.prepare(`SELECT * FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`);
  const read = {
    docs: ofIds('docs', 'id'),
    outbox: ofIds('sync_outbox', 'doc_id'),
    history: ofIds('history', 'record_id'),
    records: ofIds('records', 'id'),
    // A facet keeps its record as its rid, which the fresh file numbers anew.
    facets: from.prepare('SELECT r.id, f.facet, f.value FROM record_facets f JOIN records r ON r.rid = f.record_rid WHERE r.id IN (SELECT value FROM json_each(?))'),
    // The index keeps no copy of its text: the text it was given is worked out again from the record, as the projection does.
    search: from.prepare('SELECT r.id, r.kind, r.title, r.data FROM search_index s JOIN records r ON r.rid = s.rowid WHERE r.id IN (SELECT value FROM json_each(?))'),
    tables: KIND_TABLES.map((t) => ({ ...t, read: ofIds(t.name, t.key) })),
  };
  const insert = (table: string, columns: string[]) => {
    const statement = to.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    return (row: Row) => statement.run(...columns.map((c) => row[c]));
  };
  const write = {
    doc: insert('docs', ['id', 'kind', 'snapshot']),
    outbox: insert('sync_outbox', ['doc_id', 'data']),
    history: insert('history', ['record_id', 'field', 'before', 'after', 'author_id', 'author_name', 'hlc', 'kept']),
    record: insert('records', [
      'id', 'kind', 'status', 'title', 'sort_key', 'subtitle', 'badges', 'category', 'date', 'data',
      'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted_at', 'deleted_by', 'merged_into',
    ]),
    count: to.prepare('INSERT INTO record_counts (kind, status, n) VALUES (?, ?, 1) ON CONFLICT (kind, status) DO UPDATE SET n = n + 1'),
    facet: to.prepare('INSERT INTO record_facets (facet, value, record_rid) VALUES (?, ?, ?)'),
    search: to.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)'),
    tables: new Map(KIND_TABLES.map((t) => [t.name, insert(t.name, [...t.columns])])),
  };
  const byRecord = (rows: Row[], key: string) => groupBy(rows, (row) => row[key] as string);
  const ms = { contact: 0, asset: 0, session: 0, connection: 0 } as Record<GeneratedKind, number>;
  const cpuMs = { ...ms };
  try {
    for (const batch of batches) {
      const ids = JSON.stringify(batch.ids);
      const docs = byRecord(read.docs.all(ids) as Row[], 'id');
      const outbox = byRecord(read.outbox.all(ids) as Row[], 'doc_id');
      const history = byRecord(read.history.all(ids) as Row[], 'record_id');
      const records = byRecord(read.records.all(ids) as Row[], 'id');
      const facets = byRecord(read.facets.all(ids) as Row[], 'id');
      const search = byRecord(
        (read.search.all(ids) as { id: string; kind: RecordKind; title: string; data: string }[]).map((r) => {
          const [title, body] = storedSearchRow(r.kind, r);
          return { id: r.id, title, body };
        }),
        'id',
      );
      const tables = read.tables.map((t) => ({ write: write.tables.get(t.name)!, rows: byRecord(t.read.all(ids) as Row[], t.key) }));
      const started = performance.now();
      const cpu = process.cpuUsage();
      to.transaction(() => {
        for (const id of batch.ids) {
          for (const row of docs.get(id) ?? []) write.doc(row);
          for (const row of outbox.get(id) ?? []) write.outbox(row);
          for (const row of history.get(id) ?? []) write.history(row);
          for (const row of records.get(id) ?? []) {
            const rid = write.record(row).lastInsertRowid;
            write.count.run(row.kind, row.status);
            for (const s of search.get(id) ?? []) write.search.run(rid, s.title, s.body);
            for (const f of facets.get(id) ?? []) write.facet.run(f.facet, f.value, rid);
          }
          for (const table of tables) for (const row of table.rows.get(id) ?? []) table.write(row);
        }
      })();
      const used = process.cpuUsage(cpu);
      ms[batch.kind] += performance.now() - started;
      cpuMs[batch.kind] += (used.user + used.system) / 1000;
    }
  } finally {
    source.close();
    target.close();
  }
  return { ms, cpuMs };
}

/** The batches a generated workspace was written in: each kind's ids in runs of `batchSize` (see generateBatches). */
export function writtenBatches(ids: Record<GeneratedKind, string[]>, order: readonly GeneratedKind[], batchSize: number): WrittenBatch[] {
  return order.flatMap((kind) =>
    Array.from({ length: Math.ceil(ids[kind].length / batchSize) }, (_, i) => ({ kind, ids: ids[kind].slice(i * batchSize, (i + 1) * batchSize) })),
  );
}

/** Records per second of each kind and overall, from milliseconds per kind at this scale. */
function rates(scale: number, ms: Record<GeneratedKind, number>): Record<GeneratedKind | 'overall', number> {
  const counts = countsAt(scale);
  const out = {} as Record<GeneratedKind | 'overall', number>;
  for (const kind of GENERATION_ORDER) out[kind] = Math.round((counts[kind] / ms[kind]) * 1000);
  const total = GENERATION_ORDER.reduce((a, k) => a + counts[k], 0);
  out.overall = Math.round((total / GENERATION_ORDER.reduce((a, k) => a + ms[k], 0)) * 1000);
  return out;
}

type Timings = { ms: Record<GeneratedKind, number>; cpuMs: Record<GeneratedKind, number> };

/** The bench's bulk-create figures: ours and the raw inserts of the same rows, wall and CPU time, and the target. */
export function bulkCreateFigures(scale: number, ours: Timings, raw: Timings) {
  const oursRates = rates(scale, ours.ms);
  const rawRates = rates(scale, raw.ms);
  const oursCpu = rates(scale, ours.cpuMs);
  const rawCpu = rates(scale, raw.cpuMs);
  return {
    recordsPerSecond: oursRates,
    recordsPerCpuSecond: oursCpu,
    rawInsertsPerSecond: rawRates,
    rawInsertsPerCpuSecond: rawCpu,
    oursToRaw: round(oursRates.overall / rawRates.overall),
    oursToRawCpu: round(oursCpu.overall / rawCpu.overall),
    overall: check(oursRates.overall, '>=', 10_000, 'records/s'),
  };
}
