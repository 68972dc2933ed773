// A build of the SQLite driver's native module for the installed Electron, kept apart from
// node_modules' own build (which stays built for Node: the tests, the harness and the sync
// server run there). `npm start` and the Electron smoke test load it through
// FIELDBOOK_SQLITE_BINDING (main/data-service/db/sqlite.ts). Packaged apps do not need it:
// electron-builder rebuilds the driver for Electron inside the package.
//
// Built once per Electron and driver version with @electron/rebuild, which downloads
// Electron's headers on first use (like the Electron binary itself, it needs the internet
// once), into node_modules/.cache/ so `npm ci` starts it afresh.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
/** The variable main/data-service/db/sqlite.ts reads (shared/sqlite-binding.ts). */
export const SQLITE_BINDING_ENV = 'FIELDBOOK_SQLITE_BINDING';
/** The driver whose native module is rebuilt (the one main/data-service/db/sqlite.ts loads). */
const DRIVER = 'better-sqlite3-multiple-ciphers';

const versionOf = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;

/** Where the Electron build of the driver is (or will be), for the installed versions. */
export function electronBindingPath() {
  const root = resolve('node_modules', '.cache', 'fieldbook-electron-native', `electron-${versionOf('electron')}-${DRIVER}-${versionOf(DRIVER)}`);
  return { root, binding: join(root, 'node_modules', DRIVER, 'build', 'Release', 'better_sqlite3.node') };
}

/**
 * The path of the driver's native module built for the installed Electron, building it
 * first if it is missing. Throws with what went wrong (most often: Electron's headers
 * could not be downloaded).
 */
export async function ensureElectronBinding() {
  const { root, binding } = electronBindingPath();
  if (existsSync(binding)) return binding;
  rmSync(root, { recursive: true, force: true });
  const source = dirname(require.resolve(`${DRIVER}/package.json`));
  const target = join(root, 'node_modules', DRIVER);
  mkdirSync(target, { recursive: true });
  // The sources without node_modules' Node build, so nothing of it can be mistaken for Electron's.
  const nodeBuild = join(source, 'build');
  cpSync(source, target, { recursive: true, filter: (path) => path !== nodeBuild && !path.startsWith(nodeBuild + sep) });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fieldbook-electron-native', private: true, dependencies: { [DRIVER]: versionOf(DRIVER) } }));
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild({ buildPath: root, electronVersion: versionOf('electron'), onlyModules: [DRIVER], force: true, buildFromSource: true });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`${DRIVER} could not be built for Electron ${versionOf('electron')}: ${error.message}`);
  }
  if (!existsSync(binding)) throw new Error(`${DRIVER} was rebuilt for Electron but ${binding} is missing`);
  return binding;
}
