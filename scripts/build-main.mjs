// Bundles the desktop app's Node side with esbuild (package.json "main" points at the first):
//   main/electron/main.ts                -> dist/main/electron/main.cjs
//   main/electron/preload.ts             -> dist/main/electron/preload.cjs
//   main/data-service/service-process.ts -> dist/main/data-service/service-process.cjs
//   main/data-service/duplicates/scan-worker.ts -> dist/main/data-service/duplicates/scan-worker.cjs (a worker thread)
//   main/data-service/backups/backup-worker.ts -> dist/main/data-service/backups/backup-worker.cjs (a worker thread)
//   main/data-service/sync/new-doc-worker.ts -> dist/main/data-service/sync/new-doc-worker.cjs (a worker thread)
// electron is provided by the runtime; the SQLite driver is a native module, loaded from
// node_modules (rebuilt for Electron and unpacked from the asar by electron-builder).
// The fonts a subject access PDF embeds go beside the data service (privacy/access-pdf.ts).
import { cpSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['main/electron/main.ts', 'main/electron/preload.ts', 'main/data-service/service-process.ts', 'main/data-service/duplicates/scan-worker.ts', 'main/data-service/backups/backup-worker.ts', 'main/data-service/sync/new-doc-worker.ts'],
  outbase: 'main',
  outdir: 'dist/main',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 45 runs Node 22 in main, the preload and utility processes.
  target: 'node22',
  // pdfkit locates its own data files from its module's URL, which a bundle loses: it is
  // loaded from node_modules (a production dependency, packed into the asar).
  external: ['electron', 'better-sqlite3-multiple-ciphers', 'pdfkit'],
  // CommonJS has no import.meta: modules that locate files by it fall back to __dirname when it is empty.
  define: { 'import.meta.url': '""' },
  sourcemap: true,
  logLevel: 'warning',
});
cpSync('resources/fonts', 'dist/main/data-service/fonts', { recursive: true });
console.log('built dist/main (electron main, preload, data service, its fonts)');
