// Backups of a workspace file, kept in the `backups/` folder beside it: taken daily and
// before every migration, kept for 14 days, each a consistent snapshot written by SQLite
// (VACUUM INTO, never a copy of a file being written) and encrypted with the workspace's key
// when the workspace is. A backup appears under its final name only once it is complete and
// on disk (temp name, fsync, rename), so a crash or a full disk never leaves half a backup
// that looks whole.
//
// What a backup holds about a person: everything the workspace held when it was taken, less
// every erasure known when it was written. An erasure made later is applied to every backup
// on disk too: `listBackups` names them all.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ListedKind } from '../../../shared/domain';
import type { BackupReason } from '../../../shared/rpc-backups';
import { RecordReads } from '../read/records';
import { openSqlite, type SqliteDatabase } from './sqlite';

/** How long a backup is kept. */
export const BACKUP_KEEP_DAYS = 14;
const DAY_MS = 86_400_000;
/** A daily backup is due once the newest backup is this old. */
export const DAILY_BACKUP_MS = DAY_MS;

const REASONS: readonly BackupReason[] = ['daily', 'before-migration', 'before-restore'];

export interface BackupFile {
  /** The file's name in the backups folder; also how a backup is chosen for a restore. */
  name: string;
  path: string;
  takenAt: Date;
  reason: BackupReason;
  bytes: number;
}

/** Written under this suffix, renamed once complete; one left behind was cut off by a crash or a full disk. */
const PARTIAL_SUFFIX = '.partial';

/** The folder a workspace file's backups are kept in. */
export function backupsDir(workspacePath: string): string {
  return join(dirname(workspacePath), 'backups');
}

/** `workspace` for `…/workspace.sqlite`: a backup's name starts with it, so two workspaces in one folder keep theirs apart. */
const stem = (workspacePath: string) => basename(workspacePath).replace(/\.sqlite$/, '');

// Colons are not allowed in Windows file names: 2026-12-06T08-41-11-123Z.
const stampOf = (at: Date) => at.toISOString().replace(/[:.]/g, '-');
const STAMP = /(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3})Z/;

function parseBackupName(workspacePath: string, name: string): { takenAt: Date; reason: BackupReason } | null {
  const prefix = `${stem(workspacePath)}-`;
  if (!name.startsWith(prefix) || !name.endsWith('.sqlite')) return null;
  const rest = name.slice(prefix.length, -'.sqlite'.length);
  const stamp = STAMP.exec(rest);
  const reason = rest.slice((stamp?.[0].length ?? 0) + 1) as BackupReason;
  if (!stamp || stamp.index !== 0 || !REASONS.includes(reason)) return null;
  const takenAt = new Date(`${stamp[1]}:${stamp[2]}:${stamp[3]}.${stamp[4]}Z`);
  return Number.isNaN(takenAt.getTime()) ? null : { takenAt, reason };
}

/**
 * Every backup of a workspace file, newest first. The erasure of a person is applied to each
 * of these files too (each opened with the workspace's key).
 */
export function listBackups(workspacePath: string): BackupFile[] {
  const dir = backupsDir(workspacePath);
  if (!existsSync(dir)) return [];
  const backups: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseBackupName(workspacePath, name);
    if (!parsed) continue;
    const path = join(dir, name);
    backups.push({ name, path, ...parsed, bytes: statSync(path).size });
  }
  return backups.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/** Flush a file (or a folder's entries, so a rename survives a power cut) to disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } catch (error) {
    // Windows cannot fsync a folder; its renames are journalled by NTFS.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM' && (error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Put `temp` (complete, written by the caller) in place as `target`: flushed, renamed, and
 * the rename flushed. Whatever happens, `target` is the old file or the new one, never half of either.
 */
export function moveIntoPlace(temp: string, target: string): void {
  fsyncPath(temp);
  renameSync(temp, target);
  fsyncPath(dirname(target));
}

/**
 * Write a backup of the workspace open on `db` (the writer's connection or a reader's): a
 * snapshot as of one transaction, encrypted with the connection's key if it has one. A
 * reader's snapshot may fall behind writes made meanwhile: `catchUp` brings the written copy
 * up to date where that matters (the erasures: backups/backup-worker.ts), answering how much
 * it changed, and is asked again until it changes nothing — the last time just before the
 * file is renamed into place. On any failure (a full disk) the partial file is removed and
 * the error thrown; the workspace is only read.
 */
export function writeBackup(db: SqliteDatabase, workspacePath: string, reason: BackupReason, now: Date, catchUp?: (copy: string) => number): BackupFile {
  const dir = backupsDir(workspacePath);
  mkdirSync(dir, { recursive: true });
  const name = `${stem(workspacePath)}-${stampOf(now)}-${reason}.sqlite`;
  const path = join(dir, name);
  const temp = `${path}${PARTIAL_SUFFIX}`;
  try {
    rmSync(temp, { force: true });
    db.prepare('VACUUM INTO ?').run(temp);
    // Flushed before each look, so the last look is as close to the rename as it can be.
    if (catchUp) {
      do {
        fsyncPath(temp);
      } while (catchUp(temp) > 0);
    }
    moveIntoPlace(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return { name, path, takenAt: now, reason, bytes: statSync(path).size };
}

/** Active records per kind in a backup, read from the backup itself; null when it cannot be read (damaged, another key). */
export function backupCounts(backup: BackupFile, key: Buffer | undefined): Record<ListedKind, number> | null {
  let db: SqliteDatabase | null = null;
  try {
    db = openSqlite(backup.path, { readonly: true, fileMustExist: true, key });
    return new RecordReads(db).activeCounts();
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/**
 * Remove backups older than BACKUP_KEEP_DAYS, and partial files a crash left behind. The
 * newest backup that can still be read is kept however old it is: a workspace that was not
 * opened for a month must not lose its last good backup for it.
 */
export function pruneBackups(workspacePath: string, now: Date, key: Buffer | undefined): BackupFile[] {
  const dir = backupsDir(workspacePath);
  if (!existsSync(dir)) return [];
  // With the WAL of one being brought up to date with the erasures when the crash came.
  for (const name of readdirSync(dir)) if (/\.partial(-wal|-shm)?$/.test(name)) rmSync(join(dir, name), { force: true });
  const backups = listBackups(workspacePath);
  const newestGood = backups.find((backup) => backupCounts(backup, key) !== null);
  const cutoff = now.getTime() - BACKUP_KEEP_DAYS * DAY_MS;
  const removed = backups.filter((backup) => backup !== newestGood && backup.takenAt.getTime() < cutoff);
  for (const backup of removed) rmSync(backup.path, { force: true });
  return removed;
}

/** Whether a daily backup is due: none yet, or the newest is a day old. */
export function dailyBackupDueIn(workspacePath: string, now: Date): number {
  const newest = listBackups(workspacePath)[0];
  if (!newest) return 0;
  return Math.max(0, newest.takenAt.getTime() + DAILY_BACKUP_MS - now.getTime());
}
