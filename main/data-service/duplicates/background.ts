// Runs duplicate scans off the data service's thread (see scan-worker.ts). One scan per
// kind at a time: asking again (the Duplicates screen reopened, or refreshed after a merge)
// stops the scan still running, as `duplicates.cancel` does; its caller is answered `conflict`.
import type { Worker } from 'node:worker_threads';
import { RpcError, type DuplicatePair } from '../../../shared/rpc';
import { startWorker } from '../worker-thread';
import type { Workspace } from '../workspace';
import { findDuplicates, type DuplicateOptions } from './index';
import type { ScanJob } from './scan-worker';

export class BackgroundScans {
  private readonly running = new Map<string, { worker: Worker; stop: Int32Array; reject: (error: Error) => void }>();

  find(ws: Workspace, query: DuplicateOptions): Promise<DuplicatePair[]> {
    // An in-memory workspace (tests) has no file for a worker to open.
    const path = ws.path;
    if (!path) return Promise.resolve(findDuplicates(ws, query));
    this.cancel(query.kind);
    return new Promise((resolve, reject) => {
      const job: ScanJob = { path, key: ws.key, query, stop: new SharedArrayBuffer(4) };
      const worker = startWorker('duplicates/scan-worker', job);
      this.running.set(query.kind, { worker, stop: new Int32Array(job.stop), reject });
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
      // The thread ends at its next check (see scan-worker.ts); what it answers then is not asked for.
      Atomics.store(scan.stop, 0, 1);
    }
  }
}
