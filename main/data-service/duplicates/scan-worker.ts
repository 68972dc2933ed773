// A duplicate scan in a worker thread, on its own read-only connection to the workspace
// file (WAL lets it read while the data service keeps writing): a scan of 50,000 contacts
// takes seconds, and the data service must go on answering every other request meanwhile.
// It is stopped by a flag it reads between steps, never by ending the thread, which inside
// a SQLite call can abort the whole process (better-sqlite3 issue #1507).
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspaceDb } from '../db/workspace-db';
import { findDuplicates, type DuplicateOptions } from './index';

export interface ScanJob {
  path: string;
  // The key arrives as a Uint8Array (a Buffer does not survive the copy into the worker).
  key: Uint8Array | null;
  query: DuplicateOptions;
  /** One Int32: 1 once the scan is to stop. */
  stop: SharedArrayBuffer;
}

const { path, key, query, stop } = workerData as ScanJob;
const flag = new Int32Array(stop);
const file = openWorkspaceDb(path, { readonly: true, key: key ? Buffer.from(key) : undefined });
try {
  parentPort!.postMessage({ ok: true, pairs: findDuplicates(file.sql, query, () => Atomics.load(flag, 0) === 1) });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: (error as Error).message });
} finally {
  file.close();
}
