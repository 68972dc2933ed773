// Encryption at rest as the data service keeps it: what is on disk holds no personal data in
// the clear (file and WAL), the key file's wraps, and the workspace's lock — wrong or missing
// secrets and files get a clear answer and never a new, empty workspace — plus encrypting a
// plaintext workspace from an earlier version in place.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DataService } from '../../main/data-service/data-service';
import { isPlaintextSqlite } from '../../main/data-service/keys/encrypt-in-place';
import { keyFilePathFor, readKeyFile } from '../../main/data-service/keys/key-file';
import { keychainOverPort, type Keychain, type KeychainRequest } from '../../main/data-service/keys/keychain';
import { normaliseRecoveryCode } from '../../main/data-service/keys/recovery-code';
import { Workspace } from '../../main/data-service/workspace';
import { RpcError } from '../../shared/rpc';
import { asha, tempDir, TEST_KDF, TEST_PASSPHRASE, testService } from './helpers';

/** A resident whose details must never be readable from the files. */
const RESIDENT = { name: 'Zebulon Quartermaine', phone: '07700 900461', notes: 'asked about the marigold allotment waiting list' };

function writeResident(ws: Workspace): string {
  return ws.create('contact', { name: RESIDENT.name, phone: RESIDENT.phone, notes: RESIDENT.notes }).id;
}

/** Which of the resident's details the file's raw bytes hold. */
function detailsIn(path: string): string[] {
  const bytes = readFileSync(path);
  return Object.values(RESIDENT).filter((value) => bytes.includes(Buffer.from(value, 'utf8')));
}

const hashOf = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Asserts the promise is refused as invalid, naming `field`, with `words` in what the user is told. */
async function refusedAt(attempt: Promise<unknown>, field: string, words: RegExp): Promise<void> {
  await assert.rejects(attempt, (error: unknown) => {
    assert.ok(error instanceof RpcError, String(error));
    assert.equal(error.code, 'invalid');
    assert.deepEqual(error.issues.map((i) => i.field), [field]);
    assert.match(error.message, words);
    return true;
  });
}

function serviceIn(t: TestContext, dir: string, options?: { keychain?: Keychain }): DataService {
  const service = options ? new DataService(dir, { kdf: TEST_KDF, ...options }) : testService(dir);
  t.after(() => service.close());
  return service;
}

async function setUpWorkspace(t: TestContext) {
  const dir = tempDir(t);
  const service = serviceIn(t, dir);
  const { recoveryCode } = await service.setup('Asha Patel', 'Moss Side', TEST_PASSPHRASE);
  const id = writeResident(service.workspace);
  service.close();
  return { dir, recoveryCode, id, workspace: join(dir, 'workspace.sqlite'), keyFile: join(dir, 'workspace.key.json') };
}

test('neither the workspace file nor its WAL holds a contact’s name, phone or notes in the clear; a plaintext file does', (t) => {
  const dir = tempDir(t);
  const encrypted = Workspace.open({ path: join(dir, 'encrypted.sqlite'), author: asha, key: randomBytes(32) });
  const plaintext = Workspace.open({ path: join(dir, 'plaintext.sqlite'), author: asha });
  t.after(() => [encrypted, plaintext].forEach((ws) => ws.close()));
  for (const ws of [encrypted, plaintext]) writeResident(ws);

  // Read while the writes are still in the WAL (checkpoints wait for a second of quiet).
  assert.ok(statSync(join(dir, 'encrypted.sqlite-wal')).size > 0, 'the write sits in the WAL');
  assert.deepEqual(detailsIn(join(dir, 'plaintext.sqlite-wal')), Object.values(RESIDENT), 'the search finds them where they are in the clear');
  assert.deepEqual(detailsIn(join(dir, 'encrypted.sqlite-wal')), []);
  encrypted.close();
  plaintext.close();
  assert.deepEqual(detailsIn(join(dir, 'plaintext.sqlite')), Object.values(RESIDENT));
  assert.deepEqual(detailsIn(join(dir, 'encrypted.sqlite')), []);
  assert.equal(isPlaintextSqlite(join(dir, 'encrypted.sqlite')), false);
});

test('the key file holds the key only wrapped, with the KDF’s parameters, bound to the workspace id', async (t) => {
  const { keyFile, recoveryCode } = await setUpWorkspace(t);
  const file = readKeyFile(keyFile)!;
  assert.deepEqual(file.passphrase?.kdf, TEST_KDF);
  assert.equal(file.keychain, null, 'no keychain here: nothing is sealed by one');
  assert.equal(normaliseRecoveryCode(recoveryCode.toLowerCase().replaceAll('-', ' ')), recoveryCode);
  const text = readFileSync(keyFile, 'utf8');
  assert.ok(!text.includes(recoveryCode.replaceAll('-', '')) && !text.includes(recoveryCode), 'the recovery code itself is not stored');

  // A wrap moved into another workspace's key file does not open: the workspace id is its associated data.
  writeFileSync(keyFile, JSON.stringify({ ...file, workspaceId: 'another-workspace' }));
  const service = serviceIn(t, join(keyFile, '..'));
  await refusedAt(service.unlock({ passphrase: TEST_PASSPHRASE }), 'passphrase', /does not open this workspace/);
});

test('a locked workspace opens only with its passphrase; a wrong one is refused and changes nothing', async (t) => {
  const { dir, id, workspace, keyFile } = await setUpWorkspace(t);
  const before = { workspace: hashOf(workspace), keyFile: hashOf(keyFile) };
  const service = serviceIn(t, dir);
  assert.equal(service.profile().state, 'locked');
  assert.throws(() => service.workspace, (e: unknown) => e instanceof RpcError && e.code === 'not_ready' && /locked/.test(e.message));
  await refusedAt(service.unlock({ passphrase: 'correct horse battery stable' }), 'passphrase', /does not open this workspace/);
  assert.equal(service.profile().state, 'locked');
  assert.deepEqual({ workspace: hashOf(workspace), keyFile: hashOf(keyFile) }, before);
  await service.unlock({ passphrase: TEST_PASSPHRASE });
  assert.equal(service.workspace.get('contact', id).data.phone, RESIDENT.phone);
});

test('the recovery code opens the workspace and replaces a forgotten passphrase; the old one no longer opens it', async (t) => {
  const { dir, id, recoveryCode } = await setUpWorkspace(t);
  const service = serviceIn(t, dir);
  await refusedAt(service.unlock({ recoveryCode }), 'newPassphrase', /required/);
  await refusedAt(service.unlock({ recoveryCode: 'ABCDE-ABCDE', newPassphrase: 'a new passphrase for us' }), 'recoveryCode', /25 letters and digits/);
  const wrong = recoveryCode.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  await refusedAt(service.unlock({ recoveryCode: wrong, newPassphrase: 'a new passphrase for us' }), 'recoveryCode', /does not open this workspace/);
  await service.unlock({ recoveryCode, newPassphrase: 'a new passphrase for us' });
  assert.equal(service.workspace.get('contact', id).data.name, RESIDENT.name);
  service.close();

  const next = serviceIn(t, dir);
  await refusedAt(next.unlock({ passphrase: TEST_PASSPHRASE }), 'passphrase', /does not open/);
  await next.unlock({ passphrase: 'a new passphrase for us' });
});

test('changing the passphrase re-wraps the key without touching the workspace file', async (t) => {
  const { dir, workspace } = await setUpWorkspace(t);
  const service = serviceIn(t, dir);
  await service.unlock({ passphrase: TEST_PASSPHRASE });
  const before = hashOf(workspace);
  await refusedAt(service.changePassphrase('not the passphrase', 'kettle lantern orchard'), 'current', /does not open/);
  await service.changePassphrase(TEST_PASSPHRASE, 'kettle lantern orchard');
  assert.equal(hashOf(workspace), before);
  service.close();
  const next = serviceIn(t, dir);
  await next.unlock({ passphrase: 'kettle lantern orchard' });
  assert.equal(next.profile().state, 'open');
});

test('a missing key file, a missing or empty workspace file: a clear problem, no new workspace, nothing overwritten', async (t) => {
  const { dir, workspace, keyFile } = await setUpWorkspace(t);
  const bytes = hashOf(workspace);

  renameSync(keyFile, `${keyFile}.elsewhere`);
  const noKey = serviceIn(t, dir);
  assert.equal(noKey.profile().state, 'unavailable');
  assert.match(noKey.profile().problem!, /key file .*workspace\.key\.json is missing/);
  await assert.rejects(noKey.unlock({ passphrase: TEST_PASSPHRASE }), (e: unknown) => e instanceof RpcError && e.code === 'conflict');
  await assert.rejects(noKey.setup('Someone', 'Fresh start', TEST_PASSPHRASE), (e: unknown) => e instanceof RpcError && e.code === 'conflict');
  noKey.close();
  assert.equal(hashOf(workspace), bytes);
  assert.equal(existsSync(keyFile), false, 'no key file is made up');
  renameSync(`${keyFile}.elsewhere`, keyFile);

  // With its key file here, the key still unlocks: the workspace's backups (encrypted with
  // that key) are then offered in its place (damaged-workspace.test.ts).
  renameSync(workspace, `${workspace}.elsewhere`);
  const noWorkspace = serviceIn(t, dir);
  assert.equal(noWorkspace.profile().state, 'locked');
  await noWorkspace.unlock({ passphrase: TEST_PASSPHRASE });
  assert.equal(noWorkspace.damage()?.problem, 'missing');
  assert.throws(() => noWorkspace.workspace, /damaged/);
  noWorkspace.close();
  assert.equal(existsSync(workspace), false, 'no new, empty workspace is made in its place');

  writeFileSync(workspace, '');
  const empty = serviceIn(t, dir);
  await empty.unlock({ passphrase: TEST_PASSPHRASE });
  const found = empty.damage();
  assert.equal(found?.problem, 'empty');
  empty.close();
  assert.equal(statSync(found.setAsidePath!).size, 0, 'it is set aside, nothing written to it');
  assert.equal(existsSync(workspace), false, 'and no new workspace is made in its place');
  renameSync(`${workspace}.elsewhere`, workspace);
  const back = serviceIn(t, dir);
  await back.unlock({ passphrase: TEST_PASSPHRASE });
  assert.equal(back.workspace.info().counts.contact, 1);
});

/** A workspace as an earlier version left it: plaintext, its profile beside it, no key file. */
function plaintextWorkspace(t: TestContext) {
  const dir = tempDir(t);
  const author = { id: 'worker-asha', name: 'Asha Patel' };
  const ws = Workspace.open({ path: join(dir, 'workspace.sqlite'), author, name: 'Moss Side' });
  const id = writeResident(ws);
  ws.create('asset', { name: 'Claremont Library', category: 'institution' });
  ws.close();
  writeFileSync(join(dir, 'profile.json'), JSON.stringify({ author, workspaceName: 'Moss Side', workspaceFile: 'workspace.sqlite' }));
  return { dir, id, workspace: join(dir, 'workspace.sqlite') };
}

test('a plaintext workspace from an earlier version is encrypted in place once a passphrase is set, every record kept', async (t) => {
  const { dir, id, workspace } = plaintextWorkspace(t);
  assert.deepEqual(detailsIn(workspace), Object.values(RESIDENT));
  const service = serviceIn(t, dir);
  assert.equal(service.profile().state, 'needs-encryption');
  await refusedAt(service.protect(), 'passphrase', /required/);
  assert.equal(existsSync(keyFilePathFor(workspace)), false, 'a refused request writes no key file');
  const { recoveryCode, profile } = await service.protect(TEST_PASSPHRASE);
  assert.equal(profile.state, 'open');
  assert.equal(service.workspace.get('contact', id).data.notes, RESIDENT.notes);
  assert.equal(service.workspace.info().counts.asset, 1);
  service.close();
  assert.deepEqual(detailsIn(workspace), []);
  assert.deepEqual(readdirSync(dir).sort(), ['profile.json', 'workspace.key.json', 'workspace.sqlite', 'workspace.sqlite.closed-cleanly'], 'no plaintext copy is left beside it');

  const next = serviceIn(t, dir);
  await next.unlock({ recoveryCode, newPassphrase: 'kettle lantern orchard' });
  assert.equal(next.workspace.get('contact', id).data.name, RESIDENT.name);
});

test('an encryption interrupted after its key file was written is finished by the next unlock', async (t) => {
  const { dir, id, workspace } = plaintextWorkspace(t);
  const first = serviceIn(t, dir);
  await first.protect(TEST_PASSPHRASE);
  first.close();
  // As if killed after the key file was on disk but before the encrypted copy replaced the file.
  const interrupted = plaintextWorkspace(t);
  renameSync(interrupted.workspace, workspace);
  writeFileSync(`${workspace}.encrypting`, 'half a copy');
  const service = serviceIn(t, dir);
  assert.equal(service.profile().state, 'locked');
  await service.unlock({ passphrase: TEST_PASSPHRASE });
  assert.equal(service.workspace.get('contact', interrupted.id).data.name, RESIDENT.name);
  assert.notEqual(interrupted.id, id);
  service.close();
  assert.equal(isPlaintextSqlite(workspace), false);
  assert.equal(existsSync(`${workspace}.encrypting`), false);
});

/** The OS keychain as Electron's safeStorage behaves: a real one, basic_text (none), or one that cannot open what another login sealed. */
function keychain(kind: 'real' | 'basic_text' | 'other-login'): Keychain {
  return {
    available: async () => kind !== 'basic_text',
    seal: async (text) => Buffer.from(`sealed:${text}`).toString('base64'),
    unseal: async (sealed) => {
      if (kind === 'other-login') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(sealed, 'base64').toString().replace(/^sealed:/, '');
    },
  };
}

test('with a real OS keychain no passphrase is needed and the workspace opens at start; basic_text is no keychain', async (t) => {
  const dir = tempDir(t);
  const withKeychain = serviceIn(t, dir, { keychain: keychain('real') });
  await withKeychain.ready;
  assert.equal(withKeychain.profile().passphraseNeeded, false);
  const { recoveryCode } = await withKeychain.setup('Asha Patel', 'Moss Side');
  writeResident(withKeychain.workspace);
  withKeychain.close();

  const again = serviceIn(t, dir, { keychain: keychain('real') });
  await again.ready;
  assert.equal(again.profile().state, 'open');
  assert.equal(again.workspace.info().counts.contact, 1);
  again.close();

  // Another login's keychain cannot open the seal: locked, and only the recovery code opens it.
  const otherLogin = serviceIn(t, dir, { keychain: keychain('other-login') });
  await otherLogin.ready;
  assert.deepEqual([otherLogin.profile().state, otherLogin.profile().hasPassphrase], ['locked', false]);
  await otherLogin.unlock({ recoveryCode });
  assert.equal(otherLogin.workspace.info().counts.contact, 1);

  const basicText = serviceIn(t, tempDir(t), { keychain: keychain('basic_text') });
  await basicText.ready;
  assert.equal(basicText.profile().passphraseNeeded, true);
  await refusedAt(basicText.setup('Asha Patel', 'Moss Side'), 'passphrase', /no keychain/);
});

test('keychain questions travel to Electron main and its answers settle them by id, failures included', async () => {
  const sent: KeychainRequest[] = [];
  const overPort = keychainOverPort((request) => sent.push(request));
  const sealing = overPort.seal('workspace-id\nkey');
  const asking = overPort.available();
  const unsealing = overPort.unseal('c2VhbGVk');
  assert.deepEqual(sent.map((r) => r.op), ['seal', 'available', 'unseal']);
  // Answered out of order, as a busy main may; one fails, as safeStorage does for another login's seal.
  overPort.answer({ type: 'keychain-answer', id: sent[2]!.id, ok: false, message: 'Error while decrypting the ciphertext' });
  overPort.answer({ type: 'keychain-answer', id: sent[1]!.id, ok: true, value: false });
  overPort.answer({ type: 'keychain-answer', id: sent[0]!.id, ok: true, value: 'c2VhbGVk' });
  assert.equal(await sealing, 'c2VhbGVk');
  assert.equal(await asking, false);
  await assert.rejects(unsealing, /decrypting/);
});

test('a key file from another workspace is said plainly, even when the keychain opens it at start', async (t) => {
  const [first, second] = [tempDir(t), tempDir(t)];
  for (const dir of [first, second]) {
    const service = serviceIn(t, dir, { keychain: keychain('real') });
    await service.setup('Asha Patel', 'Moss Side');
    service.close();
  }
  writeFileSync(join(second, 'workspace.key.json'), readFileSync(join(first, 'workspace.key.json')));
  const service = serviceIn(t, second, { keychain: keychain('real') });
  await service.ready;
  assert.equal(service.profile().state, 'unavailable');
  assert.match(service.profile().problem!, /does not belong to the workspace file/);
});

test('a setup stopped before its profile was written is set aside, not overwritten, by the next setup', async (t) => {
  const { dir, workspace, keyFile } = await setUpWorkspace(t);
  const before = { workspace: hashOf(workspace), keyFile: hashOf(keyFile) };
  rmSync(join(dir, 'profile.json'));
  const service = serviceIn(t, dir);
  assert.equal(service.profile().state, 'needs-setup');
  await service.setup('Asha Patel', 'Moss Side', TEST_PASSPHRASE);
  assert.equal(service.workspace.info().counts.contact, 0);
  const setAside = readdirSync(dir).filter((name) => name.includes('.unfinished-'));
  assert.deepEqual(
    setAside.map((name) => hashOf(join(dir, name))).sort(),
    [before.workspace, before.keyFile].sort(),
    'the earlier files are kept whole beside the new ones',
  );
});
