// Electron main's answers to the data service's keychain questions (main/electron/keychain.ts),
// on stand-ins for safeStorage: a Linux keyring that is really `basic_text` is never offered
// as protection, and nothing is sealed with it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerKeychain } from '../../main/electron/keychain';

function keyring(backend: 'basic_text' | 'gnome_libsecret' | 'unknown', encryptionAvailable = true) {
  return {
    isEncryptionAvailable: () => encryptionAvailable,
    getSelectedStorageBackend: () => backend,
    encryptString: (text: string) => Buffer.from(`sealed:${text}`),
    decryptString: (sealed: Buffer) => sealed.toString().replace(/^sealed:/, ''),
  };
}

test('only a keyring that protects what it seals is offered: not basic_text, not an unavailable one', () => {
  const available = (ring: ReturnType<typeof keyring>, platform: NodeJS.Platform) => answerKeychain({ type: 'keychain', id: 1, op: 'available' }, ring, platform);
  assert.deepEqual(available(keyring('gnome_libsecret'), 'linux'), { type: 'keychain-answer', id: 1, ok: true, value: true });
  assert.deepEqual(available(keyring('basic_text'), 'linux'), { type: 'keychain-answer', id: 1, ok: true, value: false });
  assert.deepEqual(available(keyring('unknown'), 'linux'), { type: 'keychain-answer', id: 1, ok: true, value: false });
  assert.deepEqual(available(keyring('gnome_libsecret', false), 'linux'), { type: 'keychain-answer', id: 1, ok: true, value: false });
  // Elsewhere the backend question does not apply: Keychain on macOS, DPAPI on Windows.
  assert.deepEqual(available(keyring('unknown'), 'darwin'), { type: 'keychain-answer', id: 1, ok: true, value: true });
});

test('a key is sealed and unsealed only with a real keyring; with basic_text the request fails, naming why', () => {
  const sealed = answerKeychain({ type: 'keychain', id: 2, op: 'seal', text: 'workspace\nkey' }, keyring('gnome_libsecret'), 'linux');
  assert.ok(sealed.ok);
  assert.deepEqual(answerKeychain({ type: 'keychain', id: 3, op: 'unseal', sealed: String(sealed.value) }, keyring('gnome_libsecret'), 'linux'), {
    type: 'keychain-answer',
    id: 3,
    ok: true,
    value: 'workspace\nkey',
  });
  assert.deepEqual(answerKeychain({ type: 'keychain', id: 4, op: 'seal', text: 'workspace\nkey' }, keyring('basic_text'), 'linux'), {
    type: 'keychain-answer',
    id: 4,
    ok: false,
    message: 'this computer has no keychain that protects what it seals',
  });
});
