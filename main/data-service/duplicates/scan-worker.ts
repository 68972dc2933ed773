// A duplicate scan in a worker thread, on its own read-only connection to the workspace
// file (WAL lets it read while the data service keeps writing): a scan of 50,000 contacts
// takes seconds, and the data service must go on answering every other request meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../db/sqlite';
import { findDuplicates, type DuplicateOptions } from './index';

const { path, query } = workerData as { path: string; query: DuplicateOptions };
const db = openSqlite(path, { readonly: true, fileMustExist: true });
try {
  parentPort!.postMessage({ ok: true, pairs: findDuplicates(db, query) });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: (error as Error).message });
} finally {
  db.close();
}
