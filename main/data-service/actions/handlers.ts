// RPC handlers of the actions' part of the contract (shared/rpc-actions.ts).
import type { ACTION_RPC_METHODS } from '../../../shared/rpc-actions';
import type { HandlerContext, HandlersFor } from '../rpc-areas';

export function actionHandlers({ service }: HandlerContext): HandlersFor<keyof typeof ACTION_RPC_METHODS> {
  return {
    'action.list': (p) => service.workspace.actions(p),
  };
}
