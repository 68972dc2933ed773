// Kill an importing process at random moments and reopen the workspace each time: every
// contact stored is whole (its projection what its doc holds, the batch consent on it), the
// batch lists exactly the contacts stored and says partial until the file is done, and
// resuming never writes a row twice.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { Workspace } from '../../main/data-service/workspace';
import { recordFromDoc, tempDir } from '../unit/helpers';
import { runUntilKilled } from './kill-helpers';

const ROWS = 2_000;
const ROUNDS = 8;
const KILL_AFTER_MS = fc.sample(fc.integer({ min: 0, max: 1_500 }), { seed: 1414, numRuns: ROUNDS });

test('an import killed at random moments leaves whole contacts and a partial batch, and resumes to exactly the file', { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'workspace.sqlite');
  const csvPath = join(dir, 'people.csv');
  const names = Array.from({ length: ROWS }, (_, i) => `Person ${String(i).padStart(4, '0')} Imported`);
  writeFileSync(csvPath, ['Name,Phone,Notes', ...names.map((n, i) => `${n},07700 9${String(i).padStart(5, '0')},"notes of ${n}\nsecond line"`)].join('\r\n'));
  let finished = false;
  let partialSeen = 0;
  for (let round = 0; !finished; round++) {
    const run = await runUntilKilled(join(import.meta.dirname, 'import-kill-worker.ts'), [path, csvPath], round < ROUNDS ? KILL_AFTER_MS[round]! : 600_000);
    finished = !run.killed;
    const ws = Workspace.open({ path, author: { id: 'checker', name: 'Checker' } });
    try {
      assert.equal(ws.db.pragma('integrity_check', { simple: true }), 'ok');
      const batches = ws.imports.list();
      assert.ok(batches.length <= 1, `round ${round}: one batch, resumed, not a second one`);
      const contacts = ws.db.prepare("SELECT id FROM records WHERE kind = 'contact'").pluck().all() as string[];
      const batch = batches[0];
      if (!batch) {
        assert.equal(contacts.length, 0, `round ${round}: killed before the batch began: nothing stored`);
        continue;
      }
      if (batch.status === 'partial') partialSeen++;
      const listed = ws.imports.records(batch.id);
      assert.deepEqual(new Set(listed.map((r) => r.recordId)), new Set(contacts), `round ${round}: the batch lists exactly the contacts stored`);
      assert.equal(contacts.length, batch.done, `round ${round}: one contact per row gone through`);
      assert.equal(batch.status, batch.done === ROWS ? 'complete' : 'partial');
      // A kill can land after the last step has committed (the import is done, the process not yet gone).
      if (batch.status === 'complete') finished = true;
      for (const entry of listed) {
        const stored = ws.get('contact', entry.recordId);
        assert.deepEqual(stored.data, recordFromDoc(ws, 'contact', entry.recordId).data, `round ${round}: row ${entry.line} is whole`);
        assert.equal(stored.data.name, names[entry.line - 2]);
        assert.equal(stored.data.notes, `notes of ${stored.data.name}\nsecond line`);
        assert.equal(stored.data.consents.length, 1);
      }
    } finally {
      ws.close();
    }
  }
  assert.ok(partialSeen > 0, 'at least one kill landed mid-import');
});
