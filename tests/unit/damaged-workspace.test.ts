// A workspace file found missing, empty, cut off or damaged at start is never opened as a
// new workspace nor written to: it is set aside unchanged, the service says what happened and
// offers the latest backup and what can be recovered. Closing on a full disk never throws.
// The workspaces are encrypted, as the data service makes them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { DataService } from '../../main/data-service/data-service';
import { backupsDir, listBackups, writeBackup } from '../../main/data-service/db/backups';
import { openSqlite } from '../../main/data-service/db/sqlite';
import { ServiceConnection } from '../../main/data-service/service-connection';
import type { RpcResponse } from '../../shared/rpc';
import { Workspace } from '../../main/data-service/workspace';
import { asha, tempDir, TEST_KDF, TEST_PASSPHRASE } from './helpers';

/** The data service on a set-up folder, unlocked with its passphrase (a damaged file is found on unlocking). */
async function unlocked(t: TestContext, dir: string): Promise<DataService> {
  const service = new DataService(dir, { kdf: TEST_KDF });
  t.after(() => service.close());
  await service.unlock({ passphrase: TEST_PASSPHRASE });
  return service;
}

/** First run on a new folder, as the harness does it. */
async function setUp(dir: string): Promise<DataService> {
  const service = new DataService(dir, { kdf: TEST_KDF });
  await service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  return service;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * A set-up data folder whose workspace holds `contacts` contacts (with notes long enough to
 * fill many pages); its backups are the first day's (empty) and the latest, of the contacts.
 */
async function setUpDataDir(t: TestContext, contacts = 3): Promise<{ dir: string; path: string; key: Buffer }> {
  const dir = tempDir(t);
  const service = await setUp(dir);
  const key = service.workspace.key!;
  await service.backupRunning;
  service.workspace.createMany(
    'contact',
    Array.from({ length: contacts }, (_, i) => ({ data: { name: `Resident ${i}`, notes: `Met at the lunch club, week ${i}. ${'Likes gardening and the choir. '.repeat(20)}` } })),
  );
  const path = join(dir, 'workspace.sqlite');
  writeBackup(service.workspace.db, path, 'daily', new Date(Date.now() + 60_000));
  service.close();
  return { dir, path, key };
}

/** What the service finds: an encrypted file's header is encrypted too, so a cut there is told from other damage only when it splits a page. */
const DAMAGE: { label: string; damage: (path: string) => void; problem: (encrypted: boolean) => string }[] = [
  { label: 'zero-length', damage: (path) => writeFileSync(path, ''), problem: () => 'empty' },
  { label: 'cut in half', damage: (path) => truncateSync(path, Math.floor(statSync(path).size / 2)), problem: (encrypted) => (encrypted ? 'damaged' : 'cut-short') },
  {
    label: 'overwritten with garbage',
    damage: (path) => {
      const pages = statSync(path).size / 4096;
      const fd = openSync(path, 'r+');
      writeSync(fd, randomBytes(4096 * 4), 0, 4096 * 4, 4096 * Math.floor(pages / 2));
      closeSync(fd);
    },
    problem: () => 'damaged',
  },
];

for (const { label: damageLabel, damage, problem } of DAMAGE) {
  test(`a ${damageLabel} workspace file is set aside unchanged, never opened as a new workspace, and the backup restores it`, async (t) => {
    const { dir, path } = await setUpDataDir(t);
    damage(path);
    const before = sha256(path);

    const service = await unlocked(t, dir);
    const found = service.damage();
    assert.equal(found?.problem, problem(true));
    assert.ok(found.setAsidePath && existsSync(found.setAsidePath), 'the damaged file was set aside');
    assert.equal(sha256(found.setAsidePath), before, 'and is unchanged');
    assert.equal(existsSync(path), false, 'no new workspace was created in its place');
    assert.equal(service.profile().author?.name, 'Asha Patel', 'not a first run');
    assert.throws(() => service.workspace, /damaged/);
    await assert.rejects(service.setup('Someone Else', 'New', TEST_PASSPHRASE), /already open/);

    const { backups } = service.backups();
    assert.equal(backups[0]!.counts?.contact, 3, 'the latest backup is offered');
    await service.restoreBackup(backups[0]!.name);
    assert.equal(service.damage(), null);
    assert.equal(service.workspace.info().counts.contact, 3);
    assert.equal(sha256(found.setAsidePath), before, 'the damaged file is still there, unchanged');
  });
}

test(`a workspace file gone missing is not a first run: nothing is created, the backup is offered`, async (t) => {
  const { dir, path } = await setUpDataDir(t);
  const damaged = `${path}.elsewhere`;
  execFileSync('mv', [path, damaged]);
  const service = await unlocked(t, dir);
  assert.equal(service.damage()?.problem, 'missing');
  assert.equal(service.damage()?.setAsidePath, null);
  assert.equal(existsSync(path), false);
  assert.equal(service.backups().backups[0]?.counts?.contact, 3);
});

test(`with no backup and no file to recover from, an empty workspace starts only when the user says so`, async (t) => {
  const dir = tempDir(t);
  const first = await setUp(dir);
  await first.backupRunning;
  first.close();
  rmSync(join(dir, 'workspace.sqlite'));
  rmSync(join(dir, 'backups'), { recursive: true, force: true });

  const service = await unlocked(t, dir);
  assert.equal(service.damage()?.problem, 'missing');
  assert.deepEqual(service.backups().backups, []);
  assert.throws(() => service.recoverDamaged(), /no damaged file/);
  assert.equal(existsSync(join(dir, 'workspace.sqlite')), false);
  service.startEmpty();
  assert.equal(service.damage(), null);
  assert.equal(service.workspace.info().counts.contact, 0);
  assert.equal(service.profile().author?.name, 'Asha Patel', 'the same person, in a new workspace');
});

/** Overwrite one leaf page of `table` in the middle of the file, leaving its length and modification time as they were (as a failing disk might). */
function damagePageQuietly(path: string, key: Buffer, table: string): void {
  const db = openSqlite(path, { readonly: true, key });
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  assert.ok(pages.length > 10, `${table} spans ${pages.length} pages`);
  const before = statSync(path);
  const fd = openSync(path, 'r+');
  writeSync(fd, randomBytes(pageSize), 0, pageSize, (pages[Math.floor(pages.length / 2)]! - 1) * pageSize);
  closeSync(fd);
  utimesSync(path, before.atimeMs / 1000, before.mtimeMs / 1000);
  assert.equal(Math.trunc(statSync(path).mtimeMs), Math.trunc(before.mtimeMs));
}

test(`a workspace closed cleanly opens without reading every page; one damaged since is caught when read, and the next start offers the backup`, async (t) => {
  const { dir, path, key } = await setUpDataDir(t, 200);
  damagePageQuietly(path, key, 'records');

  const service = await unlocked(t, dir);
  assert.equal(service.damage(), null, 'the clean close let it open without checking every page');
  let response: RpcResponse | undefined;
  const connection = new ServiceConnection(service, (text) => (response = JSON.parse(text) as RpcResponse));
  connection.receive(JSON.stringify({ type: 'request', id: 1, method: 'record.list', params: { kind: 'contact', limit: 500 } }));
  assert.equal(response?.ok, false, 'reading the damaged page fails instead of reading wrong');
  assert.match(response.ok ? '' : response.error.message, /damaged.*open it again.*backup/);
  connection.close();
  service.close();

  const next = await unlocked(t, dir);
  assert.equal(next.damage()?.problem, 'damaged', 'the next start checks the whole file');
  const { backups } = next.backups();
  assert.equal(backups[0]!.counts?.contact, 200, 'and offers the latest backup');
  await next.restoreBackup(backups[0]!.name);
  assert.equal(next.workspace.list({ kind: 'contact', limit: 500 }).total, 200);
});

test(`a workspace not closed cleanly (the app killed) is checked in full at the next start`, async (t) => {
  const { dir, path, key } = await setUpDataDir(t, 200);
  // Opened for writing, then gone without the writer's clean close, as a killed app leaves it.
  const ws = Workspace.open({ path, author: asha, key });
  ws.db.close();
  damagePageQuietly(path, key, 'records');

  const service = await unlocked(t, dir);
  assert.equal(service.damage()?.problem, 'damaged');
});

test(`what can be read of a file with a damaged page is recovered`, async (t) => {
  const contacts = 200;
  const { dir, path, key } = await setUpDataDir(t, contacts);
  // One leaf page of the docs table, where the records themselves are.
  const db = openSqlite(path, { readonly: true, key });
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'docs' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  assert.ok(pages.length > 10, `the docs span ${pages.length} pages`);
  const fd = openSync(path, 'r+');
  writeSync(fd, randomBytes(pageSize), 0, pageSize, (pages[Math.floor(pages.length / 2)]! - 1) * pageSize);
  closeSync(fd);

  const service = await unlocked(t, dir);
  assert.equal(service.damage()?.problem, 'damaged');
  const recovered = service.recoverDamaged();
  assert.equal(recovered.incomplete, true, 'it says some of it could not be read');
  assert.ok(recovered.counts.contact < contacts, `the contacts on the damaged page are lost (${recovered.counts.contact} of ${contacts})`);
  assert.ok(recovered.counts.contact >= contacts * 0.9, `the rest are back (${recovered.counts.contact} of ${contacts})`);
  const names = service.workspace.list({ kind: 'contact', limit: 500 }).rows.map((r) => r.title);
  assert.ok(names.includes('Resident 0') && names.includes(`Resident ${contacts - 1}`), 'from both sides of the damaged page');
  assert.equal(service.workspace.search({ text: 'Resident 0' })[0]?.title, 'Resident 0', 'search finds them again');
});

test('closing on a full disk does not throw, and what was committed stays', async (t) => {
  const dir = tempDir(t);
  const service = await setUp(dir);
  service.workspace.create('contact', { name: 'Margaret Okafor' });
  // The disk fills up before the last checkpoint: the fault at the driver's seam.
  const db = service.workspace.db;
  db.pragma = () => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };
  assert.doesNotThrow(() => service.close());
  assert.equal(db.open, false, 'the file is closed all the same');
  const reopened = await unlocked(t, dir);
  assert.equal(reopened.damage(), null);
  assert.deepEqual(reopened.workspace.list({ kind: 'contact' }).rows.map((r) => r.title), ['Margaret Okafor']);
});

/** A tmpfs of `bytes` mounted for the test (it needs root), or null where it cannot be. */
function tinyDisk(t: TestContext, bytes: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'fieldbook-tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmdirSync(dir);
    return null;
  }
  t.after(() => {
    execFileSync('umount', [dir]);
    rmdirSync(dir);
  });
  return dir;
}

test('a backup on a full disk leaves no partial file and the workspace as it was; closing there does not throw', (t) => {
  const disk = tinyDisk(t, 1024 * 1024);
  if (!disk) return t.skip('mounting a small tmpfs needs root');
  const dir = join(disk, 'data');
  mkdirSync(dir);
  const path = join(dir, 'workspace.sqlite');
  const ws = Workspace.open({ path, author: asha });
  ws.createMany('contact', Array.from({ length: 60 }, (_, i) => ({ data: { name: `Resident ${i}`, notes: 'Likes gardening. '.repeat(40) } })));
  const before = ws.list({ kind: 'contact', limit: 100 }).total;
  // Fill what is left of the disk.
  const filler = join(disk, 'filler');
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4096'], { stdio: 'ignore' });
  } catch {
    // dd stops with an error once the disk is full, as intended.
  }
  assert.throws(() => writeBackup(ws.db, path, 'daily', new Date()), /full|space/i);
  assert.deepEqual(existsSync(backupsDir(path)) ? readdirSync(backupsDir(path)) : [], [], 'no partial backup is left');
  assert.deepEqual(listBackups(path), []);
  assert.equal(ws.list({ kind: 'contact', limit: 100 }).total, before, 'the workspace is as it was');
  assert.doesNotThrow(() => ws.close());
  execFileSync('rm', [filler]);
  const reopened = Workspace.open({ path, author: asha });
  const after = reopened.list({ kind: 'contact', limit: 100 }).total;
  reopened.close();
  assert.equal(after, before);
});
