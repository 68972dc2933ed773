// The one place the SQLite driver is loaded and a database file is opened, in the data
// service, its worker threads, the sync server, benches and tests alike (a workspace file
// through workspace-db.ts, which tunes it). A key for an encrypted file is applied here and
// nowhere else: tests/unit/sqlite-seam.test.ts fails if another file imports the driver, so
// the rest of the code uses the types below.
//
// The driver is better-sqlite3-multiple-ciphers: better-sqlite3's API over SQLite3 Multiple
// Ciphers, which encrypts every page of the file and of its WAL (AEGIS-256, see keyConnection).
//
// It is a native module, and Electron's ABI differs from Node's: the copy in node_modules is
// built for Node (the tests, the harness, the server), while the desktop app loads a build
// made for Electron (scripts/electron-native.mjs in development, the rebuilt copy
// electron-builder unpacks from the archive when packaged). The Electron main process names
// that build in FIELDBOOK_SQLITE_BINDING; the data service's utility process and its worker
// threads inherit the variable, so every connection loads the same build.
import Database from 'better-sqlite3-multiple-ciphers';
import { SQLITE_BINDING_ENV } from '../../../shared/sqlite-binding';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

/** The length in bytes of a file's key: 256 bits, random, never derived from a password here. */
export const KEY_BYTES = 32;

export interface OpenSqliteOptions {
  readonly?: boolean;
  /** Refuse to create the file when it does not exist (a reader never creates one). */
  fileMustExist?: boolean;
  /** The file's 256-bit key; without one the file is plaintext. A new file is created encrypted with it. */
  key?: Buffer;
}

/** The file could not be read with the key given (a wrong key, no key for an encrypted file, or a key for a plaintext one). */
export class WrongKeyError extends Error {
  constructor(readonly path: string) {
    super(`${path} cannot be opened with this key: it is encrypted with another key, or not encrypted as expected`);
    this.name = 'WrongKeyError';
  }
}

/** Whether a driver error says the bytes read are not an SQLite database as keyed. */
export const isNotADatabase = (error: unknown) => (error as { code?: string } | null)?.code === 'SQLITE_NOTADB';

/** Whether a driver error says the file is damaged (a page that fails its check, or is not a database page). */
export const isCorrupt = (error: unknown) => ['SQLITE_CORRUPT', 'SQLITE_NOTADB'].includes((error as { code?: string } | null)?.code ?? '');

/**
 * Give a connection its file's key: `hexkey` to read and write an encrypted file (or create
 * one), `hexrekey` to encrypt a plaintext file in place. AEGIS-256, SQLite3MC's authenticated
 * cipher on hardware AES (a changed page fails to read rather than reading wrong): measured
 * here at 1.2× plaintext for inserts and 1.0× for reads, where ChaCha20-Poly1305 cost 2.6×
 * and 4×. The key is already 256 random bits, so its key derivation (Argon2id) runs at its
 * smallest cost; the default costs ~25 ms an open.
 */
export function keyConnection(db: SqliteDatabase, key: Buffer, how: 'hexkey' | 'hexrekey' = 'hexkey'): void {
  if (key.length !== KEY_BYTES) throw new Error(`a file key is ${KEY_BYTES} bytes, not ${key.length}`);
  db.pragma(`cipher = 'aegis'`);
  db.pragma('tcost = 1');
  db.pragma('mcost = 8');
  db.pragma('pcost = 1');
  db.pragma(`${how} = '${key.toString('hex')}'`);
}

export function openSqlite(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  const { key, ...driverOptions } = options;
  const nativeBinding = process.env[SQLITE_BINDING_ENV];
  const db = new Database(path, nativeBinding ? { ...driverOptions, nativeBinding } : driverOptions);
  try {
    if (key) keyConnection(db, key);
    // The key is only tried on the first read: read now, so a wrong one fails here, by name.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    throw isNotADatabase(error) ? new WrongKeyError(path) : error;
  }
}
