// The key of a database file opened outside the app — the sync server's SQLite store — where
// there is no keychain and nobody to show an Unlock screen: the key is wrapped by a passphrase
// given at start (the same key file as a workspace's: key-file.ts). The first start makes the
// key (and encrypts a plaintext store from an earlier version in place); each later start
// unwraps it, and a wrong passphrase stops the start with a message saying so.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { encryptInPlace, isPlaintextSqlite } from './encrypt-in-place';
import { createKeyFile, keyFilePathFor, readKeyFile, rewrapKey, unlockWithPassphrase, unlockWithRecoveryCode, WrongSecretError } from './key-file';
import type { KdfParams } from './wrap';

export interface FileKeyOptions {
  passphrase: string;
  /** Given, it opens the key in place of the forgotten passphrase, which `passphrase` then replaces. */
  recoveryCode?: string;
  kdf?: KdfParams;
}

/** The file's key; `recoveryCode` is set when the key was made now (shown once, then nowhere). */
export async function keyForFile(path: string, options: FileKeyOptions): Promise<{ key: Buffer; keyFile: string; recoveryCode: string | null }> {
  const keyFile = keyFilePathFor(path);
  const file = readKeyFile(keyFile);
  const hasData = existsSync(path) && statSync(path).size > 0;
  if (!file) {
    if (hasData && !isPlaintextSqlite(path)) throw new Error(`${path} is encrypted, but its key file ${keyFile} is missing: put it back; nothing has been changed`);
    const made = await createKeyFile(keyFile, { workspaceId: `store-${randomUUID()}`, passphrase: options.passphrase, kdf: options.kdf });
    if (hasData) encryptInPlace(path, made.key);
    return { key: made.key, keyFile, recoveryCode: made.recoveryCode };
  }
  let key: Buffer;
  try {
    if (options.recoveryCode) {
      key = await unlockWithRecoveryCode(file, options.recoveryCode);
      await rewrapKey(keyFile, file, key, { passphrase: options.passphrase, kdf: options.kdf });
    } else key = await unlockWithPassphrase(file, options.passphrase);
  } catch (error) {
    const given = options.recoveryCode ? 'recovery code' : 'passphrase';
    if (error instanceof WrongSecretError) throw new Error(`the ${given} given does not open ${path} (its key file is ${keyFile}); nothing was opened or changed`);
    throw error;
  }
  // A plaintext file beside its key file: an earlier start was stopped while encrypting it.
  if (hasData && isPlaintextSqlite(path)) encryptInPlace(path, key);
  return { key, keyFile, recoveryCode: null };
}
