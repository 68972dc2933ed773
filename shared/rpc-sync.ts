// Sync's part of the RPC contract: joining the team's server and syncing with it. Progress
// and outcome also arrive as `sync.status` events.
import { z } from 'zod';
import { returns } from './rpc-area';
import { SyncConnectParams, SyncDiscardParams, type SyncStatus } from './sync-status';

export const SYNC_RPC_METHODS = {
  'sync.status': { params: z.strictObject({}), result: returns<SyncStatus>() },
  /** Redeem an invite code at the server; the token and address are kept in the workspace. */
  'sync.connect': { params: SyncConnectParams, result: returns<SyncStatus>() },
  /** Start a sync now (it also runs on its own while online); returns at once. */
  'sync.now': { params: z.strictObject({}), result: returns<SyncStatus>() },
  /** Stop syncing until sync.now. */
  'sync.cancel': { params: z.strictObject({}), result: returns<SyncStatus>() },
  /** Forget the server; unsent changes stay queued. */
  'sync.disconnect': { params: z.strictObject({}), result: returns<SyncStatus>() },
  /** Throw away a change the server refused: the record becomes what the server holds. */
  'sync.discard': { params: SyncDiscardParams, result: returns<SyncStatus>() },
} as const;
