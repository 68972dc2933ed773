// Starting one of the data service's worker threads (a duplicate scan, a backup): its module
// under tsx, which a worker thread must load for itself, or its bundle beside the data
// service's in the app, where import.meta.url is empty (scripts/build-main.mjs).
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** `module`: the worker's path from the data service's folder, without extension (`duplicates/scan-worker`). */
export function startWorker(module: string, workerData: unknown): Worker {
  if (!import.meta.url) {
    // Run from inside the app's asar archive, as Electron's worker threads can: an unpacked
    // copy would resolve its modules among the unpacked files only, where the driver's own
    // dependencies are not. It loads the driver's native module by path (db/sqlite.ts).
    return new Worker(join(__dirname, `${module}.cjs`), { workerData });
  }
  const url = new URL(`./${module}.ts`, import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { eval: true, workerData });
}
