// Is a workspace file whole? Checked before the data service opens it for writing, so a
// zero-length, cut-off or damaged file is never mistaken for a new workspace nor written to:
// it is set aside under another name (never deleted) and the user is told. Only reads.
//
// The full check reads every page (~12 s at the reference size). A file the app closed
// cleanly and that nobody changed since skips it: the writer's last act leaves a marker
// beside it (its length and modification time, after the last checkpoint emptied the WAL),
// and opening it for writing removes the marker first, so a crash or a kill leaves none. A
// page damaged behind an unchanged length and time still fails its check when it is read
// (an encrypted file's pages are authenticated): the user is told, and the next start checks
// the whole file (service-connection.ts).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncPath } from './backups';
import { isCorrupt, openSqlite, WrongKeyError, type SqliteDatabase } from './sqlite';

export type FileProblem = 'missing' | 'empty' | 'cut-short' | 'damaged';

export interface FileCheck {
  problem: FileProblem;
  /** What was found, for the log and the user's "details" (the words shown are the renderer's). */
  detail: string;
}

/** The SQLite file header's first 16 bytes, in every plaintext database. */
const SQLITE_MAGIC = 'SQLite format 3\0';
/** Every page size SQLite (and SQLite3MC) writes is a multiple of this. */
const MIN_PAGE_SIZE = 512;

/** The marker of a clean close, beside the workspace file. */
export const cleanCloseMarker = (path: string) => `${path}.closed-cleanly`;

interface CleanClose {
  bytes: number;
  mtimeMs: number;
}

const fileState = (path: string): CleanClose => {
  const stat = statSync(path);
  // To the millisecond, as copying tools keep a file's time.
  return { bytes: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) };
};

/** The writer closed `path` after emptying its WAL into it: remember how the file was left (nothing to remember if it is gone). */
export function markClosedCleanly(path: string): void {
  if (existsSync(path)) writeFileSync(cleanCloseMarker(path), JSON.stringify(fileState(path)));
}

/** The file is about to be written (or replaced): it is no longer as it was closed. */
export function forgetClosedCleanly(path: string): void {
  rmSync(cleanCloseMarker(path), { force: true });
}

/** Whether the file is as the app left it when it last closed it cleanly: a marker that matches it, and no WAL holding changes. */
function closedCleanly(path: string): boolean {
  if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) return false;
  try {
    const marked = JSON.parse(readFileSync(cleanCloseMarker(path), 'utf8')) as CleanClose;
    const now = fileState(path);
    return marked.bytes === now.bytes && marked.mtimeMs === now.mtimeMs;
  } catch {
    // No marker, or one cut off by a crash while it was written.
    return false;
  }
}

/**
 * What the file's length says before SQLite reads it: a plaintext file's header gives its
 * page size and count; an encrypted file's header is encrypted too, but its length must
 * still be whole pages.
 */
function lengthProblem(path: string, bytes: number, encrypted: boolean): FileCheck | null {
  if (encrypted) return bytes % MIN_PAGE_SIZE ? { problem: 'cut-short', detail: `${bytes} bytes is not a whole number of pages` } : null;
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC) return { problem: 'damaged', detail: 'its first bytes are not those of an SQLite database' };
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  // The page count in the header is valid only when the change counter matches (SQLite's file format, §1.3.7).
  const pages = header.readUInt32BE(24) === header.readUInt32BE(92) ? header.readUInt32BE(28) : 0;
  if (bytes % pageSize !== 0 || pages * pageSize > bytes) {
    return { problem: 'cut-short', detail: `it holds ${bytes} bytes where its header says ${pages * pageSize}` };
  }
  return null;
}

/**
 * Check the workspace file at `path` as it would be opened with `key`: present, not empty,
 * not shorter than its pages, readable, and `PRAGMA quick_check` finds nothing wrong — unless
 * `trustCleanClose` and the file is as the app closed it cleanly. Null when it is whole. A
 * wrong key is not damage: WrongKeyError is thrown for its own message.
 */
export function checkWorkspaceFile(path: string, key: Buffer | undefined, options: { trustCleanClose?: boolean } = {}): FileCheck | null {
  if (!existsSync(path)) return { problem: 'missing', detail: 'there is no file' };
  const bytes = statSync(path).size;
  if (bytes === 0) return { problem: 'empty', detail: 'the file is 0 bytes long' };
  const short = lengthProblem(path, bytes, key !== undefined);
  if (short) return short;
  let db: SqliteDatabase | null = null;
  try {
    db = openSqlite(path, { readonly: true, fileMustExist: true, key });
    const result = options.trustCleanClose && closedCleanly(path) ? 'ok' : (db.pragma('quick_check', { simple: true }) as string);
    if (result !== 'ok') return { problem: 'damaged', detail: result };
    const pages = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    return pages > bytes ? { problem: 'cut-short', detail: `it holds ${bytes} bytes of ${pages}` } : null;
  } catch (error) {
    if (error instanceof WrongKeyError) {
      if (key) throw error;
      return { problem: 'damaged', detail: 'SQLite does not read it as a database' };
    }
    if (isCorrupt(error)) return { problem: 'damaged', detail: (error as Error).message };
    throw error;
  } finally {
    db?.close();
  }
}

const SIDE_FILES = ['-wal', '-shm'];
const setAsideStem = (workspacePath: string) => `${basename(workspacePath).replace(/\.sqlite$/, '')}.damaged-`;

/**
 * Move a damaged workspace file, with its WAL (committed changes not yet copied into it),
 * to `<name>.damaged-<time>.sqlite` beside it, unchanged. Returns the new path.
 */
export function setAside(path: string, now: Date): string {
  const target = join(dirname(path), `${setAsideStem(path)}${now.toISOString().replace(/[:.]/g, '-')}.sqlite`);
  // The file first: a crash before its WAL follows leaves no file at `path`, which is never
  // opened as a new workspace either, and whatever is left there is set aside with it next time.
  for (const suffix of ['', ...SIDE_FILES]) if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  fsyncPath(dirname(path));
  return target;
}

/** Delete every damaged file set aside from this workspace path, with its WAL. */
export function removeSetAside(workspacePath: string): void {
  for (const path of setAsideFiles(workspacePath)) for (const suffix of ['', ...SIDE_FILES]) rmSync(path + suffix, { force: true });
}

/** Damaged files set aside from this workspace path before, newest first. */
export function setAsideFiles(workspacePath: string): string[] {
  const prefix = setAsideStem(workspacePath);
  return readdirSync(dirname(workspacePath))
    .filter((name) => name.startsWith(prefix) && name.endsWith('.sqlite'))
    .sort()
    .reverse()
    .map((name) => join(dirname(workspacePath), name));
}
