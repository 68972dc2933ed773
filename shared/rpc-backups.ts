// The backups' part of the RPC contract: the workspace's backups (listed with their counts,
// restored), and a damaged workspace file found at start (what happened, recovering what
// can be read).
import { z } from 'zod';
import type { ListedKind } from './domain';
import { returns } from './rpc-area';

export type BackupReason = 'daily' | 'before-migration' | 'before-restore';

export interface BackupInfo {
  /** The backup's file name, which names it to `backups.restore`. */
  name: string;
  /** When it was taken (ISO). */
  takenAt: string;
  reason: BackupReason;
  bytes: number;
  /** Active records per kind, read from the backup itself; null when it cannot be read. */
  counts: Record<ListedKind, number> | null;
}

export interface BackupList {
  /** Newest first. */
  backups: BackupInfo[];
  /** The folder they are kept in. */
  folder: string;
  /** How many days a backup is kept. */
  keepDays: number;
  /** They are encrypted with the workspace's key (as the workspace is). */
  encrypted: boolean;
  /**
   * The workspace syncs with a server, which gives back changes made since a backup once it
   * is restored; null when that is not known (the workspace file is damaged).
   */
  syncs: boolean | null;
}

export type DamageProblem = 'missing' | 'empty' | 'cut-short' | 'damaged';

/** The workspace file was found missing or damaged at start; it was not opened. */
export interface WorkspaceDamage {
  problem: DamageProblem;
  /** Where the damaged file was moved to, unchanged; null when there was no file (or it was moved earlier: `earlierSetAside`). */
  setAsidePath: string | null;
  /** Damaged files set aside from this workspace before, newest first. */
  earlierSetAside: string[];
  /** SQLite's own words, for whoever looks into it. */
  detail: string;
}

export interface RecoveryResult {
  /** Active records per kind in the recovered workspace. */
  counts: Record<ListedKind, number>;
  /** Rows copied from the damaged file (the docs, their updates, history, settings). */
  rows: number;
  /** Some parts of the file could not be read: what was stored there is not recovered. */
  incomplete: boolean;
}

export const BACKUPS_RPC_METHODS = {
  'backups.list': { params: z.strictObject({}), result: returns<BackupList>() },
  /**
   * Put a backup in place of the workspace: the current file is kept as a backup first
   * (unless it is damaged: it was set aside), then the workspace opens on the backup.
   */
  'backups.restore': { params: z.strictObject({ name: z.string().min(1, 'is required').max(200, 'is too long') }), result: returns<{ restoredFrom: string }>() },
  /** Why the workspace could not be opened at start; null when it is open (or not set up yet). */
  'backups.damage': { params: z.strictObject({}), result: returns<WorkspaceDamage | null>() },
  /** Make a new workspace of every row that can be read from the damaged file, and open it. */
  'backups.recover': { params: z.strictObject({}), result: returns<RecoveryResult>() },
  /** The user's choice when neither a backup nor the damaged file can help: a new, empty workspace (a damaged file stays set aside). */
  'backups.startEmpty': { params: z.strictObject({}), result: returns<{ started: true }>() },
} as const;
