// RPC handlers of sync's part of the contract (shared/rpc-sync.ts).
import { RpcError } from '../../../shared/rpc';
import type { SYNC_RPC_METHODS } from '../../../shared/rpc-sync';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { SyncError } from './sync-client';

export function syncHandlers({ service }: HandlerContext): HandlersFor<keyof typeof SYNC_RPC_METHODS> {
  return {
    'sync.status': () => service.sync.status(),
    'sync.connect': async (p) => {
      try {
        return await service.sync.connect(p.url, p.inviteCode, p.checkCode || undefined);
      } catch (error) {
        if (!(error instanceof SyncError)) throw error;
        throw RpcError.invalid([{ field: error.field, message: error.message }]);
      }
    },
    'sync.now': () => {
      // The outcome arrives as sync.status events; a failed attempt retries on its own.
      service.sync.syncNow().catch(() => undefined);
      return service.sync.status();
    },
    'sync.cancel': () => service.sync.cancel(),
    'sync.disconnect': () => service.sync.disconnect(),
    'sync.discard': (p) => askServer(() => service.sync.discardRefused(p.recordId)),
  };
}

/** A request the sync server answers; failing to reach it is an error the renderer shows in words. */
export async function askServer<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    throw new RpcError('conflict', error.message);
  }
}
