// RPC handlers of the network and export part of the contract (shared/rpc-network.ts).
import type { NETWORK_RPC_METHODS } from '../../../shared/rpc-network';
import type { DataService } from '../data-service';
import type { HandlersFor } from '../service-connection';

export function networkHandlers(_service: DataService): HandlersFor<keyof typeof NETWORK_RPC_METHODS> {
  return {};
}
