// Every area of the RPC contract (RPC_AREAS in shared/rpc.ts) with the module that answers
// it. A connection builds its handlers from here, so the contract alone decides which
// methods exist, and the compiler insists every area has a module answering each of its
// methods. A new area: its contract in shared/rpc-<area>.ts, its handlers in
// <area>/handlers.ts, and one line in each registry.
import { RPC_AREAS, type RpcArea, type RpcMethod, type RpcParsedParams, type RpcResult, type ServiceEvent } from '../../shared/rpc';
import { actionHandlers } from './actions/handlers';
import { backupsHandlers } from './backups/handlers';
import { consentHandlers } from './consent/handlers';
import type { DataService } from './data-service';
import { devicesHandlers } from './devices/handlers';
import { docHandlers } from './docs/handlers';
import { duplicatesHandlers } from './duplicates/handlers';
import { erasureHandlers } from './privacy/erasure-handlers';
import { exportHandlers } from './export/handlers';
import { importHandlers } from './import/handlers';
import { mapHandlers } from './maps/handlers';
import { networkHandlers } from './network/handlers';
import { privacyHandlers } from './privacy/handlers';
import { profileHandlers } from './profile/handlers';
import { recordHandlers } from './records/handlers';
import { searchHandlers } from './search/handlers';
import { syncHandlers } from './sync/handlers';
import { teamHandlers } from './team/handlers';

/** Handlers for a part of the contract (`M`): each area's module returns these. */
export type HandlersFor<M extends RpcMethod> = { [N in M]: (params: RpcParsedParams<N>) => RpcResult<N> | Promise<RpcResult<N>> };

/** The client an area's handlers answer, for state kept per window (the docs its editors have open). */
export interface ConnectionScope {
  /** Send an event to this client only. */
  emit(event: ServiceEvent): void;
  /** Run `cleanup` when the client goes away. */
  onClose(cleanup: () => void): void;
}

/** What an area's handlers are made with, once per connection. */
export interface HandlerContext {
  service: DataService;
  connection: ConnectionScope;
}

type AreaHandlers<A extends RpcArea> = (context: HandlerContext) => HandlersFor<keyof (typeof RPC_AREAS)[A] & RpcMethod>;

const AREA_HANDLERS: { [A in RpcArea]: AreaHandlers<A> } = {
  profile: profileHandlers,
  record: recordHandlers,
  search: searchHandlers,
  action: actionHandlers,
  duplicates: duplicatesHandlers,
  doc: docHandlers,
  sync: syncHandlers,
  team: teamHandlers,
  map: mapHandlers,
  network: networkHandlers,
  privacy: privacyHandlers,
  backups: backupsHandlers,
  consent: consentHandlers,
  erasure: erasureHandlers,
  export: exportHandlers,
  import: importHandlers,
  devices: devicesHandlers,
};

/** One connection's handler for every method of the contract, each made by its own area's module. */
export function connectionHandlers(context: HandlerContext): HandlersFor<RpcMethod> {
  const table: Record<string, unknown> = {};
  for (const area of Object.keys(RPC_AREAS) as RpcArea[]) {
    const handlers: Record<string, unknown> = AREA_HANDLERS[area](context);
    for (const method of Object.keys(RPC_AREAS[area])) table[method] = handlers[method];
  }
  return table as HandlersFor<RpcMethod>;
}
