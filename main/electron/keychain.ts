// The OS keychain for the data service (main/data-service/keys/keychain.ts): Electron's
// safeStorage, which only the main process has, answering the service's requests on its
// parent port. Thin on purpose: what is sealed, and when, is decided in the data service;
// safeStorage is passed in (main.ts hands over Electron's), so this is tested without Electron.
import type { SafeStorage } from 'electron';
import type { KeychainAnswer, KeychainRequest } from '../data-service/keys/keychain';

type Keyring = Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;

/**
 * Whether safeStorage really protects what it seals. On Linux without a secret service it
 * falls back to `basic_text`, a key fixed in Chromium's source: that protects nothing, so the
 * data service is told there is no keychain and asks for a passphrase instead.
 */
export function keychainAvailable(keyring: Keyring, platform: NodeJS.Platform = process.platform): boolean {
  if (!keyring.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = keyring.getSelectedStorageBackend();
  return backend !== 'basic_text' && backend !== 'unknown';
}

export function answerKeychain(request: KeychainRequest, keyring: Keyring, platform: NodeJS.Platform = process.platform): KeychainAnswer {
  try {
    const available = keychainAvailable(keyring, platform);
    if (request.op === 'available') return { type: 'keychain-answer', id: request.id, ok: true, value: available };
    if (!available) throw new Error('this computer has no keychain that protects what it seals');
    const value = request.op === 'seal' ? keyring.encryptString(request.text).toString('base64') : keyring.decryptString(Buffer.from(request.sealed, 'base64'));
    return { type: 'keychain-answer', id: request.id, ok: true, value };
  } catch (error) {
    return { type: 'keychain-answer', id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
