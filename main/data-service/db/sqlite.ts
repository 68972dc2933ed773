// The one place the SQLite driver is loaded and a database file is opened, in the data
// service, its worker threads, the sync server, benches and tests alike (a workspace file
// through workspace-db.ts, which tunes it). A second driver, or a key for an encrypted
// file, goes here and nowhere else: tests/unit/sqlite-seam.test.ts fails if another file
// imports the driver, so the rest of the code uses the types below.
//
// better-sqlite3 is a native module, and Electron's ABI differs from Node's: the copy in
// node_modules is built for Node (the tests, the harness, the server), while the desktop
// app loads a build made for Electron (scripts/electron-native.mjs in development, the
// rebuilt copy electron-builder unpacks from the archive when packaged). The Electron main
// process names that build in FIELDBOOK_SQLITE_BINDING; the data service's utility process
// and its worker threads inherit the variable, so every connection loads the same build.
import Database from 'better-sqlite3';
import { SQLITE_BINDING_ENV } from '../../../shared/sqlite-binding';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

export interface OpenSqliteOptions {
  readonly?: boolean;
  /** Refuse to create the file when it does not exist (a reader never creates one). */
  fileMustExist?: boolean;
}

export function openSqlite(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  const nativeBinding = process.env[SQLITE_BINDING_ENV];
  return new Database(path, nativeBinding ? { ...options, nativeBinding } : options);
}
