// The data service as a whole: the device's profile (who is working here), the one open
// workspace and its lock, and the clients connected to it. Plain Node: the Electron
// utilityProcess, the WebSocket harness and tests all run this same class.
//
// The workspace file is always encrypted (keys/): first run creates its key and key file,
// each start finds it locked until the OS keychain or the user's passphrase (or recovery
// code) opens the key, and a plaintext file from an earlier version is encrypted in place.
// Whatever is missing or wrong leaves the state `unavailable` with the reason: a new, empty
// workspace is made only by first-run setup, and no file is ever overwritten.
//
// Once unlocked, the workspace file is checked before it is opened: a missing, empty or
// damaged file is never opened as a new workspace. It is set aside and the service waits,
// answering `backups.damage`, for the user to restore a backup or recover what can be read.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Author } from '../../shared/domain';
import { Emitter } from '../../shared/emitter';
import { RpcError, type Profile, type Protected, type WorkspaceState } from '../../shared/rpc';
import type { BackupList, RecoveryResult, WorkspaceDamage } from '../../shared/rpc-backups';
import type { TeamRole } from '../../shared/rpc-team';
import type { SyncStatus } from '../../shared/sync-status';
import type { BackupJobResult } from './backups/backup-worker';
import { DailyBackups } from './backups/daily-backups';
import { backupInPlaceOf, keepAsBackup, recoverInPlaceOf } from './backups/restore';
import { BACKUP_KEEP_DAYS, backupCounts, backupsDir, listBackups } from './db/backups';
import { checkWorkspaceFile, removeSetAside, setAside, setAsideFiles } from './db/file-check';
import { isCorrupt, WrongKeyError } from './db/sqlite';
import { BackgroundScans } from './duplicates/background';
import { writeFileDurably } from './keys/durable-file';
import { encryptInPlace, isPlaintextSqlite, plaintextWorkspaceId } from './keys/encrypt-in-place';
import {
  createKeyFile,
  keyFilePathFor,
  readKeyFile,
  rewrapKey,
  unlockWithKeychain,
  unlockWithPassphrase,
  unlockWithRecoveryCode,
  WrongSecretError,
  type KeyFile,
} from './keys/key-file';
import type { Keychain } from './keys/keychain';
import type { KdfParams } from './keys/wrap';
import { logProblem } from './log';
import { scrubWorkspaceFile } from './privacy/erasure';
import type { Erasure } from './privacy/erasure-log';
import { SyncClient } from './sync/sync-client';
import { Workspace, type ChangeListener, type DocUpdateListener } from './workspace';

interface StoredProfile {
  author: Author;
  workspaceName: string;
  workspaceFile: string;
}

export interface DataServiceOptions {
  /** The OS keychain (the desktop app's Electron safeStorage); without one, a passphrase protects the key. */
  keychain?: Keychain;
  /** The passphrase KDF's cost, stored with each wrap; lowered only by tests that set up many workspaces. */
  kdf?: KdfParams;
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

/** The files of the device's workspace. */
interface WorkspaceFiles {
  workspace: string;
  keyFile: string;
}

export class DataService {
  private workspaceOrNull: Workspace | null = null;
  private stored: StoredProfile | null;
  private keyFile: KeyFile | null = null;
  private state: WorkspaceState = 'needs-setup';
  private problem: string | null = null;
  private keychainAvailable = false;
  /** A setup, unlock or encryption under way: another is refused meanwhile rather than racing it. */
  private changingLock = false;
  /** Settled once the OS keychain has been asked (and has opened the workspace, where it can): profile.get waits for it. */
  readonly ready: Promise<void>;
  private syncOrNull: SyncClient | null = null;
  private dailyBackups: DailyBackups | null = null;
  private damageOrNull: WorkspaceDamage | null = null;
  /** The workspace file's key, once unlocked. */
  private key: Buffer | undefined;
  private readonly now: () => Date;
  // What the workspace and its sync client announce, passed on: connections subscribe
  // here, before first-run setup has made a workspace to subscribe to.
  private readonly syncStatuses = new Emitter<[status: SyncStatus]>();
  private readonly changes = new Emitter<Parameters<ChangeListener>>();
  private readonly docUpdates = new Emitter<Parameters<DocUpdateListener>>();
  private readonly conflictCounts = new Emitter<[open: number]>();
  /** Duplicate scans, run in worker threads so requests keep being answered meanwhile. */
  readonly duplicateScans = new BackgroundScans();

  /** `dataDir` holds profile.json, the workspace file, its key file and its backups; created if missing. */
  constructor(
    readonly dataDir: string,
    private readonly options: DataServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    mkdirSync(dataDir, { recursive: true });
    this.stored = this.readProfile();
    this.findState();
    this.ready = this.askKeychain();
  }

  private filesOf(profile: StoredProfile): WorkspaceFiles {
    const workspace = join(this.dataDir, profile.workspaceFile);
    return { workspace, keyFile: keyFilePathFor(workspace) };
  }

  private unavailable(problem: string): void {
    this.state = 'unavailable';
    this.problem = problem;
  }

  /** What the files on disk say the workspace's state is; opens nothing. */
  private findState(): void {
    if (!this.stored) return void (this.state = 'needs-setup');
    const files = this.filesOf(this.stored);
    try {
      this.keyFile = readKeyFile(files.keyFile);
    } catch (error) {
      return this.unavailable(`${(error as Error).message}. Put back a good copy of the key file (from a backup, or the computer this workspace came from); nothing has been changed.`);
    }
    // With its key file here, a missing or empty workspace is unlocked like any other: its
    // backups (encrypted with the same key) are then offered in its place.
    const whole = existsSync(files.workspace) && statSync(files.workspace).size > 0;
    if (!whole && this.keyFile) return void (this.state = 'locked');
    if (!whole) {
      return this.unavailable(
        `The workspace file ${files.workspace} is missing or empty, and so is its key file. Put them back (from the computer this workspace came from); a new, empty workspace is not made in their place.`,
      );
    }
    const plaintext = isPlaintextSqlite(files.workspace);
    if (plaintext && !this.keyFile) return void (this.state = 'needs-encryption');
    if (!this.keyFile) {
      return this.unavailable(
        `The workspace file is encrypted, but its key file ${files.keyFile} is missing. Put the key file back (from a backup, or the computer this workspace came from): without it neither the passphrase nor the recovery code can open the workspace. Nothing has been changed.`,
      );
    }
    // A plaintext file beside its key file: an encryption was interrupted; unlocking finishes it.
    this.state = 'locked';
  }

  private async askKeychain(): Promise<void> {
    const keychain = this.options.keychain;
    if (!keychain) return;
    this.keychainAvailable = await keychain.available().catch(() => false);
    if (this.state !== 'locked' || !this.keyFile) return;
    const key = await unlockWithKeychain(this.keyFile, keychain);
    if (!key) return;
    try {
      this.openWith(key);
    } catch (error) {
      // Said on the start screen; `ready` itself must settle, or no request would ever be answered.
      if (this.problem === null) this.unavailable(`The workspace could not be opened: ${(error as Error).message}. Nothing has been changed.`);
    }
  }

  /** The keychain to seal a key with: only one that really protects it. */
  private get keychain(): Keychain | undefined {
    return this.keychainAvailable ? this.options.keychain : undefined;
  }

  /** Run one change of the lock at a time. */
  private async changeLock<T>(from: WorkspaceState, change: () => Promise<T>): Promise<T> {
    await this.ready;
    if (this.changingLock) throw new RpcError('conflict', 'the workspace is being set up or unlocked already; wait for that to finish');
    if (this.state !== from) throw new RpcError('conflict', LOCK_STATE_MISMATCH[this.state]);
    this.changingLock = true;
    try {
      return await change();
    } finally {
      this.changingLock = false;
    }
  }

  /** Open the workspace with its key, first finishing an interrupted encryption; a damaged file is set aside instead. */
  private openWith(key: Buffer): void {
    const profile = this.stored!;
    const files = this.filesOf(profile);
    this.key = key;
    if (existsSync(files.workspace) && isPlaintextSqlite(files.workspace)) encryptInPlace(files.workspace, key);
    try {
      this.openIfWhole(profile);
    } catch (error) {
      if (!(error instanceof WrongKeyError)) throw error;
      this.unavailable(`The key file ${files.keyFile} does not belong to the workspace file ${files.workspace}. Put back the key file that came with it; nothing has been changed.`);
      throw new RpcError('conflict', this.problem!);
    }
    this.state = 'open';
    this.problem = null;
  }

  private get profilePath(): string {
    return join(this.dataDir, 'profile.json');
  }

  private readProfile(): StoredProfile | null {
    if (!existsSync(this.profilePath)) return null;
    return JSON.parse(readFileSync(this.profilePath, 'utf8')) as StoredProfile;
  }

  /** Open the profile's workspace if its file is whole; else set the file aside (never written to) and wait for the user's choice. */
  private openIfWhole(profile: StoredProfile): void {
    const path = this.filesOf(profile).workspace;
    let found = checkWorkspaceFile(path, this.key, { trustCleanClose: true });
    if (!found) {
      try {
        this.openWorkspace(profile);
        return;
      } catch (error) {
        // A file closed cleanly is not read in full first: a damaged page opening reads is found here.
        if (!isCorrupt(error)) throw error;
        found = { problem: 'damaged', detail: (error as Error).message };
      }
    }
    const setAsidePath = found.problem === 'missing' ? null : setAside(path, this.now());
    logProblem(`the workspace file ${path} is ${found.problem}${setAsidePath ? `; set aside as ${setAsidePath}` : ''}`, found.detail);
    this.damageOrNull = { problem: found.problem, setAsidePath, earlierSetAside: setAsideFiles(path).filter((p) => p !== setAsidePath), detail: found.detail };
  }

  private openWorkspace(profile: StoredProfile, id?: string): void {
    const path = this.filesOf(profile).workspace;
    const ws = Workspace.open({ path, author: profile.author, name: profile.workspaceName, key: this.key, id });
    ws.onChange((change) => this.changes.emit(change));
    ws.onDocUpdate((id, update, source) => this.docUpdates.emit(id, update, source));
    ws.conflicts.onChange((open) => this.conflictCounts.emit(open));
    ws.onErasure((erasure) => void this.scrubBackups(path, erasure).catch((error: unknown) => logProblem('could not erase from the backups and set-aside copies', error)));
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
    if (!this.syncOrNull) throw new RpcError('not_ready', LOCK_STATE_MISMATCH[this.state]);
    return this.syncOrNull;
  }

  onSyncStatus(listener: (status: SyncStatus) => void): () => void {
    return this.syncStatuses.on(listener);
  }

  profile(): Profile {
    return {
      state: this.state,
      passphraseNeeded: !this.keychainAvailable,
      hasPassphrase: Boolean(this.keyFile?.passphrase),
      problem: this.problem,
      author: this.stored?.author ?? null,
      workspaceName: this.workspaceOrNull?.name ?? this.stored?.workspaceName ?? null,
      role: this.role(),
    };
  }

  /** The sync token's role; a workspace that does not sync belongs to its one user, who leads it. */
  role(): TeamRole {
    const role = this.syncOrNull?.status().role;
    return role === 'worker' || role === 'trainer' || role === 'viewer' ? role : 'lead';
  }

  /** A new passphrase where the workspace's key needs one: none where a keychain protects it. */
  private passphraseFor(passphrase: string | undefined, field: string): string | undefined {
    if (passphrase || this.keychainAvailable) return passphrase;
    throw RpcError.invalid([{ field, message: 'is required: this computer has no keychain to protect the workspace, so a passphrase does' }]);
  }

  /** First run on this device: remember who works here and create their workspace, encrypted; the recovery code is returned this once. */
  setup(name: string, workspaceName: string, passphrase?: string): Promise<Protected> {
    return this.changeLock('needs-setup', async () => {
      const newPassphrase = this.passphraseFor(passphrase, 'passphrase');
      const profile: StoredProfile = { author: { id: randomUUID(), name }, workspaceName, workspaceFile: 'workspace.sqlite' };
      const files = this.filesOf(profile);
      // Left by a setup that stopped before its profile was written (nobody saw its recovery code): kept, out of the way.
      for (const leftover of [files.workspace, `${files.workspace}-wal`, files.keyFile]) {
        if (existsSync(leftover)) renameSync(leftover, `${leftover}.unfinished-${Date.now()}`);
      }
      const workspaceId = randomUUID();
      // The key file is on disk before the workspace file is made with its key.
      const { key, recoveryCode } = await createKeyFile(files.keyFile, { workspaceId, passphrase: newPassphrase, keychain: this.keychain, kdf: this.options.kdf });
      this.keyFile = readKeyFile(files.keyFile);
      this.key = key;
      this.openWorkspace(profile, workspaceId);
      this.stored = profile;
      writeFileDurably(this.profilePath, JSON.stringify(profile, null, 2));
      this.state = 'open';
      return { profile: this.profile(), recoveryCode };
    });
  }

  /** Open the locked workspace with its passphrase, or with the recovery code and a new passphrase. */
  unlock(secret: { passphrase: string } | { recoveryCode: string; newPassphrase?: string }): Promise<Profile> {
    return this.changeLock('locked', async () => {
      const file = this.keyFile!;
      let key: Buffer;
      if ('passphrase' in secret) {
        key = await withField('passphrase', unlockWithPassphrase(file, secret.passphrase));
      } else {
        // Set before the code is tried, so a forgotten passphrase is replaced in the same step.
        const newPassphrase = file.passphrase || !this.keychainAvailable ? this.passphraseFor(secret.newPassphrase, 'newPassphrase') : secret.newPassphrase;
        key = await withField('recoveryCode', unlockWithRecoveryCode(file, secret.recoveryCode));
        this.keyFile = await rewrapKey(this.filesOf(this.stored!).keyFile, file, key, { passphrase: newPassphrase, keychain: this.keychain, kdf: this.options.kdf });
      }
      this.openWith(key);
      return this.profile();
    });
  }

  /** Encrypt a plaintext workspace from an earlier version in place; the recovery code is returned this once. */
  protect(passphrase?: string): Promise<Protected> {
    return this.changeLock('needs-encryption', async () => {
      const newPassphrase = this.passphraseFor(passphrase, 'passphrase');
      const files = this.filesOf(this.stored!);
      const { key, recoveryCode } = await createKeyFile(files.keyFile, {
        workspaceId: plaintextWorkspaceId(files.workspace),
        passphrase: newPassphrase,
        keychain: this.keychain,
        kdf: this.options.kdf,
      });
      this.keyFile = readKeyFile(files.keyFile);
      this.openWith(key);
      return { profile: this.profile(), recoveryCode };
    });
  }

  /** Wrap the open workspace's key under a new passphrase, once the current one is confirmed; the workspace file is not touched. */
  changePassphrase(current: string | undefined, next: string): Promise<Profile> {
    return this.changeLock('open', async () => {
      const file = this.keyFile!;
      if (file.passphrase) await withField('current', unlockWithPassphrase(file, current ?? ''));
      this.keyFile = await rewrapKey(this.filesOf(this.stored!).keyFile, file, this.workspace.key!, { passphrase: next, kdf: this.options.kdf });
      return this.profile();
    });
  }

  /** The open workspace; fails with `not_ready` before first-run setup, while locked, or while its file is damaged. */
  get workspace(): Workspace {
    if (this.damageOrNull) throw new RpcError('not_ready', 'the workspace file is damaged: restore a backup or recover what can be read');
    if (!this.workspaceOrNull) throw new RpcError('not_ready', LOCK_STATE_MISMATCH[this.state]);
    return this.workspaceOrNull;
  }
  /** A read met a damaged page of the workspace file: the next start checks all of it and offers the damaged-workspace choices. */
  foundDamage(): void {
    this.workspaceOrNull?.foundDamage();
  }

  /** The latest daily backup started while the workspace is open (in its worker thread), settled once it ends; null if none was due yet. */
  get backupRunning(): Promise<BackupJobResult> | null {
    return this.dailyBackups?.running ?? null;
  }

  /**
   * An erased person leaves the backups too: each backup on disk is scrubbed like the
   * workspace, at once, in the erasure's own turn (so closing the app straight after cannot
   * skip it). A daily backup being written meanwhile applies every erasure itself before it
   * is final; one made in the instant between its last look and its rename is applied to it
   * once it is done (a backup that has an erasure already is only opened and left as it is).
   */
  private async scrubBackups(path: string, erasure: Erasure): Promise<void> {
    this.scrubBackupFiles(path, erasure);
    const running = this.backupRunning;
    if (!running) return;
    await running.catch(() => undefined);
    this.scrubBackupFiles(path, erasure);
  }

  private scrubBackupFiles(path: string, erasure: Erasure): void {
    for (const backup of listBackups(path)) {
      try {
        scrubWorkspaceFile(backup.path, [erasure], { key: this.key });
      } catch (error) {
        logProblem(`could not erase from the backup ${backup.name}; it is removed instead`, error);
        rmSync(backup.path, { force: true });
      }
    }
    // A damaged file set aside cannot be trusted to give up every byte of the person (a page
    // that cannot be read may hold them): it goes, its WAL with it.
    removeSetAside(path);
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
    const path = this.filesOf(this.storedProfile()).workspace;
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
    const path = this.filesOf(profile).workspace;
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
    const salvaged = recoverInPlaceOf(damaged, this.filesOf(profile).workspace, this.key);
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

/** Why something needing another state cannot be done in this one. */
const LOCK_STATE_MISMATCH: Record<WorkspaceState, string> = {
  'needs-setup': 'no workspace yet: finish the first-run setup',
  'needs-encryption': 'the workspace is not encrypted yet: set it up to be encrypted first',
  locked: 'the workspace is locked: unlock it with its passphrase or recovery code first',
  open: 'the workspace is already open',
  unavailable: 'the workspace cannot be opened: see the problem the app shows',
};

/** A wrong passphrase or recovery code as the invalid value of the field it was typed in. */
async function withField<T>(field: string, attempt: Promise<T>): Promise<T> {
  try {
    return await attempt;
  } catch (error) {
    if (error instanceof WrongSecretError) throw RpcError.invalid([{ field, message: error.message }]);
    throw error;
  }
}
