// Runs duplicate scans off the data service's thread (see scan-worker.ts). One scan per
// kind at a time: asking again (the Duplicates screen reopened, or refreshed after a merge)
// stops the scan still running, as `duplicates.cancel` does; its caller is answered `conflict`.
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { RpcError, type DuplicatePair } from '../../../shared/rpc';
import type { Workspace } from '../workspace';
import { findDuplicates, type DuplicateOptions } from './index';

/**
 * The worker: beside this module under tsx (which a worker thread must load for itself),
 * beside the bundled data service in the app, where import.meta.url is empty (scripts/build-main.mjs).
 */
function newScanWorker(workerData: unknown): Worker {
  if (!import.meta.url) {
    // Run from inside the app's asar archive, as Electron's worker threads can: an unpacked
    // copy would resolve its modules among the unpacked files only, where better-sqlite3's
    // own dependencies are not. It loads the driver's native module by path (db/sqlite.ts).
    return new Worker(join(__dirname, 'duplicates', 'scan-worker.cjs'), { workerData });
  }
  const bootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./scan-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export class BackgroundScans {
  private readonly running = new Map<string, { worker: Worker; reject: (error: Error) => void }>();

  find(ws: Workspace, query: DuplicateOptions): Promise<DuplicatePair[]> {
    // An in-memory workspace (tests) has no file for a worker to open.
    const path = ws.path;
    if (!path) return Promise.resolve(findDuplicates(ws, query));
    this.cancel(query.kind);
    return new Promise((resolve, reject) => {
      const worker = newScanWorker({ path, key: ws.key, query });
      this.running.set(query.kind, { worker, reject });
      const done = () => {
        if (this.running.get(query.kind)?.worker === worker) this.running.delete(query.kind);
      };
      worker.once('message', (message: { ok: true; pairs: DuplicatePair[] } | { ok: false; message: string }) => {
        done();
        if (message.ok) resolve(message.pairs);
        else reject(new RpcError('internal', `the duplicate scan failed: ${message.message}`));
      });
      worker.once('error', (error) => {
        done();
        reject(new RpcError('internal', `the duplicate scan failed: ${error.message}`));
      });
    });
  }

  /** Stop a running scan of one kind (or all); its caller is answered `conflict` with `why`. */
  cancel(kind?: string, why = 'the duplicate scan was stopped: a newer one replaced it'): void {
    for (const [running, scan] of this.running) {
      if (kind && running !== kind) continue;
      this.running.delete(running);
      scan.reject(new RpcError('conflict', why));
      void scan.worker.terminate();
    }
  }
}
