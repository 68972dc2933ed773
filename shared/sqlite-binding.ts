// Environment variable naming the SQLite driver's `.node` file built for the runtime at hand
// (main/data-service/db/sqlite.ts): set by Electron's main process, read by the data service.
// scripts/electron-native.mjs spells it too (plain JavaScript, run before any build);
// tests/unit/sqlite-binding.test.ts keeps the two the same.
export const SQLITE_BINDING_ENV = 'FIELDBOOK_SQLITE_BINDING';
