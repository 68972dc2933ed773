// What the sync server needs from its storage engine. Two engines implement it: SQLite
// (embedded, one process) and PostgreSQL (several server processes on one database).
// Every workspace has its own sequence: `head` is the last one assigned, and a push's
// updates get consecutive numbers committed in order, so a pull that sees seq n has
// seen everything below n.
import * as Y from 'yjs';
import { groupBy } from '../shared/group-by';
import { MAX_UPDATE_BYTES, type PushItem, type StoredErasure, type StoredUpdate, type SyncRole, type SyncUser } from '../shared/sync-protocol';

export interface Invite {
  workspaceId: string;
  role: SyncRole;
}

/** A device that redeemed an invite: its token names this registration, which a lead may revoke. */
export interface DeviceRecord {
  id: string;
  workspaceId: string;
  /** The id the device gave when redeeming (its workspace file's device id). */
  deviceId: string;
  /** The author id the device's user took when redeeming (null: registered before ids were kept). */
  userId: string | null;
  userName: string;
  role: SyncRole;
  /** Milliseconds since 1970; 0 = never connected. */
  lastSeenAt: number;
  /** The workspace sequence number the device was known to hold when last seen. */
  cursor: number;
  revokedAt: number | null;
}

/** A push was stored: updates with seq in (after, upTo]. `items` when the engine has them at hand. */
export interface AppendedEvent {
  workspaceId: string;
  after: number;
  upTo: number;
  /** The connection that pushed them, which needs no live copy. */
  origin: string;
  items?: StoredUpdate[];
  erasures?: StoredErasure[];
}

/** What a pull returns: updates and erasures in (after, upTo], oldest first. */
export interface Pulled {
  items: StoredUpdate[];
  erasures: StoredErasure[];
  /** Where this answer reaches: the last update's seq when it stopped at a limit, else past every erasure too. */
  upTo: number;
  more: boolean;
}

export interface SyncStore {
  /**
   * Whether only this process writes the store's updates (one SQLite file), so docs can be
   * kept hydrated between pushes (doc-cache.ts); not when nodes share a PostgreSQL.
   */
  readonly singleWriter: boolean;
  /** The token signing key, created on first use and shared by every node. */
  signingKey(): Promise<Uint8Array>;
  createWorkspace(id: string, name: string): Promise<void>;
  workspaceExists(id: string): Promise<boolean>;
  createInvite(codeHash: string, invite: Invite, expiresAt: number, uses: number): Promise<void>;
  /** Use up one redemption of an unexpired invite; null if there is none. */
  redeemInvite(codeHash: string, now: number): Promise<Invite | null>;
  /** Add a registration; one with the same id already there is kept as it is. */
  registerDevice(device: Omit<DeviceRecord, 'lastSeenAt' | 'cursor' | 'revokedAt'>): Promise<void>;
  device(id: string): Promise<DeviceRecord | null>;
  /** The workspace's registrations, revoked ones too, most recently seen first. */
  devices(workspaceId: string): Promise<DeviceRecord[]>;
  /** The device connected at `at`, holding everything up to `cursor` (which never moves back). */
  deviceSeen(id: string, at: number, cursor: number): Promise<void>;
  /** Withdraw a registration's access; false if the workspace has no such registration. */
  revokeDevice(workspaceId: string, id: string, at: number): Promise<boolean>;
  /**
   * Store a push atomically, each update with the user whose token pushed it. Items whose
   * msgId is at or below what this client already had stored are acknowledged with seq 0
   * and not stored again.
   */
  append(workspaceId: string, clientId: string, origin: string, author: SyncUser, items: PushItem[]): Promise<{ msgId: number; seq: number }[]>;
  /**
   * Updates with seq > after, oldest first, at most `maxItems` read and about `maxBytes`
   * sent, and the erasures among them. `held`: rows the client already holds as they were
   * stored (sent to it live), left out unless compacted since (a compacted row holds
   * other rows' changes too, perhaps some the client never had).
   */
  pull(workspaceId: string, after: number, maxItems: number, maxBytes: number, held?: (seq: number) => boolean): Promise<Pulled>;
  head(workspaceId: string): Promise<number>;
  /** Every update stored for each of these docs, oldest first (few: they are compacted past a threshold); a doc with none is left out. */
  docUpdates(workspaceId: string, docIds: readonly string[]): Promise<Map<string, Uint8Array[]>>;
  /**
   * Erase records for good (a lead's erasure): every stored update of theirs is deleted,
   * their ids are kept as tombstones (erasedAmong) and the erasure takes the next sequence
   * number, so pulls deliver it in order with the updates. Idempotent by erasure id: sent
   * again, it answers the erasure as first stored. Freed bytes are zeroed where the engine can.
   */
  erase(workspaceId: string, origin: string, by: SyncUser, erasure: { erasureId: string; recordIds: string[] }): Promise<StoredErasure>;
  /** Which of these docs were erased. */
  erasedAmong(workspaceId: string, docIds: string[]): Promise<Set<string>>;
  onAppended(listener: (event: AppendedEvent) => void): void;
  close(): Promise<void>;
}

/**
 * A pull's answer from the updates it read (all of those after `after` when not `more`) and
 * the erasures after `after` (at most `erasureLimit`): it reaches only as far as both are
 * complete, so no update or erasure is ever skipped.
 */
export function pulled(after: number, read: ReadRows, erasures: StoredErasure[], erasureLimit: number): Pulled {
  const truncated = erasures.length >= erasureLimit;
  const complete = Math.min(read.more ? read.readTo : Infinity, truncated ? erasures.at(-1)!.seq : Infinity);
  const kept = { items: read.items.filter((i) => i.seq <= complete), erasures: erasures.filter((e) => e.seq <= complete) };
  const reached = Math.max(after, read.readTo, kept.erasures.at(-1)?.seq ?? after);
  return { ...kept, upTo: Number.isFinite(complete) ? complete : reached, more: read.more || truncated };
}

/** A stored update row as a pull reads it. */
export interface PulledRow {
  seq: number;
  docId: string;
  data: Uint8Array;
  authorId: string;
  authorName: string;
  compacted: boolean;
}

/** The rows a pull read, as far as it read them: what it sends, and the seq every row up to which it sent or left out as held. */
export interface ReadRows {
  items: StoredUpdate[];
  readTo: number;
  more: boolean;
}

/**
 * The rows of a pull's answer from the rows read (at most `maxItems`, oldest first): at
 * least one update, however large, so a pull always makes progress; about `maxBytes` in
 * all; rows the client holds as stored left out.
 */
export function readRows(after: number, rows: Iterable<PulledRow>, maxItems: number, maxBytes: number, held?: (seq: number) => boolean): ReadRows {
  const items: StoredUpdate[] = [];
  let bytes = 0;
  let read = 0;
  let readTo = after;
  for (const row of rows) {
    const sent = row.compacted || !held?.(row.seq);
    if (sent && items.length && bytes + row.data.byteLength > maxBytes) return { items, readTo, more: true };
    read += 1;
    readTo = row.seq;
    if (!sent) continue;
    bytes += row.data.byteLength;
    items.push({ seq: row.seq, docId: row.docId, update: row.data, author: row.authorId ? { id: row.authorId, name: row.authorName } : null });
  }
  return { items, readTo, more: read === maxItems };
}

/** Rows of several docs, each doc's in order, grouped by doc. */
export function byDoc(rows: Iterable<{ docId: string; data: Uint8Array }>): Map<string, Uint8Array[]> {
  return groupBy(rows, (row) => row.docId, (row) => new Uint8Array(row.data));
}

/** A doc's update rows are merged once there are this many. */
export const SERVER_COMPACTION_THRESHOLD = 32;

/** One of a doc's stored update rows, with its attested author ('' before authors were attested). */
export interface DocRow {
  seq: number;
  data: Uint8Array;
  authorId: string;
}

/**
 * How to compact a doc's rows: each author's rows merged into one, kept at the highest of
 * their sequence numbers (see mergeRows), so every stored update still has one attested
 * author. `remove` are the rows merged into a kept one.
 */
export function compaction(rows: DocRow[]): { keep: number; data: Uint8Array; remove: number[] }[] {
  if (rows.length < SERVER_COMPACTION_THRESHOLD) return [];
  const byAuthor = new Map<string, DocRow[]>();
  for (const row of rows) byAuthor.set(row.authorId, [...(byAuthor.get(row.authorId) ?? []), row]);
  const plan: { keep: number; data: Uint8Array; remove: number[] }[] = [];
  for (const group of byAuthor.values()) {
    if (group.length < 2) continue;
    const merged = mergeRows(group.map((row) => row.data));
    if (merged) plan.push({ keep: group.at(-1)!.seq, data: merged, remove: group.slice(0, -1).map((row) => row.seq) });
  }
  return plan;
}

/**
 * The merged form of a doc's update rows, kept at the highest of their sequence numbers:
 * a client behind that point receives content it may already have, which is harmless.
 * Null if they cannot be merged, or the result would be too large to send (then they
 * are left as they are).
 */
function mergeRows(rows: Uint8Array[]): Uint8Array | null {
  try {
    const merged = Y.mergeUpdates(rows);
    return merged.byteLength <= MAX_UPDATE_BYTES ? merged : null;
  } catch {
    return null;
  }
}
