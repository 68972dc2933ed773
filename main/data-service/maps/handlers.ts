// RPC handlers of the map's part of the contract (shared/rpc-map.ts).
import type { MAP_RPC_METHODS } from '../../../shared/rpc-map';
import type { DataService } from '../data-service';
import type { HandlersFor } from '../service-connection';

export function mapHandlers(_service: DataService): HandlersFor<keyof typeof MAP_RPC_METHODS> {
  return {};
}
