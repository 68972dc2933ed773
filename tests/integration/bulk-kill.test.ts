// Kill a process writing records in bulk (Workspace.createMany) with SIGKILL at random
// moments, and check after each kill that every batch it had acknowledged (printed after
// the batch committed) is stored whole, that any other batch is stored whole or not at
// all, and that every stored record is whole: its doc, its '(created)' history line, its
// sync outbox row and a projection that is exactly what its doc gives.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { Workspace } from '../../main/data-service/workspace';
import { projectionRows, tempDir } from '../unit/helpers';
import { bulkKillBatches } from './bulk-kill-drafts';
import { linesUntilKilled } from './kill-helpers';

const ROUNDS = 6;
/** Milliseconds of writing before each kill, drawn from a fixed seed. */
const KILL_AFTER_MS = fc.sample(fc.integer({ min: 0, max: 1_500 }), { seed: 1414, numRuns: ROUNDS });

/** Run the writer on one seed's drafts until it is killed (or done); returns the batches it acknowledged. */
async function writeUntilKilled(path: string, seed: number, killAfterMs: number): Promise<string[][]> {
  const lines = await linesUntilKilled(join(import.meta.dirname, 'bulk-kill-writer.ts'), [path, String(seed)], killAfterMs);
  return lines.filter((line) => line.startsWith('[')).map((line) => JSON.parse(line) as string[]);
}

test('a bulk write killed at any moment keeps every committed batch whole and no part of any other', { timeout: 180_000 }, async (t) => {
  const path = join(tempDir(t), 'workspace.sqlite');
  let acknowledged = 0;
  let cutShort = 0;
  for (const [round, killAfterMs] of KILL_AFTER_MS.entries()) {
    const seed = round + 1;
    const acks = await writeUntilKilled(path, seed, killAfterMs);
    acknowledged += acks.length;
    const batches = bulkKillBatches(seed);
    if (acks.length < batches.length) cutShort++;
    const ws = Workspace.open({ path, author: { id: 'checker', name: 'Checker' } });
    try {
      assert.equal(ws.db.pragma('integrity_check', { simple: true }), 'ok', `round ${round}`);
      const storedIds = new Set(ws.db.prepare('SELECT id FROM docs').pluck().all() as string[]);
      for (const [i, batch] of batches.entries()) {
        const stored = batch.filter((id) => storedIds.has(id)).length;
        if (i < acks.length) assert.equal(stored, batch.length, `round ${round}: acknowledged batch ${i} is whole`);
        else assert.ok(stored === 0 || stored === batch.length, `round ${round}: batch ${i} has ${stored} of its ${batch.length} records`);
      }
      const count = (sql: string) => ws.db.prepare(sql).pluck().get() as number;
      assert.equal(count('SELECT count(*) FROM records'), storedIds.size, `round ${round}: every doc has its projection and no more`);
      assert.equal(count("SELECT count(DISTINCT record_id) FROM history WHERE field = '(created)'"), storedIds.size, `round ${round}: history`);
      assert.equal(count('SELECT count(DISTINCT doc_id) FROM sync_outbox'), storedIds.size, `round ${round}: every record waits to be sent`);
      const rows = projectionRows(ws);
      ws.rebuildProjections();
      assert.deepEqual(projectionRows(ws), rows, `round ${round}: the projection is what the docs give`);
    } finally {
      ws.close();
    }
  }
  assert.ok(acknowledged > ROUNDS, `the writer got work done (${acknowledged} batches acknowledged)`);
  assert.ok(cutShort > 0, 'at least one kill fell in the middle of the writing');
});
