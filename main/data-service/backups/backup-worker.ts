// A daily backup in a worker thread, on its own read-only connection to the workspace file
// (WAL lets it read while the data service keeps writing): VACUUM INTO reads and writes the
// whole file, seconds for a large encrypted workspace, and edits must go on meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { pruneBackups, writeBackup } from '../db/backups';
import { openWorkspaceDb } from '../db/workspace-db';

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
    const backup = writeBackup(file.sql, job.workspacePath, 'daily', new Date(job.at));
    pruneBackups(job.workspacePath, new Date(job.at), key);
    result = { ok: true, name: backup.name };
  } finally {
    file.close();
  }
} catch (error) {
  result = { ok: false, message: (error as Error).message };
}
parentPort!.postMessage(result);
