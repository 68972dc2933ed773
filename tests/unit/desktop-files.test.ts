// What the desktop shell needs of plain Node code to start and to package: the SQLite
// driver loaded from a build named by path (Electron's ABI differs from Node's), the
// duplicate-scan, backup and new-doc workers running from the packaged layout, a save that waits for the user's
// answer, and the package metadata the installers need.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { MessageChannel, Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { BackupJob, BackupJobResult } from '../../main/data-service/backups/backup-worker';
import { backupCounts, listBackups } from '../../main/data-service/db/backups';
import type { ScanJob } from '../../main/data-service/duplicates/scan-worker';
import { openSqlite } from '../../main/data-service/db/sqlite';
import { Workspace } from '../../main/data-service/workspace';
import { readNewDoc } from '../../main/data-service/sync/read-new-doc';
import { parseSaveFileRequest, saveWhereChosen } from '../../main/electron/save-file';
import { SQLITE_BINDING_ENV as SCRIPT_BINDING_ENV } from '../../scripts/electron-native.mjs';
import { SQLITE_BINDING_ENV, SQLITE_DRIVER } from '../../shared/sqlite-binding';
import { contactUpdate } from '../integration/sync-helpers';
import { asha, openTemp, tempDir } from './helpers';

const require = createRequire(import.meta.url);
const driverDir = dirname(require.resolve(`${SQLITE_DRIVER}/package.json`));
const nodeBinding = join(driverDir, 'build', 'Release', 'better_sqlite3.node');

/** Runs `fn` with FIELDBOOK_SQLITE_BINDING set to `value`, restoring it afterwards. */
function withBinding<T>(value: string, fn: () => T): T {
  const saved = process.env[SQLITE_BINDING_ENV];
  process.env[SQLITE_BINDING_ENV] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[SQLITE_BINDING_ENV];
    else process.env[SQLITE_BINDING_ENV] = saved;
  }
}

test('every SQLite connection loads the native module the environment names', (t) => {
  assert.equal(SCRIPT_BINDING_ENV, SQLITE_BINDING_ENV, 'npm start and the data service must agree on the variable');
  const file = join(tempDir(t), 'a.sqlite');
  // A build named by path opens the file; a wrong one is refused, naming it: it is really used.
  withBinding(nodeBinding, () => openSqlite(file).close());
  assert.throws(() => withBinding('/nowhere/better_sqlite3.node', () => openSqlite(file)), /nowhere/);
});

/**
 * A worker bundle in the packaged app's layout, with only the driver's own files beside it
 * (no `bindings`, no build), run there: it must load SQLite through FIELDBOOK_SQLITE_BINDING.
 */
function packagedWorker(t: TestContext, module: string, workerData: unknown): Worker {
  const build = spawnSync(process.execPath, ['scripts/build-main.mjs'], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const app = tempDir(t);
  const bundle = join(app, 'dist', 'main', 'data-service', `${module}.cjs`);
  mkdirSync(dirname(bundle), { recursive: true });
  cpSync(`dist/main/data-service/${module}.cjs`, bundle);
  cpSync(join(driverDir, 'lib'), join(app, 'node_modules', SQLITE_DRIVER, 'lib'), { recursive: true });
  cpSync(join(driverDir, 'package.json'), join(app, 'node_modules', SQLITE_DRIVER, 'package.json'));
  writeFileSync(join(app, 'package.json'), '{}');
  return new Worker(bundle, { workerData, env: { ...process.env, [SQLITE_BINDING_ENV]: nodeBinding } });
}

/** Run a packaged worker that answers its job with one message. */
async function runPackagedWorker<T>(t: TestContext, module: string, workerData: unknown): Promise<T> {
  const worker = packagedWorker(t, module, workerData);
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

test("the packaged duplicate-scan worker needs none of the driver's unpacked dependencies", async (t) => {
  const { ws, path, key } = openTemp(t);
  ws.create('contact', { name: 'Margaret O’Brien', phone: '07700 900123' });
  ws.create('contact', { name: 'Maggie O’Brien', phone: '07700 900123' });
  ws.close();
  const job: ScanJob = { path, key, query: { kind: 'contact', threshold: 0.6, limit: 10 }, stop: new SharedArrayBuffer(4) };
  const answer = await runPackagedWorker<{ ok: boolean; pairs?: unknown[]; message?: string }>(t, 'duplicates/scan-worker', job);
  assert.equal(answer.message, undefined);
  assert.equal(answer.pairs?.length, 1);
});

test('the packaged backup worker backs up an encrypted workspace from the packaged layout', async (t) => {
  const key = randomBytes(32);
  const path = join(tempDir(t), 'workspace.sqlite');
  const ws = Workspace.open({ path, author: asha, key });
  ws.create('contact', { name: 'Margaret O’Brien' });
  ws.close();
  const job: BackupJob = { workspacePath: path, key, at: new Date().toISOString() };
  const answer = await runPackagedWorker<BackupJobResult>(t, 'backups/backup-worker', job);
  assert.deepEqual(answer, { ok: true, name: listBackups(path)[0]?.name });
  assert.equal(backupCounts(listBackups(path)[0]!, key)?.contact, 1);
});

test("the packaged new-doc worker reads a pull's new docs from the packaged layout", async (t) => {
  const worker = packagedWorker(t, 'sync/new-doc-worker', null);
  t.after(() => worker.terminate());
  worker.once('error', (error) => assert.fail(error));
  // As sync/new-doc-reader.ts talks to it: a port and a shared counter, then a job of one chunk.
  const { port1, port2 } = new MessageChannel();
  t.after(() => port1.close());
  worker.postMessage({ port: port2, signal: new Int32Array(new SharedArrayBuffer(4)) }, [port2]);
  const item = { id: '4f0c3a56-5b1e-4c55-9a5e-2f0f7f5a1d10', update: contactUpdate('Margaret O’Brien') };
  port1.postMessage({ job: 1, claims: new Int32Array(new SharedArrayBuffer(4)), items: [item] });
  const answer = await new Promise((resolve) => port1.once('message', resolve));
  assert.deepEqual(answer, { job: 1, chunk: 0, reads: [readNewDoc(item.id, item.update)] });
});

test('a save writes the file only where the user chose, and says when the dialog was closed', async (t) => {
  const dir = tempDir(t);
  const request = parseSaveFileRequest({ suggestedName: 'assets-2026-12-06.csv', formatName: 'CSV (spreadsheets)', content: '\uFEFFname\nZoë’s café' });
  assert.ok(request);
  const offered: unknown[] = [];
  assert.deepEqual(
    await saveWhereChosen(request, async (name, filter) => {
      offered.push([name, filter]);
      return undefined;
    }),
    { state: 'cancelled' },
  );
  assert.deepEqual(offered, [['assets-2026-12-06.csv', { name: 'CSV (spreadsheets)', extensions: ['csv'] }]]);

  const chosen = join(dir, 'my assets.csv');
  assert.deepEqual(await saveWhereChosen(request, async () => chosen), { state: 'saved', path: chosen });
  assert.equal(readFileSync(chosen, 'utf8'), '\uFEFFname\nZoë’s café');

  const failed = await saveWhereChosen(request, async () => join(dir, 'no such folder', 'a.csv'));
  assert.equal(failed.state, 'failed');
  assert.match(failed.state === 'failed' ? failed.message : '', /no such folder.*could not be written/);
});

test('a file of bytes (a zip) is sent as base64 and saved as the bytes themselves', async (t) => {
  const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe]);
  const request = parseSaveFileRequest({ suggestedName: 'subject-access.zip', formatName: 'Zip archive', content: bytes.toString('base64'), encoding: 'base64' });
  assert.ok(request);
  const chosen = join(tempDir(t), 'export.zip');
  assert.deepEqual(await saveWhereChosen(request, async () => chosen), { state: 'saved', path: chosen });
  assert.deepEqual(readFileSync(chosen), bytes);
  assert.equal(parseSaveFileRequest({ ...request, encoding: 'latin1' }), null);
});

test('a save request from the page is refused unless it is a plain file name and text', () => {
  const good = { suggestedName: 'assets.kml', formatName: 'KML', content: '<kml/>' };
  assert.ok(parseSaveFileRequest(good));
  for (const suggestedName of ['../../.bashrc', '/etc/passwd.txt', 'C:\\Windows\\x.kml', 'no-extension', '']) {
    assert.equal(parseSaveFileRequest({ ...good, suggestedName }), null, suggestedName);
  }
  assert.equal(parseSaveFileRequest({ ...good, content: new Uint8Array(3) }), null);
  assert.equal(parseSaveFileRequest('assets.kml'), null);
});

test('the package names what the Linux installers require (deb: homepage, maintainer)', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>;
  for (const field of ['name', 'version', 'description', 'homepage', 'author', 'license']) assert.ok(pkg[field], `package.json has no ${field}`);
  assert.doesNotThrow(() => new URL(String(pkg.homepage)));
  assert.match(readFileSync('electron-builder.yml', 'utf8'), /^\s+maintainer: .+<.+@.+>$/m);
});
