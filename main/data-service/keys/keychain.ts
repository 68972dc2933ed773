// The operating system's keychain, as the data service sees it: Electron's safeStorage, which
// exists only in Electron's main process, reached from the data service's utility process by
// a small request/answer over the parent port (main/electron/keychain.ts answers). Plain
// Node: the harness, the server and tests have no keychain and use a passphrase instead.

export interface Keychain {
  /** True only where the OS really protects what is sealed (never Linux's `basic_text`, a fixed key in the app). */
  available(): Promise<boolean>;
  /** `text` sealed with the OS user's keychain, base64. */
  seal(text: string): Promise<string>;
  /** What `seal` sealed; fails when this OS user's keychain cannot open it (another login, a reset keyring). */
  unseal(sealed: string): Promise<string>;
}

export type KeychainQuestion = { op: 'available' } | { op: 'seal'; text: string } | { op: 'unseal'; sealed: string };

/** What the data service asks Electron main. */
export type KeychainRequest = { type: 'keychain'; id: number } & KeychainQuestion;

/** Main's answer to the request of the same id. */
export type KeychainAnswer = { type: 'keychain-answer'; id: number; ok: true; value: string | boolean } | { type: 'keychain-answer'; id: number; ok: false; message: string };

export const isKeychainAnswer = (message: unknown): message is KeychainAnswer =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'keychain-answer';

/** A Keychain whose every call is a request to Electron main; `answer` is fed main's answers. */
export function keychainOverPort(send: (request: KeychainRequest) => void): Keychain & { answer(message: KeychainAnswer): void } {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: string | boolean) => void; reject: (error: Error) => void }>();
  const ask = (question: KeychainQuestion) =>
    new Promise<string | boolean>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      send({ type: 'keychain', id, ...question });
    });
  return {
    available: async () => (await ask({ op: 'available' })) === true,
    seal: async (text) => String(await ask({ op: 'seal', text })),
    unseal: async (sealed) => String(await ask({ op: 'unseal', sealed })),
    answer(message) {
      const pending = waiting.get(message.id);
      if (!pending) return;
      waiting.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new Error(message.message));
    },
  };
}
