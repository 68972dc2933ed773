// Wrapping a workspace key with a secret a person holds (a passphrase, a recovery code): the
// secret goes through scrypt, a memory-hard KDF, and the key is sealed with AES-256-GCM under
// what it derives, with the workspace id as associated data (a wrap copied into another
// workspace's key file does not open). The KDF's parameters are stored with each wrap, so
// they can be raised later without making older key files unreadable.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';

export interface KdfParams {
  name: 'scrypt';
  /** CPU/memory cost (a power of two); memory used is 128·N·r bytes. */
  N: number;
  r: number;
  p: number;
}

/** 2^17 × 8 × 128 bytes = 128 MB and about half a second per derivation: OWASP's scrypt floor is 2^17, r 8, p 1. */
export const DEFAULT_KDF: KdfParams = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 };

/** A key sealed under a secret; every binary part base64. */
export interface WrappedKey {
  kdf: KdfParams;
  salt: string;
  iv: string;
  tag: string;
  sealed: string;
}

const KEY_BYTES = 32;

function deriveKey(secret: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  // Node refuses past maxmem (32 MB by default); allow what the parameters need, twice over.
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, options, (error, derived) => (error ? reject(error) : resolve(derived))),
  );
}

export async function wrapKey(key: Buffer, secret: string, associated: string, kdf: KdfParams = DEFAULT_KDF): Promise<WrappedKey> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(secret, salt, kdf), iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
  return { kdf, salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), sealed: sealed.toString('base64') };
}

/** The key, or null when the secret (or the associated workspace id) is not the one it was wrapped with. */
export async function unwrapKey(wrapped: WrappedKey, secret: string, associated: string): Promise<Buffer | null> {
  const derived = await deriveKey(secret, Buffer.from(wrapped.salt, 'base64'), wrapped.kdf);
  const decipher = createDecipheriv('aes-256-gcm', derived, Buffer.from(wrapped.iv, 'base64'));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(wrapped.sealed, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}
