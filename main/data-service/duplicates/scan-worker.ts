// A duplicate scan in a worker thread, on its own read-only connection to the workspace
// file (WAL lets it read while the data service keeps writing): a scan of 50,000 contacts
// takes seconds, and the data service must go on answering every other request meanwhile.
// It is stopped by a flag it reads between steps, never by ending the thread, which inside
// a SQLite call can abort the whole process (better-sqlite3 issue #1507).
//
// An import's check reads the stored records as soon as the file is opened, then waits for
// the file's rows (mapped while the person looks at the preview) to compare them with.
import { parentPort, workerData } from 'node:worker_threads';
import type { DuplicateKind } from '../../../shared/rpc';
import { openWorkspaceDb } from '../db/workspace-db';
import { findDuplicates, findDuplicatesAmong, loadStored, type DuplicateOptions, type UnstoredRecord } from './index';

export type ScanJob = {
  path: string;
  // The key arrives as a Uint8Array (a Buffer does not survive the copy into the worker).
  key: Uint8Array | null;
  /** One Int32: 1 once the scan is to stop. */
  stop: SharedArrayBuffer;
} & (
  | { query: DuplicateOptions }
  /** An import's: the stored records of this kind, then the rows sent (RowsMessage); the thread ends if none come within `idleMs`. */
  | { storedOf: DuplicateKind; idleMs: number }
);

export type RowsMessage = { records: UnstoredRecord[]; options: Omit<DuplicateOptions, 'kind'> } | { cancel: true };

const job = workerData as ScanJob;
const flag = new Int32Array(job.stop);
const stopped = () => Atomics.load(flag, 0) === 1;
const file = openWorkspaceDb(job.path, { readonly: true, key: job.key ? Buffer.from(job.key) : undefined });
const failed = (error: unknown) => parentPort!.postMessage({ ok: false, message: (error as Error).message });
const answer = (scan: () => unknown) => {
  try {
    parentPort!.postMessage({ ok: true, pairs: scan() });
  } catch (error) {
    failed(error);
  }
};

if ('query' in job) {
  try {
    answer(() => findDuplicates(file.sql, job.query, stopped));
  } finally {
    file.close();
  }
} else {
  const end = () => {
    file.close();
    parentPort!.close();
  };
  let stored: ReturnType<typeof loadStored> | null = null;
  try {
    stored = loadStored(file.sql, job.storedOf);
  } catch (error) {
    failed(error);
    end();
  }
  if (stored) {
    parentPort!.postMessage({ loaded: true });
    const idle = setTimeout(end, job.idleMs);
    parentPort!.once('message', (message: RowsMessage) => {
      clearTimeout(idle);
      if ('records' in message) answer(() => findDuplicatesAmong(file.sql, stored!, message.records, message.options, stopped));
      end();
    });
  }
}
