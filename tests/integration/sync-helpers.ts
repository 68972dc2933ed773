// Shared by the sync integration tests (not itself a test file): a real sync server in
// a child process on loopback, replicas, a seeded faulty network, and state comparison.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Author } from '../../shared/domain';
import { decodeMessage, encodeMessage, type Message, type SyncRole } from '../../shared/sync-protocol';
import { SyncClient, openWebSocket, type SocketFactory, type SyncSocket } from '../../main/data-service/sync/sync-client';
import { Workspace } from '../../main/data-service/workspace';
import { keyForFile } from '../../main/data-service/keys/file-key';
import { createInvite } from '../../server/admin';
import { issueToken } from '../../server/auth';
import type { Limits } from '../../server/server';
import type { SyncStore } from '../../server/store';
import { SqliteStore } from '../../server/store-sqlite';
import { TEST_KDF, TEST_PASSPHRASE } from '../unit/helpers';

/** The PostgreSQL database for the second storage engine, if one was started. */
export const POSTGRES_URL = process.env.FIELDBOOK_TEST_POSTGRES_URL;
/** Why PostgreSQL runs are skipped, printed with each: a `skip` option for node:test. */
export const POSTGRES_SKIP: string | false = POSTGRES_URL
  ? false
  : 'FIELDBOOK_TEST_POSTGRES_URL is not set (start a database with scripts/postgres-test.sh start)';

/** Wait (bounded) until `done` holds: updates and notifications travel between processes. */
export async function eventually(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never happened: ${what}`);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fieldbook-${prefix}-`));
}

export interface ServerProcess {
  url: string;
  port: number;
  /** What it printed so far. */
  output(): string;
  process: ChildProcess;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The key of a sync server's SQLite store, made (at the tests' KDF cost, with TEST_PASSPHRASE)
 * if the store has none yet: startServer gives the server the same passphrase.
 */
export async function storeKey(db: string): Promise<Buffer> {
  return (await keyForFile(db, { passphrase: TEST_PASSPHRASE, kdf: TEST_KDF })).key;
}

/** An admin's handle on a sync server's SQLite store (encrypted, as the server keeps it). */
export async function sqliteStoreFor(db: string): Promise<SqliteStore> {
  return new SqliteStore(db, await storeKey(db));
}

/**
 * Start `server/main.ts` on a free loopback port (or `port`) and wait until it listens; `nodeArgs` go to its node (say, `--cpu-prof`).
 * A SQLite store (`--db`) is encrypted under TEST_PASSPHRASE, given to the server as an operator would.
 */
export async function startServer(args: string[], port = 0, nodeArgs: string[] = []): Promise<ServerProcess> {
  const db = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
  if (db) await storeKey(db);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts', '--port', String(port), '--redeems-per-minute', '100000', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FIELDBOOK_SERVER_PASSPHRASE: TEST_PASSPHRASE },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  // A test process that ends early must not leave its server behind.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  let out = '';
  const listening = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`sync server exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `${args.includes('--tls') ? 'https' : 'http'}://127.0.0.1:${listening}`,
    port: listening,
    output: () => out,
    process: child,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A SQLite sync server process with some of its limits changed, and its store opened alongside (for set-up and checks). */
export async function sqliteServer(limits: Partial<Limits> = {}) {
  const db = join(tempDir('server'), 'sync.sqlite');
  const server = await startServer(['--db', db, ...Object.entries(limits).flatMap(([name, value]) => ['--limit', `${name}=${value}`])]);
  const store = await sqliteStoreFor(db);
  const key = await store.signingKey();
  return {
    server,
    store,
    /** A token for a newly registered device, as redeeming an invite gives; `issuedAt` in seconds since 1970. */
    token: async (workspaceId: string, role: SyncRole = 'worker', options: { user?: Author; issuedAt?: number } = {}) => {
      const user = options.user ?? { id: randomUUID(), name: 'Test worker' };
      const device = { id: randomUUID(), workspaceId, deviceId: randomUUID(), userId: user.id, userName: user.name, role };
      await store.registerDevice(device);
      const claims = { workspaceId, role, subject: device.deviceId, user, deviceRegistration: device.id };
      return { device: device.id, token: await issueToken(key, claims, undefined, options.issuedAt) };
    },
    stop: async () => {
      await server.stop();
      await store.close();
    },
  };
}

/** A small seeded PRNG, so a failing run can be replayed from its seed. */
export { prng } from '../../shared/prng';

export interface Faults {
  enabled: boolean;
  /** Per frame, in each direction (reorder: outgoing only). */
  drop: number;
  duplicate: number;
  reorder: number;
}

/**
 * A network that drops (closing the connection, as a lost link does) and duplicates frames
 * in both directions and reorders the frames a client sends, decided by `random` frame by
 * frame. Nothing here depends on timing, so a seed replays exactly: a frame held back goes
 * after the next one sent in the same turn of the event loop, or at its end. Incoming frames
 * are not reordered, since which of them arrive together depends on the socket's timing.
 */
export function faultySockets(random: () => number, faults: Faults, inner: SocketFactory = openWebSocket): SocketFactory {
  return (url) => {
    const real = inner(url);
    let heldOut: Uint8Array | null = null;
    // Once the link is lost nothing more crosses it, whenever the socket gets round to closing.
    let cut = false;
    const lose = () => {
      cut = true;
      real.close();
    };
    const socket: SyncSocket = {
      send(frame) {
        if (cut) return;
        if (!faults.enabled) return real.send(frame);
        const r = random();
        if (r < faults.drop) return lose();
        if (r < faults.drop + faults.duplicate) {
          real.send(frame);
          return real.send(frame);
        }
        if (r < faults.drop + faults.duplicate + faults.reorder && !heldOut) {
          heldOut = frame;
          queueMicrotask(() => {
            if (heldOut === frame && !cut) {
              heldOut = null;
              real.send(frame);
            }
          });
          return;
        }
        real.send(frame);
        if (heldOut) {
          const late = heldOut;
          heldOut = null;
          real.send(late);
        }
      },
      close: () => real.close(),
      onopen: () => undefined,
      onmessage: () => undefined,
      onclose: () => undefined,
    };
    real.onopen = () => socket.onopen();
    real.onclose = (reason) => socket.onclose(reason);
    real.onmessage = (frame) => {
      if (cut) return;
      if (!faults.enabled) return socket.onmessage(frame);
      const r = random();
      if (r < faults.drop) return lose();
      if (r < faults.drop + faults.duplicate) socket.onmessage(frame);
      socket.onmessage(frame);
    };
    return socket;
  };
}

/**
 * Real sockets with a look at every frame on the way: a hook that returns false keeps the
 * frame from going on (as a lost frame would), and may close the socket (a link or server going away).
 */
export function tappedSockets(
  hooks: {
    sent?: (frame: Uint8Array, socket: SyncSocket) => boolean | void;
    received?: (frame: Uint8Array, socket: SyncSocket) => boolean | void;
    /** The link is gone (the other side has had everything sent before it was closed). */
    closed?: () => void;
  },
  connect: SocketFactory = openWebSocket,
): SocketFactory {
  return (url) => {
    const inner = connect(url);
    const outer: SyncSocket = {
      send: (frame) => {
        if (hooks.sent?.(frame, inner) !== false) inner.send(frame);
      },
      close: () => inner.close(),
      onopen: () => undefined,
      onmessage: () => undefined,
      onclose: () => undefined,
    };
    inner.onopen = () => outer.onopen();
    inner.onclose = (reason) => {
      hooks.closed?.();
      outer.onclose(reason);
    };
    inner.onmessage = (frame) => {
      if (hooks.received?.(frame, inner) !== false) outer.onmessage(frame);
    };
    return outer;
  };
}

/**
 * A device with its own workspace file (named `name`, in `dir` or a new temporary folder;
 * encrypted under `key` if given), syncing (once connected) through `connect`, retrying quickly.
 */
export function syncDevice(name: string, options: { connect?: SocketFactory; author?: Author; dir?: string; key?: Buffer } = {}) {
  const { connect, author = { id: name, name }, dir = tempDir('device'), key } = options;
  const ws = Workspace.open({ path: join(dir, `${name}.sqlite`), author, durability: 'normal', ...(key ? { key } : {}) });
  const client = new SyncClient(ws, { retryMs: { first: 20, max: 200 }, ...(connect ? { connect } : {}) });
  return {
    ws,
    client,
    close: () => {
      client.close();
      ws.close();
    },
  };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Everything a record's doc holds, in a form that compares equal iff the docs converged. */
export function docFingerprint(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const shares: Record<string, unknown> = {};
  for (const name of [...doc.share.keys()].sort()) {
    shares[name] = name.startsWith('rich:') ? doc.getXmlFragment(name).toString() : canonical(doc.getMap(name).toJSON());
  }
  const sv = [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b);
  doc.destroy();
  return JSON.stringify({ sv, shares });
}

/**
 * A device of `author`: its own workspace file in `dir`, joined to `workspaceId` on the
 * server with an invite of `role` (made in the server's `store`), and synced once.
 */
export async function joinedDevice(at: { dir: string; url: string; store: SyncStore }, author: Author, workspaceId: string, role: SyncRole) {
  const device = syncDevice(`${author.id}-${randomUUID()}`, { author, dir: at.dir, key: randomBytes(32) });
  await device.client.connect(at.url, await createInvite(at.store, workspaceId, { role, uses: 1 }));
  await device.client.syncNow();
  return device;
}

/** The update `change` makes to a record's doc as `ws` holds it, made by a Yjs client of its own. */
export function changeOf(ws: Workspace, id: string, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, ws.docState(id));
  const stateVector = Y.encodeStateVector(doc);
  doc.transact(() => change(doc));
  return Y.encodeStateAsUpdate(doc, stateVector);
}

/** A new contact's whole doc as one update, as the server's push guard accepts it from any worker. */
export function contactUpdate(name: string): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap('meta').set('kind', 'contact');
    doc.getMap('fields').set('name', name);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The CRDT state of every doc, by id. */
export function crdtState(ws: Workspace): Record<string, string> {
  const ids = (ws.db.prepare('SELECT id FROM docs ORDER BY id').pluck().all() as string[]);
  return Object.fromEntries(ids.map((id) => [id, docFingerprint(ws.docState(id))]));
}

/** A hand-driven protocol session, for tests that send exactly what they want. */
export interface RawSession {
  ws: WebSocket;
  messages: Message[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: Uint8Array | Message): void;
  /** The next message not yet taken, waiting for it if need be; null once closed. */
  next(): Promise<Message | null>;
}

export async function rawSession(url: string): Promise<RawSession> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/sync`);
  const messages: Message[] = [];
  let taken = 0;
  let wake: (() => void) | null = null;
  let isClosed = false;
  ws.on('message', (data: Buffer) => {
    messages.push(decodeMessage(new Uint8Array(data)));
    wake?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      isClosed = true;
      wake?.();
      resolve({ code, reason: reason.toString() });
    }),
  );
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    send: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame instanceof Uint8Array ? frame : encodeMessage(frame));
    },
    next: async () => {
      while (taken >= messages.length && !isClosed) await new Promise<void>((resolve) => (wake = resolve));
      return taken < messages.length ? messages[taken++]! : null;
    },
  };
}
