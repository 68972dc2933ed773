// The sync server: an HTTP endpoint to redeem invite codes and a WebSocket endpoint
// speaking shared/sync-protocol.ts. It holds no state of its own beyond connections;
// everything lives in the storage engine, so several nodes can share one PostgreSQL.
//
// Hostile input: every frame is size-capped (ws maxPayload), decoded defensively, and
// every Yjs update is checked before it is stored. Anything wrong closes that one
// connection with an error frame naming the problem; nothing is stored from it.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  CLOSE_CODES,
  MAX_BATCH_ITEMS,
  MAX_FRAME_BYTES,
  ProtocolError,
  decodeMessage,
  encodeMessage,
  type ErrorCode,
  type Message,
  type StoredUpdate,
  type SyncRole,
  type SyncUser,
} from '../shared/sync-protocol';
import { PushGuard } from './push-guard';
import { AuthError, hashInviteCode, issueToken, verifyToken } from './auth';
import type { AppendedEvent, SyncStore } from './store';

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
  /** Invite redemptions per remote address per minute (codes must not be guessable by trying). */
  redeemsPerMinute: number;
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
};

export interface SyncServerOptions {
  store: SyncStore;
  port?: number;
  host?: string;
  limits?: Partial<Limits>;
  log?: (line: string) => void;
}

export const SYNC_PATH = '/v1/sync';
export const REDEEM_PATH = '/v1/redeem';

export class SyncServer {
  readonly limits: Limits;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly byWorkspace = new Map<string, Set<Connection>>();
  private readonly redeems = new Map<string, { windowStart: number; count: number }>();
  /** Live fan-out runs in the order the engine reported the appends. */
  private fanOut: Promise<void> = Promise.resolve();
  private key!: Uint8Array;

  private constructor(
    readonly store: SyncStore,
    options: SyncServerOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.log ?? ((line) => console.error(line));
    this.http = createServer((req, res) => void this.handleHttp(req, res));
    // Frames compress well (ids, Yjs client ids and keys repeat), so the wire carries less than the updates.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: { threshold: 1024 } });
    this.http.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== SYNC_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => new Connection(this, ws));
    });
    this.http.on('clientError', (_error, socket) => socket.destroy());
    store.onAppended((event) => {
      this.fanOut = this.fanOut.then(() => this.deliver(event)).catch((error) => this.log(`live delivery failed: ${String(error)}`));
    });
  }

  readonly log: (line: string) => void;

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
    if (!workspaceId) return;
    const set = this.byWorkspace.get(workspaceId);
    set?.delete(connection);
    if (set?.size === 0) this.byWorkspace.delete(workspaceId);
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
    for (const c of targets) c.sendLive(frame);
  }

  async authenticate(token: string, workspaceId: string): Promise<{ role: SyncRole; user: SyncUser }> {
    const claims = await verifyToken(this.key, token);
    if (claims.workspaceId !== workspaceId) throw new AuthError('the token is for another workspace');
    if (!(await this.store.workspaceExists(workspaceId))) throw new AuthError('the workspace no longer exists on this server');
    return { role: claims.role, user: claims.user };
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
      const token = await issueToken(this.key, { workspaceId: invite.workspaceId, role: invite.role, subject: parsed.deviceId, user: { id: user.id, name: user.name } });
      return reply(200, { token, workspaceId: invite.workspaceId, role: invite.role });
    } catch (error) {
      if (error instanceof BodyTooLarge) return reply(413, { error: error.message });
      this.log(`redeem failed: ${String(error)}`);
      return reply(500, { error: 'the server failed; try again' });
    }
  }

  private allowRedeem(address: string): boolean {
    const now = Date.now();
    const entry = this.redeems.get(address);
    if (!entry || now - entry.windowStart > 60_000) {
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

class Connection {
  readonly id = randomUUID();
  workspaceId: string | null = null;
  private role: SyncRole | null = null;
  /** The user the token names: the attested author of everything this connection pushes. */
  private user: SyncUser | null = null;
  private clientId = '';
  /** Caught up by a pull, so it gets new updates as they are stored. */
  live = false;
  private closed = false;
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
    this.helloTimer = setTimeout(() => this.fail('unauthorized', 'no hello within the time allowed'), l.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    // ws reports oversized frames and protocol violations here, then closes the socket.
    ws.on('error', (error) => this.fail(/payload/i.test(error.message) ? 'too_large' : 'bad_message', error.message));
    ws.on('close', () => this.cleanup());
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!isBinary) return this.fail('bad_message', 'messages must be binary frames');
    if (!this.messages.take(1) || !this.bytes.take(frame.byteLength)) return this.fail('rate_limited', 'too many messages; slow down');
    if (this.queued >= this.server.limits.maxQueued) return this.fail('rate_limited', 'too many messages waiting; slow down');
    let message: Message;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      if (error instanceof ProtocolError) return this.fail(error.code, error.message);
      return this.fail('bad_message', `the message could not be decoded: ${String(error)}`);
    }
    this.queued += 1;
    this.queue = this.queue
      .then(() => (this.closed ? undefined : this.handle(message)))
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
    if (!this.role) {
      if (message.type !== 'hello') return this.fail('unauthorized', 'the first message must be hello, with a token');
      if (message.clientId.length === 0 || message.clientId.length > 100) return this.fail('bad_message', 'the client id must be 1 to 100 characters');
      const { role, user } = await this.server.authenticate(message.token, message.workspaceId);
      if (this.closed) return;
      clearTimeout(this.helloTimer);
      this.role = role;
      this.user = user;
      this.workspaceId = message.workspaceId;
      this.clientId = message.clientId;
      this.server.join(this, message.workspaceId);
      const head = await this.server.store.head(message.workspaceId);
      return this.send({ type: 'welcome', workspaceId: message.workspaceId, role, head });
    }
    const workspaceId = this.workspaceId!;
    switch (message.type) {
      case 'push': {
        if (this.role === 'viewer') return this.fail('forbidden', 'a viewer may not change records');
        // Nothing of a push is stored unless every record it changes passes (push-guard.ts).
        // A refusal names each record and why, and keeps the connection: the client sets them aside.
        // An erased record is never stored again, whoever sends it.
        const erased = await this.server.store.erasedAmong(workspaceId, [...new Set(message.items.map((i) => i.docId))]);
        const refused = [...new Map(message.items.filter((i) => erased.has(i.docId)).map((i) => [i.docId, { docId: i.docId, msgId: i.msgId, reason: ERASED_REASON }])).values()];
        const rest = message.items.filter((i) => !erased.has(i.docId));
        const guard = await PushGuard.load(this.server.store, workspaceId, rest, this.role, this.user!);
        try {
          refused.push(...guard.check(rest));
        } finally {
          guard.destroy();
        }
        if (refused.length) {
          this.server.log(`refused a push from ${this.user!.name} (${this.user!.id}): ${refused.map((r) => `record ${r.docId}: ${r.reason}`).join('; ')}`);
          return this.send({ type: 'refused', items: refused });
        }
        const acks = await this.server.store.append(workspaceId, this.clientId, this.id, this.user!, message.items);
        return this.send({ type: 'ack', items: acks });
      }
      case 'pull': {
        const l = this.server.limits;
        const { items, erasures, upTo, more } = await this.server.store.pull(workspaceId, message.cursor, l.pullItems, l.pullBytes);
        this.send({ type: 'updates', after: message.cursor, upTo, live: false, more, items, erasures });
        if (!more) this.live = true;
        return;
      }
      case 'fetchDoc': {
        const rows = await this.server.store.docUpdates(workspaceId, message.docId);
        const update = rows.length === 0 ? new Uint8Array() : rows.length === 1 ? rows[0]! : Y.mergeUpdates(rows);
        return this.send({ type: 'docState', docId: message.docId, update });
      }
      case 'erase': {
        // The token's role is the only thing trusted: a lead erases, nobody else.
        if (this.role !== 'lead') return this.fail('forbidden', `only a team lead may erase a person; this device syncs as ${this.role}`);
        const stored = await this.server.store.erase(workspaceId, this.id, this.user!, message);
        // The log names the erasure, not whom it erased.
        this.server.log(`erasure ${stored.erasureId} by ${this.user!.name} (${this.user!.id}): ${message.recordIds.length} records`);
        return this.send({ type: 'erased', erasureId: stored.erasureId, seq: stored.seq });
      }
      default:
        return this.fail('bad_message', `a client may not send a ${message.type} message here`);
    }
  }

  private send(message: Message): void {
    if (!this.closed) this.ws.send(encodeMessage(message));
  }

  sendLive(frame: Uint8Array): void {
    if (this.closed || this.ws.bufferedAmount > LIVE_BACKLOG_BYTES) return;
    this.ws.send(frame);
  }

  /** Tell the client what was wrong, then close this connection only. */
  fail(code: ErrorCode, message: string): void {
    if (this.closed) return;
    this.closed = true;
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
    this.closed = true;
    clearTimeout(this.helloTimer);
    this.server.leave(this, this.workspaceId);
  }
}
