// Backups of a workspace: daily and before a migration, kept 14 days, encrypted with the
// workspace's key, and restored through the data service. The file-level tests run on a
// plaintext workspace and on one encrypted with a random key; the data service's are encrypted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { DailyBackups } from '../../main/data-service/backups/daily-backups';
import { DataService } from '../../main/data-service/data-service';
import { BACKUP_KEEP_DAYS, DAILY_BACKUP_MS, backupCounts, backupsDir, listBackups, pruneBackups, writeBackup } from '../../main/data-service/db/backups';
import { openSqlite, WrongKeyError } from '../../main/data-service/db/sqlite';
import { eraseContact } from '../../main/data-service/privacy/erasure';
import { Workspace } from '../../main/data-service/workspace';
import { asha, tempDir, TEST_KDF, TEST_PASSPHRASE } from './helpers';

const DAY = 86_400_000;
const KEYS = [
  { label: 'plaintext', key: undefined },
  { label: 'encrypted', key: randomBytes(32) },
];

/** A clock the test moves on. */
function testClock(start = new Date('2026-11-02T09:00:00Z')) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** A data service on a data folder of the test's own, set up, closed when the test ends. */
function startService(t: TestContext, dir: string, options: { now?: () => Date } = {}) {
  const service = new DataService(dir, { kdf: TEST_KDF, ...options });
  t.after(() => service.close());
  return service;
}

/** A data service on a folder set up before, unlocked with its passphrase. */
async function reopened(t: TestContext, dir: string, options: { now?: () => Date } = {}) {
  const service = startService(t, dir, options);
  await service.unlock({ passphrase: TEST_PASSPHRASE });
  return service;
}

/** The day's backup the service started on opening, once it is written. */
async function dailyBackupTaken(service: DataService): Promise<void> {
  assert.ok(service.backupRunning, 'a daily backup is being taken');
  const result = await service.backupRunning;
  assert.ok(result.ok, `the daily backup was written (${result.ok ? '' : result.message})`);
}

/** Wait on this thread without giving any other turn of the event loop a chance to run, until `done` holds. */
function blockUntil(done: () => boolean, what: string): void {
  const until = Date.now() + 60_000;
  while (!done()) if (Date.now() > until) throw new Error(`never happened: ${what}`);
}

const contactNames = (ws: Workspace) => ws.list({ kind: 'contact', limit: 100 }).rows.map((r) => r.title).sort();

for (const { label, key } of KEYS) {
  test(`${label}: a workspace written by an earlier version is backed up before it is migrated`, (t) => {
    const path = join(tempDir(t), 'workspace.sqlite');
    const ws = Workspace.open({ path, author: asha, key });
    ws.create('contact', { name: 'Margaret Okafor' });
    // As an earlier version left it: steps not yet run (7 rewrites the search index, 21 the
    // list indexes, so they can run again), and without the index 21 adds.
    ws.db.exec('DROP INDEX records_as_references');
    ws.db.prepare('DELETE FROM schema_version WHERE version IN (7, 21)').run();
    ws.close();
    assert.deepEqual(listBackups(path), [], 'no backup yet');

    const reopened = Workspace.open({ path, author: asha, key });
    reopened.close();
    const [backup, ...others] = listBackups(path);
    assert.equal(others.length, 0);
    assert.equal(backup!.reason, 'before-migration');
    const copy = openSqlite(backup!.path, { readonly: true, key });
    t.after(() => copy.close());
    const versions = copy.prepare('SELECT version FROM schema_version').pluck().all();
    assert.ok(!versions.includes(7), 'the backup holds the file as it was before the migration');
    assert.deepEqual(backupCounts(backup!, key)?.contact, 1);

    Workspace.open({ path, author: asha, key }).close();
    assert.equal(listBackups(path).length, 1, 'an up-to-date workspace is opened without another backup');
  });

  test(`${label}: backups older than ${BACKUP_KEEP_DAYS} days are pruned, but never the newest readable one`, (t) => {
    const path = join(tempDir(t), 'workspace.sqlite');
    const ws = Workspace.open({ path, author: asha, key });
    t.after(() => ws.close());
    ws.create('contact', { name: 'Margaret Okafor' });
    const start = new Date('2026-11-01T09:00:00Z').getTime();
    for (let day = 0; day < 20; day++) writeBackup(ws.db, path, 'daily', new Date(start + day * DAY));

    const removed = pruneBackups(path, new Date(start + 20 * DAY), key);
    assert.equal(removed.length, 20 - BACKUP_KEEP_DAYS);
    const kept = listBackups(path);
    assert.equal(kept.length, BACKUP_KEEP_DAYS);
    assert.ok(kept.every((b) => b.takenAt.getTime() >= start + (20 - BACKUP_KEEP_DAYS) * DAY));

    // A month without opening the workspace: the last backup stays, however old.
    const removedLater = pruneBackups(path, new Date(start + 60 * DAY), key);
    assert.equal(removedLater.length, BACKUP_KEEP_DAYS - 1);
    assert.deepEqual(listBackups(path).map((b) => b.takenAt.getTime()), [start + 19 * DAY]);
  });

}

test(`a daily backup is taken on opening when the newest is a day old, and every 24 hours while open`, async (t) => {
  const dir = tempDir(t);
  const clock = testClock();
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const first = startService(t, dir, { now: clock.now });
  await first.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  const key = first.workspace.key ?? undefined;
  await dailyBackupTaken(first);
  first.workspace.create('contact', { name: 'Margaret Okafor' });
  const path = join(dir, 'workspace.sqlite');
  assert.deepEqual(listBackups(path).map((b) => b.reason), ['daily'], 'a new workspace has its first backup');

  // 24 hours on, still open: the next one.
  clock.advance(DAILY_BACKUP_MS);
  t.mock.timers.tick(DAILY_BACKUP_MS);
  await dailyBackupTaken(first);
  const backups = listBackups(path);
  assert.equal(backups.length, 2);
  assert.equal(backupCounts(backups[0]!, key)?.contact, 1, 'the newer backup holds the contact added since');
  first.close();

  // Opened again an hour later: not due yet.
  clock.advance(3_600_000);
  const again = await reopened(t, dir, { now: clock.now });
  assert.equal(again.backupRunning, null);
  again.close();

  // Opened again a day later: due.
  clock.advance(DAILY_BACKUP_MS);
  const nextDay = await reopened(t, dir, { now: clock.now });
  await dailyBackupTaken(nextDay);
  assert.equal(listBackups(path).length, 3);
});

test(`restoring a backup gives back the workspace as it was, and keeps the current one as a backup`, async (t) => {
  const dir = tempDir(t);
  const clock = testClock();
  const service = startService(t, dir, { now: clock.now });
  await service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  const key = service.workspace.key ?? undefined;
  await dailyBackupTaken(service);
  const margaret = service.workspace.create('contact', { name: 'Margaret Okafor' });
  clock.advance(DAILY_BACKUP_MS);
  service.workspace.create('contact', { name: 'Grace Obi' });
  // The backup with Margaret only: made by hand, as the timer would.
  const withMargaret = writeBackup(service.workspace.db, join(dir, 'workspace.sqlite'), 'daily', clock.now());
  clock.advance(3_600_000);
  service.workspace.update('contact', margaret.id, { name: 'Maggie Okafor' });
  service.workspace.create('contact', { name: 'Ben Adeyemi' });

  const listed = service.backups();
  const entry = listed.backups.find((b) => b.name === withMargaret.name);
  assert.deepEqual(entry?.counts, { asset: 0, contact: 2, connection: 0, session: 0 }, 'the list reads the counts of the kinds with lists from the backup itself');
  clock.advance(60_000);
  const { restoredFrom } = await service.restoreBackup(withMargaret.name);
  assert.equal(restoredFrom, withMargaret.takenAt.toISOString());
  assert.deepEqual(contactNames(service.workspace), ['Grace Obi', 'Margaret Okafor']);

  const keptFirst = listBackups(join(dir, 'workspace.sqlite'))[0]!;
  assert.equal(keptFirst.reason, 'before-restore');
  assert.equal(backupCounts(keptFirst, key)?.contact, 3, 'the workspace as it was before the restore is a backup, to undo it');

  // Edits go on in the restored workspace, and it opens again as restored.
  service.workspace.create('contact', { name: 'Joy Mensah' });
  service.close();
  const again = await reopened(t, dir, { now: clock.now });
  assert.deepEqual(contactNames(again.workspace), ['Grace Obi', 'Joy Mensah', 'Margaret Okafor']);
});

test('backups of an encrypted workspace are encrypted with its key', async (t) => {
  const dir = tempDir(t);
  const service = startService(t, dir);
  await service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  service.workspace.create('contact', { name: 'Philomena Quartermaine', phone: '07700 900417' });
  const path = join(dir, 'workspace.sqlite');
  writeBackup(service.workspace.db, path, 'daily', new Date(Date.now() + 1000));
  await dailyBackupTaken(service);
  const files = readdirSync(backupsDir(path));
  assert.equal(files.length, 2);
  for (const name of files) {
    const bytes = readFileSync(join(backupsDir(path), name));
    assert.equal(bytes.indexOf('Philomena'), -1, `${name} does not hold the name in plain text`);
    assert.equal(bytes.indexOf('900417'), -1, `${name} does not hold the phone number in plain text`);
    assert.throws(() => openSqlite(join(backupsDir(path), name), { readonly: true }), WrongKeyError, 'it cannot be read without the key');
  }
  assert.equal(backupCounts(listBackups(path)[0]!, service.workspace.key ?? undefined)?.contact, 1, 'and is read with it');
});

test('a restore refuses a backup that does not exist, and leaves the workspace open', async (t) => {
  const service = startService(t, tempDir(t));
  await service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  service.workspace.create('contact', { name: 'Margaret Okafor' });
  await assert.rejects(service.restoreBackup('workspace-2020-01-01T00-00-00-000Z-daily.sqlite'), /there is no backup named/);
  assert.deepEqual(contactNames(service.workspace), ['Margaret Okafor']);
});

test('closing the workspace while its daily backup is being written finishes that backup (the thread is not cut off inside SQLite)', async (t) => {
  const path = join(tempDir(t), 'workspace.sqlite');
  const ws = Workspace.open({ path, author: asha });
  t.after(() => ws.close());
  ws.create('contact', { name: 'Dev Sharma' });
  ws.db.exec('CREATE TABLE ballast (bytes BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 64) INSERT INTO ballast SELECT randomblob(1048576) FROM n');
  const backups = new DailyBackups(path, undefined, () => new Date());
  backups.start();
  const writing = () => existsSync(backupsDir(path)) && readdirSync(backupsDir(path)).some((name) => name.endsWith('.partial'));
  blockUntil(() => writing() || listBackups(path).length > 0, 'the daily backup started');
  assert.ok(writing(), 'the backup is being written when the workspace closes');
  await backups.stop();
  assert.equal(listBackups(path).length, 1, "the day's backup was finished");
  assert.ok(!writing(), 'no partial file is left');
});

test('an erasure removes a damaged workspace file set aside beside the workspace: it cannot be trusted to be scrubbed', async (t) => {
  const dir = tempDir(t);
  const service = startService(t, dir);
  await service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  const peggy = service.workspace.create('contact', { name: 'Peggy Jones' });
  const damaged = join(dir, 'workspace.damaged-2020-01-01T00-00-00-000Z.sqlite');
  writeFileSync(damaged, 'SQLite format 3\u0000 … Peggy Jones, 07700 900777 …');
  writeFileSync(`${damaged}-wal`, 'Peggy Jones');
  eraseContact(service.workspace, { id: peggy.id, confirmName: 'Peggy Jones' });
  blockUntil(() => !existsSync(damaged), 'the set-aside copy is removed');
  assert.ok(!existsSync(`${damaged}-wal`), 'and its WAL');
});

test('a daily backup written while a person is erased is final without them, with no scrub after it (as when the app closes straight after)', async (t) => {
  const path = join(tempDir(t), 'workspace.sqlite');
  const key = randomBytes(32);
  // The workspace alone, without the data service that scrubs the backups on disk after an erasure.
  const ws = Workspace.open({ path, author: asha, key });
  t.after(() => ws.close());
  const maggie = ws.create('contact', { name: 'Maggie Quillfeather', notes: 'Knits blankets for the lilac ward' });
  ws.create('contact', { name: 'Dev Sharma' });
  // Ballast the backup copies like any table (~1 s to write), so the erasure's few milliseconds land inside it.
  ws.db.exec('CREATE TABLE ballast (bytes BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 64) INSERT INTO ballast SELECT randomblob(1048576) FROM n');
  const backups = new DailyBackups(path, key, () => new Date());
  t.after(() => backups.stop());
  backups.start();
  const writing = () => existsSync(backupsDir(path)) && readdirSync(backupsDir(path)).some((name) => name.endsWith('.partial'));
  // Nothing else on this thread runs meanwhile, so the erasure lands while the backup's snapshot is being written.
  blockUntil(() => writing() || listBackups(path).length > 0, 'the daily backup started');
  assert.ok(writing(), 'the backup is being written when she is erased');
  eraseContact(ws, { id: maggie.id, confirmName: 'Maggie Quillfeather' });
  const result = await backups.running;
  assert.ok(result?.ok, 'the daily backup was written');

  const [written] = listBackups(path);
  const copy = openSqlite(written!.path, { readonly: true, key });
  t.after(() => copy.close());
  assert.equal(copy.prepare('SELECT count(*) FROM records WHERE id = ?').pluck().get(maggie.id), 0, 'her record is not in the backup');
  assert.equal(copy.prepare('SELECT count(*) FROM docs WHERE id = ?').pluck().get(maggie.id), 0, 'nor her doc');
  assert.equal(copy.prepare('SELECT count(*) FROM erased_records WHERE record_id = ?').pluck().get(maggie.id), 1, 'her tombstone is');
  assert.deepEqual(copy.prepare("SELECT title FROM records WHERE kind = 'contact'").pluck().all(), ['Dev Sharma'], 'everyone else is');
});
