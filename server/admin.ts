// Administration: create a workspace on a sync server and issue invite codes for it.
// Used by the `npm run sync-admin` command line (server/main.ts) and by tests.
import { randomUUID } from 'node:crypto';
import { SYNC_ROLES, type SyncRole } from '../shared/sync-protocol';
import { hashInviteCode, newInviteCode } from './auth';
import type { SyncStore } from './store';

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
  if (!SYNC_ROLES.includes(options.role)) throw new Error(`role must be one of ${SYNC_ROLES.join(', ')}`);
  if (!(await store.workspaceExists(workspaceId))) throw new Error(`no workspace ${workspaceId} on this server`);
  const code = newInviteCode();
  const expiresAt = Date.now() + (options.days ?? 14) * 24 * 3600 * 1000;
  await store.createInvite(hashInviteCode(code), { workspaceId, role: options.role }, expiresAt, options.uses ?? 1);
  return code;
}
