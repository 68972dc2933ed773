// What the desktop shell needs of plain Node code to start and to package: the SQLite
// driver loaded from a build named by path (Electron's ABI differs from Node's), the
// duplicate-scan worker running from the packaged layout, a save that waits for the user's
// answer, and the package metadata the installers need.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openSqlite } from '../../main/data-service/db/sqlite';
import { parseSaveFileRequest, saveWhereChosen } from '../../main/electron/save-file';
import { SQLITE_BINDING_ENV as SCRIPT_BINDING_ENV } from '../../scripts/electron-native.mjs';
import { SQLITE_BINDING_ENV, SQLITE_DRIVER } from '../../shared/sqlite-binding';
import { openTemp, tempDir } from './helpers';

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

test("the packaged duplicate-scan worker needs none of the driver's unpacked dependencies", async (t) => {
  const build = spawnSync(process.execPath, ['scripts/build-main.mjs'], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const { ws, path, key } = openTemp(t);
  ws.create('contact', { name: 'Margaret O’Brien', phone: '07700 900123' });
  ws.create('contact', { name: 'Maggie O’Brien', phone: '07700 900123' });
  ws.close();

  // The packaged app's layout, with only the driver's own files beside the worker (no
  // `bindings`, no build): the worker must load SQLite through FIELDBOOK_SQLITE_BINDING.
  const app = tempDir(t);
  mkdirSync(join(app, 'dist', 'main', 'data-service', 'duplicates'), { recursive: true });
  cpSync('dist/main/data-service/duplicates/scan-worker.cjs', join(app, 'dist', 'main', 'data-service', 'duplicates', 'scan-worker.cjs'));
  cpSync(join(driverDir, 'lib'), join(app, 'node_modules', SQLITE_DRIVER, 'lib'), { recursive: true });
  cpSync(join(driverDir, 'package.json'), join(app, 'node_modules', SQLITE_DRIVER, 'package.json'));
  writeFileSync(join(app, 'package.json'), '{}');

  const answer = await new Promise<{ ok: boolean; pairs?: unknown[]; message?: string }>((resolve, reject) => {
    const worker = new Worker(join(app, 'dist', 'main', 'data-service', 'duplicates', 'scan-worker.cjs'), {
      workerData: { path, key, query: { kind: 'contact', threshold: 0.6, limit: 10 } },
      env: { ...process.env, [SQLITE_BINDING_ENV]: nodeBinding },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.equal(answer.message, undefined);
  assert.equal(answer.pairs?.length, 1);
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
