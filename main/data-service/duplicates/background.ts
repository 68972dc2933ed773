// Runs duplicate scans off the data service's thread (see scan-worker.ts). One scan per
// kind at a time: asking again (the Duplicates screen reopened, or refreshed after a merge)
// stops the scan still running, as `duplicates.cancel` does; its caller is answered `conflict`.
// A thread that cannot run at all (its module fails to load in a packaged app, it runs out of
// memory) is no reason to go without the list: the scan then runs on the data service's own
// thread, which answers nothing else meanwhile, and the failure is logged.
import type { Worker } from 'node:worker_threads';
import { RpcError, type DuplicateKind, type DuplicatePair } from '../../../shared/rpc';
import { logProblem } from '../log';
import { startWorker } from '../worker-thread';
import type { Workspace } from '../workspace';
import { findDuplicates, findDuplicatesWith, type DuplicateOptions, type UnstoredRecord } from './index';
import type { RowsMessage, ScanJob } from './scan-worker';

/** An import's check whose rows have not come within this long ends its thread (a file left open in a dialog). */
const IMPORT_SCAN_IDLE_MS = 10 * 60_000;

/**
 * An import's duplicate check begun when its file is opened: the worker reads and prepares
 * the workspace's records while the rows are mapped and previewed here, and compares the
 * rows with them when they are sent.
 */
export interface ImportScan {
  /** The workspace's change count when it began (Workspace.changeCount): what it read is the workspace as it was then or later. */
  readonly changesAt: number;
  /** Settles once the workspace's records are read (for tests: what was stored after is not among them). */
  readonly loaded: Promise<void>;
  /** Whether it can still be sent rows (not sent any yet, not stopped, its thread not ended). */
  usable(): boolean;
  compare(records: UnstoredRecord[], options: Omit<DuplicateOptions, 'kind'>): Promise<DuplicatePair[]>;
  cancel(): void;
}

/** The scan's thread itself failed (it did not start, threw outside the scan, ran out of memory): not the scan. */
class ThreadFailed extends RpcError {}

/**
 * A scan's answer, or where its thread itself failed (and nobody stopped it: its caller has
 * been answered already) the same scan run `here`, on this thread, the failure logged.
 */
function orHere(answer: Promise<DuplicatePair[]>, stop: Int32Array, what: string, here: () => DuplicatePair[]): Promise<DuplicatePair[]> {
  return answer.catch((error: unknown) => {
    if (!(error instanceof ThreadFailed) || Atomics.load(stop, 0) === 1) throw error;
    logProblem(`${what} could not run on its own thread; it runs on the data service's`, error);
    return here();
  });
}

export class BackgroundScans {
  private readonly running = new Map<string, { worker: Worker; stop: Int32Array; reject: (error: Error) => void }>();

  /** `start`: how a scan's thread is started (tests give one that fails). */
  constructor(private readonly start: typeof startWorker = startWorker) {}

  /** Begin an import's check of rows of `kind` against the workspace (null for a workspace in memory, which a thread cannot open). */
  beginImport(ws: Workspace, kind: DuplicateKind): ImportScan | null {
    if (!ws.path) return null;
    const changesAt = ws.changeCount();
    const job: ScanJob = { path: ws.path, key: ws.key, storedOf: kind, idleMs: IMPORT_SCAN_IDLE_MS, stop: new SharedArrayBuffer(4) };
    const worker = this.start('duplicates/scan-worker', job);
    const stop = new Int32Array(job.stop);
    // Waiting for rows keeps no process alive; a check asked for does (compare).
    worker.unref();
    let state: 'waiting' | 'sent' | 'over' = 'waiting';
    const loaded = new Promise<void>((resolve) => {
      const hear = (message: { loaded?: true }) => message.loaded && resolve();
      worker.on('message', hear).once('exit', () => resolve());
    });
    const answer = this.answerOf(worker, () => (state = 'over'));
    // Nobody may ever ask (the dialog closed first): its failure is then nobody's to hear.
    answer.catch(() => {});
    return {
      changesAt,
      loaded,
      usable: () => state === 'waiting',
      compare: (records, options) => {
        if (state !== 'waiting') return Promise.reject(new RpcError('conflict', 'this duplicate check has already ended: it is begun again'));
        state = 'sent';
        worker.ref();
        worker.postMessage({ records, options } satisfies RowsMessage);
        return orHere(answer, stop, "an import's duplicate check", () => findDuplicatesWith(ws, kind, records, options));
      },
      cancel: () => {
        if (state === 'over') return;
        state = 'over';
        Atomics.store(stop, 0, 1);
        worker.postMessage({ cancel: true } satisfies RowsMessage);
      },
    };
  }

  /** The pairs a scan's thread answers; `ended` hears when it has answered or gone. */
  private answerOf(worker: Worker, ended: () => void): Promise<DuplicatePair[]> {
    return new Promise((resolve, reject) => {
      const hear = (message: { ok: true; pairs: DuplicatePair[] } | { ok: false; message: string } | { loaded: true }) => {
        if ('loaded' in message) return;
        worker.off('message', hear);
        ended();
        if (message.ok) resolve(message.pairs);
        else reject(new RpcError('internal', `the duplicate scan failed: ${message.message}`));
      };
      worker.on('message', hear);
      worker.once('error', (error) => {
        ended();
        reject(new ThreadFailed('internal', `the duplicate scan failed: ${error.message}`));
      });
      worker.once('exit', () => {
        ended();
        reject(new RpcError('conflict', 'the duplicate check stopped before it answered: try again'));
      });
    });
  }

  find(ws: Workspace, query: DuplicateOptions): Promise<DuplicatePair[]> {
    // An in-memory workspace (tests) has no file for a worker to open.
    const path = ws.path;
    if (!path) return Promise.resolve(findDuplicates(ws, query));
    this.cancel(query.kind);
    const job: ScanJob = { path, key: ws.key, query, stop: new SharedArrayBuffer(4) };
    const worker = this.start('duplicates/scan-worker', job);
    const stop = new Int32Array(job.stop);
    const answer = new Promise<DuplicatePair[]>((resolve, reject) => {
      this.running.set(query.kind, { worker, stop, reject });
      this.answerOf(worker, () => {
        if (this.running.get(query.kind)?.worker === worker) this.running.delete(query.kind);
      }).then(resolve, reject);
    });
    return orHere(answer, stop, 'a duplicate scan', () => findDuplicates(ws, query));
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
