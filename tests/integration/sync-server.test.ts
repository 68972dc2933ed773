// The sync server against hostile and unlucky clients, as a real process on loopback:
// the authorisation matrix, malformed frames (hand-made and fuzzed), and a server
// killed in the middle of a sync.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as Y from 'yjs';
import { MAX_FRAME_BYTES, MSG, PROTOCOL_VERSION, decodeMessage, encodeMessage, type Message } from '../../shared/sync-protocol';
import { checkUpdate } from '../../shared/sync-update-check';
import { createInvite, createWorkspace } from '../../server/admin';
import { issueToken } from '../../server/auth';
import type { SqliteStore } from '../../server/store-sqlite';
import { SyncClient, openWebSocket, type SocketFactory, type SyncSocket } from '../../main/data-service/sync/sync-client';
import { Workspace } from '../../main/data-service/workspace';
import { contactUpdate, crdtState, eventually, docFingerprint, prng, rawSession, sqliteServer, sqliteStoreFor, startServer, syncDevice, tappedSockets, tempDir, type ServerProcess } from './sync-helpers';
import { projectionRows } from '../unit/helpers';

let dir: string;
let dbPath: string;
let server: ServerProcess;
let store: SqliteStore;
let key: Uint8Array;

before(async () => {
  dir = tempDir('server');
  dbPath = join(dir, 'sync.sqlite');
  server = await startServer(['--db', dbPath]);
  store = await sqliteStoreFor(dbPath);
  key = await store.signingKey();
});

after(async () => {
  await server.stop();
  await store.close();
});

/** A small valid update to a new doc. */
function someUpdate(text = 'hello'): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('fields').set('name', text);
  return Y.encodeStateAsUpdate(doc);
}

async function workspaceWithData(): Promise<string> {
  const id = await createWorkspace(store, 'matrix');
  await store.append(id, 'seed-device', 'seed', { id: 'seed', name: 'Seed' }, [{ msgId: 1, docId: randomUUID(), update: someUpdate() }]);
  return id;
}

async function token(workspaceId: string, role: 'worker' | 'viewer' = 'worker', lifetime?: number): Promise<string> {
  return issueToken(key, { workspaceId, role, subject: 'test-device', user: { id: 'test-user', name: 'Test User' } }, lifetime);
}

/** Say hello with `tok`, immediately ask for everything, and collect what comes back until the server closes. */
async function attempt(workspaceId: string, tok: string, extra: Message[] = []) {
  const s = await rawSession(server.url);
  s.send({ type: 'hello', token: tok, workspaceId, clientId: 'device-x' });
  s.send({ type: 'pull', cursor: 0 });
  for (const m of extra) s.send(m);
  const closed = await s.closed;
  return { closed, messages: s.messages };
}

test('authorisation matrix: each refused with a reason, nothing read, nothing written', async () => {
  const ws1 = await workspaceWithData();
  const ws2 = await createWorkspace(store, 'other');
  const headBefore = await store.head(ws1);
  const push: Message = { type: 'push', items: [{ msgId: 7, docId: randomUUID(), update: someUpdate('intruder') }] };
  const otherKey = await issueToken(new Uint8Array(32).fill(7), { workspaceId: ws1, role: 'lead', subject: 'x', user: { id: 'x', name: 'X' } });
  const cases = [
    { name: 'no token', tok: '', code: 'unauthorized', why: /not valid/ },
    { name: 'garbage token', tok: 'not-a-jwt', code: 'unauthorized', why: /not valid/ },
    { name: 'expired token', tok: await token(ws1, 'worker', -60), code: 'unauthorized', why: /expired/ },
    { name: "another workspace's token", tok: await token(ws2), code: 'unauthorized', why: /another workspace/ },
    { name: 'token signed by someone else', tok: otherKey, code: 'unauthorized', why: /not valid/ },
  ];
  for (const c of cases) {
    const { closed, messages } = await attempt(ws1, c.tok, [push]);
    const error = messages.find((m) => m.type === 'error');
    assert.ok(error && error.type === 'error', `${c.name}: an error message`);
    assert.equal(error.code, c.code, c.name);
    assert.match(error.message, c.why, c.name);
    assert.equal(closed.code, 4002, `${c.name}: closed as unauthorised`);
    assert.ok(!messages.some((m) => m.type === 'updates' || m.type === 'welcome' || m.type === 'ack'), `${c.name}: nothing read`);
  }

  // A viewer may read, but its push is refused and nothing is stored.
  const viewer = await rawSession(server.url);
  viewer.send({ type: 'hello', token: await token(ws1, 'viewer'), workspaceId: ws1, clientId: 'viewer-device' });
  assert.equal((await viewer.next())?.type, 'welcome');
  viewer.send({ type: 'pull', cursor: 0 });
  const read = await viewer.next();
  assert.ok(read?.type === 'updates' && read.items.length === 1, 'a viewer reads');
  viewer.send(push);
  const refused = await viewer.next();
  assert.ok(refused?.type === 'error' && refused.code === 'forbidden' && /viewer/.test(refused.message), 'a viewer may not push');
  assert.equal((await viewer.closed).code, 4003);

  // A message before hello.
  const early = await rawSession(server.url);
  early.send({ type: 'pull', cursor: 0 });
  const first = await early.next();
  assert.ok(first?.type === 'error' && first.code === 'unauthorized' && /first message must be hello/.test(first.message), 'hello comes first');

  assert.equal(await store.head(ws1), headBefore, 'nothing was written');
  const { items } = await store.pull(ws1, 0, 100, 1e9);
  assert.equal(items.length, 1);
});

test('malformed, truncated and oversized frames are answered with a clear error; the connection carries on, nothing is stored', async () => {
  const ws = await createWorkspace(store, 'hostile');
  const tok = await token(ws);
  const valid = encodeMessage({ type: 'push', items: [{ msgId: 1, docId: randomUUID(), update: someUpdate() }] });
  const bogusUpdate = encodeMessage({ type: 'push', items: [{ msgId: 1, docId: randomUUID(), update: new Uint8Array([1, 200, 255, 255, 255, 15, 0, 9]) }] });
  const cases: { name: string; frame: Uint8Array | string; code: string; why: RegExp }[] = [
    { name: 'truncated push', frame: valid.subarray(0, valid.length - 5), code: 'bad_message', why: /truncated|cut short/ },
    { name: 'trailing bytes', frame: new Uint8Array([...valid, 1, 2, 3]), code: 'bad_message', why: /unexpected bytes/ },
    { name: 'unknown type', frame: new Uint8Array([PROTOCOL_VERSION, 99]), code: 'bad_message', why: /unknown message type/ },
    { name: 'a text frame', frame: 'hello', code: 'bad_message', why: /binary/ },
    { name: 'an update over the size cap', frame: new Uint8Array([PROTOCOL_VERSION, 3, 0, 1, 1, ...new Uint8Array(16), 0x80, 0x80, 0x80, 0x10]), code: 'too_large', why: /exceeds/ },
    { name: 'a second hello', frame: encodeMessage({ type: 'hello', token: tok, workspaceId: ws, clientId: 'again' }), code: 'bad_message', why: /may not send a hello/ },
  ];
  const s = await rawSession(server.url);
  s.send({ type: 'hello', token: tok, workspaceId: ws, clientId: 'device-y' });
  assert.equal((await s.next())?.type, 'welcome');
  for (const c of cases) {
    s.ws.send(c.frame);
    const error = await s.next();
    assert.ok(error?.type === 'error' && error.code === c.code && c.why.test(error.message), `${c.name}: ${JSON.stringify(error)}`);
  }
  s.send({ type: 'pull', cursor: 0 });
  const answer = await s.next();
  assert.ok(answer?.type === 'updates' && answer.items.length === 0, 'the same connection still answers, and nothing was stored');

  // What cannot be answered frame by frame ends the connection, with a close code of its own.
  for (const c of [
    { name: 'a future protocol version', frame: new Uint8Array([PROTOCOL_VERSION + 1, 3, 0]), code: 4001 },
    { name: 'a frame over the frame cap', frame: new Uint8Array(MAX_FRAME_BYTES + 10), code: 1009 },
  ]) {
    const t = await rawSession(server.url);
    t.send({ type: 'hello', token: tok, workspaceId: ws, clientId: 'device-z' });
    assert.equal((await t.next())?.type, 'welcome');
    t.ws.send(c.frame);
    assert.equal((await t.closed).code, c.code, c.name);
  }
  // A well-formed frame around bytes that are no Yjs update: that record's change is refused, the connection stays.
  s.ws.send(bogusUpdate);
  const refused = await s.next();
  assert.ok(refused?.type === 'refused' && /not a valid Yjs update|beyond any real device/.test(refused.items[0]?.reason ?? ''), `not a Yjs update: ${JSON.stringify(refused)}`);
  s.send({ type: 'pull', cursor: 0 });
  assert.equal((await s.next())?.type, 'updates', 'the connection still answers');
  s.ws.close();
  assert.equal(await store.head(ws), 0, 'nothing was stored');
  assert.equal(server.process.exitCode, null, 'the server is still running');
});

test('fuzzer: thousands of valid and mutated frames on long-lived connections; each is answered, exactly the acknowledged updates are stored', async (t) => {
  // Its own server, with the rate limit out of the way: the fuzzer waits for each answer anyway.
  const fuzz = await sqliteServer({ messagesPerSecond: 1e6, messageBurst: 1e6 });
  const random = prng(4242);
  const int = (n: number) => Math.floor(random() * n);
  const fuzzWs = await createWorkspace(fuzz.store, 'fuzz');
  const { token: fuzzToken } = await fuzz.token(fuzzWs);
  const goodWs = await createWorkspace(fuzz.store, 'good');
  const code = await createInvite(fuzz.store, goodWs, { role: 'worker', uses: 2 });
  const a = syncDevice('fuzz-a');
  const b = syncDevice('fuzz-b');
  await a.client.connect(fuzz.server.url, code);
  await b.client.connect(fuzz.server.url, code);

  const docIds = Array.from({ length: 5 }, () => randomUUID());
  let msgId = 0;
  const push = (update: Uint8Array) => encodeMessage({ type: 'push', items: [{ msgId: ++msgId, docId: docIds[int(docIds.length)]!, update }] });
  const seeds: Uint8Array[] = [
    encodeMessage({ type: 'hello', token: fuzzToken, workspaceId: fuzzWs, clientId: 'fuzzer' }),
    encodeMessage({ type: 'pull', cursor: 3 }),
    push(contactUpdate('Seed')),
    encodeMessage({ type: 'ack', items: [{ msgId: 1, seq: 2 }] }),
  ];
  // The version byte is kept: a frame of another version ends the connection by design (tried apart below).
  const mutate = (frame: Uint8Array): Uint8Array => {
    const out = Uint8Array.from(frame);
    switch (int(5)) {
      case 0:
        for (let i = 0; i <= int(3); i++) out[1 + int(out.length - 1)] = int(256);
        return out;
      case 1:
        return out.subarray(0, 1 + int(out.length - 1));
      case 2:
        return new Uint8Array([...out, ...Array.from({ length: 1 + int(20) }, () => int(256))]);
      case 3:
        return Uint8Array.from({ length: 1 + int(64) }, (_, i) => (i === 0 ? PROTOCOL_VERSION : int(256)));
      default: {
        // A well-formed envelope around a mangled Yjs update.
        const update = contactUpdate(`V${int(1000)}`);
        for (let i = 0; i <= int(4); i++) update[int(update.length)] = int(256);
        return push(update);
      }
    }
  };

  /** Every update the server acknowledged as stored, by doc: exactly these must be what it holds. */
  const acked = new Map<string, Uint8Array[]>();
  const answers: Record<string, number> = {};
  let frames = 0;
  let connections = 0;
  while (frames < 3_000) {
    const s = await rawSession(fuzz.server.url);
    connections += 1;
    s.send(seeds[0]!);
    assert.equal((await s.next())?.type, 'welcome');
    // Most connections end only when the fuzzer moves on; a few with a frame of a version the server does not speak.
    const length = 300 + int(700);
    for (let i = 0; i < length && frames < 3_000; i++, frames++) {
      const valid = random() < 0.4;
      const frame = valid ? push(contactUpdate(`Valid ${frames}`)) : mutate(seeds[int(seeds.length)]!);
      s.send(frame);
      const answer = await s.next();
      assert.ok(answer, `frame ${frames} was answered, not met with a closed connection`);
      const kind = answer.type === 'error' ? `error:${answer.code}` : answer.type;
      answers[kind] = (answers[kind] ?? 0) + 1;
      assert.notEqual(kind, 'error:internal', `frame ${frames} made the server fail: ${JSON.stringify(answer)}`);
      if (valid) assert.equal(answer.type, 'ack', `a valid push is acknowledged (frame ${frames})`);
      if (answer.type === 'ack') {
        const pushed = decodeMessage(frame);
        assert.ok(pushed.type === 'push');
        pushed.items.forEach((item, i) => {
          if (answer.items[i]!.seq > 0) acked.set(item.docId, [...(acked.get(item.docId) ?? []), item.update]);
        });
      }
    }
    if (random() < 0.2) {
      s.ws.send(new Uint8Array([PROTOCOL_VERSION + 1 + int(200), 3, 0]));
      assert.equal((await s.closed).code, 4001, 'another version ends the connection');
    } else s.ws.terminate();
    // Meanwhile, ordinary work carries on.
    a.ws.create('contact', { name: `Contact ${connections}` });
    b.ws.create('asset', { name: `Hall ${connections}`, category: 'physical' });
    await Promise.all([a.client.syncNow(), b.client.syncNow()]);
  }
  const stored = [...acked.values()].reduce((n, updates) => n + updates.length, 0);
  t.diagnostic(`${frames} frames on ${connections} connections; answers ${JSON.stringify(answers)}; ${stored} updates stored`);
  assert.ok(frames / connections >= 100, 'connections lived across many frames');
  assert.ok(stored >= 1_000, 'thousands of frames included over a thousand stored updates');

  assert.equal(fuzz.server.process.exitCode, null, 'the server is still running');
  await a.client.syncNow();
  await b.client.syncNow();
  await a.client.syncNow();
  assert.deepEqual(crdtState(a.ws), crdtState(b.ws));
  assert.deepEqual(projectionRows(a.ws), projectionRows(b.ws));
  assert.equal(b.ws.info().counts.contact, connections, 'ordinary work was synced throughout');

  // Each doc as stored is exactly the acknowledged updates: nothing refused got in, nothing acknowledged is missing.
  const { items } = await fuzz.store.pull(fuzzWs, 0, 1e6, Number.POSITIVE_INFINITY);
  for (const item of items) assert.equal(checkUpdate(item.update), null);
  assert.deepEqual(new Set(items.map((i) => i.docId)), new Set(acked.keys()));
  for (const [docId, updates] of acked) {
    const storedRows = items.filter((i) => i.docId === docId).map((i) => i.update);
    assert.equal(docFingerprint(Y.mergeUpdates(storedRows)), docFingerprint(Y.mergeUpdates(updates)), `doc ${docId}`);
  }
  a.close();
  b.close();
  await fuzz.stop();
});

test('a server killed during a sync and restarted: the clients resume and nothing is lost', async () => {
  const killDir = tempDir('kill');
  const db = join(killDir, 'sync.sqlite');
  let node = await startServer(['--db', db]);
  const port = node.port;
  const admin = await sqliteStoreFor(db);
  const wsId = await createWorkspace(admin, 'kill');
  const code = await createInvite(admin, wsId, { role: 'worker', uses: 2 });
  await admin.close();

  // Kill the server as soon as the first acknowledgement (then the first batch of a pull) arrives.
  let killOn: 'ack' | 'updates' | null = null;
  const killing: Promise<void>[] = [];
  const killer = tappedSockets({
    received: (frame) => {
      if (killOn === null || frame[1] !== MSG[killOn]) return;
      killOn = null;
      killing.push(node.kill());
      return false;
    },
  });

  const a = syncDevice('kill-a', { connect: killer });
  await a.client.connect(node.url, code);
  await a.client.syncNow();
  a.ws.createMany('contact', Array.from({ length: 3_000 }, (_, i) => ({ data: { name: `Resident ${i}` } })));
  killOn = 'ack';
  const syncing = a.client.syncNow().catch((error: Error) => error);
  while (killing.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await Promise.all(killing);
  assert.ok(await syncing instanceof Error, 'the interrupted sync reports its failure');
  assert.ok(a.client.status().pending > 0, 'unacknowledged changes are still pending');
  node = await startServer(['--db', db], port);
  for (let i = 0; ; i++) {
    try {
      await a.client.syncNow();
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  assert.equal(a.client.status().pending, 0);
  assert.equal(a.client.status().state, 'synced');

  const b = syncDevice('kill-b', { connect: killer });
  killOn = 'updates';
  await b.client.connect(node.url, code).catch(() => undefined);
  while (killing.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  await Promise.all(killing);
  node = await startServer(['--db', db], port);
  for (let i = 0; ; i++) {
    try {
      await b.client.syncNow();
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  assert.equal(b.ws.info().counts.contact, 3_000);
  assert.deepEqual(projectionRows(b.ws), projectionRows(a.ws));
  assert.deepEqual(crdtState(b.ws), crdtState(a.ws));
  a.close();
  b.close();
  await node.stop();
});

test('what a device was sent live does not come again in its next pull; the pull still reaches past it', async () => {
  const workspaceId = await createWorkspace(store, 'live once');
  const [listener, pusher] = [await rawSession(server.url), await rawSession(server.url)];
  try {
    for (const [s, name] of [[listener, 'listener'], [pusher, 'pusher']] as const) {
      s.send({ type: 'hello', token: await token(workspaceId), workspaceId, clientId: name });
      assert.equal((await s.next())?.type, 'welcome');
    }
    // Caught up: from here the listener is sent pushes live.
    listener.send({ type: 'pull', cursor: 0 });
    assert.equal((await listener.next())?.type, 'updates');
    pusher.send({ type: 'push', items: [1, 2, 3].map((msgId) => ({ msgId, docId: randomUUID(), update: contactUpdate(`Live ${msgId}`) })) });
    assert.equal((await pusher.next())?.type, 'ack');
    const live = await listener.next();
    assert.ok(live?.type === 'updates' && live.live, `a live copy (got ${live?.type})`);
    assert.deepEqual(live.items.map((i) => i.seq), [1, 2, 3]);

    // Asked again from before them (a live copy that was not next after its cursor leaves the cursor where it was).
    listener.send({ type: 'pull', cursor: 0 });
    const answer = await listener.next();
    assert.ok(answer?.type === 'updates' && !answer.live);
    assert.deepEqual(answer.items.map((i) => i.seq), [], 'nothing it holds is sent again');
    assert.equal(answer.upTo, 3, 'the answer reaches past what it left out');
  } finally {
    listener.ws.close();
    pusher.ws.close();
  }
});

test('a catch-up answer read ahead is not sent once something was stored since: nothing stored meanwhile is missed', async () => {
  // Two updates per answer, so a first sync of three takes two answers.
  const small = await sqliteServer({ pullItems: 2 });
  const workspaceId = await createWorkspace(small.store, 'read ahead');
  await small.store.append(workspaceId, 'seed-device', 'seed', { id: 'seed', name: 'Seed' }, [1, 2, 3].map((msgId) => ({ msgId, docId: randomUUID(), update: contactUpdate(`Stored ${msgId}`) })));
  const [newcomer, pusher] = [await rawSession(small.server.url), await rawSession(small.server.url)];
  try {
    for (const [s, name] of [[newcomer, 'newcomer'], [pusher, 'pusher']] as const) {
      s.send({ type: 'hello', token: (await small.token(workspaceId)).token, workspaceId, clientId: name });
      assert.equal((await s.next())?.type, 'welcome');
    }
    newcomer.send({ type: 'pull', cursor: 0 });
    const first = await newcomer.next();
    assert.ok(first?.type === 'updates' && first.more);
    assert.deepEqual(first.items.map((i) => i.seq), [1, 2]);
    // While the newcomer applies its first answer (the server reads the next one meanwhile), a colleague's change is stored.
    pusher.send({ type: 'push', items: [{ msgId: 1, docId: randomUUID(), update: contactUpdate('Stored meanwhile') }] });
    assert.equal((await pusher.next())?.type, 'ack');
    const received: number[] = [];
    for (let cursor = first.upTo; ; ) {
      newcomer.send({ type: 'pull', cursor });
      const answer = await newcomer.next();
      assert.ok(answer?.type === 'updates' && !answer.live);
      received.push(...answer.items.map((i) => i.seq));
      cursor = answer.upTo;
      if (!answer.more) break;
    }
    assert.deepEqual(received, [3, 4], 'the change stored meanwhile came in the catch-up, once');
  } finally {
    newcomer.ws.close();
    pusher.ws.close();
    await small.stop();
  }
});

test("a pull's answers go several at a time, each naming the pull; more only as the client takes them", async () => {
  // Two updates per answer, a window of three: seven updates take four answers.
  const small = await sqliteServer({ pullItems: 2, pullWindow: 3 });
  const workspaceId = await createWorkspace(small.store, 'window');
  await small.store.append(workspaceId, 'seed-device', 'seed', { id: 'seed', name: 'Seed' }, [1, 2, 3, 4, 5, 6, 7].map((msgId) => ({ msgId, docId: randomUUID(), update: contactUpdate(`Stored ${msgId}`) })));
  const s = await rawSession(small.server.url);
  /** What the server sent in answer to the messages before this marker (it handles a connection's messages in order). */
  const upToMarker = async () => {
    const marker = randomUUID();
    s.send({ type: 'fetchDoc', docId: marker });
    const got: Message[] = [];
    for (let m = await s.next(); m && !(m.type === 'docState' && m.docId === marker); m = await s.next()) got.push(m);
    return got.map((m) => (m.type === 'updates' ? { request: m.request, after: m.after, upTo: m.upTo, more: m.more } : m.type));
  };
  try {
    s.send({ type: 'hello', token: (await small.token(workspaceId)).token, workspaceId, clientId: 'newcomer' });
    assert.equal((await s.next())?.type, 'welcome');
    // It asks for more than the server allows.
    s.send({ type: 'pull', cursor: 0, request: 7, window: 16 });
    assert.deepEqual(
      await upToMarker(),
      [
        { request: 7, after: 0, upTo: 2, more: true },
        { request: 7, after: 2, upTo: 4, more: true },
        { request: 7, after: 4, upTo: 6, more: true },
      ],
      'three answers for one request, each where the last ended',
    );
    s.send({ type: 'pullNext', request: 6, upTo: 2 });
    s.send({ type: 'pullNext', request: 7, upTo: 3 });
    assert.deepEqual(await upToMarker(), [], 'nothing for another pull, or for an answer never sent');
    s.send({ type: 'pullNext', request: 7, upTo: 4 });
    assert.deepEqual(await upToMarker(), [{ request: 7, after: 6, upTo: 7, more: false }], 'taking two answers makes room for two; the last ends the pull');
    s.send({ type: 'pullNext', request: 7, upTo: 6 });
    assert.deepEqual(await upToMarker(), [], 'nothing after the last answer');
  } finally {
    s.ws.close();
    await small.stop();
  }
});

test('a first sync has several answers on the wire while the device applies one, and a change stored meanwhile still arrives', async () => {
  // Five updates per answer: forty records take eight answers.
  const small = await sqliteServer({ pullItems: 5 });
  const workspaceId = await createWorkspace(small.store, 'first sync in flight');
  const names = Array.from({ length: 40 }, (_, i) => `Stored ${i + 1}`);
  await small.store.append(workspaceId, 'seed-device', 'seed', { id: 'seed', name: 'Seed' }, names.map((name, i) => ({ msgId: i + 1, docId: randomUUID(), update: contactUpdate(name) })));
  // The device's requests for more are held back until the server has answered its pull
  // (a marker asked for on the same connection comes back after everything sent for the pull).
  const marker = randomUUID();
  let requestsSent = 0;
  const answers: { request: number; upTo: number }[] = [];
  let held: { frame: Uint8Array; socket: SyncSocket }[] | null = [];
  let answersToOneRequest = -1;
  let pullAnswered!: () => void;
  const answered = new Promise<void>((resolve) => (pullAnswered = resolve));
  const connect = tappedSockets({
    sent: (frame, socket) => {
      if (held && frame[1] === MSG.pullNext) {
        held.push({ frame, socket });
        return false;
      }
      if (frame[1] === MSG.pull || frame[1] === MSG.pullNext) requestsSent += 1;
      if (frame[1] === MSG.pull) queueMicrotask(() => socket.send(encodeMessage({ type: 'fetchDoc', docId: marker })));
    },
    received: (frame) => {
      const message = decodeMessage(frame);
      if (message.type === 'updates' && !message.live) answers.push({ request: message.request ?? 0, upTo: message.upTo });
      if (message.type === 'docState' && message.docId === marker) {
        answersToOneRequest = answers.length;
        pullAnswered();
      }
    },
  });
  const device = syncDevice('first-sync-in-flight', { connect });
  const pusher = await rawSession(small.server.url);
  try {
    pusher.send({ type: 'hello', token: (await small.token(workspaceId)).token, workspaceId, clientId: 'colleague' });
    assert.equal((await pusher.next())?.type, 'welcome');
    await device.client.connect(small.server.url, await createInvite(small.store, workspaceId, { role: 'worker', uses: 1 }));
    const synced = device.client.syncNow();
    await answered;
    assert.equal(requestsSent, 1, 'one request so far');
    assert.ok(answersToOneRequest > 1, `several answers came for it (${answersToOneRequest})`);
    // A colleague's change is stored while the device is still catching up (not yet sent anything live).
    pusher.send({ type: 'push', items: [{ msgId: 1, docId: randomUUID(), update: contactUpdate('Stored meanwhile') }] });
    assert.equal((await pusher.next())?.type, 'ack');
    const waiting = held!;
    held = null;
    for (const { frame, socket } of waiting) socket.send(frame);
    await synced;
    assert.deepEqual(
      device.ws.list({ kind: 'contact' }).rows.map((r) => r.title).sort(),
      [...names, 'Stored meanwhile'].sort(),
      'every record, and the change stored during the catch-up, once synced',
    );
    assert.ok(answers.every((a) => a.request === answers[0]!.request), 'every answer was to the one pull');
    assert.equal(answers.at(-1)!.upTo, 41, 'the pull reached the change stored meanwhile');
  } finally {
    pusher.ws.close();
    device.close();
    await small.stop();
  }
});

test("an earlier pull's last answer arriving again does not end a Sync now: a change stored before it was pressed is there when it shows Synced", async () => {
  const small = await sqliteServer();
  const workspaceId = await createWorkspace(small.store, 'answer twice');
  await small.store.append(workspaceId, 'seed-device', 'seed', { id: 'seed', name: 'Seed' }, [1, 2, 3].map((msgId) => ({ msgId, docId: randomUUID(), update: contactUpdate(`Stored ${msgId}`) })));
  // Updates frames reaching the device are held until released (in order), so the test decides what it has seen when.
  let holding = true;
  const held: { frame: Uint8Array; message: Extract<Message, { type: 'updates' }> }[] = [];
  let socket: SyncSocket | null = null;
  const tapped = tappedSockets({
    received: (frame) => {
      const message = decodeMessage(frame);
      if (!holding || message.type !== 'updates') return;
      held.push({ frame, message });
      return false;
    },
  });
  const device = syncDevice('answer-twice', { connect: (url) => (socket = tapped(url)) });
  const pusher = await rawSession(small.server.url);
  const titles = () => device.ws.list({ kind: 'contact' }).rows.map((r) => r.title);
  try {
    pusher.send({ type: 'hello', token: (await small.token(workspaceId)).token, workspaceId, clientId: 'colleague' });
    assert.equal((await pusher.next())?.type, 'welcome');
    await device.client.connect(small.server.url, await createInvite(small.store, workspaceId, { role: 'worker', uses: 1 }));
    // The first pull's last answer is on its way; then a colleague's change is stored and sent on live.
    await eventually(() => held.some(({ message }) => !message.live && !message.more), "the first pull's last answer");
    pusher.send({ type: 'push', items: [{ msgId: 1, docId: randomUUID(), update: contactUpdate('Stored before Sync now') }] });
    assert.equal((await pusher.next())?.type, 'ack');
    await eventually(() => held.some(({ message }) => message.live), 'the live copy of the change');
    // Sync now is pressed while the first pull is still being answered.
    const synced = device.client.syncNow();
    const shownSynced: string[][] = [];
    device.client.onStatus((status) => {
      if (status.state === 'synced') shownSynced.push(titles());
    });
    holding = false;
    // What came, in order, with the first pull's last answer twice (as a network that repeats a frame delivers it).
    for (const { frame, message } of held) {
      socket!.onmessage(frame);
      if (!message.live) socket!.onmessage(frame);
    }
    await synced;
    assert.ok(titles().includes('Stored before Sync now'));
    assert.ok(shownSynced.length > 0);
    for (const seen of shownSynced) assert.ok(seen.includes('Stored before Sync now'), `shown as synced without the change stored before Sync now: ${seen.join(', ')}`);
  } finally {
    pusher.ws.close();
    device.close();
    await small.stop();
  }
});
