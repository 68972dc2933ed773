// A duplicate scan in a worker thread, on its own read-only connection to the workspace
// file (WAL lets it read while the data service keeps writing): a scan of 50,000 contacts
// takes seconds, and the data service must go on answering every other request meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspaceDb } from '../db/workspace-db';
import { findDuplicates, type DuplicateOptions } from './index';

// The key arrives as a Uint8Array (a Buffer does not survive the copy into the worker).
const { path, key, query } = workerData as { path: string; key: Uint8Array | null; query: DuplicateOptions };
const file = openWorkspaceDb(path, { readonly: true, key: key ? Buffer.from(key) : undefined });
try {
  parentPort!.postMessage({ ok: true, pairs: findDuplicates(file.sql, query) });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: (error as Error).message });
} finally {
  file.close();
}
