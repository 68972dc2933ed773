// `node --import tsx bench/sync.ts [--sizes small,large] [--runs 3] [--profile <dir>]
//   [--scale 0.1] [--clients 50] [--only team|firstSync|concurrent]`: sync figures as one JSON object.
// - a team (bench/sync-team.ts): two devices, each in its own process with a worker's
//   token, make 2,000 offline edits each on 1,000 contacts (`small`) and 20,000 each on
//   10,000 (`large`), and converge through the server; PouchDB replication of the same
//   edits is measured in the same run as the baseline. `--profile` adds one profiled run (of the first size);
//   its CPU profiles of device a and the server are summarised in the output;
// - first sync of a new device into a generated workspace (bench/generate.ts) at --scale
//   (with `--profile`, the new device's thread is profiled through its first sync);
// - N raw protocol clients pushing and pulling at once: updates/s and p99 ack latency, on
//   SQLite and, if FIELDBOOK_TEST_POSTGRES_URL is set, PostgreSQL.
// The server always runs in its own process, as in production.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { createInvite, createWorkspace } from '../server/admin';
import { issueToken } from '../server/auth';
import type { SyncStore } from '../server/store';
import { PostgresStore } from '../server/store-postgres';
import { SyncClient } from '../main/data-service/sync/sync-client';
import { Workspace } from '../main/data-service/workspace';
import { rawSession, type ServerProcess, sqliteStoreFor, startServer, tempDir } from '../tests/integration/sync-helpers';
import { countingProxy } from './counting-proxy';
import { performance } from 'node:perf_hooks';
import { startProfile, summariseProfile } from './cpu-profile';
import { countsAt, generateWorkspace } from './generate';
import { check } from './stats';
import { teamSync } from './sync-team';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'small,large' },
    runs: { type: 'string', default: '3' },
    profile: { type: 'string' },
    scale: { type: 'string', default: '0.1' },
    clients: { type: 'string', default: '50' },
    only: { type: 'string' },
  },
});
/** Whether to run a section: all of them unless --only names one. */
const runs = (section: 'team' | 'firstSync' | 'concurrent') => !args.only || args.only === section;
const TEAM_SIZES = {
  small: { contacts: 1_000, editsPerDevice: 2_000, seed: 1 },
  large: { contacts: 10_000, editsPerDevice: 20_000, seed: 2 },
} as const;
const scale = Number(args.scale);
const clientCount = Number(args.clients);
const dir = tempDir('bench-sync');

function replica(name: string) {
  const ws = Workspace.open({ path: join(dir, `${name}-${randomUUID()}.sqlite`), author: { id: name, name } });
  return { ws, client: new SyncClient(ws, { retryMs: { first: 50, max: 500 } }) };
}

/** CPU time of this process's main thread (where the data service runs) in ms, from Linux's /proc; null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
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
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const threadCpu = mainThreadCpuMs();
  // The new device's data service thread (where the apply runs), profiled when asked for.
  const stopProfile = args.profile ? await startProfile() : null;
  await b.client.connect(proxy.url, code);
  await b.client.syncNow();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const { active, idle } = performance.eventLoopUtilization(loop);
  const threadCpuAfter = mainThreadCpuMs();
  const profile = stopProfile && summariseProfile(await stopProfile(join(args.profile!, 'first-sync-device.cpuprofile')), 25);
  const counts = b.ws.info().counts;
  const result = {
    scale,
    counts,
    expected: countsAt(scale),
    uploadMs: Math.round(uploadMs),
    firstSyncMs: Math.round(ms),
    // The device's process (both of its threads; the server runs in its own).
    firstSyncCpuMs: Math.round((used.user + used.system) / 1000),
    // The data service's thread (the bench's own): its CPU, and its wall time busy and idle (waiting for the server's answers).
    deviceThreadCpuMs: threadCpu === null || threadCpuAfter === null ? null : threadCpuAfter - threadCpu,
    deviceThreadBusyMs: Math.round(active),
    deviceThreadIdleMs: Math.round(idle),
    // How many of the new records' docs the device's second thread read (the rest were read on its first).
    readOnSecondThread: b.client.newDocsReadAhead(),
    wireBytes: proxy.bytes(),
    // Linear in the records (each is one doc, applied in batches); at scale 1 this is the measurement itself.
    fullScale: check(ms / scale, '<=', 30_000, 'ms'),
    ...(profile ? { profile } : {}),
  };
  for (const r of [a, b]) {
    r.client.close();
    r.ws.close();
  }
  proxy.close();
  return result;
}

async function concurrentClients(server: ServerProcess, store: SyncStore, key: Uint8Array) {
  const workspaceId = await createWorkspace(store, 'load');
  const pushes = 40;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clientCount }, async (_, c) => {
      // A token each: the server allows a device only a few connections.
      const token = await issueToken(key, { workspaceId, role: 'worker', subject: `load-${c}`, user: { id: 'load', name: 'Load' } });
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
  const result: Record<string, unknown> = {};
  if (runs('team')) {
    const sizes = args.sizes.split(',') as (keyof typeof TEAM_SIZES)[];
    for (const name of sizes) {
      if (!TEAM_SIZES[name]) throw new Error(`--sizes: no size ${name}; use ${Object.keys(TEAM_SIZES).join(', ')}`);
      // The profiled run is of the first size asked for only: one profile says where the time goes.
      result[`team_${name}`] = await teamSync(TEAM_SIZES[name], Number(args.runs), name === sizes[0] ? args.profile : undefined);
    }
  }
  const db = join(dir, 'server.sqlite');
  const server = await startServer(['--db', db]);
  const store = await sqliteStoreFor(db);
  try {
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

// A run at the reference size leaves gigabytes of workspace and server files: they go either way.
try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
