// `npm start` (after `npm run build`): runs the built desktop app in Electron. Where the
// Electron binary is not installed, says so plainly and points at the browser harness.
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';
import { SQLITE_BINDING_ENV, ensureElectronBinding } from './electron-native.mjs';

function notInstalled(reason) {
  console.error(
    [
      'The Electron binary is not installed on this machine, so the desktop app cannot start here.',
      `  (${reason})`,
      '`npm run harness` runs the same UI in a browser, against the same data service:',
      '  open http://127.0.0.1:5174 once it has started.',
    ].join('\n'),
  );
  process.exit(1);
}

const binary = findElectronBinary();
if (!binary.path) notInstalled(binary.reason);

// node_modules' SQLite driver is built for Node; the app loads its own build for Electron.
let sqliteBinding;
try {
  console.log('Preparing the SQLite driver for Electron (built once per version)…');
  sqliteBinding = await ensureElectronBinding();
} catch (error) {
  console.error(`The desktop app cannot open its database: ${error.message}`);
  console.error('`npm run harness` runs the same UI in a browser, against the same data service.');
  process.exit(1);
}

// The project directory is the app: package.json "main" names dist/main/electron/main.cjs.
// Linux without a setuid sandbox helper (or as root) needs --no-sandbox for Chromium's own
// process sandbox; the renderer's JavaScript sandbox (contextIsolation, sandbox: true) is unaffected.
const args = ['.', ...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...process.argv.slice(2)];
const child = spawn(binary.path, args, { stdio: 'inherit', env: { ...process.env, [SQLITE_BINDING_ENV]: sqliteBinding } });
child.on('error', (error) => notInstalled(`${binary.path} could not be started: ${error.message}`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
