// The team's devices (a lead's part of the RPC contract): every device that joined the
// workspace on the sync server, who uses it, when it last synced and how far behind it is,
// withdrawing one's access, and inviting more. Only the server knows them, so each call asks it.
import { z } from 'zod';
import { MAX_INVITE_DAYS, MAX_INVITE_USES, SYNC_ROLES, type DeviceInfo, type Invitation } from './sync-protocol';
import { returns } from './rpc-area';

/** A device registered on the sync server (one per redeemed invite), as a lead sees it. */
export interface TeamDevice extends DeviceInfo {
  /** The device asking: a lead cannot withdraw its own access. */
  thisDevice: boolean;
}

export const InviteParams = z.strictObject({
  role: z.enum(SYNC_ROLES),
  uses: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_INVITE_USES, `must be at most ${MAX_INVITE_USES}`),
  days: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_INVITE_DAYS, `must be at most ${MAX_INVITE_DAYS}`),
});
export type InviteParams = z.infer<typeof InviteParams>;

/** An invite code, with the server address a colleague connects to and, for a server on the team's own network, its check code. */
export interface TeamInvitation extends Invitation {
  serverUrl: string;
  checkCode: string | null;
}

export const DEVICES_RPC_METHODS = {
  /** The workspace's devices, most recently seen first, withdrawn ones too. Leads only. */
  'devices.list': { params: z.strictObject({}), result: returns<TeamDevice[]>() },
  /** Withdraw one device's access: its token stops working at once. The devices afterwards. Leads only. */
  'devices.revoke': { params: z.strictObject({ id: z.string().min(1).max(100) }), result: returns<TeamDevice[]>() },
  /** A new invite code for colleagues' devices, made by the sync server. Leads only. */
  'devices.invite': { params: InviteParams, result: returns<TeamInvitation>() },
} as const;
