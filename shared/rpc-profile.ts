// The profile's part of the RPC contract: who works on this device, in which workspace,
// with which role, and the worker's own contact ("Me"); and the workspace's lock — setting
// it up encrypted, unlocking it at start, encrypting one from an earlier version, and
// changing its passphrase.
import { z } from 'zod';
import type { Author, ListedKind } from './domain';
import { returns } from './rpc-area';
import type { TeamRole } from './rpc-team';

/**
 * Where the device's workspace stands. `needs-setup`: first run. `needs-encryption`: a
 * plaintext workspace from an earlier version, encrypted once the user has set a passphrase
 * (where one is needed). `locked`: encrypted, waiting for the passphrase or the recovery code.
 * `open`: in use. `unavailable`: it cannot be opened (`problem` says why) and nothing has been
 * created or overwritten.
 */
export type WorkspaceState = 'needs-setup' | 'needs-encryption' | 'locked' | 'open' | 'unavailable';

export interface Profile {
  state: WorkspaceState;
  /** True where no OS keychain protects the key: setting up asks for a passphrase, and every start for it. */
  passphraseNeeded: boolean;
  /** When locked: whether a passphrase opens the workspace (otherwise only the recovery code does). */
  hasPassphrase: boolean;
  /** When unavailable: what is wrong and what to do, in plain words. */
  problem: string | null;
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

/** The rule a passphrase must meet, in the words the forms show beside it. */
export const PASSPHRASE_MIN_LENGTH = 12;
export const PASSPHRASE_RULE = `at least ${PASSPHRASE_MIN_LENGTH} characters — three or four unrelated words are easy to remember and hard to guess`;

/** A new passphrase: long, but never trimmed or changed (it must be typed back exactly). */
export const NewPassphrase = z
  .string()
  .min(PASSPHRASE_MIN_LENGTH, `must be at least ${PASSPHRASE_MIN_LENGTH} characters`)
  .max(1024, 'must be at most 1,024 characters');

/** A passphrase or recovery code as typed to unlock: checked against the key file, not against the rule. */
const TypedSecret = z.string().min(1, 'is required').max(1024, 'must be at most 1,024 characters');

export const ProfileSetup = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  workspaceName: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  /** Required where `passphraseNeeded`. */
  passphrase: NewPassphrase.optional(),
});

/** The workspace is encrypted; the recovery code opens it if the passphrase or the keychain is lost. Shown once. */
export interface Protected {
  profile: Profile;
  recoveryCode: string;
}

export const Unlock = z.union([
  z.strictObject({ passphrase: TypedSecret }),
  /** The recovery code, and the new passphrase that replaces the forgotten one (where one is used). */
  z.strictObject({ recoveryCode: TypedSecret, newPassphrase: NewPassphrase.optional() }),
]);

/** The open workspace: its name, the device's author and how many records of each kind it holds. */
export interface WorkspaceInfo {
  workspaceId: string;
  name: string;
  author: Author;
  counts: Record<ListedKind, number>;
}

export const PROFILE_RPC_METHODS = {
  'profile.get': { params: z.strictObject({}), result: returns<Profile>() },
  /** First run: who is using this device, and the name of the workspace to create. */
  'profile.setup': { params: ProfileSetup, result: returns<Protected>() },
  /** Open the locked workspace with its passphrase, or with the recovery code (then setting a new passphrase). */
  'profile.unlock': { params: Unlock, result: returns<Profile>() },
  /** Encrypt a plaintext workspace from an earlier version, in place (`passphrase` required where `passphraseNeeded`). */
  'profile.protect': { params: z.strictObject({ passphrase: NewPassphrase.optional() }), result: returns<Protected>() },
  /** Wrap the open workspace's key under a new passphrase; the workspace file is not touched. */
  'profile.changePassphrase': { params: z.strictObject({ current: TypedSecret.optional(), next: NewPassphrase }), result: returns<Profile>() },
  /** The worker's own contact ("Me"); null once that contact has been deleted. */
  'profile.me': { params: z.strictObject({}), result: returns<WorkerContact | null>() },
  /** Store the worker's staff contact if this device has not yet (synced like any contact); returns it either way. */
  'profile.createMe': { params: z.strictObject({}), result: returns<WorkerContact>() },
  'workspace.info': { params: z.strictObject({}), result: returns<WorkspaceInfo>() },
} as const;
