// `node --import tsx bench/sync.ts [--scale 0.1] [--clients 50] [--only twoReplicas|firstSync|concurrent]`: sync figures as one JSON object.
// - two replicas with 2,000 offline edits each converge through a server: wall time, and
//   bytes on the wire (counted by a TCP proxy) against the floor: every local update
//   uploaded once and downloaded once by the other replica;
// - first sync of a new device into a generated workspace (bench/generate.ts) at --scale;
// - N raw protocol clients pushing and pulling at once: updates/s and p99 ack latency, on
//   SQLite and, if FIELDBOOK_TEST_POSTGRES_URL is set, PostgreSQL.
// The server always runs in its own process, as in production.
import { randomUUID } from 'node:crypto';
import { createServer, connect as tcpConnect, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { createInvite, createWorkspace } from '../server/admin';
import { issueToken } from '../server/auth';
import type { SyncStore } from '../server/store';
import { PostgresStore } from '../server/store-postgres';
import { SqliteStore } from '../server/store-sqlite';
import { SyncClient } from '../main/data-service/sync/sync-client';
import { Workspace } from '../main/data-service/workspace';
import { rawSession, startServer, tempDir, type ServerProcess } from '../tests/integration/sync-helpers';
import { countsAt, generateWorkspace } from './generate';

const { values: args } = parseArgs({
  options: { scale: { type: 'string', default: '0.1' }, clients: { type: 'string', default: '50' }, only: { type: 'string' } },
});
/** Whether to run a section: all of them unless --only names one. */
const runs = (section: 'twoReplicas' | 'firstSync' | 'concurrent') => !args.only || args.only === section;
const scale = Number(args.scale);
const clientCount = Number(args.clients);
const dir = tempDir('bench-sync');

/** A loopback TCP proxy in front of the server, counting every byte both ways. */
async function countingProxy(port: number): Promise<{ url: string; bytes: () => number; reset: () => void; close: () => void }> {
  let bytes = 0;
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(port, '127.0.0.1');
    client.on('data', (d) => (bytes += d.byteLength));
    upstream.on('data', (d) => (bytes += d.byteLength));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: () => bytes,
    reset: () => (bytes = 0),
    close: () => server.close(),
  };
}

function replica(name: string) {
  const ws = Workspace.open({ path: join(dir, `${name}-${randomUUID()}.sqlite`), author: { id: name, name } });
  return { ws, client: new SyncClient(ws, { retryMs: { first: 50, max: 500 } }) };
}

const outboxBytes = (ws: Workspace) => (ws.db.prepare('SELECT coalesce(sum(length(data)), 0) FROM sync_outbox').pluck().get() as number);

async function twoReplicas(server: ServerProcess, store: SyncStore) {
  const proxy = await countingProxy(server.port);
  const workspaceId = await createWorkspace(store, 'two replicas');
  const code = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
  const [a, b] = [replica('a'), replica('b')];
  await a.client.connect(proxy.url, code);
  await b.client.connect(proxy.url, code);
  await Promise.all([a.client.syncNow(), b.client.syncNow()]);
  a.client.cancel();
  b.client.cancel();
  // 2,000 offline edits each: 200 new contacts, then 1,800 changes to them.
  for (const r of [a, b]) {
    const ids = r.ws.createMany('contact', Array.from({ length: 200 }, (_, i) => ({ data: { name: `Resident ${i}` } })));
    for (let i = 0; i < 1_800; i++) {
      const id = ids[i % ids.length]!;
      r.ws.update('contact', id, i % 2 ? { notes: `Met at the café, visit ${i}` } : { themes: [['food', 'arts', 'loneliness'][i % 3]!] });
    }
  }
  const updateBytes = outboxBytes(a.ws) + outboxBytes(b.ws);
  proxy.reset();
  const started = performance.now();
  await Promise.all([a.client.syncNow(), b.client.syncNow()]);
  await Promise.all([a.client.syncNow(), b.client.syncNow()]);
  const ms = performance.now() - started;
  const converged = a.ws.info().counts.contact === 400 && b.ws.info().counts.contact === 400;
  const wire = proxy.bytes();
  for (const r of [a, b]) {
    r.client.close();
    r.ws.close();
  }
  proxy.close();
  return {
    converged,
    wallMs: Math.round(ms),
    targetMs: 2_000,
    updateBytes,
    floorBytes: 2 * updateBytes,
    wireBytes: wire,
    wireToFloor: Number((wire / (2 * updateBytes)).toFixed(3)),
    targetWireToFloor: 1.3,
  };
}

async function firstSync(server: ServerProcess, store: SyncStore) {
  const proxy = await countingProxy(server.port);
  const workspaceId = await createWorkspace(store, 'first sync');
  const code = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
  const a = replica('source');
  generateWorkspace(a.ws, { scale, seed: 1 });
  await a.client.connect(proxy.url, code);
  const uploadStarted = performance.now();
  await a.client.syncNow();
  const uploadMs = performance.now() - uploadStarted;
  proxy.reset();
  const b = replica('new-device');
  const started = performance.now();
  await b.client.connect(proxy.url, code);
  await b.client.syncNow();
  const ms = performance.now() - started;
  const counts = b.ws.info().counts;
  const result = { scale, counts, expected: countsAt(scale), uploadMs: Math.round(uploadMs), firstSyncMs: Math.round(ms), wireBytes: proxy.bytes(), targetMsAtFullScale: 60_000 };
  for (const r of [a, b]) {
    r.client.close();
    r.ws.close();
  }
  proxy.close();
  return result;
}

async function concurrentClients(server: ServerProcess, store: SyncStore, key: Uint8Array) {
  const workspaceId = await createWorkspace(store, 'load');
  const token = await issueToken(key, { workspaceId, role: 'worker', subject: 'load', user: { id: 'load', name: 'Load' } });
  const pushes = 40;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clientCount }, async (_, c) => {
      const s = await rawSession(server.url);
      s.send({ type: 'hello', token, workspaceId, clientId: `load-${c}` });
      await s.next();
      const doc = new Y.Doc();
      const docId = randomUUID();
      let cursor = 0;
      for (let i = 1; i <= pushes; i++) {
        const before = Y.encodeStateVector(doc);
        // The server stores only what reads as a valid record (server/push-guard.ts).
        if (i === 1) doc.getMap('meta').set('kind', 'contact');
        doc.getMap('fields').set('name', `client ${c} edit ${i}`);
        const sent = performance.now();
        s.send({ type: 'push', items: [{ msgId: i, docId, update: Y.encodeStateAsUpdate(doc, before) }] });
        for (let m = await s.next(); m; m = await s.next()) {
          if (m.type === 'ack') break;
          if (m.type === 'updates' && m.after <= cursor) cursor = Math.max(cursor, m.upTo);
        }
        latencies.push(performance.now() - sent);
        if (i % 10 === 0) {
          s.send({ type: 'pull', cursor });
          for (let m = await s.next(); m; m = await s.next()) {
            if (m.type === 'updates' && m.after <= cursor) cursor = Math.max(cursor, m.upTo);
            if (m.type === 'updates' && !m.live && !m.more) break;
          }
        }
      }
      s.ws.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return {
    clients: clientCount,
    updates: clientCount * pushes,
    updatesPerSecond: Math.round((clientCount * pushes) / seconds),
    p50AckMs: Number(latencies[Math.floor(latencies.length * 0.5)]!.toFixed(1)),
    p99AckMs: Number(latencies[Math.floor(latencies.length * 0.99)]!.toFixed(1)),
  };
}

async function main(): Promise<void> {
  const db = join(dir, 'server.sqlite');
  const server = await startServer(['--db', db]);
  const store = new SqliteStore(db);
  const result: Record<string, unknown> = {};
  try {
    if (runs('twoReplicas')) result.twoReplicas2000EditsEach = await twoReplicas(server, store);
    if (runs('firstSync')) result.firstSync = await firstSync(server, store);
    if (runs('concurrent')) result.concurrentSqlite = await concurrentClients(server, store, await store.signingKey());
  } finally {
    await store.close();
    await server.stop();
  }
  const pgUrl = process.env.FIELDBOOK_TEST_POSTGRES_URL;
  if (!runs('concurrent')) result.concurrentPostgres = 'skipped: --only';
  else if (pgUrl) {
    const pg = await PostgresStore.connect(pgUrl);
    const node = await startServer(['--postgres', pgUrl]);
    try {
      result.concurrentPostgres = await concurrentClients(node, pg, await pg.signingKey());
    } finally {
      await node.stop();
      await pg.close();
    }
  } else result.concurrentPostgres = 'skipped: FIELDBOOK_TEST_POSTGRES_URL is not set';
  console.log(JSON.stringify(result, null, 2));
}

await main();
