// The sync server's SQLite store is encrypted at rest: a record a device pushed is in neither
// the store's file nor its WAL in the clear, a wrong or missing passphrase stops the server
// from starting with a message saying so, and a plaintext store from an earlier version is
// encrypted in place at the first start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPlaintextSqlite } from '../../main/data-service/keys/encrypt-in-place';
import { createWorkspace } from '../../server/admin';
import { SqliteStore } from '../../server/store-sqlite';
import { TEST_PASSPHRASE } from '../unit/helpers';
import { sqliteServerForFile } from './sqlite-server-fixture';
import { eventually, joinedDevice, sqliteStoreFor, tempDir } from './sync-helpers';

const sync = sqliteServerForFile('server-encryption');
const PHRASE = 'marigold allotment waiting list';
const lead = { id: 'lead', name: 'Asha Patel' };

const holdsPhrase = (path: string) => existsSync(path) && readFileSync(path).includes(Buffer.from(PHRASE, 'utf8'));

test('what a device pushes is in neither the store file nor its WAL in the clear (a plaintext store holds it)', async () => {
  const workspaceId = await createWorkspace(sync.store, 'Moss Side');
  const device = await joinedDevice({ dir: sync.dir, url: sync.server.url, store: sync.store }, lead, workspaceId, 'lead');
  try {
    const contact = device.ws.create('contact', { name: 'Zebulon Quartermaine', notes: PHRASE });
    await device.client.syncNow();
    await eventually(() => device.client.status().pending === 0, 'the server stored the contact');
    const storeFile = join(sync.dir, 'sync.sqlite');
    assert.equal(holdsPhrase(storeFile) || holdsPhrase(`${storeFile}-wal`), false);
    assert.equal(isPlaintextSqlite(storeFile), false);

    const plaintext = new SqliteStore(join(tempDir('plain-store'), 'sync.sqlite'));
    await plaintext.createWorkspace('w', 'Moss Side');
    await plaintext.append('w', 'device', 'conn', lead, [{ msgId: 1, docId: contact.id, update: device.ws.docState(contact.id) }]);
    const path = (plaintext as unknown as { db: { name: string } }).db.name;
    assert.ok(holdsPhrase(path) || holdsPhrase(`${path}-wal`), 'the byte search finds the phrase where it is in the clear');
    await plaintext.close();
  } finally {
    device.close();
  }
});

/**
 * Runs the server on `db` as an operator starts it, with `env` alone giving the passphrase;
 * stops it once it listens. Resolves to its exit code and what it printed.
 */
async function runServer(db: string, env: Record<string, string | undefined>): Promise<{ code: number | null; said: string; printed: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FIELDBOOK_SERVER_PASSPHRASE: undefined, ...env },
  });
  let said = '';
  let printed = '';
  child.stderr.on('data', (d) => (said += d));
  child.stdout.on('data', (d) => {
    printed += d;
    if (printed.includes('listening on')) child.kill('SIGTERM');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, said, printed };
}

test('a wrong or missing passphrase stops the server from starting, saying why, and changes nothing', async () => {
  const db = join(sync.dir, 'sync.sqlite');
  const before = readFileSync(`${db.replace(/\.sqlite$/, '')}.key.json`, 'utf8');
  const wrong = await runServer(db, { FIELDBOOK_SERVER_PASSPHRASE: 'not the passphrase at all' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.said, /the passphrase given does not open .*sync\.sqlite/);
  const missing = await runServer(db, {});
  assert.equal(missing.code, 1);
  assert.match(missing.said, /is encrypted: give its passphrase in FIELDBOOK_SERVER_PASSPHRASE or with --passphrase-file/);
  assert.equal(readFileSync(`${db.replace(/\.sqlite$/, '')}.key.json`, 'utf8'), before);
});

test('a plaintext store from an earlier version is encrypted in place at the first start, every update kept', async () => {
  const db = join(tempDir('old-store'), 'sync.sqlite');
  const old = new SqliteStore(db);
  await old.createWorkspace('w', 'Moss Side');
  await old.append('w', 'device', 'conn', lead, [{ msgId: 1, docId: 'doc-1', update: new TextEncoder().encode(PHRASE) }]);
  await old.close();
  assert.ok(holdsPhrase(db));

  const { printed } = await runServer(db, { FIELDBOOK_SERVER_PASSPHRASE: TEST_PASSPHRASE });
  assert.match(printed, /Its recovery code, shown only now .*: ([0-9A-Z]{5}-){4}[0-9A-Z]{5}/);
  assert.equal(isPlaintextSqlite(db), false);
  assert.equal(holdsPhrase(db), false);
  const reopened = await sqliteStoreFor(db);
  assert.deepEqual(((await reopened.docUpdates('w', ['doc-1'])).get('doc-1') ?? []).map((u) => new TextDecoder().decode(u)), [PHRASE]);
  await reopened.close();
});
