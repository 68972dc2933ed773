// A daily backup in a worker thread, on its own read-only connection to the workspace file
// (WAL lets it read while the data service keeps writing): VACUUM INTO reads and writes the
// whole file, seconds for a large encrypted workspace, and edits must go on meanwhile. An
// erasure made while it runs is missing from its snapshot: every erasure the workspace knows
// is applied to the copy before it is final, so no backup holds a person erased before it
// was written, even if the app closes before it could scrub it.
import { parentPort, workerData } from 'node:worker_threads';
import { pruneBackups, writeBackup } from '../db/backups';
import { openWorkspaceDb } from '../db/workspace-db';
import { catchUpErasures } from '../privacy/erasure';

export interface BackupJob {
  workspacePath: string;
  key: Uint8Array | null;
  /** The time the backup is taken at (ISO): the data service's clock, which tests set. */
  at: string;
}

export type BackupJobResult = { ok: true; name: string } | { ok: false; message: string };

const job = workerData as BackupJob;
const key = job.key ? Buffer.from(job.key) : undefined;
let result: BackupJobResult;
try {
  const file = openWorkspaceDb(job.workspacePath, { readonly: true, key });
  try {
    const backup = writeBackup(file.sql, job.workspacePath, 'daily', new Date(job.at), (copy) => catchUpErasures(file.sql, copy, key));
    pruneBackups(job.workspacePath, new Date(job.at), key);
    result = { ok: true, name: backup.name };
  } finally {
    file.close();
  }
} catch (error) {
  result = { ok: false, message: (error as Error).message };
}
parentPort!.postMessage(result);
