// RPC handlers of the team's devices (shared/rpc-devices.ts): asked of the sync server
// over the device's own connection; the server refuses anyone but a lead, and so do these.
import type { DEVICES_RPC_METHODS, TeamDevice } from '../../../shared/rpc-devices';
import type { DeviceInfo } from '../../../shared/sync-protocol';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { askServer } from '../sync/handlers';
import { leadsOnly } from '../roles';

export function devicesHandlers({ service }: HandlerContext): HandlersFor<keyof typeof DEVICES_RPC_METHODS> {
  const present = (devices: DeviceInfo[]): TeamDevice[] => devices.map((d) => ({ ...d, thisDevice: d.deviceId === service.workspace.deviceId }));
  return {
    'devices.list': leadsOnly(service, "see the team's devices", async () => present(await askServer(() => service.sync.listDevices()))),
    'devices.revoke': leadsOnly(service, "withdraw a device's access", async (p) => present(await askServer(() => service.sync.revokeDevice(p.id)))),
    'devices.invite': leadsOnly(service, 'invite devices', async (p) => {
      const invitation = await askServer(() => service.sync.invite(p.role, p.uses, p.days));
      return { ...invitation, serverUrl: service.sync.status().serverUrl ?? '', checkCode: service.sync.checkCode() };
    }),
  };
}
