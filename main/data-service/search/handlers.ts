// RPC handlers of search's part of the contract (shared/rpc-search.ts).
import type { SEARCH_RPC_METHODS } from '../../../shared/rpc-search';
import type { HandlerContext, HandlersFor } from '../rpc-areas';

export function searchHandlers({ service }: HandlerContext): HandlersFor<keyof typeof SEARCH_RPC_METHODS> {
  return {
    'search.global': (p) => service.workspace.search(p),
  };
}
