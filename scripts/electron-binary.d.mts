// Types of scripts/electron-binary.mjs for the TypeScript callers (the Electron smoke test).
export function findElectronBinary(): { path: string; reason: null } | { path: null; reason: string };
