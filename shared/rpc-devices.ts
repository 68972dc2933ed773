// The team's devices (a lead's part of the RPC contract): every device that joined the
// workspace on the sync server, who uses it, when it last synced and how far behind it is,
// and withdrawing one's access. Only the server knows them, so each call asks it.
import { z } from 'zod';
import type { DeviceInfo } from './sync-protocol';
import { returns } from './rpc-area';

/** A device registered on the sync server (one per redeemed invite), as a lead sees it. */
export interface TeamDevice extends DeviceInfo {
  /** The device asking: a lead cannot withdraw its own access. */
  thisDevice: boolean;
}

export const DEVICES_RPC_METHODS = {
  /** The workspace's devices, most recently seen first, withdrawn ones too. Leads only. */
  'devices.list': { params: z.strictObject({}), result: returns<TeamDevice[]>() },
  /** Withdraw one device's access: its token stops working at once. The devices afterwards. Leads only. */
  'devices.revoke': { params: z.strictObject({ id: z.string().min(1).max(100) }), result: returns<TeamDevice[]>() },
} as const;
