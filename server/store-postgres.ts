// The storage engine for an organisation's deployment: several server processes share
// one PostgreSQL database. Appends to a workspace lock its row, so sequence numbers are
// committed in order; each append NOTIFYs the channel, and every node LISTENs and
// delivers the new updates to its own connected clients.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { MAX_BATCH_ITEMS, type PushItem, type StoredErasure, type StoredUpdate, type SyncUser } from '../shared/sync-protocol';
import { byDoc, compaction, pulled, readRows, type AppendedEvent, type PulledRow, type DeviceRecord, type Invite, type Pulled, type SyncStore } from './store';

const CHANNEL = 'fieldbook_sync';
/** Serialises schema creation when several nodes start at once. */
const SCHEMA_LOCK = 727_001;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value BYTEA NOT NULL);
  CREATE TABLE IF NOT EXISTS workspaces (id TEXT PRIMARY KEY, name TEXT NOT NULL, head BIGINT NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS invites (
    code_hash TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces (id), role TEXT NOT NULL,
    expires_at BIGINT NOT NULL, uses_left INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS updates (
    workspace_id TEXT NOT NULL, seq BIGINT NOT NULL, doc_id TEXT NOT NULL, data BYTEA NOT NULL,
    PRIMARY KEY (workspace_id, seq)
  );
  CREATE INDEX IF NOT EXISTS updates_by_doc ON updates (workspace_id, doc_id, seq);
  -- Who pushed each update (attested from its token); '' for updates stored before that.
  ALTER TABLE updates ADD COLUMN IF NOT EXISTS author_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE updates ADD COLUMN IF NOT EXISTS author_name TEXT NOT NULL DEFAULT '';
  -- true once compaction merged other rows into it (store.ts readRows).
  ALTER TABLE updates ADD COLUMN IF NOT EXISTS compacted BOOLEAN NOT NULL DEFAULT false;
  CREATE TABLE IF NOT EXISTS clients (
    workspace_id TEXT NOT NULL, client_id TEXT NOT NULL, last_msg_id BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, client_id)
  );
  -- A lead's erasures, in the workspace's sequence, and the erased records' ids (tombstones);
  -- the same tables as the SQLite store (SQLITE_STORE_TABLES).
  CREATE TABLE IF NOT EXISTS erasures (
    workspace_id TEXT NOT NULL, seq BIGINT NOT NULL, erasure_id TEXT NOT NULL, erased_at TEXT NOT NULL,
    by_id TEXT NOT NULL, by_name TEXT NOT NULL, records INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, seq)
  );
  CREATE UNIQUE INDEX IF NOT EXISTS erasures_by_id ON erasures (workspace_id, erasure_id);
  CREATE TABLE IF NOT EXISTS erased_docs (
    workspace_id TEXT NOT NULL, doc_id TEXT NOT NULL, seq BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, doc_id)
  );
  CREATE INDEX IF NOT EXISTS erased_docs_by_seq ON erased_docs (workspace_id, seq);
  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces (id), device_id TEXT NOT NULL,
    user_id TEXT, user_name TEXT NOT NULL, role TEXT NOT NULL,
    last_seen_at BIGINT NOT NULL DEFAULT 0, cursor BIGINT NOT NULL DEFAULT 0, revoked_at BIGINT
  );
  CREATE INDEX IF NOT EXISTS devices_by_workspace ON devices (workspace_id);
  -- The author id each device's user took (server.ts redeem); NULL for older registrations.
  ALTER TABLE devices ADD COLUMN IF NOT EXISTS user_id TEXT;
`;

const DEVICE_COLUMNS = `id, workspace_id AS "workspaceId", device_id AS "deviceId", user_id AS "userId", user_name AS "userName", role,
  last_seen_at AS "lastSeenAt", cursor, revoked_at AS "revokedAt"`;

/** BIGINT columns arrive as strings. */
function deviceRow(row: Record<string, unknown>): DeviceRecord {
  return {
    ...(row as unknown as DeviceRecord),
    lastSeenAt: Number(row.lastSeenAt),
    cursor: Number(row.cursor),
    revokedAt: row.revokedAt === null ? null : Number(row.revokedAt),
  };
}

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export class PostgresStore implements SyncStore {
  readonly singleWriter = false;
  private readonly listeners: ((event: AppendedEvent) => void)[] = [];
  private listener: pg.Client | null = null;
  private closing = false;

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
  ) {
    // An idle pooled connection dropped by the database must not take the process down.
    pool.on('error', (error) => console.error(`postgres pool: ${error.message}`));
  }

  static async connect(url: string): Promise<PostgresStore> {
    const store = new PostgresStore(url, new pg.Pool({ connectionString: url, max: 10 }));
    const client = await store.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
      await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]);
    } finally {
      client.release();
    }
    await store.listen();
    return store;
  }

  /** LISTEN on a dedicated connection, reconnecting if it drops (clients pull any gap). */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      const p = JSON.parse(n.payload) as { w: string; a: number; u: number; o: string };
      const event = { workspaceId: p.w, after: p.a, upTo: p.u, origin: p.o };
      for (const listener of this.listeners) listener(event);
    });
    const reconnect = () => {
      if (this.closing || this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => undefined);
      setTimeout(() => void this.listen().catch((error) => console.error(`postgres listen: ${String(error)}`)), 1_000);
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  async signingKey(): Promise<Uint8Array> {
    await this.pool.query('INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', ['signing_key', randomBytes(32)]);
    const { rows } = await this.pool.query('SELECT value FROM server_meta WHERE key = $1', ['signing_key']);
    return new Uint8Array(rows[0].value as Buffer);
  }

  async createWorkspace(id: string, name: string): Promise<void> {
    await this.pool.query('INSERT INTO workspaces (id, name) VALUES ($1, $2)', [id, name]);
  }

  async workspaceExists(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM workspaces WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }

  async createInvite(codeHash: string, invite: Invite, expiresAt: number, uses: number): Promise<void> {
    await this.pool.query('INSERT INTO invites (code_hash, workspace_id, role, expires_at, uses_left) VALUES ($1, $2, $3, $4, $5)', [
      codeHash,
      invite.workspaceId,
      invite.role,
      expiresAt,
      uses,
    ]);
  }

  async redeemInvite(codeHash: string, now: number): Promise<Invite | null> {
    const { rows } = await this.pool.query(
      `UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = $1 AND uses_left > 0 AND expires_at > $2
       RETURNING workspace_id AS "workspaceId", role`,
      [codeHash, now],
    );
    return (rows[0] as Invite | undefined) ?? null;
  }

  async registerDevice(device: Omit<DeviceRecord, 'lastSeenAt' | 'cursor' | 'revokedAt'>): Promise<void> {
    await this.pool.query('INSERT INTO devices (id, workspace_id, device_id, user_id, user_name, role) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING', [
      device.id,
      device.workspaceId,
      device.deviceId,
      device.userId,
      device.userName,
      device.role,
    ]);
  }

  async device(id: string): Promise<DeviceRecord | null> {
    const { rows } = await this.pool.query(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1`, [id]);
    return rows[0] ? deviceRow(rows[0]) : null;
  }

  async devices(workspaceId: string): Promise<DeviceRecord[]> {
    const { rows } = await this.pool.query(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE workspace_id = $1 ORDER BY last_seen_at DESC, id`, [workspaceId]);
    return rows.map(deviceRow);
  }

  async deviceSeen(id: string, at: number, cursor: number): Promise<void> {
    await this.pool.query('UPDATE devices SET last_seen_at = $2, cursor = GREATEST(cursor, $3) WHERE id = $1', [id, at, cursor]);
  }

  async revokeDevice(workspaceId: string, id: string, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE devices SET revoked_at = coalesce(revoked_at, $3) WHERE workspace_id = $1 AND id = $2', [
      workspaceId,
      id,
      at,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async head(workspaceId: string): Promise<number> {
    const { rows } = await this.pool.query('SELECT head FROM workspaces WHERE id = $1', [workspaceId]);
    return rows[0] ? Number(rows[0].head) : 0;
  }

  /** `fn` in one transaction on a pooled connection: committed if it returns, rolled back if it throws. */
  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async append(workspaceId: string, clientId: string, origin: string, author: SyncUser, items: PushItem[]): Promise<{ msgId: number; seq: number }[]> {
    return this.transaction(async (client) => {
      // The row lock orders appends to one workspace: seqs commit in the order they are given.
      const locked = await client.query('SELECT head FROM workspaces WHERE id = $1 FOR UPDATE', [workspaceId]);
      if (!locked.rows[0]) throw new Error(`no workspace ${workspaceId}`);
      const after = Number(locked.rows[0].head);
      const lastRow = await client.query('SELECT last_msg_id FROM clients WHERE workspace_id = $1 AND client_id = $2', [workspaceId, clientId]);
      const last = lastRow.rows[0] ? Number(lastRow.rows[0].last_msg_id) : 0;
      let head = after;
      const seqs: number[] = [];
      const docIds: string[] = [];
      const data: Buffer[] = [];
      const acks = items.map((item) => {
        if (item.msgId <= last) return { msgId: item.msgId, seq: 0 };
        head += 1;
        seqs.push(head);
        docIds.push(item.docId);
        data.push(toBuffer(item.update));
        return { msgId: item.msgId, seq: head };
      });
      if (seqs.length) {
        await client.query(
          `INSERT INTO updates (workspace_id, seq, doc_id, data, author_id, author_name)
           SELECT $1, s, d, b, $5, $6 FROM unnest($2::bigint[], $3::text[], $4::bytea[]) AS t (s, d, b)`,
          [workspaceId, seqs, docIds, data, author.id, author.name],
        );
        await client.query('UPDATE workspaces SET head = $2 WHERE id = $1', [workspaceId, head]);
        for (const docId of new Set(docIds)) await this.compactIfDue(client, workspaceId, docId);
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ w: workspaceId, a: after, u: head, o: origin })]);
      }
      const maxMsgId = Math.max(0, ...items.map((i) => i.msgId));
      if (maxMsgId > last) {
        await client.query(
          `INSERT INTO clients (workspace_id, client_id, last_msg_id) VALUES ($1, $2, $3)
           ON CONFLICT (workspace_id, client_id) DO UPDATE SET last_msg_id = GREATEST(clients.last_msg_id, excluded.last_msg_id)`,
          [workspaceId, clientId, maxMsgId],
        );
      }
      return acks;
    });
  }

  private async compactIfDue(client: pg.PoolClient, workspaceId: string, docId: string): Promise<void> {
    const { rows } = await client.query(
      'SELECT seq, data, author_id AS "authorId" FROM updates WHERE workspace_id = $1 AND doc_id = $2 ORDER BY seq',
      [workspaceId, docId],
    );
    const docRows = (rows as { seq: string; data: Buffer; authorId: string }[]).map((r) => ({ ...r, seq: Number(r.seq) }));
    for (const { keep, data, remove } of compaction(docRows)) {
      await client.query('UPDATE updates SET data = $3, compacted = true WHERE workspace_id = $1 AND seq = $2', [workspaceId, keep, toBuffer(data)]);
      await client.query('DELETE FROM updates WHERE workspace_id = $1 AND seq = ANY($2::bigint[])', [workspaceId, remove]);
    }
  }

  async docUpdates(workspaceId: string, docIds: readonly string[]): Promise<Map<string, Uint8Array[]>> {
    const { rows } = await this.pool.query(
      'SELECT doc_id AS "docId", data FROM updates WHERE workspace_id = $1 AND doc_id = ANY($2::text[]) ORDER BY doc_id, seq',
      [workspaceId, docIds],
    );
    return byDoc(rows as { docId: string; data: Buffer }[]);
  }

  async pull(workspaceId: string, after: number, maxItems: number, maxBytes: number, held?: (seq: number) => boolean): Promise<Pulled> {
    const { rows } = await this.pool.query(
      `SELECT seq, doc_id AS "docId", data, author_id AS "authorId", author_name AS "authorName", compacted
       FROM updates WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [workspaceId, after, Number.isFinite(maxItems) ? maxItems : null],
    );
    const read = (rows as (Omit<PulledRow, 'seq' | 'data'> & { seq: string; data: Buffer })[]).map((row) => ({ ...row, seq: Number(row.seq), data: new Uint8Array(row.data) }));
    return pulled(after, readRows(after, read, maxItems, maxBytes, held), await this.erasuresAfter(this.pool, workspaceId, after), MAX_BATCH_ITEMS);
  }

  private async erasuresAfter(db: pg.Pool | pg.PoolClient, workspaceId: string, after: number): Promise<StoredErasure[]> {
    const { rows } = await db.query(
      `SELECT e.seq, e.erasure_id AS "erasureId", e.erased_at AS at, e.by_id AS "byId", e.by_name AS "byName",
              coalesce(array_agg(d.doc_id ORDER BY d.doc_id) FILTER (WHERE d.doc_id IS NOT NULL), '{}') AS "recordIds"
       FROM erasures e LEFT JOIN erased_docs d ON d.workspace_id = e.workspace_id AND d.seq = e.seq
       WHERE e.workspace_id = $1 AND e.seq > $2 GROUP BY e.seq, e.erasure_id, e.erased_at, e.by_id, e.by_name ORDER BY e.seq LIMIT $3`,
      [workspaceId, after, MAX_BATCH_ITEMS],
    );
    return (rows as { seq: string; erasureId: string; at: string; byId: string; byName: string; recordIds: string[] }[]).map((r) => ({
      seq: Number(r.seq),
      erasureId: r.erasureId,
      at: r.at,
      by: { id: r.byId, name: r.byName },
      recordIds: r.recordIds,
    }));
  }

  // Deleted rows stay in PostgreSQL's pages until VACUUM reclaims them and new rows overwrite
  // them (README, Privacy): the deployment's own storage encryption covers that.
  async erase(workspaceId: string, origin: string, by: SyncUser, erasure: { erasureId: string; recordIds: string[] }): Promise<StoredErasure> {
    return this.transaction(async (client) => {
      const locked = await client.query('SELECT head FROM workspaces WHERE id = $1 FOR UPDATE', [workspaceId]);
      if (!locked.rows[0]) throw new Error(`no workspace ${workspaceId}`);
      const existing = await client.query('SELECT seq FROM erasures WHERE workspace_id = $1 AND erasure_id = $2', [workspaceId, erasure.erasureId]);
      let seq: number;
      if (existing.rows[0]) seq = Number(existing.rows[0].seq);
      else {
        seq = Number(locked.rows[0].head) + 1;
        await client.query(
          'INSERT INTO erasures (workspace_id, seq, erasure_id, erased_at, by_id, by_name, records) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [workspaceId, seq, erasure.erasureId, new Date().toISOString(), by.id, by.name, erasure.recordIds.length],
        );
        await client.query(
          'INSERT INTO erased_docs (workspace_id, doc_id, seq) SELECT $1, d, $3 FROM unnest($2::text[]) AS d ON CONFLICT DO NOTHING',
          [workspaceId, erasure.recordIds, seq],
        );
        await client.query('DELETE FROM updates WHERE workspace_id = $1 AND doc_id = ANY($2::text[])', [workspaceId, erasure.recordIds]);
        await client.query('UPDATE workspaces SET head = $2 WHERE id = $1', [workspaceId, seq]);
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ w: workspaceId, a: seq - 1, u: seq, o: origin })]);
      }
      return (await this.erasuresAfter(client, workspaceId, seq - 1))[0]!;
    });
  }

  async erasedAmong(workspaceId: string, docIds: string[]): Promise<Set<string>> {
    const { rows } = await this.pool.query('SELECT doc_id FROM erased_docs WHERE workspace_id = $1 AND doc_id = ANY($2::text[])', [workspaceId, docIds]);
    return new Set((rows as { doc_id: string }[]).map((r) => r.doc_id));
  }

  onAppended(listener: (event: AppendedEvent) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}
