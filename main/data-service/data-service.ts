// The data service as a whole: the device's profile (who is working here), the one open
// workspace, and the clients connected to it. Plain Node: the Electron utilityProcess,
// the WebSocket harness and tests all run this same class.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Author } from '../../shared/domain';
import { Emitter } from '../../shared/emitter';
import { RpcError, type Profile } from '../../shared/rpc';
import type { TeamRole } from '../../shared/rpc-team';
import type { SyncStatus } from '../../shared/sync-status';
import { BackgroundScans } from './duplicates/background';
import { SyncClient } from './sync/sync-client';
import { Workspace, type ChangeListener, type DocUpdateListener } from './workspace';

interface StoredProfile {
  author: Author;
  workspaceName: string;
  workspaceFile: string;
}

export class DataService {
  private workspaceOrNull: Workspace | null = null;
  private syncOrNull: SyncClient | null = null;
  // What the workspace and its sync client announce, passed on: connections subscribe
  // here, before first-run setup has made a workspace to subscribe to.
  private readonly syncStatuses = new Emitter<[status: SyncStatus]>();
  private readonly changes = new Emitter<Parameters<ChangeListener>>();
  private readonly docUpdates = new Emitter<Parameters<DocUpdateListener>>();
  private readonly conflictCounts = new Emitter<[open: number]>();
  /** Duplicate scans, run in worker threads so requests keep being answered meanwhile. */
  readonly duplicateScans = new BackgroundScans();

  /** `dataDir` holds profile.json and the workspace file; created if missing. */
  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    const stored = this.readProfile();
    if (stored) this.openWorkspace(stored);
  }

  private get profilePath(): string {
    return join(this.dataDir, 'profile.json');
  }

  private readProfile(): StoredProfile | null {
    if (!existsSync(this.profilePath)) return null;
    return JSON.parse(readFileSync(this.profilePath, 'utf8')) as StoredProfile;
  }

  private openWorkspace(profile: StoredProfile): void {
    const ws = Workspace.open({ path: join(this.dataDir, profile.workspaceFile), author: profile.author, name: profile.workspaceName });
    ws.onChange((change) => this.changes.emit(change));
    ws.onDocUpdate((id, update, source) => this.docUpdates.emit(id, update, source));
    ws.conflicts.onChange((open) => this.conflictCounts.emit(open));
    this.workspaceOrNull = ws;
    this.syncOrNull = new SyncClient(ws);
    this.syncOrNull.onStatus((status) => this.syncStatuses.emit(status));
    // Syncs on its own whenever the server can be reached, if one is set up.
    this.syncOrNull.start();
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
    return { author: ws?.author ?? null, workspaceName: ws?.name ?? null, role: this.role() };
  }

  /** The sync token's role; a workspace that does not sync belongs to its one user, who leads it. */
  role(): TeamRole {
    const role = this.syncOrNull?.status().role;
    return role === 'worker' || role === 'trainer' || role === 'viewer' ? role : 'lead';
  }

  /** First run on this device: remember who works here and create their workspace. */
  setup(name: string, workspaceName: string): Profile {
    if (this.workspaceOrNull) throw new RpcError('conflict', 'this device is already set up');
    const profile: StoredProfile = { author: { id: randomUUID(), name }, workspaceName, workspaceFile: 'workspace.sqlite' };
    this.openWorkspace(profile);
    // Written atomically, so a crash never leaves a half-written profile.
    writeFileSync(`${this.profilePath}.tmp`, JSON.stringify(profile, null, 2));
    renameSync(`${this.profilePath}.tmp`, this.profilePath);
    return this.profile();
  }

  /** The open workspace; fails with `not_ready` before first-run setup. */
  get workspace(): Workspace {
    if (!this.workspaceOrNull) throw new RpcError('not_ready', 'no workspace yet: finish the first-run setup');
    return this.workspaceOrNull;
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

  /** Flush and close: every acknowledged write is already committed; this checkpoints the WAL. */
  close(): void {
    this.duplicateScans.cancel();
    this.syncOrNull?.close();
    this.syncOrNull = null;
    this.workspaceOrNull?.close();
    this.workspaceOrNull = null;
  }
}
