// Types of scripts/electron-native.mjs for the TypeScript callers (the Electron smoke test).
export function electronBindingPath(): { root: string; binding: string };
export function ensureElectronBinding(): Promise<string>;
export const SQLITE_BINDING_ENV: string;
