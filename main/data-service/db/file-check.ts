// Is a workspace file whole? Checked before the data service opens it for writing, so a
// zero-length, cut-off or damaged file is never mistaken for a new workspace nor written to:
// it is set aside under another name (never deleted) and the user is told. Only reads.
import { closeSync, existsSync, openSync, readdirSync, readSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncPath } from './backups';
import { openSqlite, WrongKeyError, type SqliteDatabase } from './sqlite';

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

const isCorrupt = (error: unknown) => ['SQLITE_CORRUPT', 'SQLITE_NOTADB'].includes((error as { code?: string } | null)?.code ?? '');

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
 * not shorter than its pages, readable, and `PRAGMA quick_check` finds nothing wrong. Null
 * when it is whole. A wrong key is not damage: WrongKeyError is thrown for its own message.
 */
export function checkWorkspaceFile(path: string, key: Buffer | undefined): FileCheck | null {
  if (!existsSync(path)) return { problem: 'missing', detail: 'there is no file' };
  const bytes = statSync(path).size;
  if (bytes === 0) return { problem: 'empty', detail: 'the file is 0 bytes long' };
  const short = lengthProblem(path, bytes, key !== undefined);
  if (short) return short;
  let db: SqliteDatabase | null = null;
  try {
    db = openSqlite(path, { readonly: true, fileMustExist: true, key });
    const result = db.pragma('quick_check', { simple: true }) as string;
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

/** Damaged files set aside from this workspace path before, newest first. */
export function setAsideFiles(workspacePath: string): string[] {
  const prefix = setAsideStem(workspacePath);
  return readdirSync(dirname(workspacePath))
    .filter((name) => name.startsWith(prefix) && name.endsWith('.sqlite'))
    .sort()
    .reverse()
    .map((name) => join(dirname(workspacePath), name));
}
