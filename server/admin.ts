// Administration: create a workspace on a sync server and issue invite codes for it.
// Used by the `npm run sync-admin` command line (server/main.ts) and by tests.
import { randomUUID } from 'node:crypto';
import { SYNC_ROLES, type SyncRole } from '../shared/sync-protocol';
import { hashInviteCode, newInviteCode } from './auth';
import type { DeviceRecord, SyncStore } from './store';

export async function createWorkspace(store: SyncStore, name: string, id: string = randomUUID()): Promise<string> {
  await store.createWorkspace(id, name);
  return id;
}

export interface InviteOptions {
  role: SyncRole;
  /** How many devices may redeem it. */
  uses?: number;
  /** Days until it expires. */
  days?: number;
}

/** A new invite code for the workspace; only its hash is stored. */
export async function createInvite(store: SyncStore, workspaceId: string, options: InviteOptions): Promise<string> {
  return (await issueInvite(store, workspaceId, options)).code;
}

/** A new invite code for the workspace, and when it expires (milliseconds since 1970). */
export async function issueInvite(store: SyncStore, workspaceId: string, options: InviteOptions): Promise<{ code: string; expiresAt: number }> {
  if (!SYNC_ROLES.includes(options.role)) throw new Error(`role must be one of ${SYNC_ROLES.join(', ')}`);
  if (!(await store.workspaceExists(workspaceId))) throw new Error(`no workspace ${workspaceId} on this server`);
  const code = newInviteCode();
  const expiresAt = Date.now() + (options.days ?? 14) * 24 * 3600 * 1000;
  await store.createInvite(hashInviteCode(code), { workspaceId, role: options.role }, expiresAt, options.uses ?? 1);
  return { code, expiresAt };
}

/** The workspace's devices, revoked ones too, most recently seen first. */
export async function listDevices(store: SyncStore, workspaceId: string): Promise<DeviceRecord[]> {
  if (!(await store.workspaceExists(workspaceId))) throw new Error(`no workspace ${workspaceId} on this server`);
  return store.devices(workspaceId);
}

/**
 * Withdraw a device's access. Its token is refused at its next hello or message; a server
 * running elsewhere closes its open connection at its next heartbeat.
 */
export async function revokeDevice(store: SyncStore, workspaceId: string, deviceRegistration: string): Promise<void> {
  if (!(await store.revokeDevice(workspaceId, deviceRegistration, Date.now()))) {
    throw new Error(`workspace ${workspaceId} has no device ${deviceRegistration}; list them with the devices command`);
  }
}
