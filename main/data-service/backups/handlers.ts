// RPC handlers of the backups' part of the contract (shared/rpc-backups.ts). Anyone on the
// device may restore: the backups are of this device's own copy of the workspace.
import type { BACKUPS_RPC_METHODS } from '../../../shared/rpc-backups';
import type { HandlerContext, HandlersFor } from '../rpc-areas';

export function backupsHandlers({ service }: HandlerContext): HandlersFor<keyof typeof BACKUPS_RPC_METHODS> {
  return {
    'backups.list': () => service.backups(),
    'backups.restore': (p) => service.restoreBackup(p.name),
    'backups.damage': () => service.damage(),
    'backups.recover': () => service.recoverDamaged(),
    'backups.startEmpty': () => service.startEmpty(),
  };
}
