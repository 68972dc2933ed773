// The profile's part of the RPC contract: who works on this device, in which workspace,
// with which role, and the worker's own contact ("Me").
import { z } from 'zod';
import type { Author, RecordKind } from './domain';
import { returns } from './rpc-area';
import type { TeamRole } from './rpc-team';

export interface Profile {
  /** Null until the first-run setup has been done on this device. */
  author: Author | null;
  workspaceName: string | null;
  /** What this device's user may do: the sync role, or `lead` where the workspace does not sync. */
  role: TeamRole;
}

/** The worker on this device as a contact, offered as "Me" wherever a contact is chosen. */
export interface WorkerContact {
  /** The contact standing for the worker now: a lead's merge may have moved them onto a survivor. */
  id: string;
  name: string;
  /** False until "Me" is first chosen on this device; the staff contact is created then, once. */
  stored: boolean;
}

export const ProfileSetup = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  workspaceName: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
});

/** The open workspace: its name, the device's author and how many records of each kind it holds. */
export interface WorkspaceInfo {
  workspaceId: string;
  name: string;
  author: Author;
  counts: Record<RecordKind, number>;
}

export const PROFILE_RPC_METHODS = {
  'profile.get': { params: z.strictObject({}), result: returns<Profile>() },
  /** First run: who is using this device, and the name of the workspace to create. */
  'profile.setup': { params: ProfileSetup, result: returns<Profile>() },
  /** The worker's own contact ("Me"); null once that contact has been deleted. */
  'profile.me': { params: z.strictObject({}), result: returns<WorkerContact | null>() },
  /** Store the worker's staff contact if this device has not yet (synced like any contact); returns it either way. */
  'profile.createMe': { params: z.strictObject({}), result: returns<WorkerContact>() },
  'workspace.info': { params: z.strictObject({}), result: returns<WorkspaceInfo>() },
} as const;
