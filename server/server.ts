// The sync server: an HTTP endpoint to redeem invite codes and a WebSocket endpoint
// speaking shared/sync-protocol.ts. It holds no state of its own beyond connections;
// everything lives in the storage engine, so several nodes can share one PostgreSQL.
//
// Hostile input: every frame is size-capped (ws maxPayload), decoded defensively, and
// every Yjs update is checked before it is stored. A bad frame or update from an
// authenticated client is answered with an error frame naming the problem, nothing is
// stored from it, and the connection stays; what retrying cannot fix (a bad token, a
// revoked device) or what costs the server (too many messages or connections, a silent
// client) closes the connection with a close code of its own (CLOSE_CODES).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  CLOSE_CODES,
  MAX_BATCH_ITEMS,
  MAX_FRAME_BYTES,
  MAX_PUSH_UPDATE_BYTES,
  ProtocolError,
  decodeMessage,
  encodeMessage,
  type ErrorCode,
  type DeviceInfo,
  type Message,
  type PushItem,
  type StoredUpdate,
  type SyncRole,
  type SyncUser,
} from '../shared/sync-protocol';
import { DocCache } from './doc-cache';
import { PushGuard, type Refusal } from './push-guard';
import { AuthError, RENEW_AFTER_SECONDS, hashInviteCode, issueToken, verifyToken } from './auth';
import { issueInvite } from './admin';
import { ByteGate } from './byte-gate';
import { KnownSeqs } from './known-seqs';
import type { AppendedEvent, DeviceRecord, Pulled, SyncStore } from './store';

export interface Limits {
  /** A connection must say hello (authenticate) within this time. */
  helloTimeoutMs: number;
  /** Token bucket per connection: sustained rate and burst, in messages and in bytes. */
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
  /** Messages received but not yet handled, per connection. */
  maxQueued: number;
  pullItems: number;
  pullBytes: number;
  /** Invite redemptions per remote address per window (codes must not be guessable by trying). */
  redeemsPerMinute: number;
  redeemWindowMs: number;
  /** Open WebSocket connections, authenticated or not, and per device registration. */
  maxConnections: number;
  connectionsPerDevice: number;
  /** Largest frame a client may send, and largest Yjs update in a push (one record's doc). */
  maxFrameBytes: number;
  maxPushUpdateBytes: number;
  /** An HTTP request (or WebSocket upgrade) must have sent its headers within this time. */
  headersTimeoutMs: number;
  /** Each connection is pinged this often; one that has not answered the last ping is closed. */
  heartbeatMs: number;
  /** Bytes of pull answers being read and sent at once, over all connections (server/byte-gate.ts). */
  pullBudgetBytes: number;
  /** Answers of one pull on their way to a client at once, at most (it may ask for fewer). */
  pullWindow: number;
  /** Records' docs kept for the push guard, where only this process writes the store: how many, and how many bytes of their updates. */
  cachedDocs: number;
  cachedDocBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  helloTimeoutMs: 10_000,
  messagesPerSecond: 200,
  messageBurst: 400,
  bytesPerSecond: 32 * 1024 * 1024,
  byteBurst: 64 * 1024 * 1024,
  maxQueued: 64,
  // A client applies each batch in one transaction; on a large first sync, batches of 2,000
  // wrote a quarter fewer bytes than 1,000 (index pages shared within a batch, fewer checkpoints).
  pullItems: MAX_BATCH_ITEMS,
  // Half a frame: the ids and sequence numbers around the updates fit easily in the rest.
  pullBytes: MAX_FRAME_BYTES / 2,
  redeemsPerMinute: 30,
  redeemWindowMs: 60_000,
  maxConnections: 2_000,
  // A device needs one; a few more cover a reconnect while the server has not yet noticed the old link died.
  connectionsPerDevice: 4,
  // A push is at most about 1 MB of updates (the client's PUSH_BYTES) plus ids, or one update up to the cap.
  maxFrameBytes: 2 * 1024 * 1024,
  maxPushUpdateBytes: MAX_PUSH_UPDATE_BYTES,
  headersTimeoutMs: 10_000,
  heartbeatMs: 30_000,
  pullBudgetBytes: 32 * 1024 * 1024,
  // The next answers are on the wire while a device applies one (a first sync: a hundred answers in a row).
  pullWindow: 4,
  // Kept as their updates (doc-cache.ts): a contact at the large team bench ~2.8 KB of them,
  // and about as much again of heap for what was read of it, ~5.3 KB in all against ~33 KB
  // hydrated. At these bounds the cache takes at most ~100 MB, less than the 4,000 hydrated
  // docs it held before, and holds a team's working set (the large team bench: 11,000 docs, 31 MB of updates).
  cachedDocs: 20_000,
  cachedDocBytes: 48 * 1024 * 1024,
};

export interface SyncServerOptions {
  store: SyncStore;
  port?: number;
  host?: string;
  limits?: Partial<Limits>;
  log?: (line: string) => void;
  /** Serve HTTPS and WSS with this certificate (server/tls.ts); plain HTTP without. */
  tls?: { cert: string; key: string };
}

export const SYNC_PATH = '/v1/sync';
export const REDEEM_PATH = '/v1/redeem';

export class SyncServer {
  readonly limits: Limits;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly byWorkspace = new Map<string, Set<Connection>>();
  private readonly connections = new Set<Connection>();
  private readonly redeems = new Map<string, { windowStart: number; count: number }>();
  private redeemsPrunedAt = Date.now();
  private readonly heartbeat: NodeJS.Timeout;
  readonly pullGate: ByteGate;
  /** Null where other nodes write the store too: their pushes would not be in it. */
  readonly docCache: DocCache | null;
  /** Per workspace, the end of the last push or erasure being checked and stored. */
  private readonly writing = new Map<string, Promise<unknown>>();
  /** Live fan-out runs in the order the engine reported the appends. */
  private fanOut: Promise<void> = Promise.resolve();
  private key!: Uint8Array;

  private constructor(
    readonly store: SyncStore,
    options: SyncServerOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.pullGate = new ByteGate(this.limits.pullBudgetBytes);
    this.docCache = store.singleWriter && this.limits.cachedDocs > 0 ? new DocCache(this.limits.cachedDocs, this.limits.cachedDocBytes) : null;
    this.log = options.log ?? ((line) => console.error(line));
    const headersTimeout = this.limits.headersTimeoutMs;
    // Node checks the header timeout only every connectionsCheckingInterval (30 s by default).
    const httpOptions = { headersTimeout, requestTimeout: headersTimeout * 3, connectionsCheckingInterval: Math.min(1_000, headersTimeout / 2) };
    const handle = (req: IncomingMessage, res: ServerResponse) => void this.handleHttp(req, res);
    this.http = options.tls ? createHttpsServer({ ...httpOptions, ...options.tls }, handle) : createServer(httpOptions, handle);
    // Frames compress well (ids, Yjs client ids and keys repeat), so the wire carries less than the updates.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxFrameBytes, perMessageDeflate: { threshold: 1024 } });
    this.http.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== SYNC_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const connection = new Connection(this, ws);
        // Refused after the upgrade, so the client is told why in a close reason it can read.
        if (this.connections.size >= this.limits.maxConnections) {
          return connection.fail('too_many_connections', 'the sync server has too many connections open; it will be tried again later');
        }
        this.connections.add(connection);
      });
    });
    this.heartbeat = setInterval(() => void this.beat(), this.limits.heartbeatMs);
    this.heartbeat.unref();
    this.http.on('clientError', (_error, socket) => socket.destroy());
    store.onAppended((event) => {
      this.fanOut = this.fanOut.then(() => this.deliver(event)).catch((error) => this.log(`live delivery failed: ${String(error)}`));
    });
  }

  readonly log: (line: string) => void;

  /**
   * Run a push or an erasure after the workspace's previous one has been stored, where docs
   * are cached: each must find the docs as the last one left them (doc-cache.ts).
   */
  inTurn<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    if (!this.docCache) return work();
    const turn = (this.writing.get(workspaceId) ?? Promise.resolve()).then(work);
    const done = turn.catch(() => undefined);
    this.writing.set(workspaceId, done);
    void done.then(() => {
      if (this.writing.get(workspaceId) === done) this.writing.delete(workspaceId);
    });
    return turn;
  }

  static async start(options: SyncServerOptions): Promise<SyncServer> {
    const server = new SyncServer(options.store, options);
    server.key = await options.store.signingKey();
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get signingKey(): Uint8Array {
    return this.key;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.fanOut;
  }

  // ---------------------------------------------------------------- connections

  join(connection: Connection, workspaceId: string): void {
    let set = this.byWorkspace.get(workspaceId);
    if (!set) this.byWorkspace.set(workspaceId, (set = new Set()));
    set.add(connection);
  }

  leave(connection: Connection, workspaceId: string | null): void {
    this.connections.delete(connection);
    if (!workspaceId) return;
    const set = this.byWorkspace.get(workspaceId);
    set?.delete(connection);
    if (set?.size === 0) this.byWorkspace.delete(workspaceId);
  }

  /** Open connections of one device registration (on this node). */
  connectionsOf(workspaceId: string, deviceRegistration: string): Connection[] {
    return [...(this.byWorkspace.get(workspaceId) ?? [])].filter((c) => c.device?.id === deviceRegistration);
  }

  /** Close silent connections, and those of devices revoked elsewhere (the admin command, another node). */
  private async beat(): Promise<void> {
    for (const connection of this.connections) connection.ping();
    const checked = new Map<string, boolean>();
    for (const connection of [...this.connections]) {
      const id = connection.device?.id;
      if (!id) continue;
      if (!checked.has(id)) checked.set(id, (await this.store.device(id).catch(() => null))?.revokedAt != null);
      if (checked.get(id)) connection.fail('unauthorized', REVOKED);
    }
  }

  private async deliver(event: AppendedEvent): Promise<void> {
    const targets = [...(this.byWorkspace.get(event.workspaceId) ?? [])].filter((c) => c.live && c.id !== event.origin);
    if (targets.length === 0) return;
    let items: StoredUpdate[] | undefined = event.items;
    let erasures = event.erasures ?? [];
    if (!items) {
      const pulled = await this.store.pull(event.workspaceId, event.after, event.upTo - event.after, Number.POSITIVE_INFINITY);
      items = pulled.items.filter((i) => i.seq <= event.upTo);
      erasures = pulled.erasures.filter((e) => e.seq <= event.upTo);
    }
    const frame = encodeMessage({ type: 'updates', after: event.after, upTo: event.upTo, live: true, more: false, items, erasures });
    // A pull's answer read after these were stored already carried every one of them to that
    // connection; an erasure is always sent on.
    for (const c of targets) if (erasures.length > 0 || !items.every((i) => c.known.has(i.seq))) c.sendLive(frame, event.after, event.upTo);
  }

  /**
   * The device behind a token: refused if its registration was revoked or belongs
   * elsewhere. A token older than RENEW_AFTER_SECONDS is replaced, so a device that syncs
   * never expires. A token issued before registrations gets one named after the token.
   */
  async authenticate(token: string, workspaceId: string): Promise<{ device: DeviceRecord; user: SyncUser; renewed: string | null }> {
    const claims = await verifyToken(this.key, token);
    if (claims.workspaceId !== workspaceId) throw new AuthError('the token is for another workspace');
    if (!(await this.store.workspaceExists(workspaceId))) throw new AuthError('the workspace no longer exists on this server');
    const id = claims.deviceRegistration ?? createHash('sha256').update(token).digest('hex').slice(0, 32);
    let device = await this.store.device(id);
    if (claims.deviceRegistration && device?.workspaceId !== workspaceId) throw new AuthError('this device is not registered on this server; redeem a new invite code');
    if (device?.revokedAt != null) throw new AuthError(REVOKED);
    device ??= await this.register(workspaceId, claims.subject, claims.user, claims.role, id);
    const stale = Date.now() / 1000 - claims.issuedAt > RENEW_AFTER_SECONDS;
    return { device, user: claims.user, renewed: stale ? await this.tokenFor(device, claims.user) : null };
  }

  private async register(workspaceId: string, deviceId: string, user: SyncUser, role: SyncRole, id: string = randomUUID()): Promise<DeviceRecord> {
    const device = { id, workspaceId, deviceId, userId: user.id, userName: user.name, role };
    await this.store.registerDevice(device);
    return { ...device, lastSeenAt: 0, cursor: 0, revokedAt: null };
  }

  private tokenFor(device: DeviceRecord, user: SyncUser): Promise<string> {
    return issueToken(this.key, { workspaceId: device.workspaceId, role: device.role, subject: device.deviceId, user, deviceRegistration: device.id });
  }

  /** The workspace's devices as a lead sees them. */
  async deviceList(workspaceId: string): Promise<DeviceInfo[]> {
    const [devices, head] = await Promise.all([this.store.devices(workspaceId), this.store.head(workspaceId)]);
    return devices.map((d) => {
      const open = this.connectionsOf(workspaceId, d.id);
      const cursor = Math.max(d.cursor, ...open.map((c) => c.known.upTo));
      return {
        id: d.id,
        deviceId: d.deviceId,
        userName: d.userName,
        role: d.role,
        lastSeenAt: open.length ? Date.now() : d.lastSeenAt,
        behind: Math.max(0, head - cursor),
        connected: open.length > 0,
        revoked: d.revokedAt !== null,
      };
    });
  }

  /** Withdraw a device's access: its token is refused from now on and its open connections close. */
  async revoke(workspaceId: string, deviceRegistration: string): Promise<boolean> {
    if (!(await this.store.revokeDevice(workspaceId, deviceRegistration, Date.now()))) return false;
    for (const c of this.connectionsOf(workspaceId, deviceRegistration)) c.fail('unauthorized', REVOKED);
    return true;
  }

  // ---------------------------------------------------------------- invite redemption

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/health') return reply(200, { ok: true });
      if (req.method !== 'POST' || path !== REDEEM_PATH) return reply(404, { error: 'no such endpoint' });
      if (!this.allowRedeem(req.socket.remoteAddress ?? '?')) return reply(429, { error: 'too many attempts; wait a minute and try again' });
      const body = await readBody(req, 4_096);
      let parsed: { code?: unknown; deviceId?: unknown; user?: { id?: unknown; name?: unknown } };
      try {
        parsed = JSON.parse(body);
      } catch {
        return reply(400, { error: 'the request body is not JSON' });
      }
      const user = parsed?.user;
      if (
        typeof parsed?.code !== 'string' ||
        typeof parsed.deviceId !== 'string' ||
        parsed.deviceId.length > 100 ||
        !isSyncUser(user)
      ) {
        return reply(400, { error: 'send {"code": "<invite code>", "deviceId": "<device id>", "user": {"id": "<1-100 characters>", "name": "<1-200 characters>"}}' });
      }
      const invite = await this.store.redeemInvite(hashInviteCode(parsed.code), Date.now());
      if (!invite) return reply(404, { error: 'this invite code is not valid, has expired or has been used up' });
      const author = { id: user.id, name: user.name };
      // The server attests this id as the author of every push the token makes: one person's
      // id may not be taken by another device (say, a worker's claiming the lead's id). The
      // code's use is spent all the same, so a refused claim cannot be retried without end.
      const deviceId = parsed.deviceId;
      const holder = (await this.store.devices(invite.workspaceId)).find((d) => d.userId === author.id && d.deviceId !== deviceId && d.revokedAt === null);
      if (holder) {
        return reply(409, { error: `another device is already registered as this person (${holder.userName}); if it is yours and lost, ask your team lead to revoke it, then use a new invite code` });
      }
      const device = await this.register(invite.workspaceId, deviceId, author, invite.role);
      return reply(200, { token: await this.tokenFor(device, author), workspaceId: invite.workspaceId, role: invite.role });
    } catch (error) {
      if (error instanceof BodyTooLarge) return reply(413, { error: error.message });
      this.log(`redeem failed: ${String(error)}`);
      return reply(500, { error: 'the server failed; try again' });
    }
  }

  /** Addresses the redeem rate limit is tracking (old windows are forgotten). */
  get redeemAddresses(): number {
    return this.redeems.size;
  }

  private allowRedeem(address: string): boolean {
    const now = Date.now();
    const window = this.limits.redeemWindowMs;
    if (now - this.redeemsPrunedAt > window) {
      for (const [key, entry] of this.redeems) if (now - entry.windowStart > window) this.redeems.delete(key);
      this.redeemsPrunedAt = now;
    }
    const entry = this.redeems.get(address);
    if (!entry || now - entry.windowStart > window) {
      this.redeems.set(address, { windowStart: now, count: 1 });
      return true;
    }
    entry.count += 1;
    return entry.count <= this.limits.redeemsPerMinute;
  }
}

class BodyTooLarge extends Error {}

function isSyncUser(value: unknown): value is SyncUser {
  const user = value as Partial<SyncUser> | null | undefined;
  return typeof user?.id === 'string' && typeof user.name === 'string' && user.id.length >= 1 && user.id.length <= 100 && user.name.length >= 1 && user.name.length <= 200;
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) {
        reject(new BodyTooLarge(`the request body exceeds ${max} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A token bucket: `take` fails once the burst is spent faster than the rate refills it. */
class Bucket {
  private level: number;
  private last = Date.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.level = burst;
  }

  take(amount: number): boolean {
    const now = Date.now();
    this.level = Math.min(this.burst, this.level + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.level < amount) return false;
    this.level -= amount;
    return true;
  }
}

/** Why a change to an erased record is refused, in words the device shows. */
export const ERASED_REASON = 'this record was erased by a team lead: it cannot be changed or created again, and its data is gone from the server';

/** Bytes a live receiver may have queued unsent before live copies to it are skipped (it will pull). */
const LIVE_BACKLOG_BYTES = 16 * 1024 * 1024;

const REVOKED = "a team lead withdrew this device's access to the workspace";

/** A pull being answered: its number, where its next answer starts, how many more may be sent now, where each sent and not yet taken ends. */
interface CatchUp {
  request: number;
  next: number;
  room: number;
  sent: number[];
}

/** A pull's answer as read, and the release of its share of the server's pull budget. */
interface PullRead {
  pulled: Pulled;
  release: () => void;
}

/** Errors after which the connection stays open: they concern one frame, and the next may be fine. */
const RECOVERABLE: ReadonlySet<ErrorCode> = new Set(['bad_message', 'too_large', 'bad_update']);

class Connection {
  readonly id = randomUUID();
  workspaceId: string | null = null;
  /** The device registration its token names, once it has said hello. */
  device: DeviceRecord | null = null;
  /** The user the token names: the attested author of everything this connection pushes. */
  private user: SyncUser | null = null;
  private clientId = '';
  /** The highest message id of a push stored (or taken as a re-send) on this connection: a push following a later one follows one not stored. */
  private storedUpTo = 0;
  /** What its client holds, so nothing is sent to it twice. */
  readonly known = new KnownSeqs();
  /** Caught up by a pull, so it gets new updates as they are stored. */
  live = false;
  /** The pull being answered (see sendAnswers); null once its last answer has gone. */
  private catchUp: CatchUp | null = null;
  /** The next answer of a catch-up, read while the client applies the last one (see readAhead). */
  private ahead: { after: number; read: Promise<(PullRead & { head: number }) | null> } | null = null;
  private closed = false;
  /** Closed by the server because of something the client did: what it sent meanwhile is not handled. */
  private failed = false;
  private awaitingPong = false;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly messages: Bucket;
  private readonly bytes: Bucket;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    private readonly server: SyncServer,
    private readonly ws: WebSocket,
  ) {
    const l = server.limits;
    this.messages = new Bucket(l.messagesPerSecond, l.messageBurst);
    this.bytes = new Bucket(l.bytesPerSecond, l.byteBurst);
    // Not `unauthorized`: a client on a slow link holds a valid token and should simply try again.
    this.helloTimer = setTimeout(() => this.fail('too_slow', 'no hello within the time allowed; try again'), l.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('pong', () => (this.awaitingPong = false));
    // ws reports oversized frames and protocol violations here, then closes the socket.
    ws.on('error', (error) => this.fail(/payload/i.test(error.message) ? 'too_large' : 'bad_message', error.message));
    ws.on('close', () => this.cleanup());
  }

  private get role(): SyncRole | null {
    return this.device?.role ?? null;
  }

  /** Ping; a connection that did not answer the previous ping is dead (its network went away silently). */
  ping(): void {
    if (this.closed) return;
    if (this.awaitingPong) {
      this.ws.terminate();
      return this.cleanup();
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!this.messages.take(1) || !this.bytes.take(frame.byteLength)) return this.fail('rate_limited', 'too many messages; slow down');
    if (this.queued >= this.server.limits.maxQueued) return this.fail('rate_limited', 'too many messages waiting; slow down');
    if (!isBinary) return this.refuse('bad_message', 'messages must be binary frames');
    let message: Message;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      if (error instanceof ProtocolError) return this.refuse(error.code, error.message);
      return this.refuse('bad_message', `the message could not be decoded: ${String(error)}`);
    }
    this.queued += 1;
    this.queue = this.queue
      // A message that arrived before the peer went away is still handled (a push is stored,
      // as its client will learn when it pushes it again), whatever the timing of the close;
      // after the server itself gave up on the connection, nothing more is.
      .then(() => (this.failed ? undefined : this.handle(message)))
      .catch((error) => {
        if (error instanceof AuthError) return this.fail('unauthorized', error.message);
        this.server.log(`sync connection ${this.id} failed: ${String(error)}`);
        this.fail('internal', 'the server failed to handle the message; try again');
      })
      .finally(() => {
        this.queued -= 1;
      });
  }

  private async handle(message: Message): Promise<void> {
    if (!this.device) {
      if (message.type !== 'hello') return this.fail('unauthorized', 'the first message must be hello, with a token');
      if (message.clientId.length === 0 || message.clientId.length > 100) return this.fail('bad_message', 'the client id must be 1 to 100 characters');
      const { device, user, renewed } = await this.server.authenticate(message.token, message.workspaceId);
      if (this.closed) return;
      const open = this.server.connectionsOf(message.workspaceId, device.id).length;
      if (open >= this.server.limits.connectionsPerDevice) {
        return this.fail('too_many_connections', `this device already has ${open} connections open; it will be tried again later`);
      }
      clearTimeout(this.helloTimer);
      this.device = device;
      this.user = user;
      this.workspaceId = message.workspaceId;
      this.clientId = message.clientId;
      this.server.join(this, message.workspaceId);
      const head = await this.server.store.head(message.workspaceId);
      await this.server.store.deviceSeen(device.id, Date.now(), 0);
      this.send({ type: 'welcome', workspaceId: message.workspaceId, role: device.role, head });
      if (renewed) this.send({ type: 'renew', token: renewed });
      return;
    }
    const workspaceId = this.workspaceId!;
    // Revoked through another node or the admin command since hello: stop at the next message.
    if ((await this.server.store.device(this.device.id))?.revokedAt != null) throw new AuthError(REVOKED);
    switch (message.type) {
      case 'push': {
        if (this.role === 'viewer') return this.fail('forbidden', 'a viewer may not change records');
        // Sent behind a push that was not stored: its client, told why, sends these changes again.
        if ((message.after ?? 0) > this.storedUpTo) return this.send({ type: 'skipped', after: message.after! });
        // No record needs more: refused like any other bad change, so the device holds it back and offers to discard it.
        const cap = this.server.limits.maxPushUpdateBytes;
        const large = message.items.filter((i) => i.update.byteLength > cap);
        if (large.length) {
          const reason = (bytes: number) => `its update is ${bytes.toLocaleString('en-GB')} bytes; a record's update may be at most ${cap.toLocaleString('en-GB')}`;
          return this.send({ type: 'refused', items: large.map((i) => ({ msgId: i.msgId, docId: i.docId, reason: reason(i.update.byteLength) })) });
        }
        const outcome = await this.server.inTurn(workspaceId, () => this.checkAndStore(workspaceId, message.items));
        if ('refused' in outcome) {
          const { refused } = outcome;
          this.server.log(`refused a push from ${this.user!.name} (${this.user!.id}): ${refused.map((r) => `record ${r.docId}: ${r.reason}`).join('; ')}`);
          return this.send({ type: 'refused', items: refused });
        }
        // It holds what it pushed: not behind by its own updates.
        for (const { seq } of outcome.acks) if (seq > 0) this.known.add(seq - 1, seq);
        this.storedUpTo = Math.max(this.storedUpTo, ...message.items.map((i) => i.msgId));
        return this.send({ type: 'ack', items: outcome.acks });
      }
      case 'pull': {
        this.known.add(0, message.cursor);
        // Whatever the client asks, no more than the server allows; a pull ends the one before it.
        const window = Math.max(1, Math.min(message.window ?? 1, this.server.limits.pullWindow));
        this.catchUp = { request: message.request ?? 0, next: message.cursor, room: window, sent: [] };
        await this.sendAnswers(workspaceId);
        return this.server.store.deviceSeen(this.device.id, Date.now(), message.cursor);
      }
      case 'pullNext': {
        const catchUp = this.catchUp;
        const taken = catchUp?.request === message.request ? catchUp.sent.indexOf(message.upTo) + 1 : 0;
        // Sent before the pull's last answer reached the client, or for an answer it took already: nothing to send.
        if (taken === 0) return;
        catchUp!.sent.splice(0, taken);
        catchUp!.room += taken;
        await this.sendAnswers(workspaceId);
        return this.server.store.deviceSeen(this.device.id, Date.now(), message.upTo);
      }
      case 'listDevices':
        if (this.role !== 'lead') return this.fail('forbidden', "only team leads may see the team's devices");
        return this.send({ type: 'devices', items: await this.server.deviceList(workspaceId) });
      case 'revoke': {
        if (this.role !== 'lead') return this.fail('forbidden', "only team leads may withdraw a device's access");
        if (message.id === this.device.id) return this.refuse('bad_message', 'a lead cannot withdraw the access of the device they are using');
        if (!(await this.server.revoke(workspaceId, message.id))) return this.refuse('bad_message', `this workspace has no device ${message.id}`);
        return this.send({ type: 'devices', items: await this.server.deviceList(workspaceId) });
      }
      case 'invite': {
        if (this.role !== 'lead') return this.fail('forbidden', 'only team leads may invite devices');
        const { code, expiresAt } = await issueInvite(this.server.store, workspaceId, message);
        return this.send({ type: 'invited', code, role: message.role, uses: message.uses, expiresAt });
      }
      case 'fetchDoc': {
        const rows = (await this.server.store.docUpdates(workspaceId, [message.docId])).get(message.docId) ?? [];
        const update = rows.length === 0 ? new Uint8Array() : rows.length === 1 ? rows[0]! : Y.mergeUpdates(rows);
        return this.send({ type: 'docState', docId: message.docId, update });
      }
      case 'erase': {
        // The token's role is the only thing trusted: a lead erases, nobody else.
        if (this.role !== 'lead') return this.fail('forbidden', `only a team lead may erase a person; this device syncs as ${this.role}`);
        const stored = await this.server.inTurn(workspaceId, async () => {
          const erased = await this.server.store.erase(workspaceId, this.id, this.user!, message);
          this.server.docCache?.drop(workspaceId, message.recordIds);
          return erased;
        });
        // The log names the erasure, not whom it erased.
        this.server.log(`erasure ${stored.erasureId} by ${this.user!.name} (${this.user!.id}): ${message.recordIds.length} records`);
        return this.send({ type: 'erased', erasureId: stored.erasureId, seq: stored.seq });
      }
      default:
        return this.refuse('bad_message', `a client may not send a ${message.type} message here`);
    }
  }

  /**
   * Check a push and store it, or store nothing of it: nothing is stored unless every record
   * it changes passes (push-guard.ts). A refusal names each record and why, and keeps the
   * connection: the client sets them aside. An erased record is never stored again, whoever sends it.
   */
  private async checkAndStore(workspaceId: string, items: PushItem[]): Promise<{ refused: Refusal[] } | { acks: { msgId: number; seq: number }[] }> {
    const { store, docCache } = this.server;
    const erased = await store.erasedAmong(workspaceId, [...new Set(items.map((i) => i.docId))]);
    const refused = [...new Map(items.filter((i) => erased.has(i.docId)).map((i) => [i.docId, { docId: i.docId, msgId: i.msgId, reason: ERASED_REASON }])).values()];
    const rest = items.filter((i) => !erased.has(i.docId));
    const guard = await PushGuard.load(store, workspaceId, rest, this.device!.role, this.user!, docCache);
    refused.push(...guard.check(rest));
    if (refused.length) return { refused };
    const acks = await store.append(workspaceId, this.clientId, this.id, this.user!, items);
    // An item under a message id the store has seen from this client is not stored again
    // (a re-sent push): whatever it holds, the store does not, so neither may the cache.
    const unstored = new Set(items.filter((_, i) => acks[i]!.seq === 0).map((item) => item.docId));
    if (docCache) guard.keepIn(docCache, workspaceId, new Set(items.map((item) => item.docId).filter((docId) => !unstored.has(docId))));
    return { acks };
  }

  /** A pull's answer from the store, within the server's budget of bytes being read and sent (released once sent). */
  private async readPull(workspaceId: string, cursor: number): Promise<PullRead> {
    const l = this.server.limits;
    const release = await this.server.pullGate.acquire(l.pullBytes);
    try {
      // What it was sent live is left out, unless compacted since (store.ts readRows).
      return { pulled: await this.server.store.pull(workspaceId, cursor, l.pullItems, l.pullBytes, (seq) => this.known.has(seq)), release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Send the pull's next answers, as many as the client has room for, each starting where
   * the last ended; then read the one after them ahead. The last answer (no `more`) makes the
   * connection live. Every answer names the client's number for the pull, so an answer is
   * never taken for another pull's.
   */
  private async sendAnswers(workspaceId: string): Promise<void> {
    const catchUp = this.catchUp!;
    // A connection closed meanwhile is sent nothing more, so nothing more is read for it.
    for (; catchUp.room > 0 && !this.closed; catchUp.room -= 1) {
      const { pulled, release } = (await this.takeAhead(workspaceId, catchUp.next)) ?? (await this.readPull(workspaceId, catchUp.next));
      const { items, erasures, upTo, more } = pulled;
      this.send({ type: 'updates', request: catchUp.request, after: catchUp.next, upTo, live: false, more, items, erasures }, release);
      this.known.add(catchUp.next, upTo);
      if (!more) {
        this.live = true;
        this.catchUp = null;
        return;
      }
      catchUp.sent.push(upTo);
      catchUp.next = upTo;
    }
    if (!this.live && !this.closed) this.readAhead(workspaceId, catchUp.next);
  }

  /**
   * Read the next answer of a catch-up (a first sync: thousands of answers in a row) while
   * the client applies this one, so it is sent the moment the client asks rather than
   * after a read. Only while the connection is not live: then nothing is sent to it but
   * these answers, so what it holds changes only by them.
   */
  private readAhead(workspaceId: string, after: number): void {
    const read = (async () => {
      const head = await this.server.store.head(workspaceId);
      return { head, ...(await this.readPull(workspaceId, after)) };
    })();
    this.ahead = { after, read: read.catch(() => null) };
  }

  /**
   * The answer read ahead, if it is for this cursor and nothing was stored or erased in the
   * workspace since it was read (then it is exactly what reading now would give); else null,
   * and it is let go.
   */
  private async takeAhead(workspaceId: string, cursor: number): Promise<PullRead | null> {
    const ahead = this.ahead;
    this.ahead = null;
    const read = await ahead?.read;
    if (!read) return null;
    if (ahead!.after === cursor && read.head === (await this.server.store.head(workspaceId))) return read;
    read.release();
    return null;
  }

  /** `sent` runs once the frame is written out (or could not be). */
  private send(message: Message, sent?: () => void): void {
    if (this.closed) return sent?.();
    this.ws.send(encodeMessage(message), sent);
  }

  /** A live copy of the updates in (after, upTo], which the client then holds. */
  sendLive(frame: Uint8Array, after: number, upTo: number): void {
    if (this.closed || this.ws.bufferedAmount > LIVE_BACKLOG_BYTES) return;
    this.ws.send(frame);
    this.known.add(after, upTo);
  }

  /**
   * Tell the client what was wrong with one frame; the connection stays (nothing was
   * stored from the frame). Before hello there is nothing to keep.
   */
  private refuse(code: ErrorCode, message: string): void {
    if (!this.device || !RECOVERABLE.has(code)) return this.fail(code, message);
    this.send({ type: 'error', code, message });
  }

  /** Tell the client what was wrong, then close this connection only. */
  fail(code: ErrorCode, message: string): void {
    if (this.closed) return;
    this.failed = true;
    this.cleanup();
    try {
      this.ws.send(encodeMessage({ type: 'error', code, message }));
      // A close reason is limited to 123 bytes; the error frame carries the full text.
      this.ws.close(CLOSE_CODES[code], message.replace(/[^\x20-\x7e]/g, '?').slice(0, 120));
    } catch {
      this.ws.terminate();
    }
    // A peer that never completes the closing handshake does not keep the socket.
    setTimeout(() => this.ws.terminate(), 2_000).unref();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.helloTimer);
    void this.ahead?.read.then((read) => read?.release());
    this.server.leave(this, this.workspaceId);
    const device = this.device;
    if (device) void this.server.store.deviceSeen(device.id, Date.now(), this.known.upTo).catch(() => undefined);
  }
}
