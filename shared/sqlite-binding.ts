// Environment variable naming the SQLite driver's `.node` file built for the runtime at hand
// (main/data-service/db/sqlite.ts): set by Electron's main process, read by the data service.
// scripts/electron-native.mjs spells it too (plain JavaScript, run before any build);
// tests/unit/sqlite-binding.test.ts keeps the two the same.
export const SQLITE_BINDING_ENV = 'FIELDBOOK_SQLITE_BINDING';

/**
 * The SQLite driver: better-sqlite3's API over SQLite3 Multiple Ciphers, so a workspace
 * file can be encrypted; its native module keeps better-sqlite3's file name.
 */
export const SQLITE_DRIVER = 'better-sqlite3-multiple-ciphers';
