// What the data service tells the user about sync (the `sync.status` RPC and event).
import { z } from 'zod';

export type SyncState =
  /** No sync server set up on this device. */
  | 'not_configured'
  /** Set up, but paused by the user (sync.cancel) or not yet started. */
  | 'paused'
  | 'connecting'
  | 'syncing'
  /** The server has acknowledged every local change and this device has everything it has. */
  | 'synced'
  /** Cannot reach the server, or it refused; see `error`. Retries on its own unless refused. */
  | 'error';

export interface SyncStatus {
  state: SyncState;
  serverUrl: string | null;
  role: string | null;
  /** Records with local changes the server has not acknowledged yet. */
  pending: number;
  /** When this device last finished a sync with nothing left to send or receive (ISO). */
  lastSyncAt: string | null;
  /** The current problem, in plain words; null when there is none. */
  error: string | null;
  /** When the next automatic attempt is due (ISO); null when none is: then only the user can start one. */
  retryAt: string | null;
  /**
   * While receiving: updates received in this sync so far, of those the server held when
   * it began (or has announced since). A first sync of a big workspace shows it as "x of y".
   */
  progress: { received: number; total: number } | null;
  /**
   * Records whose changes the server refused (it checks every change against the record's
   * rules): held on this device, not sent again, until the user discards them.
   */
  refused: RefusedChange[];
  /** The code this device checked its server's certificate by (a server on the team's own network); null otherwise. */
  checkCode: string | null;
}

export interface RefusedChange {
  recordId: string;
  /** The record's name as lists show it. */
  title: string;
  /** The server's reason, e.g. "name Invalid input: expected string, received number". */
  reason: string;
  refusedAt: string;
}

/** Names of this computer: a plain http:// server there is reached without crossing any network. */
const THIS_COMPUTER = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Whether what is synced with the server at `url` crosses a network unencrypted: plain http:// to another computer. */
export function unencryptedOverNetwork(url: string): boolean {
  // Not a web address at all, or not http: said by the check before the connect form's use of this.
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && !THIS_COMPUTER.test(hostname);
}

export const SyncConnectParams = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, message: 'must be a web address, such as https://192.168.1.20:8787' })
    .refine((url) => !unencryptedOverNetwork(url), 'is not encrypted (http://): anyone on the network could read what is synced. Use the https:// address your team lead gives, with its check code'),
  inviteCode: z.string().trim().min(4, 'is required').max(40, 'is too long'),
  /** For a server on the team's own network: the code its certificate must have (shared/check-code.ts). */
  checkCode: z.string().trim().max(40, 'is too long').optional(),
});

export const SyncDiscardParams = z.strictObject({ recordId: z.uuid('must be a record id (UUID)') });
