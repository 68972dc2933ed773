// RPC handlers of the team lead's part of the contract (shared/rpc-team.ts).
import { RpcError } from '../../../shared/rpc';
import type { TEAM_RPC_METHODS } from '../../../shared/rpc-team';
import type { DataService } from '../data-service';
import type { HandlersFor } from '../service-connection';

const pending = (): never => {
  throw new RpcError('not_ready', 'being built');
};

export function teamHandlers(_service: DataService): HandlersFor<keyof typeof TEAM_RPC_METHODS> {
  return {
    'merge.apply': pending,
    'merge.undo': pending,
    'merge.list': pending,
    'review.list': pending,
    'review.mark': pending,
    'conflicts.list': pending,
    'conflicts.resolve': pending,
    'record.restoreValue': pending,
  };
}
