// The embedded storage engine: one SQLite file, one server process (the team lead's
// laptop). better-sqlite3 is synchronous, so each method is atomic by construction. The file
// (and its WAL) is encrypted with the key given (server/main.ts unwraps it with the server's
// passphrase, main/data-service/keys/file-key.ts).
import { randomBytes } from 'node:crypto';
import { MAX_BATCH_ITEMS, type PushItem, type StoredErasure, type StoredUpdate, type SyncUser } from '../shared/sync-protocol';
import { openSqlite, type SqliteDatabase, type SqliteStatement } from '../main/data-service/db/sqlite';
import type { TableClaim } from '../main/data-service/db/tables';
import { SERVER_COMPACTION_THRESHOLD, byDoc, compaction, pulled, readRows, type AppendedEvent, type PulledRow, type DeviceRecord, type DocRow, type Invite, type Pulled, type SyncStore } from './store';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS workspaces (id TEXT PRIMARY KEY, name TEXT NOT NULL, head INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS invites (
    code_hash TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, role TEXT NOT NULL,
    expires_at INTEGER NOT NULL, uses_left INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS updates (
    workspace_id TEXT NOT NULL, seq INTEGER NOT NULL, doc_id TEXT NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (workspace_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS updates_by_doc ON updates (workspace_id, doc_id, seq);
  -- The highest outbox message id stored per device, so a retried push is not stored twice.
  CREATE TABLE IF NOT EXISTS clients (
    workspace_id TEXT NOT NULL, client_id TEXT NOT NULL, last_msg_id INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, client_id)
  ) WITHOUT ROWID;
  -- A lead's erasures, in the workspace's sequence: a random id, when, by whom, how many records.
  CREATE TABLE IF NOT EXISTS erasures (
    workspace_id TEXT NOT NULL, seq INTEGER NOT NULL, erasure_id TEXT NOT NULL, erased_at TEXT NOT NULL,
    by_id TEXT NOT NULL, by_name TEXT NOT NULL, records INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, seq)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX IF NOT EXISTS erasures_by_id ON erasures (workspace_id, erasure_id);
  -- Tombstones: an erased record's id and the erasure (seq) that erased it; no update to it is stored again.
  CREATE TABLE IF NOT EXISTS erased_docs (
    workspace_id TEXT NOT NULL, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, doc_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS erased_docs_by_seq ON erased_docs (workspace_id, seq);
  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, device_id TEXT NOT NULL, user_id TEXT, user_name TEXT NOT NULL, role TEXT NOT NULL,
    last_seen_at INTEGER NOT NULL DEFAULT 0, cursor INTEGER NOT NULL DEFAULT 0, revoked_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS devices_by_workspace ON devices (workspace_id);
`;

/**
 * The store's tables: what each holds about a person, and how one record's rows are found
 * (the server's own registry, as db/tables.ts is the data service's; the PostgreSQL store
 * keeps the same tables). tests/unit/tables.test.ts fails on a table left out.
 */
export const SQLITE_STORE_TABLES: readonly TableClaim[] = [
  { table: 'server_meta', personal: 'nothing personal (the server secret)', recordRows: null },
  { table: 'workspaces', personal: "nothing personal (a workspace's id, name and sequence head)", recordRows: null },
  { table: 'invites', personal: 'nothing personal (hashed invite codes and their role)', recordRows: null },
  {
    table: 'updates',
    personal: "every record's fields as the Yjs updates devices pushed (names, phones, notes…), each with the id and name of the worker whose token pushed it",
    recordRows: 'doc_id = @id',
  },
  { table: 'clients', personal: "nothing personal (a device's id and last message id)", recordRows: null },
  {
    table: 'erasures',
    personal: "nothing about the erased person (a random erasure id, when, the erasing lead's id and name, how many records)",
    recordRows: null,
  },
  // Not the record's rows: the tombstone must outlive the erasure that deletes them.
  { table: 'erased_docs', personal: 'nothing personal (ids of erased records, so no update brings them back)', recordRows: null },
  { table: 'devices', personal: "the name of each device's user, its device id and when it last synced", recordRows: null },
];

const DEVICE_COLUMNS = `id, workspace_id AS workspaceId, device_id AS deviceId, user_id AS userId, user_name AS userName, role,
  last_seen_at AS lastSeenAt, cursor, revoked_at AS revokedAt`;

export class SqliteStore implements SyncStore {
  readonly singleWriter = true;
  private readonly db: SqliteDatabase;
  private readonly listeners: ((event: AppendedEvent) => void)[] = [];
  private readonly stmt;
  private readonly eraseRows: SqliteStatement[];

  /** `key`: the file's 256-bit key; without one (tests of the store alone) the file is plaintext. */
  constructor(path: string, key?: Buffer) {
    this.db = openSqlite(path, { key });
    this.db.pragma('journal_mode = WAL');
    // Freed pages and deleted cells are overwritten with zeros: an erased record's updates leave no bytes behind.
    this.db.pragma('secure_delete = ON');
    // An acknowledged push must survive a crash of the server machine too.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    // 64 MB of page cache (the default is 2 MB): a push reads each of its docs' rows, scattered
    // over the whole store, and every page read from the file is decrypted again.
    this.db.pragma('cache_size = -65536');
    this.db.exec(SCHEMA);
    // Who pushed each update (attested from its token); '' for updates stored before that.
    const columnsOf = (table: string) => (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    const columns = columnsOf('updates');
    if (!columns.includes('author_id')) {
      this.db.exec("ALTER TABLE updates ADD COLUMN author_id TEXT NOT NULL DEFAULT ''; ALTER TABLE updates ADD COLUMN author_name TEXT NOT NULL DEFAULT ''");
    }
    // 1 once compaction merged other rows into it (store.ts readRows).
    if (!columns.includes('compacted')) this.db.exec('ALTER TABLE updates ADD COLUMN compacted INTEGER NOT NULL DEFAULT 0');
    // The author id each device's user took (server.ts redeem); NULL for older registrations.
    if (!columnsOf('devices').includes('user_id')) this.db.exec('ALTER TABLE devices ADD COLUMN user_id TEXT');
    const db = this.db;
    this.stmt = {
      getMeta: db.prepare('SELECT value FROM server_meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT OR IGNORE INTO server_meta (key, value) VALUES (?, ?)'),
      createWorkspace: db.prepare('INSERT INTO workspaces (id, name) VALUES (?, ?)'),
      head: db.prepare('SELECT head FROM workspaces WHERE id = ?').pluck(),
      setHead: db.prepare('UPDATE workspaces SET head = ? WHERE id = ?'),
      createInvite: db.prepare('INSERT INTO invites (code_hash, workspace_id, role, expires_at, uses_left) VALUES (?, ?, ?, ?, ?)'),
      useInvite: db.prepare(
        `UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = ? AND uses_left > 0 AND expires_at > ?
         RETURNING workspace_id AS workspaceId, role`,
      ),
      registerDevice: db.prepare('INSERT OR IGNORE INTO devices (id, workspace_id, device_id, user_id, user_name, role) VALUES (?, ?, ?, ?, ?, ?)'),
      device: db.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = ?`),
      devices: db.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE workspace_id = ? ORDER BY last_seen_at DESC, id`),
      deviceSeen: db.prepare('UPDATE devices SET last_seen_at = ?, cursor = max(cursor, ?) WHERE id = ?'),
      revokeDevice: db.prepare('UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE workspace_id = ? AND id = ?'),
      lastMsgId: db.prepare('SELECT last_msg_id FROM clients WHERE workspace_id = ? AND client_id = ?').pluck(),
      setLastMsgId: db.prepare(
        `INSERT INTO clients (workspace_id, client_id, last_msg_id) VALUES (?, ?, ?)
         ON CONFLICT (workspace_id, client_id) DO UPDATE SET last_msg_id = max(last_msg_id, excluded.last_msg_id)`,
      ),
      insertUpdate: db.prepare('INSERT INTO updates (workspace_id, seq, doc_id, data, author_id, author_name) VALUES (?, ?, ?, ?, ?, ?)'),
      pull: db.prepare(
        `SELECT seq, doc_id AS docId, data, author_id AS authorId, author_name AS authorName, compacted
         FROM updates WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      // INDEXED BY: to avoid sorting, SQLite otherwise walks the primary key, i.e. every
      // update of the workspace, for one doc's few (a push of 500 docs took seconds).
      docRows: db.prepare(
        'SELECT seq, data, author_id AS authorId FROM updates INDEXED BY updates_by_doc WHERE workspace_id = ? AND doc_id = ? ORDER BY seq',
      ),
      docsRows: db.prepare(
        `SELECT doc_id AS docId, data FROM updates INDEXED BY updates_by_doc
         WHERE workspace_id = ? AND doc_id IN (SELECT value FROM json_each(?)) ORDER BY doc_id, seq`,
      ),
      countDocRows: db.prepare('SELECT count(*) FROM updates INDEXED BY updates_by_doc WHERE workspace_id = ? AND doc_id = ?').pluck(),
      replaceRow: db.prepare('UPDATE updates SET data = ?, compacted = 1 WHERE workspace_id = ? AND seq = ?'),
      deleteRow: db.prepare('DELETE FROM updates WHERE workspace_id = ? AND seq = ?'),
      erasureById: db.prepare('SELECT seq FROM erasures WHERE workspace_id = ? AND erasure_id = ?').pluck(),
      insertErasure: db.prepare(
        'INSERT INTO erasures (workspace_id, seq, erasure_id, erased_at, by_id, by_name, records) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      tombstone: db.prepare('INSERT OR IGNORE INTO erased_docs (workspace_id, doc_id, seq) VALUES (?, ?, ?)'),
      erasedAmong: db.prepare('SELECT doc_id FROM erased_docs WHERE workspace_id = ? AND doc_id IN (SELECT value FROM json_each(?))').pluck(),
      erasuresAfter: db.prepare(
        `SELECT seq, erasure_id AS erasureId, erased_at AS at, by_id AS byId, by_name AS byName FROM erasures
         WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ${MAX_BATCH_ITEMS}`,
      ),
      erasedBy: db.prepare('SELECT doc_id FROM erased_docs WHERE workspace_id = ? AND seq = ? ORDER BY doc_id').pluck(),
    };
    // Each claimed table's rows of one record, as an erasure deletes them (SQLITE_STORE_TABLES).
    this.eraseRows = SQLITE_STORE_TABLES.flatMap((claim) =>
      claim.recordRows === null ? [] : [db.prepare(`DELETE FROM ${claim.table} WHERE workspace_id = @workspaceId AND ${claim.recordRows}`)],
    );
  }

  async signingKey(): Promise<Uint8Array> {
    this.stmt.setMeta.run('signing_key', randomBytes(32));
    return new Uint8Array(this.stmt.getMeta.get('signing_key') as Buffer);
  }

  async createWorkspace(id: string, name: string): Promise<void> {
    this.stmt.createWorkspace.run(id, name);
  }

  async workspaceExists(id: string): Promise<boolean> {
    return this.stmt.head.get(id) !== undefined;
  }

  async createInvite(codeHash: string, invite: Invite, expiresAt: number, uses: number): Promise<void> {
    this.stmt.createInvite.run(codeHash, invite.workspaceId, invite.role, expiresAt, uses);
  }

  async redeemInvite(codeHash: string, now: number): Promise<Invite | null> {
    return (this.stmt.useInvite.get(codeHash, now) as Invite | undefined) ?? null;
  }

  async registerDevice(device: Omit<DeviceRecord, 'lastSeenAt' | 'cursor' | 'revokedAt'>): Promise<void> {
    this.stmt.registerDevice.run(device.id, device.workspaceId, device.deviceId, device.userId, device.userName, device.role);
  }

  async device(id: string): Promise<DeviceRecord | null> {
    return (this.stmt.device.get(id) as DeviceRecord | undefined) ?? null;
  }

  async devices(workspaceId: string): Promise<DeviceRecord[]> {
    return this.stmt.devices.all(workspaceId) as DeviceRecord[];
  }

  async deviceSeen(id: string, at: number, cursor: number): Promise<void> {
    this.stmt.deviceSeen.run(at, cursor, id);
  }

  async revokeDevice(workspaceId: string, id: string, at: number): Promise<boolean> {
    return this.stmt.revokeDevice.run(at, workspaceId, id).changes > 0;
  }

  async head(workspaceId: string): Promise<number> {
    return (this.stmt.head.get(workspaceId) as number | undefined) ?? 0;
  }

  async append(workspaceId: string, clientId: string, origin: string, author: SyncUser, items: PushItem[]): Promise<{ msgId: number; seq: number }[]> {
    const stored: StoredUpdate[] = [];
    let after = 0;
    const acks = this.db.transaction(() => {
      let head = this.stmt.head.get(workspaceId) as number | undefined;
      if (head === undefined) throw new Error(`no workspace ${workspaceId}`);
      after = head;
      const last = (this.stmt.lastMsgId.get(workspaceId, clientId) as number | undefined) ?? 0;
      const result = items.map((item) => {
        if (item.msgId <= last) return { msgId: item.msgId, seq: 0 };
        head! += 1;
        this.stmt.insertUpdate.run(workspaceId, head, item.docId, item.update, author.id, author.name);
        stored.push({ seq: head!, docId: item.docId, update: item.update, author });
        return { msgId: item.msgId, seq: head! };
      });
      this.stmt.setHead.run(head, workspaceId);
      const maxMsgId = Math.max(0, ...items.map((i) => i.msgId));
      if (maxMsgId > last) this.stmt.setLastMsgId.run(workspaceId, clientId, maxMsgId);
      for (const docId of new Set(stored.map((s) => s.docId))) this.compactIfDue(workspaceId, docId);
      return result;
    })();
    if (stored.length) {
      const event = { workspaceId, after, upTo: stored.at(-1)!.seq, origin, items: stored, erasures: [] };
      for (const listener of this.listeners) listener(event);
    }
    return acks;
  }

  private compactIfDue(workspaceId: string, docId: string): void {
    if ((this.stmt.countDocRows.get(workspaceId, docId) as number) < SERVER_COMPACTION_THRESHOLD) return;
    for (const { keep, data, remove } of compaction(this.stmt.docRows.all(workspaceId, docId) as DocRow[])) {
      this.stmt.replaceRow.run(data, workspaceId, keep);
      for (const seq of remove) this.stmt.deleteRow.run(workspaceId, seq);
    }
  }

  async docUpdates(workspaceId: string, docIds: readonly string[]): Promise<Map<string, Uint8Array[]>> {
    return byDoc(this.stmt.docsRows.iterate(workspaceId, JSON.stringify(docIds)) as Iterable<{ docId: string; data: Buffer }>);
  }

  async pull(workspaceId: string, after: number, maxItems: number, maxBytes: number, held?: (seq: number) => boolean): Promise<Pulled> {
    const rows = this.stmt.pull.iterate(workspaceId, after, maxItems) as Iterable<Omit<PulledRow, 'compacted'> & { data: Buffer; compacted: number }>;
    const asRows = function* () {
      for (const row of rows) yield { ...row, data: new Uint8Array(row.data), compacted: row.compacted === 1 };
    };
    return pulled(after, readRows(after, asRows(), maxItems, maxBytes, held), this.erasuresAfter(workspaceId, after), MAX_BATCH_ITEMS);
  }

  private erasuresAfter(workspaceId: string, after: number): StoredErasure[] {
    const rows = this.stmt.erasuresAfter.all(workspaceId, after) as { seq: number; erasureId: string; at: string; byId: string; byName: string }[];
    return rows.map((r) => ({ seq: r.seq, erasureId: r.erasureId, at: r.at, by: { id: r.byId, name: r.byName }, recordIds: this.stmt.erasedBy.all(workspaceId, r.seq) as string[] }));
  }

  async erase(workspaceId: string, origin: string, by: SyncUser, erasure: { erasureId: string; recordIds: string[] }): Promise<StoredErasure> {
    let created = false;
    const seq = this.db.transaction(() => {
      const existing = this.stmt.erasureById.get(workspaceId, erasure.erasureId) as number | undefined;
      if (existing !== undefined) return existing;
      const head = (this.stmt.head.get(workspaceId) as number | undefined) ?? null;
      if (head === null) throw new Error(`no workspace ${workspaceId}`);
      const at = head + 1;
      this.stmt.insertErasure.run(workspaceId, at, erasure.erasureId, new Date().toISOString(), by.id, by.name, erasure.recordIds.length);
      for (const id of erasure.recordIds) {
        this.stmt.tombstone.run(workspaceId, id, at);
        for (const statement of this.eraseRows) statement.run({ workspaceId, id });
      }
      this.stmt.setHead.run(at, workspaceId);
      created = true;
      return at;
    })();
    // The WAL's older frames still hold the pages as they were: copy it into the file and empty it.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    const stored = this.erasuresAfter(workspaceId, seq - 1)[0]!;
    if (created) for (const listener of this.listeners) listener({ workspaceId, after: seq - 1, upTo: seq, origin, items: [], erasures: [stored] });
    return stored;
  }

  async erasedAmong(workspaceId: string, docIds: string[]): Promise<Set<string>> {
    return new Set(this.stmt.erasedAmong.all(workspaceId, JSON.stringify(docIds)) as string[]);
  }

  onAppended(listener: (event: AppendedEvent) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
