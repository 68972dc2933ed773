// The data service as a whole: the device's profile (who is working here), the one open
// workspace, and the clients connected to it. Plain Node: the Electron utilityProcess,
// the WebSocket harness and tests all run this same class.
//
// The workspace file is checked before it is opened: a profile names a workspace, so a
// missing, empty or damaged file is never a first run nor opened as a new workspace. It is
// set aside and the service waits, answering `backups.damage`, for the user to restore a
// backup or recover what can be read.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Author } from '../../shared/domain';
import { Emitter } from '../../shared/emitter';
import { RpcError, type Profile } from '../../shared/rpc';
import type { BackupList, RecoveryResult, WorkspaceDamage } from '../../shared/rpc-backups';
import type { TeamRole } from '../../shared/rpc-team';
import type { SyncStatus } from '../../shared/sync-status';
import type { BackupJobResult } from './backups/backup-worker';
import { DailyBackups } from './backups/daily-backups';
import { backupInPlaceOf, keepAsBackup, recoverInPlaceOf } from './backups/restore';
import { BACKUP_KEEP_DAYS, backupCounts, backupsDir, listBackups } from './db/backups';
import { checkWorkspaceFile, setAside, setAsideFiles } from './db/file-check';
import { BackgroundScans } from './duplicates/background';
import { logProblem } from './log';
import type { Erasure } from './privacy/erasure-log';
import { scrubWorkspaceFile } from './privacy/erasure';
import { SyncClient } from './sync/sync-client';
import { Workspace, type ChangeListener, type DocUpdateListener } from './workspace';

interface StoredProfile {
  author: Author;
  workspaceName: string;
  workspaceFile: string;
}

export interface DataServiceOptions {
  /** The workspace file's 256-bit key (db/sqlite.ts); without one it is plaintext. */
  key?: Buffer;
  /** The clock backups are taken and pruned by (tests move it on). */
  now?: () => Date;
}

/** Run one step of closing; a failure is logged, never thrown, so the steps after it still run. */
function closing(what: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    logProblem(`could not ${what} while closing`, error);
  }
}

export class DataService {
  private stored: StoredProfile | null;
  private workspaceOrNull: Workspace | null = null;
  private syncOrNull: SyncClient | null = null;
  private dailyBackups: DailyBackups | null = null;
  private damageOrNull: WorkspaceDamage | null = null;
  private readonly key: Buffer | undefined;
  private readonly now: () => Date;
  // What the workspace and its sync client announce, passed on: connections subscribe
  // here, before first-run setup has made a workspace to subscribe to.
  private readonly syncStatuses = new Emitter<[status: SyncStatus]>();
  private readonly changes = new Emitter<Parameters<ChangeListener>>();
  private readonly docUpdates = new Emitter<Parameters<DocUpdateListener>>();
  private readonly conflictCounts = new Emitter<[open: number]>();
  /** Duplicate scans, run in worker threads so requests keep being answered meanwhile. */
  readonly duplicateScans = new BackgroundScans();

  /** `dataDir` holds profile.json, the workspace file and its backups; created if missing. */
  constructor(
    readonly dataDir: string,
    options: DataServiceOptions = {},
  ) {
    this.key = options.key;
    this.now = options.now ?? (() => new Date());
    mkdirSync(dataDir, { recursive: true });
    this.stored = this.readProfile();
    if (this.stored) this.openIfWhole(this.stored);
  }

  private get profilePath(): string {
    return join(this.dataDir, 'profile.json');
  }

  private readProfile(): StoredProfile | null {
    if (!existsSync(this.profilePath)) return null;
    return JSON.parse(readFileSync(this.profilePath, 'utf8')) as StoredProfile;
  }

  private workspacePath(profile: StoredProfile): string {
    return join(this.dataDir, profile.workspaceFile);
  }

  /** Open the profile's workspace if its file is whole; else set the file aside (never written to) and wait for the user's choice. */
  private openIfWhole(profile: StoredProfile): void {
    const path = this.workspacePath(profile);
    const found = checkWorkspaceFile(path, this.key);
    if (!found) {
      this.openWorkspace(profile);
      return;
    }
    const setAsidePath = found.problem === 'missing' ? null : setAside(path, this.now());
    logProblem(`the workspace file ${path} is ${found.problem}${setAsidePath ? `; set aside as ${setAsidePath}` : ''}`, found.detail);
    this.damageOrNull = { problem: found.problem, setAsidePath, earlierSetAside: setAsideFiles(path).filter((p) => p !== setAsidePath), detail: found.detail };
  }

  private openWorkspace(profile: StoredProfile): void {
    const path = this.workspacePath(profile);
    const ws = Workspace.open({ path, author: profile.author, name: profile.workspaceName, key: this.key });
    ws.onChange((change) => this.changes.emit(change));
    ws.onDocUpdate((id, update, source) => this.docUpdates.emit(id, update, source));
    ws.conflicts.onChange((open) => this.conflictCounts.emit(open));
    ws.onErasure((erasure) => void this.scrubBackups(path, erasure));
    this.workspaceOrNull = ws;
    this.syncOrNull = new SyncClient(ws);
    this.syncOrNull.onStatus((status) => this.syncStatuses.emit(status));
    // Syncs on its own whenever the server can be reached, if one is set up.
    this.syncOrNull.start();
    this.dailyBackups = new DailyBackups(path, this.key, this.now);
    this.dailyBackups.start();
  }

  /** Close the workspace and stop its sync and backups; resolves once a backup being taken has stopped. Never throws. */
  private closeWorkspace(): Promise<void> {
    this.duplicateScans.cancel();
    const backups = this.dailyBackups;
    this.dailyBackups = null;
    const stopped = backups ? backups.stop().catch((error: unknown) => logProblem('could not stop the daily backup', error)) : Promise.resolve();
    closing('stop syncing', () => this.syncOrNull?.close());
    this.syncOrNull = null;
    closing('close the workspace', () => this.workspaceOrNull?.close());
    this.workspaceOrNull = null;
    return stopped;
  }

  /** The workspace's sync client; fails with `not_ready` before first-run setup. */
  get sync(): SyncClient {
    if (!this.syncOrNull) throw new RpcError('not_ready', 'no workspace yet: finish the first-run setup');
    return this.syncOrNull;
  }

  onSyncStatus(listener: (status: SyncStatus) => void): () => void {
    return this.syncStatuses.on(listener);
  }

  profile(): Profile {
    const ws = this.workspaceOrNull;
    // A damaged workspace still belongs to the person set up here: not a first run.
    return { author: ws?.author ?? this.stored?.author ?? null, workspaceName: ws?.name ?? this.stored?.workspaceName ?? null, role: this.role() };
  }

  /** The sync token's role; a workspace that does not sync belongs to its one user, who leads it. */
  role(): TeamRole {
    const role = this.syncOrNull?.status().role;
    return role === 'worker' || role === 'trainer' || role === 'viewer' ? role : 'lead';
  }

  /** First run on this device: remember who works here and create their workspace. */
  setup(name: string, workspaceName: string): Profile {
    if (this.stored) throw new RpcError('conflict', 'this device is already set up');
    const profile: StoredProfile = { author: { id: randomUUID(), name }, workspaceName, workspaceFile: 'workspace.sqlite' };
    this.openWorkspace(profile);
    // Written atomically, so a crash never leaves a half-written profile.
    writeFileSync(`${this.profilePath}.tmp`, JSON.stringify(profile, null, 2));
    renameSync(`${this.profilePath}.tmp`, this.profilePath);
    this.stored = profile;
    return this.profile();
  }

  /** The open workspace; fails with `not_ready` before first-run setup, or while its file is damaged. */
  get workspace(): Workspace {
    if (this.damageOrNull) throw new RpcError('not_ready', 'the workspace file is damaged: restore a backup or recover what can be read');
    if (!this.workspaceOrNull) throw new RpcError('not_ready', 'no workspace yet: finish the first-run setup');
    return this.workspaceOrNull;
  }

  /** The latest daily backup started while the workspace is open (in its worker thread), settled once it ends; null if none was due yet. */
  get backupRunning(): Promise<BackupJobResult> | null {
    return this.dailyBackups?.running ?? null;
  }

  /**
   * An erased person leaves the backups too: each is scrubbed like the workspace. A daily
   * backup already being written may hold them, so it is waited for and scrubbed as well.
   */
  private async scrubBackups(path: string, erasure: Erasure): Promise<void> {
    await this.backupRunning?.catch(() => undefined);
    for (const backup of listBackups(path)) {
      try {
        scrubWorkspaceFile(backup.path, erasure, { key: this.key });
      } catch (error) {
        logProblem(`could not erase from the backup ${backup.name}; it is removed instead`, error);
        rmSync(backup.path, { force: true });
      }
    }
  }

  /** A restored or recovered copy may predate erasures made since: they are applied to it again. */
  private reapplyErasures(erasures: readonly Erasure[]): void {
    if (erasures.length) this.workspace.applyRemoteUpdates([], () => {}, [...erasures]);
  }

  /** Why the workspace was not opened at start; null when it is open or not set up yet. */
  damage(): WorkspaceDamage | null {
    return this.damageOrNull;
  }

  private storedProfile(): StoredProfile {
    if (!this.stored) throw new RpcError('not_ready', 'no workspace yet: finish the first-run setup');
    return this.stored;
  }

  /** The workspace's backups, newest first, each with its counts read from the backup itself. */
  backups(): BackupList {
    const path = this.workspacePath(this.storedProfile());
    return {
      backups: listBackups(path).map((backup) => ({
        name: backup.name,
        takenAt: backup.takenAt.toISOString(),
        reason: backup.reason,
        bytes: backup.bytes,
        counts: backupCounts(backup, this.key),
      })),
      folder: backupsDir(path),
      keepDays: BACKUP_KEEP_DAYS,
      encrypted: this.key !== undefined,
      syncs: this.syncOrNull ? this.syncOrNull.status().state !== 'not_configured' : null,
    };
  }

  /**
   * Put the backup named `name` in place of the workspace and open it. The current file is
   * kept as a backup first (a damaged one was set aside already), so a restore can be undone.
   */
  async restoreBackup(name: string): Promise<{ restoredFrom: string }> {
    const profile = this.storedProfile();
    const path = this.workspacePath(profile);
    const backup = listBackups(path).find((b) => b.name === name);
    if (!backup) throw new RpcError('not_found', `there is no backup named ${name}`, [{ field: 'name', message: 'no such backup' }]);
    const problem = checkWorkspaceFile(backup.path, this.key);
    if (problem) throw new RpcError('conflict', `the backup of ${backup.takenAt.toISOString()} cannot be read (${problem.detail}); choose another`);
    const erasures = this.workspaceOrNull?.erasures.all() ?? [];
    await this.closeWorkspace();
    try {
      if (!this.damageOrNull) keepAsBackup(path, this.key, this.now());
    } catch (error) {
      this.openWorkspace(profile);
      throw new RpcError('conflict', `nothing was restored: the workspace as it is now could not be kept as a backup first (${(error as Error).message})`);
    }
    backupInPlaceOf(backup.path, path);
    this.damageOrNull = null;
    this.openWorkspace(profile);
    this.reapplyErasures(erasures);
    return { restoredFrom: backup.takenAt.toISOString() };
  }

  /** Make a workspace of what can be read from the damaged file set aside at start, and open it. */
  recoverDamaged(): RecoveryResult {
    const profile = this.storedProfile();
    const damaged = this.damageOrNull?.setAsidePath ?? this.damageOrNull?.earlierSetAside[0];
    if (!damaged) throw new RpcError('conflict', this.damageOrNull ? 'there is no damaged file to recover from: restore a backup instead' : 'the workspace is not damaged');
    const salvaged = recoverInPlaceOf(damaged, this.workspacePath(profile), this.key);
    if (!salvaged.schemaReadable) throw new RpcError('conflict', 'nothing in the damaged file can be read: restore a backup instead');
    this.damageOrNull = null;
    this.openWorkspace(profile);
    this.workspace.rebuildProjections();
    return {
      counts: this.workspace.info().counts,
      rows: salvaged.tables.reduce((sum, t) => sum + t.rows, 0),
      incomplete: salvaged.tables.some((t) => t.unreadable),
    };
  }

  onChange(listener: ChangeListener): () => void {
    return this.changes.on(listener);
  }

  onDocUpdate(listener: DocUpdateListener): () => void {
    return this.docUpdates.on(listener);
  }

  /** The conflict inbox changed; `open` conflicts are waiting. */
  onConflictsChanged(listener: (open: number) => void): () => void {
    return this.conflictCounts.on(listener);
  }

  /** Open a new, empty workspace where the damaged one was, at the user's word (its file, if any, stays set aside). */
  startEmpty(): { started: true } {
    const profile = this.storedProfile();
    if (!this.damageOrNull) throw new RpcError('conflict', 'the workspace is not damaged');
    this.damageOrNull = null;
    this.openWorkspace(profile);
    return { started: true };
  }

  /**
   * Flush and close: every acknowledged write is already committed; this checkpoints the WAL.
   * Never throws (a full disk at shutdown is logged): what was committed stays.
   */
  close(): void {
    void this.closeWorkspace();
  }
}
