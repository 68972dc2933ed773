// Encrypting a plaintext workspace in place survives a kill at any moment: a child process
// runs the migration of the first start of this version and is killed at a random moment,
// over many runs; each time the next start finds the old file or the new one (never neither,
// never a workspace it cannot open) and, once it has finished, opens every record.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Workspace } from '../../main/data-service/workspace';
import { tempDir, testService, TEST_PASSPHRASE } from '../unit/helpers';
import { prng } from './sync-helpers';

const RUNS = 20;
const CONTACTS = 3000;
const SEED = Number(process.env.FIELDBOOK_KILL_SEED ?? 1212);

/** Runs the migrator on `dataDir`; kills it `killAfterMs` after it is ready (never, if null). Resolves to how long it ran and whether it finished. */
async function migrate(dataDir: string, killAfterMs: number | null): Promise<{ ms: number; finished: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'encryption-migrator.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let readyAt = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (!readyAt && out.startsWith('ready\n')) {
      readyAt = performance.now();
      if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
  });
  const [code] = (await once(child, 'close')) as [number | null];
  const finished = out.includes('done\n');
  if (killAfterMs === null) assert.equal(code, 0, 'the migrator finishes when not killed');
  return { ms: performance.now() - readyAt, finished };
}

test('a kill at any moment of the plaintext → encrypted migration leaves a workspace the next start opens whole', async (t) => {
  const template = tempDir(t);
  const author = { id: 'worker-asha', name: 'Asha Patel' };
  const ws = Workspace.open({ path: join(template, 'workspace.sqlite'), author, name: 'Moss Side', durability: 'normal' });
  const ids = ws.createMany('contact', Array.from({ length: CONTACTS }, (_, i) => ({ data: { name: `Resident ${i}`, notes: `note ${i}` } })));
  ws.close();
  writeFileSync(join(template, 'profile.json'), JSON.stringify({ author, workspaceName: 'Moss Side', workspaceFile: 'workspace.sqlite' }));

  const copyOfTemplate = () => {
    const dir = tempDir(t);
    cpSync(template, dir, { recursive: true });
    return dir;
  };
  const { ms: wholeRunMs } = await migrate(copyOfTemplate(), null);
  const random = prng(SEED);
  const foundAfterKill: Record<string, number> = {};
  for (let run = 0; run < RUNS; run++) {
    const dir = copyOfTemplate();
    const killAfterMs = Math.floor(random() * wholeRunMs);
    const { finished } = await migrate(dir, killAfterMs);

    const service = testService(dir);
    try {
      const state = service.profile().state;
      const seen = finished ? 'finished' : state;
      foundAfterKill[seen] = (foundAfterKill[seen] ?? 0) + 1;
      const context = `run ${run} (seed ${SEED}, killed ${killAfterMs} ms after start): state ${state}, ${service.profile().problem ?? ''}`;
      // Before the key file is on disk the old file is untouched; after it, unlocking finishes the work.
      assert.ok(state === 'needs-encryption' || state === 'locked', context);
      if (state === 'needs-encryption') await service.protect(TEST_PASSPHRASE);
      else await service.unlock({ passphrase: TEST_PASSPHRASE });
      const opened = service.workspace;
      assert.equal(opened.db.pragma('integrity_check', { simple: true }), 'ok', context);
      assert.equal(opened.info().counts.contact, CONTACTS, context);
      for (const i of [0, CONTACTS >> 1, CONTACTS - 1]) assert.equal(opened.get('contact', ids[i]!).data.notes, `note ${i}`, context);
    } finally {
      service.close();
    }
  }
  t.diagnostic(`whole migration ${Math.round(wholeRunMs)} ms; where the kills left it: ${JSON.stringify(foundAfterKill)}`);
});
