// The sync server's limits, each refused with a clear error and none a crash: messages
// per connection, invites that run out or expire, connections per device and in all,
// update size, nesting depth, slow HTTP headers, the redeem rate limit's memory, and the
// server's memory under 500 connections with one token.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import * as Y from 'yjs';
import { CLOSE_CODES, type Message } from '../../shared/sync-protocol';
import { MAX_TYPE_DEPTH } from '../../server/push-guard';
import { createInvite, createWorkspace } from '../../server/admin';
import { SyncServer } from '../../server/server';
import { SqliteStore } from '../../server/store-sqlite';
import { contactUpdate, rawSession, sqliteServer, tempDir, type RawSession } from './sync-helpers';
import { join } from 'node:path';

async function hello(url: string, token: string, workspaceId: string): Promise<{ s: RawSession; answer: Message | null }> {
  const s = await rawSession(url);
  s.send({ type: 'hello', token, workspaceId, clientId: randomUUID() });
  return { s, answer: await s.next() };
}

function redeem(
  url: string,
  code: string,
  localAddress = '127.0.0.1',
  as: { deviceId: string; user: { id: string; name: string } } = { deviceId: randomUUID(), user: { id: randomUUID(), name: 'Worker' } },
): Promise<{ status: number; body: { error?: string; token?: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/redeem`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ code, ...as }));
  });
}

/** Peak and current resident memory of a process, in MB. */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

test('a connection sending faster than its rate limit is closed as rate limited; a new one works', async () => {
  const { server, store, token, stop } = await sqliteServer({ messagesPerSecond: 1, messageBurst: 20 });
  const workspaceId = await createWorkspace(store, 'rate');
  const { token: tok } = await token(workspaceId);
  const { s, answer } = await hello(server.url, tok, workspaceId);
  assert.equal(answer?.type, 'welcome');
  let answered = 0;
  let refusal: Message | null = null;
  for (let i = 0; i < 40 && !refusal; i++) {
    s.send({ type: 'pull', cursor: 0 });
    const next = await s.next();
    if (next?.type === 'updates') answered += 1;
    else refusal = next;
  }
  assert.ok(refusal?.type === 'error' && refusal.code === 'rate_limited' && /slow down/.test(refusal.message), JSON.stringify(refusal));
  assert.ok(answered >= 15 && answered < 40, `${answered} pulls answered before the limit`);
  assert.equal((await s.closed).code, CLOSE_CODES.rate_limited);
  const fresh = await hello(server.url, tok, workspaceId);
  assert.equal(fresh.answer?.type, 'welcome', 'the limit is per connection');
  fresh.s.ws.close();
  await stop();
});

test('an invite code works as many times as it allows, and not once expired', async () => {
  const { server, store, stop } = await sqliteServer();
  const workspaceId = await createWorkspace(store, 'invites');
  const twice = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
  assert.equal((await redeem(server.url, twice)).status, 200);
  assert.equal((await redeem(server.url, twice.toLowerCase())).status, 200, 'typed in lower case');
  const third = await redeem(server.url, twice);
  assert.equal(third.status, 404);
  assert.match(third.body.error!, /used up/);
  const expired = await createInvite(store, workspaceId, { role: 'worker', uses: 5, days: -1 });
  const late = await redeem(server.url, expired);
  assert.equal(late.status, 404);
  assert.match(late.body.error!, /expired/);
  await stop();
});

test('connections: a few per device, a cap in all; each refusal says why and the rest carry on', async () => {
  const { server, store, token, stop } = await sqliteServer({ connectionsPerDevice: 3, maxConnections: 8 });
  const workspaceId = await createWorkspace(store, 'connections');
  const { token: tok } = await token(workspaceId);
  const mine = [];
  for (let i = 0; i < 3; i++) mine.push(await hello(server.url, tok, workspaceId));
  assert.ok(mine.every((c) => c.answer?.type === 'welcome'));
  const fourth = await hello(server.url, tok, workspaceId);
  assert.ok(fourth.answer?.type === 'error' && fourth.answer.code === 'too_many_connections' && /already has 3 connections/.test(fourth.answer.message));
  assert.equal((await fourth.s.closed).code, CLOSE_CODES.too_many_connections);

  const others = [];
  for (let i = 0; i < 5; i++) others.push(await hello(server.url, (await token(workspaceId)).token, workspaceId));
  assert.ok(others.every((c) => c.answer?.type === 'welcome'));
  const ninth = await rawSession(server.url);
  assert.equal((await ninth.closed).code, CLOSE_CODES.too_many_connections, 'the server is full');
  assert.ok(ninth.messages.some((m) => m.type === 'error' && /too many connections/.test(m.message)));

  mine[0]!.s.send({ type: 'pull', cursor: 0 });
  assert.equal((await mine[0]!.s.next())?.type, 'updates', 'open connections carry on');
  mine[1]!.s.ws.close();
  await mine[1]!.s.closed;
  const again = await hello(server.url, tok, workspaceId);
  assert.equal(again.answer?.type, 'welcome', 'a closed connection frees its place');
  for (const c of [...mine, ...others, again]) c.s.ws.close();
  await stop();
});

test("an update larger than one record needs, or nested past the push guard's limit, is refused with the reason; nothing stored, the server stays up", async () => {
  const { server, store, token, stop } = await sqliteServer();
  const workspaceId = await createWorkspace(store, 'sizes');
  const big = new Y.Doc();
  big.getMap('meta').set('kind', 'contact');
  big.getMap('fields').set('name', 'x'.repeat(1_500_000));
  const deep = new Y.Doc();
  deep.transact(() => {
    deep.getMap('meta').set('kind', 'contact');
    deep.getMap('fields').set('name', 'Deep');
    let map = new Y.Map<unknown>();
    deep.getMap('col:skills').set(randomUUID(), map);
    for (let i = 0; i < 20_000; i++) {
      const inner = new Y.Map<unknown>();
      map.set('nested', inner);
      map = inner as Y.Map<unknown>;
    }
  });
  for (const role of ['worker', 'lead'] as const) {
    const { s, answer } = await hello(server.url, (await token(workspaceId, role)).token, workspaceId);
    assert.equal(answer?.type, 'welcome');
    const bigDoc = randomUUID();
    s.send({ type: 'push', items: [{ msgId: 1, docId: bigDoc, update: Y.encodeStateAsUpdate(big) }] });
    const tooLarge = await s.next();
    assert.ok(
      tooLarge?.type === 'refused' && tooLarge.items[0]?.docId === bigDoc && /may be at most 1,048,576/.test(tooLarge.items[0].reason),
      `${role}: ${JSON.stringify(tooLarge)?.slice(0, 300)}`,
    );
    const deepDoc = randomUUID();
    s.send({ type: 'push', items: [{ msgId: 2, docId: deepDoc, update: Y.encodeStateAsUpdate(deep) }] });
    const tooDeep = await s.next();
    assert.ok(
      tooDeep?.type === 'refused' && tooDeep.items[0]?.docId === deepDoc && new RegExp(`at most ${MAX_TYPE_DEPTH}`).test(tooDeep.items[0].reason),
      `${role}: ${JSON.stringify(tooDeep)}`,
    );
    s.send({ type: 'push', items: [{ msgId: 3, docId: randomUUID(), update: contactUpdate(`Stored by the ${role}`) }] });
    const ack = await s.next();
    assert.ok(ack?.type === 'ack' && ack.items[0]!.seq > 0, `${role}: the same connection still stores a record`);
    s.ws.close();
  }
  // What one worker once stored: 3.9 MB in one update. The frame itself is over the cap, so the connection ends.
  const huge = new Y.Doc();
  huge.getMap('fields').set('notes', 'x'.repeat(3_900_000));
  const { s } = await hello(server.url, (await token(workspaceId)).token, workspaceId);
  s.send({ type: 'push', items: [{ msgId: 1, docId: randomUUID(), update: Y.encodeStateAsUpdate(huge) }] });
  assert.equal((await s.closed).code, 1009, 'closed as too big');
  assert.equal(await store.head(workspaceId), 2, 'only the two acceptable updates were stored');
  assert.equal(server.process.exitCode, null);
  await stop();
});

test('a client sending partial HTTP headers is disconnected after the header timeout', async () => {
  const { server, stop } = await sqliteServer({ headersTimeoutMs: 500 });
  const socket = connect(server.port, '127.0.0.1');
  socket.write('GET /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
  // Bounded by the test runner's own timeout: the server's default would hold it 60 s.
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('the socket was still open after 10 s')), 10_000);
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve();
    });
  });
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  await stop();
});

test("an invite cannot register a second device as someone already registered (a worker taking the lead's id)", async () => {
  const { server, store, stop } = await sqliteServer();
  try {
    const workspaceId = await createWorkspace(store, 'who is who');
    const code = await createInvite(store, workspaceId, { role: 'worker', uses: 5 });
    const lead = { deviceId: randomUUID(), user: { id: 'lena', name: 'Lena (lead)' } };
    assert.equal((await redeem(server.url, code, undefined, lead)).status, 200);
    const forged = await redeem(server.url, code, undefined, { deviceId: randomUUID(), user: { id: 'lena', name: 'Not Lena' } });
    assert.equal(forged.status, 409);
    assert.match(forged.body.error!, /already registered as this person \(Lena \(lead\)\)/);
    assert.equal(forged.body.token, undefined);
    assert.equal((await redeem(server.url, code, undefined, lead)).status, 200, 'the same device may redeem again (say, after its token expired)');
    for (const device of await store.devices(workspaceId)) await store.revokeDevice(workspaceId, device.id, Date.now());
    assert.equal((await redeem(server.url, code, undefined, { deviceId: randomUUID(), user: lead.user })).status, 200, 'once the old device is revoked, a new one may take the id');
  } finally {
    await stop();
  }
});

test('the redeem rate limit forgets addresses once their window has passed', async () => {
  const store = new SqliteStore(join(tempDir('redeem'), 'sync.sqlite'));
  const server = await SyncServer.start({ store, limits: { redeemWindowMs: 2_000, redeemsPerMinute: 2 }, log: () => undefined });
  const url = `http://127.0.0.1:${server.port}`;
  for (let i = 2; i < 40; i++) assert.equal((await redeem(url, 'AAAA-BBBB-CCCC', `127.0.0.${i}`)).status, 404);
  assert.equal(server.redeemAddresses, 38);
  for (let i = 0; i < 2; i++) await redeem(url, 'AAAA-BBBB-CCCC', '127.0.0.50');
  assert.equal((await redeem(url, 'AAAA-BBBB-CCCC', '127.0.0.50')).status, 429, 'the limit holds within its window');
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  assert.equal((await redeem(url, 'AAAA-BBBB-CCCC', '127.0.0.60')).status, 404);
  assert.equal(server.redeemAddresses, 1, 'only the newest address is remembered');
  await server.close();
  await store.close();
});

test('500 connections with one token: the server refuses past the per-device limit, and 500 pulling at once stay under 500 MB', async (t) => {
  for (const perDevice of [undefined, 500]) {
    const { server, store, token, stop } = await sqliteServer(perDevice ? { connectionsPerDevice: perDevice } : {});
    const workspaceId = await createWorkspace(store, 'memory');
    // About 4 MB of records, so each connection's first pull is a full batch.
    for (let batch = 0; batch < 4; batch++) {
      const items = Array.from({ length: 1_000 }, (_, i) => {
        const doc = new Y.Doc();
        doc.getMap('fields').set('notes', `${randomUUID()} `.repeat(28));
        return { msgId: batch * 1_000 + i + 1, docId: randomUUID(), update: Y.encodeStateAsUpdate(doc) };
      });
      await store.append(workspaceId, 'seed', 'seed', { id: 'seed', name: 'Seed' }, items);
    }
    const { token: tok } = await token(workspaceId);
    const before = memoryOf(server.process.pid!);
    const sessions = await Promise.all(Array.from({ length: 500 }, () => hello(server.url, tok, workspaceId)));
    const welcomed = sessions.filter((c) => c.answer?.type === 'welcome');
    const refused = sessions.filter((c) => c.answer?.type === 'error' && c.answer.code === 'too_many_connections');
    assert.equal(welcomed.length + refused.length, 500);
    if (!perDevice) assert.equal(welcomed.length, 4);
    else assert.equal(welcomed.length, 500);
    // Everyone asks for everything at once.
    for (const c of welcomed) c.s.send({ type: 'pull', cursor: 0 });
    await Promise.all(welcomed.map(async (c) => assert.equal((await c.s.next())?.type, 'updates')));
    const after = memoryOf(server.process.pid!);
    t.diagnostic(`${welcomed.length} connected, ${refused.length} refused: server RSS ${before.now.toFixed(0)} MB before, peak ${after.peak.toFixed(0)} MB`);
    assert.ok(after.peak < 500, `peak ${after.peak} MB`);
    for (const c of sessions) c.s.ws.terminate();
    await stop();
  }
});
