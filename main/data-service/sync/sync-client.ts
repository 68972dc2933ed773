// The data service's sync client: pushes the outbox (local updates written in the same
// transaction as each change, see DocStore), pulls everything after its cursor and
// applies it with its projections in one transaction per batch, and keeps a live
// connection while online. Nothing is lost or applied twice in a harmful way when it
// is interrupted anywhere: outbox rows go only once the server has acknowledged them,
// the cursor moves only in the transaction that applied what it covers, and Yjs
// updates are idempotent, so anything sent or received twice is harmless.
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Author } from '../../../shared/domain';
import {
  MAX_BATCH_ITEMS,
  MAX_FRAME_BYTES,
  MAX_PUSH_UPDATE_BYTES,
  decodeMessage,
  encodeMessage,
  ProtocolError,
  type DeviceInfo,
  type ErrorCode,
  type Invitation,
  type Message,
  type PushItem,
  type StoredErasure,
  type SyncRole,
} from '../../../shared/sync-protocol';
import { normaliseCheckCode } from '../../../shared/check-code';
import { Emitter } from '../../../shared/emitter';
import { formatCount } from '../../../shared/format';
import type { RefusedChange, SyncState, SyncStatus } from '../../../shared/sync-status';
import type { RemoteUpdate, Workspace } from '../workspace';
import { NewDocReader } from './new-doc-reader';
import { postTrusting, presentedCertificate, trustOnly } from './server-certificate';

/** The transport, so tests can put a faulty network in between. */
export interface SyncSocket {
  send(frame: Uint8Array): void;
  close(): void;
  onopen: () => void;
  onmessage: (frame: Uint8Array) => void;
  /** `reason`: why it ended, in words the sync status shows. */
  onclose: (reason: string) => void;
}

/** `certificate`: the one certificate (PEM) to trust, for a server on the team's own network (server-certificate.ts). */
export type SocketFactory = (url: string, certificate?: string) => SyncSocket;

/**
 * Sockets to the server. Closing one drops it at once (a dead link would hold a closing
 * handshake); `{ graceful: true }` lets what was sent arrive first, so a test cutting links
 * at chosen frames sees the same outcome every run.
 */
export const webSockets = ({ graceful = false } = {}): SocketFactory => (url, certificate) => {
  // Live copies of a peer's largest push carry a few bytes more per update than the push did.
  // ws hands TLS options to tls.connect as they are; its own type for checkServerIdentity is an older one.
  const trust = certificate ? (trustOnly(certificate) as Pick<WebSocket.ClientOptions, 'ca' | 'checkServerIdentity'>) : {};
  const ws = new WebSocket(url, { perMessageDeflate: true, maxPayload: 2 * MAX_FRAME_BYTES, handshakeTimeout: 15_000, ...trust });
  ws.binaryType = 'nodebuffer';
  const socket: SyncSocket = {
    send: (frame) => ws.send(frame),
    close: () => (graceful ? ws.close() : ws.terminate()),
    onopen: () => undefined,
    onmessage: () => undefined,
    onclose: () => undefined,
  };
  let closeReason = CONNECTION_LOST;
  ws.on('open', () => socket.onopen());
  ws.on('message', (data: Buffer) => socket.onmessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
  ws.on('error', (error) => {
    closeReason = socketError(error);
  });
  ws.on('close', () => socket.onclose(closeReason));
  return socket;
};

export const openWebSocket: SocketFactory = webSockets();

export interface SyncClientOptions {
  connect?: SocketFactory;
  /** Redeeming an invite code (HTTP); replaceable in tests. */
  fetch?: typeof fetch;
  /** Retry delays: the first, doubling up to the largest. */
  retryMs?: { first: number; max: number };
  random?: () => number;
  /** A request unanswered for this long means the connection is dead. */
  requestTimeoutMs?: number;
}

/** Bytes of updates in one push frame (well under the server's frame limit). */
const PUSH_BYTES = 1024 * 1024;
/** Pushes awaiting the server's answer at once (protocol version 5): 4 MB on their way at most. */
const PUSH_WINDOW = 4;

const META = {
  url: 'sync.url',
  token: 'sync.token',
  workspaceId: 'sync.workspace_id',
  role: 'sync.role',
  cursor: 'sync.cursor',
  lastSyncAt: 'sync.last_sync_at',
  paused: 'sync.paused',
  /** The server workspace this device last finished a sync with (kept across disconnects). */
  syncedWith: 'sync.synced_with',
  /** While set, every doc is being sent again, in `docs` rowid order, after this rowid. */
  repushAfter: 'sync.repush_after',
  /** The one certificate (PEM) trusted for a server on the team's own network, checked by its code at connect. */
  certificate: 'sync.certificate',
  /** That code, for the sync dialog and the lead's invitations. */
  checkCode: 'sync.check_code',
} as const;

/**
 * Keys that outlive a disconnect: they describe this device's data, not the server. The
 * role too: a worker who disconnects must not become the lead of their copy, merge there,
 * and find every change after it refused by the server on joining again.
 */
const KEPT_ON_DISCONNECT: ReadonlySet<string> = new Set([META.lastSyncAt, META.syncedWith, META.repushAfter, META.role]);

/**
 * During a long pull, batches are held and applied together up to these sizes: each
 * transaction rewrites every index page it touched once, and a first sync's records land
 * on random pages of every index, so ten batches per transaction write far fewer pages
 * than ten transactions do.
 */
const HOLD_ITEMS = 20_000;
const HOLD_BYTES = 32 * 1024 * 1024;
/** Held updates are applied anyway when the next batch is this late (a slow link): what arrived is kept. */
const HOLD_MS = 1_000;
/**
 * Live updates are held this long for those right behind them, and while this device's own
 * pushes are on their way (a sync after offline work, when colleagues' pushes arrive between
 * its own) until the last is acknowledged, at most PUSHING_HOLD_MS. Applied together, a
 * record several of them change is hydrated and projected once, and the batch commits once:
 * applying a colleague's pushes two at a time costs a tenth less than one at a time, four
 * at a time a fifth less.
 */
const LIVE_HOLD_MS = 25;
const PUSHING_HOLD_MS = 4_000;

/**
 * A pull answer bringing at least this many docs new here has them read on the second
 * thread (new-doc-reader.ts): a first sync's, or a colleague's import. Fewer are read
 * here, as they always were, rather than start a thread for them.
 */
const READ_AHEAD_DOCS = 200;

/**
 * Answers of a pull on their way at once: while this device applies one answer, the next
 * ones are on the wire, so it does not wait a round trip (and the server's compression) for
 * each. Each takes up to half a frame of memory until applied (the server allows at most its `pullWindow`).
 */
const PULL_WINDOW = 4;

/** Docs queued for sending again per step of a re-push. */
const REPUSH_CHUNK = 500;

/** The user the server attests as the author of this device's pushes: the one its token names (null if it names none). */
function tokenUser(token: string | null): Author | null {
  if (!token) return null;
  try {
    const { user } = decodeJwt(token) as { user?: Partial<Author> };
    return typeof user?.id === 'string' && typeof user.name === 'string' ? { id: user.id, name: user.name } : null;
  } catch {
    return null;
  }
}

/** Errors the server sends that retrying with the same token cannot fix. */
const FATAL: ReadonlySet<ErrorCode> = new Set(['unauthorized', 'forbidden', 'unsupported_version']);

export class SyncClient {
  private readonly options: Required<SyncClientOptions>;
  private readonly statuses = new Emitter<[status: SyncStatus]>();
  private socket: SyncSocket | null = null;
  private ready = false;
  private role: string | null = null;
  private state: SyncState;
  private error: string | null = null;
  /** Pushes awaiting the server's answer, oldest first: each holds the outbox rows after the one before, up to `upTo`. */
  private pushes: { upTo: number; msgIds: number[] }[] = [];
  /** This device's erasure sent and awaiting the server's `erased`. */
  private erasing: string | null = null;
  private pulling = false;
  /** This device's number for its latest pull: only answers naming it belong to that pull (a duplicate of an earlier pull's last answer does not end this one). */
  private pullRequest = 0;
  private pullAgain = false;
  private caughtUp = false;
  private pullChainsStarted = 0;
  private pullChainsDone = 0;
  private waiters: { afterChain: number; resolve: (s: SyncStatus) => void; reject: (e: Error) => void }[] = [];
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryAt: string | null = null;
  /** The server's newest sequence number as last heard, and the cursor when this pull chain began: its progress. */
  private head = 0;
  /** Pulled updates not applied yet (see HOLD_ITEMS), and the server seq they reach. */
  private held: { items: RemoteUpdate[]; erasures: StoredErasure[]; bytes: number; upTo: number } | null = null;
  /** A lead's requests for the team's devices, answered in order by `devices` messages. */
  private deviceRequests: Waiting<DeviceInfo[]>[] = [];
  /** A lead's requests for invite codes, answered in order by `invited` messages. */
  private inviteRequests: Waiting<Invitation>[] = [];
  /** Discards of refused changes waiting for the server's copy of their record. */
  private readonly discards = new Map<string, { resolve: (s: SyncStatus) => void; reject: (e: Error) => void }>();
  private holdTimer: NodeJS.Timeout | null = null;
  private readonly newDocs = new NewDocReader();
  private pullFrom = 0;
  private requestTimer: NodeJS.Timeout | null = null;
  private pushTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private lastStatusJson = '';
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly offChange: () => void;

  constructor(
    private readonly workspace: Workspace,
    options: SyncClientOptions = {},
  ) {
    this.options = {
      connect: options.connect ?? openWebSocket,
      fetch: options.fetch ?? fetch,
      retryMs: options.retryMs ?? { first: 1_000, max: 60_000 },
      random: options.random ?? Math.random,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    };
    this.retryDelay = this.options.retryMs.first;
    this.state = this.configured ? (this.meta(META.paused) ? 'paused' : 'connecting') : 'not_configured';
    // Every local change (records, rich-text editors) is already in the outbox; send it soon.
    this.offChange = workspace.onChange(({ source }) => {
      if (source !== 'remote') this.schedulePush();
      this.scheduleStatus();
    });
  }

  private meta(key: string): string | null {
    return this.workspace.meta.get(key);
  }

  private get configured(): boolean {
    return this.meta(META.token) !== null;
  }

  private get cursor(): number {
    return Number(this.meta(META.cursor) ?? 0);
  }

  private refusedChanges(): RefusedChange[] {
    return this.workspace.outbox.refused().map((r) => ({ ...r, title: this.workspace.titleOf(r.recordId) }));
  }

  // ---------------------------------------------------------------- public API

  status(): SyncStatus {
    const total = this.head - this.pullFrom;
    return {
      state: this.state,
      serverUrl: this.meta(META.url),
      role: this.role ?? this.meta(META.role),
      pending: this.workspace.outbox.pending(),
      lastSyncAt: this.meta(META.lastSyncAt),
      error: this.error,
      retryAt: this.retryAt,
      // Our own acknowledged pushes also move the cursor, hence the cap.
      progress: this.pulling && total > 0 ? { received: Math.min((this.held?.upTo ?? this.cursor) - this.pullFrom, total), total } : null,
      refused: this.refusedChanges(),
      checkCode: this.checkCode(),
    };
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    return this.statuses.on(listener);
  }

  /** Start syncing in the background if a server is set up and sync is not paused. */
  start(): void {
    if (this.configured && !this.meta(META.paused)) this.open();
  }

  /**
   * Redeem an invite code at the server, remember the server and token, and start syncing.
   * `checkCode`: for a server on the team's own network, the code its certificate must have
   * (server-certificate.ts); nothing is sent to a server whose certificate has another.
   */
  async connect(url: string, inviteCode: string, checkCode?: string): Promise<SyncStatus> {
    const base = url.replace(/\/+$/, '');
    const trusted = checkCode ? await this.certificateChecked(base, checkCode) : null;
    // The server attests this user as the author of everything the device sends.
    const request = { code: inviteCode, deviceId: this.workspace.deviceId, user: { id: this.workspace.author.id, name: this.workspace.author.name } };
    let answer: { status: number; json: unknown };
    try {
      if (trusted) answer = await postTrusting(`${base}/v1/redeem`, request, trusted.pem);
      else {
        const response = await this.options.fetch(`${base}/v1/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
        answer = { status: response.status, json: await response.json().catch(() => ({})) };
      }
    } catch (error) {
      throw new SyncError(unreachable(base, error), untrusted(error) ? 'checkCode' : 'inviteCode');
    }
    const body = answer.json as { token?: string; workspaceId?: string; role?: string; error?: string };
    const { token, workspaceId } = body;
    if (answer.status !== 200 || !token || !workspaceId) {
      throw new SyncError(body.error ?? `the sync server answered ${answer.status}`);
    }
    this.disconnectSocket();
    const sameWorkspace = this.meta(META.url) === base && this.meta(META.workspaceId) === workspaceId;
    this.workspace.transaction(() => {
      this.workspace.meta.set(META.url, base);
      this.workspace.meta.set(META.token, token);
      this.workspace.meta.set(META.workspaceId, workspaceId);
      this.workspace.meta.set(META.role, body.role ?? 'worker');
      if (trusted) {
        this.workspace.meta.set(META.certificate, trusted.pem);
        this.workspace.meta.set(META.checkCode, trusted.checkCode);
      } else {
        this.workspace.meta.delete(META.certificate);
        this.workspace.meta.delete(META.checkCode);
      }
      this.workspace.meta.delete(META.paused);
      // A different server's sequence numbers mean nothing here: pull everything from it.
      if (!sameWorkspace) this.workspace.meta.delete(META.cursor);
      // And it has none of what the last one acknowledged (gone from the outbox): send every doc again.
      const syncedWith = this.meta(META.syncedWith);
      if (syncedWith !== null && syncedWith !== workspaceId) this.workspace.meta.set(META.repushAfter, '0');
    });
    this.error = null;
    this.role = body.role ?? null;
    this.open();
    return this.status();
  }

  /** Sync now; resolves once synced, rejects with the reason if this attempt fails. */
  syncNow(): Promise<SyncStatus> {
    if (!this.configured) return Promise.reject(new SyncError('no sync server is set up on this device'));
    if (this.meta(META.paused)) this.workspace.meta.delete(META.paused);
    return new Promise((resolve, reject) => {
      this.waiters.push({ afterChain: this.pullChainsStarted, resolve, reject });
      if (this.ready) {
        this.requestPull();
        this.push();
      } else this.open();
    });
  }

  /**
   * Throw away a refused change: the record's outbox entries go, and the record becomes what
   * the server holds (every change of this device to it that the server has not stored is
   * lost; the server's copy is fetched, as nothing else on this device knows it apart).
   */
  discardRefused(recordId: string): Promise<SyncStatus> {
    const refused = this.refusedChanges().find((r) => r.recordId === recordId);
    if (!refused) return Promise.reject(new SyncError('no refused change to this record is waiting'));
    if (!this.ready) return Promise.reject(new SyncError("connect to the sync server first: discarding needs the server's copy of the record"));
    return new Promise((resolve, reject) => {
      this.discards.set(recordId, { resolve, reject });
      this.send({ type: 'fetchDoc', docId: recordId });
    });
  }

  /** The check code of the certificate this device trusts its server by; null for a server any computer trusts. */
  checkCode(): string | null {
    return this.meta(META.checkCode);
  }

  /** The certificate the server at `base` presents, if its code is `typed`. */
  private async certificateChecked(base: string, typed: string): Promise<{ pem: string; checkCode: string }> {
    const expected = normaliseCheckCode(typed);
    if (!expected) throw new SyncError('a check code has 16 letters and digits, such as 7KQ2-M9XD-4TRB-1HNC', 'checkCode');
    if (!base.startsWith('https://')) throw new SyncError('a check code is for a server whose address starts with https://', 'checkCode');
    let presented: { pem: string; checkCode: string };
    try {
      presented = await presentedCertificate(base);
    } catch (error) {
      throw new SyncError(unreachable(base, error));
    }
    if (presented.checkCode !== expected) {
      throw new SyncError(
        // Not the code it has: someone standing in for the server would have a person type it.
        `the server at ${base} is not the one the check code names, so nothing was sent to it: the address or the code may be mistyped, or someone on this network may be standing in for the server`,
        'checkCode',
      );
    }
    return presented;
  }

  /** The workspace's devices as the server knows them (a lead's view; the server refuses anyone else). */
  listDevices(): Promise<DeviceInfo[]> {
    return this.askForDevices({ type: 'listDevices' });
  }

  /** Withdraw one device's access at the server: its token stops working at once. The devices afterwards. */
  revokeDevice(registration: string): Promise<DeviceInfo[]> {
    return this.askForDevices({ type: 'revoke', id: registration });
  }

  /** A new invite code for a colleague's device (a lead's; the server refuses anyone else). */
  invite(role: SyncRole, uses: number, days: number): Promise<Invitation> {
    return this.ask(this.inviteRequests, { type: 'invite', role, uses, days }, 'it makes the invite code');
  }

  private askForDevices(message: Extract<Message, { type: 'listDevices' | 'revoke' }>): Promise<DeviceInfo[]> {
    return this.ask(this.deviceRequests, message, "only the server knows the team's devices");
  }

  /** Send a request the server answers in order; `waiting` is where its answer will look for it. `why`: why it needs the connection. */
  private ask<T>(waiting: Waiting<T>[], message: Message, why: string): Promise<T> {
    if (!this.ready) return Promise.reject(new SyncError(`connect to the sync server first: ${why}`));
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      this.send(message);
    });
  }

  /** Stop syncing (this attempt and automatic retries) until syncNow or start. */
  cancel(): SyncStatus {
    if (this.configured) this.workspace.meta.set(META.paused, '1');
    this.disconnectSocket();
    this.rejectWaiters('sync was cancelled');
    this.setState(this.configured ? 'paused' : 'not_configured');
    return this.status();
  }

  /** Forget the server and token. Local changes stay in the outbox for a future server. */
  disconnect(): SyncStatus {
    this.disconnectSocket();
    this.rejectWaiters('sync was disconnected');
    this.workspace.transaction(() => {
      for (const key of Object.values(META)) if (!KEPT_ON_DISCONNECT.has(key)) this.workspace.meta.delete(key);
    });
    this.role = null;
    this.error = null;
    this.setState('not_configured');
    return this.status();
  }

  close(): void {
    this.closed = true;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.offChange();
    this.disconnectSocket();
    this.rejectWaiters('the data service is closing');
    this.newDocs.close();
  }

  /** How many docs new here the second thread has read (new-doc-reader.ts): how a first sync's work split. */
  newDocsReadAhead(): number {
    return this.newDocs.workerReads();
  }

  // ---------------------------------------------------------------- connection

  private open(): void {
    if (this.closed || this.socket) return;
    const url = this.meta(META.url);
    if (!url) return;
    this.clearRetry();
    this.setState('connecting');
    const socket = this.options.connect(`${url.replace(/^http/, 'ws')}/v1/sync`, this.meta(META.certificate) ?? undefined);
    this.socket = socket;
    const mine =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        if (this.socket === socket) fn(...args);
      };
    socket.onopen = mine(() => {
      this.send({ type: 'hello', token: this.meta(META.token) ?? '', workspaceId: this.meta(META.workspaceId) ?? '', clientId: this.workspace.deviceId });
      this.armTimeout();
    });
    socket.onmessage = (frame) => {
      if (this.socket !== socket) return;
      try {
        this.handle(decodeMessage(frame));
      } catch (error) {
        const reason = error instanceof ProtocolError ? `the server sent a message this app cannot read (${error.message})` : describe(error);
        this.dropConnection(reason, true);
      }
    };
    socket.onclose = mine((reason: string) => this.dropConnection(reason, true));
  }

  private handle(message: Message): void {
    this.armTimeout();
    // Held updates are applied before anything but more of them (or an acknowledgement, which waits for them) is dealt with.
    if (message.type !== 'updates' && message.type !== 'ack') this.applyHeld();
    switch (message.type) {
      case 'welcome': {
        this.ready = true;
        this.role = message.role;
        this.error = null;
        this.retryDelay = this.options.retryMs.first;
        this.head = message.head;
        // The server has fewer updates than this device has seen: it was reset or restored. Pull everything.
        if (this.cursor > message.head) this.workspace.meta.set(META.cursor, '0');
        // Refused changes are offered once more per connection: a record the server lacked may have reached it since.
        this.workspace.outbox.forgetAllRefused();
        this.setState('syncing');
        this.requestPull();
        this.push();
        return;
      }
      case 'ack':
        return this.acknowledged(message.items);
      case 'updates':
        return this.received(message);
      // The server replaces a token while the device syncs, so a device in use never finds it expired.
      case 'renew':
        this.workspace.meta.set(META.token, message.token);
        return;
      case 'error': {
        this.error = plainError(message.code, message.message);
        return this.dropConnection(this.error, !FATAL.has(message.code));
      }
      case 'refused':
        return this.refusedPush(message);
      // A push sent behind a refused one: dropped here when the refusal came (see refusedPush).
      case 'skipped':
        return;
      case 'docState':
        return this.discardWith(message.docId, message.update);
      case 'erased':
        return this.erasureStored(message.erasureId);
      case 'devices':
        return this.deviceRequests.shift()?.resolve(message.items);
      case 'invited':
        return this.inviteRequests.shift()?.resolve({ code: message.code, role: message.role, uses: message.uses, expiresAt: message.expiresAt });
      default:
        return this.dropConnection(`the server sent an unexpected ${message.type} message`, true);
    }
  }

  private send(message: Message): void {
    this.socket?.send(encodeMessage(message));
  }

  /** A request that gets no answer in time means a dead connection. */
  private armTimeout(): void {
    if (this.requestTimer) clearTimeout(this.requestTimer);
    this.requestTimer = null;
    if (this.socket && (this.pulling || this.pushes.length || this.erasing || !this.ready)) {
      this.requestTimer = setTimeout(() => this.dropConnection('the sync server stopped answering', true), this.options.requestTimeoutMs);
      this.requestTimer.unref();
    }
  }

  private disconnectSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    this.pushes = [];
    this.erasing = null;
    this.pulling = false;
    this.pullAgain = false;
    this.caughtUp = false;
    // Received is kept, whatever ends the connection.
    this.applyHeldNow();
    if (this.requestTimer) clearTimeout(this.requestTimer);
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.requestTimer = this.pushTimer = null;
    this.clearRetry();
    const lost = () => new SyncError(this.error ?? 'the connection to the sync server was lost; try again');
    for (const waiting of [...this.discards.values(), ...this.deviceRequests, ...this.inviteRequests]) waiting.reject(lost());
    this.discards.clear();
    this.deviceRequests = [];
    this.inviteRequests = [];
    socket?.close();
  }

  private dropConnection(reason: string, retry: boolean): void {
    if (!this.socket) return;
    // Before the requests waiting on the connection are told: this drop's reason, not an earlier one's.
    this.error = reason;
    this.disconnectSocket();
    this.rejectWaiters(reason);
    if (this.closed) return;
    if (retry) {
      // Full jitter, so devices coming back online together do not retry together.
      const delay = Math.round(this.retryDelay * (0.5 + this.options.random() / 2));
      this.retryDelay = Math.min(this.retryDelay * 2, this.options.retryMs.max);
      this.retryAt = new Date(Date.now() + delay).toISOString();
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.open();
      }, delay);
      this.retryTimer.unref();
    }
    this.setState('error');
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  // ---------------------------------------------------------------- push

  private schedulePush(): void {
    if (!this.ready || this.pushTimer) return;
    // Coalesce a burst of edits into one push.
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      this.push();
    }, 20);
  }

  /**
   * Send the outbox's next pushes, up to PUSH_WINDOW awaiting an answer at once: the server
   * checks and stores one while the device builds the next, or applies a colleague's changes.
   */
  private push(): void {
    if (!this.ready || this.erasing || this.role === 'viewer') return this.settle();
    // A lead's erasure goes before anything else this device sends (only a lead's token may
    // send one), once the pushes on their way are answered.
    const erasure = this.role === 'lead' ? this.workspace.erasures.unsent()[0] : undefined;
    if (erasure) {
      if (this.pushes.length) return;
      this.erasing = erasure.erasureId;
      this.setState('syncing');
      this.send({ type: 'erase', erasureId: erasure.erasureId, recordIds: erasure.recordIds });
      this.armTimeout();
      return;
    }
    while (this.pushes.length < PUSH_WINDOW && this.pushNext());
    if (this.pushes.length === 0) this.settle();
  }

  /** Send the push after those awaiting an answer; false if the outbox has nothing more to send. */
  private pushNext(): boolean {
    this.queueRepush();
    // Always a prefix of the outbox: then "the server holds message id m" means it holds every row up to m.
    const after = this.pushes.at(-1)?.upTo ?? 0;
    const rows = this.workspace.outbox.next(MAX_BATCH_ITEMS, after);
    let bytes = 0;
    let count = 0;
    while (count < rows.length && (count === 0 || bytes + rows[count]!.data.byteLength <= PUSH_BYTES)) bytes += rows[count++]!.data.byteLength;
    if (count === 0) return false;
    // One update per doc: a doc's edits merge into one smaller update, kept within the server's cap for one.
    const items: PushItem[] = [];
    const byDoc = new Map<string, { seq: number; parts: Uint8Array[]; bytes: number }>();
    const flush = (docId: string, { seq, parts }: { seq: number; parts: Uint8Array[] }) =>
      items.push({ msgId: seq, docId, update: parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts) });
    for (const row of rows.slice(0, count)) {
      let entry = byDoc.get(row.docId);
      if (entry && entry.bytes + row.data.byteLength > MAX_PUSH_UPDATE_BYTES) {
        flush(row.docId, entry);
        entry = undefined;
      }
      entry ??= { seq: 0, parts: [], bytes: 0 };
      entry.seq = row.seq;
      entry.parts.push(row.data);
      entry.bytes += row.data.byteLength;
      byDoc.set(row.docId, entry);
    }
    for (const [docId, entry] of byDoc) flush(docId, entry);
    items.sort((a, b) => a.msgId - b.msgId);
    const upTo = rows[count - 1]!.seq;
    this.pushes.push({ upTo, msgIds: items.map((i) => i.msgId) });
    this.workspace.outbox.sending(upTo);
    this.setState('syncing');
    this.send({ type: 'push', items, after });
    this.armTimeout();
    return true;
  }

  /**
   * During a re-push, put the next chunk of docs (their whole state) in the outbox once it
   * has room, in one transaction with the position: a restart carries on where it stopped.
   */
  private queueRepush(): void {
    const after = this.meta(META.repushAfter);
    if (after === null || this.workspace.outbox.pending() >= MAX_BATCH_ITEMS) return;
    this.workspace.transaction(() => {
      const docs = this.workspace.docsAfter(Number(after), REPUSH_CHUNK);
      for (const doc of docs) this.workspace.outbox.enqueue(doc.id, this.workspace.docState(doc.id));
      if (docs.length < REPUSH_CHUNK) this.workspace.meta.delete(META.repushAfter);
      else this.workspace.meta.set(META.repushAfter, String(docs.at(-1)!.rid));
    });
  }

  private acknowledged(items: { msgId: number; seq: number }[]): void {
    const pushing = this.pushes[0];
    // An answer to a push sent on an earlier connection or twice: nothing to do.
    if (!pushing || items.length !== pushing.msgIds.length || items.some((a, i) => a.msgId !== pushing.msgIds[i])) return;
    const seqs = items.map((a) => a.seq).filter((s) => s > 0);
    // What this device has: applied, or held (gapless) to be applied with the cursor's advance.
    const cursor = this.held?.upTo ?? this.cursor;
    // Our own updates come back in no pull when they directly follow what we already have.
    const contiguous = seqs.length > 0 && seqs[0] === cursor + 1 && seqs.every((s, i) => s === seqs[0]! + i);
    this.workspace.transaction(() => {
      this.workspace.outbox.acknowledge(pushing.upTo);
      this.workspace.historyLog.markSynced(pushing.upTo, tokenUser(this.meta(META.token)));
      // Behind held updates, the cursor moves past ours only with them, when they are stored.
      if (contiguous && !this.held) this.workspace.meta.set(META.cursor, String(seqs.at(-1)));
    });
    if (contiguous && this.held) this.held.upTo = seqs.at(-1)!;
    this.pushes.shift();
    this.armTimeout();
    this.push();
    // Live updates held while this device's pushes were on their way wait for nothing more.
    if (!this.pushes.length && !this.pulling) this.applyHeldNow();
  }

  /** The server stored this device's erasure (it comes back in a pull too, and is applied again harmlessly). */
  private erasureStored(erasureId: string): void {
    if (this.erasing !== erasureId) return;
    this.workspace.erasures.markSent(erasureId);
    this.erasing = null;
    this.armTimeout();
    this.push();
  }

  /** The server stored nothing of the push because of some records: hold their changes back, send the rest. */
  private refusedPush(message: Extract<Message, { type: 'refused' }>): void {
    const pushing = this.pushes[0];
    // An answer to a push sent on an earlier connection: nothing to do.
    if (!pushing || !message.items.every((r) => pushing.msgIds.includes(r.msgId))) return;
    const at = new Date().toISOString();
    // A record erased here meanwhile (its erasure arrived while the push was out) has nothing left to hold back.
    const held = message.items.filter((r) => !this.workspace.erasures.isErased(r.docId));
    this.workspace.transaction(() => this.workspace.outbox.refuse(held, at));
    // The server skips the pushes sent behind this one (they follow what it did not store): send them again.
    this.pushes = [];
    this.armTimeout();
    this.push();
  }

  private discardWith(docId: string, state: Uint8Array): void {
    const discard = this.discards.get(docId);
    if (!discard) return;
    this.discards.delete(docId);
    const reason = this.refusedChanges().find((r) => r.recordId === docId)?.reason ?? '';
    try {
      this.workspace.revertToServer(docId, state, `refused by the sync server: ${reason}`, () => {
        this.workspace.outbox.dropRecord(docId);
        this.workspace.outbox.forgetRefused(docId);
      });
    } catch (error) {
      discard.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.settle();
    discard.resolve(this.status());
  }

  // ---------------------------------------------------------------- pull

  /** Start a pull chain (pulls until the server has no more; see received for the rest). */
  private requestPull(): void {
    if (!this.ready) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    this.caughtUp = false;
    this.pullChainsStarted += 1;
    this.pullFrom = this.cursor;
    this.pullRequest += 1;
    this.send({ type: 'pull', cursor: this.cursor, request: this.pullRequest, window: PULL_WINDOW });
    this.armTimeout();
  }

  private received(message: Extract<Message, { type: 'updates' }>): void {
    // Held updates count as received: the cursor of this pull chain is where they reach.
    const cursor = this.held?.upTo ?? this.cursor;
    const gapless = message.after <= cursor;
    // Only an answer naming this device's latest pull counts for it; any other is applied as data only.
    const answer = !message.live && this.pulling && message.request === this.pullRequest;
    // An answer that stopped at the batch limit: make room for one more before applying this
    // one, so the server sends it meanwhile. A pull's answers are always gapless (each starts
    // where the last ended), so applying one leaves the cursor at least at its upTo.
    const more = answer && message.more;
    if (more) this.send({ type: 'pullNext', request: this.pullRequest, upTo: message.upTo });
    // Everything up to the cursor is applied already: a pull's answer often repeats live updates.
    const fresh = message.items.filter((i) => i.seq > cursor).map((i) => ({ id: i.docId, update: i.update, author: i.author }));
    if (!message.live) this.readAhead(fresh);
    const erasures = message.erasures.filter((e) => e.seq > cursor);
    this.head = Math.max(this.head, message.upTo);
    if (fresh.length || erasures.length || (gapless && message.upTo > cursor)) {
      const held = this.held ?? { items: [], erasures: [], bytes: 0, upTo: cursor };
      held.items.push(...fresh);
      held.erasures.push(...erasures);
      held.bytes += fresh.reduce((n, i) => n + i.update.byteLength, 0);
      if (gapless) held.upTo = Math.max(held.upTo, message.upTo);
      this.held = held;
    }
    // More of this pull on its way, or perhaps more live updates: hold what came to apply it with the next batches.
    const hold = (more || message.live) && gapless && this.held !== null && this.held.items.length < HOLD_ITEMS && this.held.bytes < HOLD_BYTES;
    if (!hold) this.applyHeld();
    else if (!this.holdTimer) this.holdTimer = setTimeout(() => this.applyHeldNow(), more ? HOLD_MS : this.pushes.length ? PUSHING_HOLD_MS : LIVE_HOLD_MS);
    if (message.live) {
      // Something between our cursor and this arrived elsewhere: fetch it.
      if (!gapless) this.requestPull();
      return this.settle();
    }
    if (!answer) return this.settle();
    if (more) {
      this.armTimeout();
      // Progress of a long pull: nothing else reports it until the pull ends.
      return this.emitStatus();
    }
    this.pulling = false;
    this.pullChainsDone = this.pullChainsStarted;
    // Everything pulled is applied: the second thread's memory is given back until a large pull needs it again.
    this.newDocs.close();
    if (this.pullAgain) {
      // Asked for while this chain ran: someone wants a pull that started after their request.
      this.pullAgain = false;
      return this.requestPull();
    }
    this.caughtUp = true;
    this.armTimeout();
    this.settle();
  }

  /** Hand a pull answer's docs new here to the second thread, to be read while this one applies what came before them. */
  private readAhead(items: RemoteUpdate[]): void {
    if (items.length < READ_AHEAD_DOCS) return;
    const stored = this.workspace.storedAmong(items.map((i) => i.id));
    const seen = new Set<string>();
    // A doc's first update here creates it; a second one in the same answer applies to it as stored.
    const fresh = items.filter((i) => !stored.has(i.id) && !seen.has(i.id) && seen.add(i.id));
    if (fresh.length >= READ_AHEAD_DOCS) this.newDocs.read(fresh);
  }

  /** Apply every held update with the cursor advance, in one transaction. */
  private applyHeld(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    const held = this.held;
    if (!held) return;
    this.held = null;
    const cursor = this.cursor;
    try {
      this.workspace.applyRemoteUpdates(
        held.items,
        () => {
          if (held.upTo > cursor) this.workspace.meta.set(META.cursor, String(held.upTo));
        },
        held.erasures,
        (update) => this.newDocs.take(update),
      );
    } finally {
      this.newDocs.drop(held.items.map((i) => i.update));
    }
  }

  /** applyHeld outside a message's handling; a failure stored nothing and moved no cursor, so the next pull brings them again. */
  private applyHeldNow(): void {
    try {
      this.applyHeld();
    } catch (error) {
      if (this.socket) this.dropConnection(describe(error), true);
      return;
    }
    // Held live updates applied: perhaps everything is now.
    this.settle();
  }

  // ---------------------------------------------------------------- status

  /** Decide whether everything is sent and received, and tell whoever waits. */
  private settle(): void {
    if (!this.ready) return;
    const pending = this.workspace.outbox.pending();
    if (this.role === 'viewer' && pending > 0) {
      this.error = `you have read-only access to this workspace: changes to ${formatCount(pending, 'record')} made here cannot be sent`;
      this.setState('error');
      return;
    }
    const unsentErasures = this.workspace.erasures.unsent().length;
    if (unsentErasures > 0 && this.role !== 'lead') {
      this.error = 'an erasure made on this device can only be sent with a team lead’s access; ask your lead to sync this device or erase the person again';
      this.setState('error');
      return;
    }
    const synced =
      this.caughtUp && !this.pulling && !this.held && this.pushes.length === 0 && !this.erasing && unsentErasures === 0 && pending === 0 && this.meta(META.repushAfter) === null;
    if (!synced) {
      this.setState('syncing');
      return;
    }
    const refused = this.workspace.outbox.refusedCount();
    if (refused > 0) {
      // Everything else is sent and received; what is held back needs the user.
      this.error = `the sync server refused changes to ${refused === 1 ? 'one record' : `${refused} records`}; each is listed with the reason`;
      this.setState('error');
      this.rejectWaiters(this.error);
      return;
    }
    this.error = null;
    this.workspace.meta.set(META.lastSyncAt, new Date().toISOString());
    this.workspace.meta.set(META.syncedWith, this.meta(META.workspaceId) ?? '');
    this.setState('synced');
    const status = this.status();
    this.waiters = this.waiters.filter((w) => {
      if (this.pullChainsDone <= w.afterChain) return true;
      w.resolve(status);
      return false;
    });
  }

  private rejectWaiters(reason: string): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new SyncError(reason));
  }

  private setState(state: SyncState): void {
    this.state = state;
    this.emitStatus();
  }

  /**
   * Coalesce status after record changes: counting the outbox on every change of a bulk
   * import made the import quadratic.
   */
  private scheduleStatus(): void {
    if (this.statusTimer || this.statuses.size === 0) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.emitStatus();
    }, 200);
  }

  private emitStatus(): void {
    if (this.statuses.size === 0) return;
    const status = this.status();
    const json = JSON.stringify(status);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.statuses.emit(status);
  }
}

/** A request waiting for the server's answer. */
interface Waiting<T> {
  resolve: (answer: T) => void;
  reject: (error: Error) => void;
}

/** Sync could not do what was asked; `field`: what the person should check (a connect form's field). */
export class SyncError extends Error {
  constructor(
    message: string,
    readonly field: 'inviteCode' | 'checkCode' = 'inviteCode',
  ) {
    super(message);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** TLS's codes for a certificate no authority this computer trusts has signed. */
const UNTRUSTED_CERTIFICATE = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE']);

const untrusted = (error: unknown) => {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  return UNTRUSTED_CERTIFICATE.has(String(code)) || UNTRUSTED_CERTIFICATE.has(String(cause?.code));
};

/** Why the server at `base` could not be reached, in words; an untrusted certificate asks for the server's check code. */
function unreachable(base: string, error: unknown): string {
  if (untrusted(error)) {
    return `the sync server at ${base} has a certificate this computer does not trust. A server on your team's own network has a check code: enter the one your team lead gave with its address`;
  }
  return `cannot reach the sync server at ${base}: ${describe(error)}`;
}

const CONNECTION_LOST = 'the connection to the sync server was lost';

/**
 * Why a connection ended, in words: the same whatever the network said (a refused port, a
 * reset), but for a certificate not the one trusted: the server's was made again, or someone
 * stands in for it.
 */
function socketError(error: Error): string {
  if (!untrusted(error)) return CONNECTION_LOST;
  return "the sync server's certificate is not the one this device trusts (it was made again, or someone on this network is standing in for the server); nothing was sent. If your team lead made a new one, connect again with its check code";
}

/** What a server error means for the person at the device. */
function plainError(code: ErrorCode, message: string): string {
  switch (code) {
    case 'unauthorized':
      return `the sync server refused this device (${message}); ask your team lead for a new invite code`;
    // Not retried (the same push would be refused again); the refused change stays in the outbox.
    case 'forbidden':
      return `the sync server refused a change from this device: ${message}. It stays on this device, waiting to sync`;
    case 'unsupported_version':
      return `this app and the sync server speak different versions; update the app (${message})`;
    // Retried with backoff: the token is fine, the link or the server was busy.
    case 'too_slow':
      return `the sync server closed a connection that was too slow to start (${message}); trying again`;
    case 'too_many_connections':
      return `the sync server is busy (${message}); trying again`;
    default:
      return `the sync server reported a problem: ${message}`;
  }
}
