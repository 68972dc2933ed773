// RPC handlers of the network part of the contract (shared/rpc-network.ts).
import type { NETWORK_RPC_METHODS } from '../../../shared/rpc-network';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { buildNetwork } from './graph';

export function networkHandlers({ service }: HandlerContext): HandlersFor<keyof typeof NETWORK_RPC_METHODS> {
  return {
    'network.graph': (p) => buildNetwork(service.workspace, p),
  };
}
