// Encrypting a plaintext workspace file from an earlier version, in place and crash-safe: the
// work is done on a copy, the copy is checked (integrity, and the same rows in every table)
// and only then renamed over the plaintext file — one atomic rename, so a kill at any moment
// leaves the old file or the new one, never neither. The caller has already written the key
// file to disk, so the encrypted file never exists without its key.
import { closeSync, copyFileSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyConnection, openSqlite, type SqliteDatabase } from '../db/sqlite';
import { syncDirectory, syncFile } from './durable-file';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether the file starts with SQLite's plaintext header (an encrypted file's first bytes are random). */
export function isPlaintextSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** The workspace id stored in a plaintext workspace file (the key file is bound to it). */
export function plaintextWorkspaceId(path: string): string {
  const db = openSqlite(path, { readonly: true, fileMustExist: true });
  try {
    const id = db.prepare("SELECT value FROM meta WHERE key = 'workspace_id'").pluck().get() as string | undefined;
    if (!id) throw new Error(`${path} has no workspace id: it is not a Community Fieldbook workspace`);
    return id;
  } finally {
    db.close();
  }
}

/** Rows in every table of the file (FTS's own tables included), by table name. */
function rowCounts(db: SqliteDatabase): Record<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`).pluck().get() as number]));
}

/** The name of the copy being encrypted; a leftover one is from an interrupted run and is started again. */
const workingCopyOf = (path: string) => `${path}.encrypting`;

function removeWorkingCopy(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${workingCopyOf(path)}${suffix}`, { force: true });
}

export function encryptInPlace(path: string, key: Buffer): void {
  removeWorkingCopy(path);
  // SQLite3MC refuses to rekey a file in WAL mode: fold the WAL into the file and leave WAL
  // mode, so the file alone holds every row (a later open goes back to WAL).
  const plain = openSqlite(path, { fileMustExist: true });
  let expected: Record<string, number>;
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    plain.pragma('journal_mode = DELETE');
    expected = rowCounts(plain);
  } finally {
    plain.close();
  }

  const copy = workingCopyOf(path);
  copyFileSync(path, copy);
  const encrypting = openSqlite(copy);
  try {
    keyConnection(encrypting, key, 'hexrekey');
  } finally {
    encrypting.close();
  }

  const check = openSqlite(copy, { key, fileMustExist: true });
  try {
    const integrity = check.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`the encrypted copy of ${path} failed its integrity check (${String(integrity)}); the plaintext file is unchanged`);
    const found = rowCounts(check);
    for (const [table, rows] of Object.entries(expected)) {
      if (found[table] !== rows) throw new Error(`the encrypted copy of ${path} holds ${found[table] ?? 0} rows of ${table}, not ${rows}; the plaintext file is unchanged`);
    }
    check.pragma('journal_mode = WAL');
  } finally {
    check.close();
  }
  syncFile(copy);
  // The plaintext file was closed cleanly out of WAL mode, so no journal of its own is left
  // beside it to be replayed into the encrypted file.
  renameSync(copy, path);
  syncDirectory(dirname(path));
}
