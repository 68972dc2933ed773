// RPC handlers of the team's devices (shared/rpc-devices.ts): asked of the sync server
// over the device's own connection; the server refuses anyone but a lead, and so do these.
import type { DEVICES_RPC_METHODS } from '../../../shared/rpc-devices';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { askServer } from '../sync/handlers';
import { leadsOnly } from '../team/handlers';

export function devicesHandlers({ service }: HandlerContext): HandlersFor<keyof typeof DEVICES_RPC_METHODS> {
  return {
    'devices.list': leadsOnly(service, "see the team's devices", () => askServer(() => service.sync.listDevices())),
    'devices.revoke': leadsOnly(service, "withdraw a device's access", (p) => askServer(() => service.sync.revokeDevice(p.id))),
  };
}
