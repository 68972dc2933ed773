// `npm start` (after `npm run build`): runs the built desktop app in Electron. Where the
// Electron binary is not installed, says so plainly and points at the browser harness.
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

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

// The project directory is the app: package.json "main" names dist/main/electron/main.cjs.
const child = spawn(binary.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('error', (error) => notInstalled(`${binary.path} could not be started: ${error.message}`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
