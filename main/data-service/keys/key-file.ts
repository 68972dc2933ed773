// A workspace's key file: the workspace file's random 256-bit key, never stored in the clear,
// only wrapped — by the user's passphrase and by the recovery code shown once at setup (both
// through scrypt and AES-256-GCM, wrap.ts), and, in the desktop app where the OS keychain is
// real, sealed by it. It lives beside the workspace file (`workspace.key.json`), is JSON, and
// is replaced only whole (durable-file.ts), so a crash never leaves half a key file.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { z } from 'zod';
import { KEY_BYTES } from '../db/sqlite';
import { writeFileDurably } from './durable-file';
import type { Keychain } from './keychain';
import { newRecoveryCode, normaliseRecoveryCode } from './recovery-code';
import { DEFAULT_KDF, unwrapKey, wrapKey, type KdfParams, type WrappedKey } from './wrap';

const Wrapped = z.object({
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int() }),
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  sealed: z.string(),
});

const KeyFileSchema = z.object({
  format: z.literal('community-fieldbook-key-file'),
  version: z.literal(1),
  /** The workspace this key opens; the associated data of every wrap. */
  workspaceId: z.string().min(1),
  /** Null where the OS keychain alone opens the workspace day to day. */
  passphrase: Wrapped.nullable(),
  recoveryCode: Wrapped,
  /** `<workspace id>\n<key hex>` sealed by the OS keychain (Electron safeStorage), base64; null where there is none. */
  keychain: z.string().nullable(),
});

export type KeyFile = z.infer<typeof KeyFileSchema>;

/** The wrong secret, said in words the Unlock screen shows as they are. */
export class WrongSecretError extends Error {}

/** The key file beside a workspace file: `workspace.sqlite` → `workspace.key.json`. */
export function keyFilePathFor(workspacePath: string): string {
  return join(dirname(workspacePath), `${basename(workspacePath, extname(workspacePath))}.key.json`);
}

/** The key file, or null where there is none; a file that is not a key file fails, naming it. */
export function readKeyFile(path: string): KeyFile | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`the key file ${path} is damaged (it is not readable JSON)`);
  }
  const file = KeyFileSchema.safeParse(parsed);
  if (!file.success) throw new Error(`the key file ${path} is damaged or from a newer version (${file.error.issues[0]?.message})`);
  return file.data;
}

export interface NewKeyOptions {
  workspaceId: string;
  /** Where the OS keychain is unavailable the passphrase is required; with it, optional. */
  passphrase?: string;
  keychain?: Keychain;
  kdf?: KdfParams;
}

/**
 * A new random key for a workspace, its key file written and on disk before this returns
 * (so nothing is ever encrypted under a key that is not stored), and the recovery code —
 * which exists nowhere else: show it once.
 */
export async function createKeyFile(path: string, options: NewKeyOptions): Promise<{ key: Buffer; recoveryCode: string }> {
  if (existsSync(path)) throw new Error(`a key file already exists at ${path}; it is never overwritten`);
  if (!options.passphrase && !options.keychain) throw new Error('a workspace key needs a passphrase where there is no OS keychain');
  const key = randomBytes(KEY_BYTES);
  const recoveryCode = newRecoveryCode();
  const kdf = options.kdf ?? DEFAULT_KDF;
  const [passphrase, recovery, keychain] = await Promise.all([
    options.passphrase ? wrapKey(key, options.passphrase, options.workspaceId, kdf) : null,
    wrapKey(key, recoveryCode, options.workspaceId, kdf),
    options.keychain ? options.keychain.seal(sealedText(options.workspaceId, key)) : null,
  ]);
  writeKeyFile(path, { format: 'community-fieldbook-key-file', version: 1, workspaceId: options.workspaceId, passphrase, recoveryCode: recovery, keychain });
  return { key, recoveryCode };
}

function writeKeyFile(path: string, file: KeyFile): void {
  writeFileDurably(path, `${JSON.stringify(file, null, 2)}\n`);
}

const sealedText = (workspaceId: string, key: Buffer) => `${workspaceId}\n${key.toString('hex')}`;

export async function unlockWithPassphrase(file: KeyFile, passphrase: string): Promise<Buffer> {
  if (!file.passphrase) throw new WrongSecretError('This workspace has no passphrase: it opens with this computer’s keychain, or with the recovery code.');
  const key = await unwrapKey(file.passphrase, passphrase, file.workspaceId);
  if (!key) throw new WrongSecretError('That passphrase does not open this workspace. Check Caps Lock and try again, or use your recovery code.');
  return key;
}

export async function unlockWithRecoveryCode(file: KeyFile, typed: string): Promise<Buffer> {
  const code = normaliseRecoveryCode(typed);
  if (!code) throw new WrongSecretError('A recovery code is 25 letters and digits in five groups of five, like 7KQ2M-XH4PD-R9T0A-MZ3WE-B6YNC.');
  const key = await unwrapKey(file.recoveryCode, code, file.workspaceId);
  if (!key) throw new WrongSecretError('That recovery code does not open this workspace. Check each group of five against the one you stored.');
  return key;
}

/** The key from the OS keychain, or null where it cannot open it (no keychain, another login, a reset keyring). */
export async function unlockWithKeychain(file: KeyFile, keychain: Keychain): Promise<Buffer | null> {
  if (!file.keychain || !(await keychain.available())) return null;
  try {
    const [workspaceId, hex] = (await keychain.unseal(file.keychain)).split('\n');
    return workspaceId === file.workspaceId && hex?.length === KEY_BYTES * 2 ? Buffer.from(hex, 'hex') : null;
  } catch {
    return null;
  }
}

/**
 * Wrap the key anew — under a new passphrase, and sealed again by the OS keychain where there
 * is one (after a recovery, the old seal may be from another login) — keeping the recovery
 * code's wrap. The workspace file is not touched.
 */
export async function rewrapKey(path: string, file: KeyFile, key: Buffer, by: { passphrase?: string; keychain?: Keychain; kdf?: KdfParams }): Promise<KeyFile> {
  const next: KeyFile = {
    ...file,
    ...(by.passphrase ? { passphrase: await wrapKey(key, by.passphrase, file.workspaceId, by.kdf ?? DEFAULT_KDF) } : {}),
    ...(by.keychain ? { keychain: await by.keychain.seal(sealedText(file.workspaceId, key)) } : {}),
  };
  writeKeyFile(path, next);
  return next;
}

export type { KdfParams, WrappedKey };
