// Only main/data-service/db/sqlite.ts loads the SQLite driver: a second driver (or an
// encrypted build of it) then replaces one file, and every workspace file is opened and
// tuned through db/workspace-db.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import test from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const SEAM = 'main/data-service/db/sqlite.ts';
/** An import, export-from, require or dynamic import of the driver package itself. */
const DRIVER_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]better-sqlite3(?:-multiple-ciphers)?['"]/m;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(c|m)?[jt]sx?$/.test(entry.name)) yield path;
  }
}

test('no file but db/sqlite.ts imports the SQLite driver', () => {
  const importers = ['main', 'server', 'shared', 'renderer/src', 'bench', 'tests', 'scripts']
    .flatMap((dir) => [...sourceFiles(join(ROOT, dir))])
    .filter((path) => DRIVER_IMPORT.test(readFileSync(path, 'utf8')))
    .map((path) => relative(ROOT, path));
  assert.deepEqual(importers, [SEAM], 'use openSqlite/openWorkspaceDb and the SqliteDatabase/SqliteStatement types instead');
});
