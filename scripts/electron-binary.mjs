// Where the Electron binary is, and whether it starts: used by `npm start` and the
// Electron smoke test. Deliberately not `require('electron')`: that tries to download
// the binary when it is missing, which hangs or fails on a machine without internet.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @returns {{ path: string, reason: null } | { path: null, reason: string }} */
export function findElectronBinary() {
  let packageDir;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed (run npm install)' };
  }
  // The same lookup as the electron package's index.js, minus the download.
  const pathFile = join(packageDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, name ?? 'electron') : name && join(packageDir, 'dist', name);
  if (!path) return { path: null, reason: `${pathFile} is missing: the binary was never downloaded (npm install could not reach Electron's release downloads)` };
  if (!existsSync(path)) return { path: null, reason: `${path} does not exist` };
  // Present is not enough: a binary missing its shared libraries fails here too.
  const probe = spawnSync(path, ['-e', ''], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8', timeout: 30_000 });
  if (probe.error || probe.status !== 0) {
    const detail = probe.error?.message ?? (probe.stderr.trim().split('\n')[0] || `exit code ${probe.status}`);
    return { path: null, reason: `${path} does not start: ${detail}` };
  }
  return { path, reason: null };
}
