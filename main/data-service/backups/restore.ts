// Putting another file in place of the workspace file: a backup being restored, or what was
// recovered from a damaged file. The workspace is closed meanwhile. The new file is written
// under a temporary name and renamed over the old one, so a crash leaves one or the other.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { moveIntoPlace, writeBackup } from '../db/backups';
import { forgetClosedCleanly } from '../db/file-check';
import { salvageInto, type SalvageResult } from '../db/salvage';
import { openSqlite } from '../db/sqlite';

const SIDE_FILES = ['-wal', '-shm'];

/** Keep the workspace file at `path` (closed) as a backup, WAL included, before it is replaced. */
export function keepAsBackup(path: string, key: Buffer | undefined, now: Date): void {
  if (!existsSync(path)) return;
  const db = openSqlite(path, { readonly: true, fileMustExist: true, key });
  try {
    writeBackup(db, path, 'before-restore', now);
  } finally {
    db.close();
  }
}

/**
 * Put `temp` in place as the workspace file at `path`. Its old WAL goes first: SQLite would
 * otherwise apply the old file's last changes to the new one. The caller has kept (or set
 * aside) whatever they held.
 */
function replaceWorkspaceFile(temp: string, path: string): void {
  forgetClosedCleanly(path);
  for (const side of SIDE_FILES) rmSync(path + side, { force: true });
  moveIntoPlace(temp, path);
}

/** Put a copy of the backup at `backupPath` in place of the (closed) workspace file at `path`; the backup stays. */
export function backupInPlaceOf(backupPath: string, path: string): void {
  const temp = `${path}.restoring`;
  copyFileSync(backupPath, temp);
  replaceWorkspaceFile(temp, path);
}

/** Recover every readable row of the damaged file into a new workspace file at `path` (nothing is put there if not even its schema could be read). */
export function recoverInPlaceOf(damagedPath: string, path: string, key: Buffer | undefined): SalvageResult {
  const temp = `${path}.recovering`;
  for (const suffix of ['', ...SIDE_FILES]) rmSync(temp + suffix, { force: true });
  const result = salvageInto(damagedPath, temp, key);
  if (result.schemaReadable) replaceWorkspaceFile(temp, path);
  else rmSync(temp, { force: true });
  return result;
}
