// A connection's life against a real server process: what closes it and whether the
// device tries again, that a push is forgotten only once acknowledged, device tokens
// (renewed while a device syncs, revoked by a lead), and a hostile server's bad update.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { CLOSE_CODES, MSG, decodeMessage, encodeMessage } from '../../shared/sync-protocol';
import { SyncClient } from '../../main/data-service/sync/sync-client';
import type { SyncStatus } from '../../shared/sync-status';
import { createInvite, createWorkspace, listDevices, revokeDevice } from '../../server/admin';
import { TOKEN_LIFETIME_SECONDS, issueToken } from '../../server/auth';
import { changeOf, contactUpdate, eventually, rawSession, sqliteServer, syncDevice, tappedSockets } from './sync-helpers';

const DAY = 24 * 3600;

/** Say hello with `token` on a new raw connection and take the welcome. */
async function helloWith(url: string, token: string, workspaceId: string) {
  const s = await rawSession(url);
  s.send({ type: 'hello', token, workspaceId, clientId: randomUUID() });
  const welcome = await s.next();
  return { s, welcome };
}

function storedToken(device: ReturnType<typeof syncDevice>): string {
  return device.ws.db.prepare("SELECT value FROM meta WHERE key = 'sync.token'").pluck().get() as string;
}

test('a client too slow to say hello is closed as too slow, not as unauthorised, and tries again until it syncs', async () => {
  const { server, store, stop } = await sqliteServer({ helloTimeoutMs: 300 });
  const workspaceId = await createWorkspace(store, 'slow');
  const silent = await rawSession(server.url);
  const closed = await silent.closed;
  assert.equal(closed.code, CLOSE_CODES.too_slow);
  assert.notEqual(CLOSE_CODES.too_slow, CLOSE_CODES.unauthorized);
  assert.deepEqual(
    silent.messages.map((m) => m.type === 'error' && m.code),
    ['too_slow'],
  );

  // A stalled link: the device's first hello never reaches the server.
  let hellos = 0;
  const stalled = tappedSockets({ sent: (frame) => (frame[1] === MSG.hello && hellos++ === 0 ? false : undefined) });
  const d = syncDevice('slow', { connect: stalled });
  const statuses: SyncStatus[] = [];
  d.client.onStatus((s) => statuses.push(s));
  await d.client.connect(server.url, await createInvite(store, workspaceId, { role: 'worker' }));
  d.ws.create('contact', { name: 'Amina Yusuf' });
  await eventually(() => d.client.status().state === 'synced' && d.client.status().pending === 0, 'the device tried again and synced');
  const refused = statuses.find((s) => s.state === 'error');
  assert.ok(refused?.error, 'the stalled attempt was reported');
  assert.match(refused.error, /too slow/);
  assert.doesNotMatch(refused.error, /invite/, 'the user is not sent for a new invite: the token is fine');
  assert.ok(refused.retryAt, 'another attempt was due');
  assert.equal(hellos, 2);
  assert.equal(await store.head(workspaceId), 1, 'the contact reached the server');
  d.close();
  await stop();
});

test('a push the server received but never acknowledged is sent again: nothing is forgotten before the ack', async () => {
  const { server, store, stop } = await sqliteServer();
  const workspaceId = await createWorkspace(store, 'lost push');
  const code = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
  // The server goes away after taking the push, before its acknowledgement.
  let lost = 0;
  const lossy = tappedSockets({
    sent: (frame, socket) => {
      if (frame[1] !== MSG.push || lost > 0) return;
      lost += 1;
      socket.close();
      return false;
    },
  });
  const a = syncDevice('lost-a', { connect: lossy });
  await a.client.connect(server.url, code);
  await a.client.syncNow();
  a.ws.createMany('contact', Array.from({ length: 50 }, (_, i) => ({ data: { name: `Resident ${i}` } })));
  await eventually(() => lost === 1, 'the push went out');
  assert.equal(a.client.status().pending, 50, 'the unacknowledged changes are still waiting to sync');
  await eventually(() => a.client.status().state === 'synced' && a.client.status().pending === 0, 'the device tried again');

  const b = syncDevice('lost-b');
  await b.client.connect(server.url, code);
  await b.client.syncNow();
  assert.equal(b.ws.info().counts.contact, 50, 'another device received every change');
  a.close();
  b.close();
  await stop();
});

test("a change made while its record's update is on its way, whose acknowledgement is lost, still reaches a colleague: a row sent is never changed", async (t) => {
  const { server, store, stop } = await sqliteServer();
  t.after(stop);
  const workspaceId = await createWorkspace(store, 'changed while sent');
  const code = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
  let zoeId: string | null = null;
  let phase: 'before' | 'sent' | 'ack lost' = 'before';
  const tapped = tappedSockets({
    // The push carrying her new phone number: she is changed again while it is on its way…
    sent: (frame) => {
      if (frame[1] !== MSG.push || phase !== 'before' || !zoeId) return;
      phase = 'sent';
      a.ws.update('contact', zoeId, { email: 'zoe@example.org' });
    },
    // …and the server stores it, but its acknowledgement never arrives.
    received: (frame, socket) => {
      if (frame[1] !== MSG.ack || phase !== 'sent') return;
      phase = 'ack lost';
      socket.close();
      return false;
    },
  });
  const a = syncDevice('sent-a', { connect: tapped });
  t.after(a.close);
  await a.client.connect(server.url, code);
  const zoe = a.ws.create('contact', { name: 'Zoë Brown' });
  await a.client.syncNow();
  zoeId = zoe.id;
  a.ws.update('contact', zoe.id, { phone: '07700 900123' });
  await eventually(() => phase === 'ack lost', 'the acknowledgement was lost');
  await eventually(() => a.client.status().state === 'synced' && a.client.status().pending === 0, 'the device sent again what was not acknowledged');

  const b = syncDevice('sent-b');
  t.after(b.close);
  await b.client.connect(server.url, code);
  await b.client.syncNow();
  const atB = b.ws.get('contact', zoe.id).data;
  assert.equal(atB.phone, '07700 900123');
  assert.equal(atB.email, 'zoe@example.org', 'the change made while the push was out is not lost');
});

test('tokens last 30 days and are renewed while the device syncs', async () => {
  const { server, store, token, stop } = await sqliteServer();
  const workspaceId = await createWorkspace(store, 'tokens');
  const now = Math.floor(Date.now() / 1000);
  const { device, token: old } = await token(workspaceId, 'worker', { issuedAt: now - 2 * DAY });
  const first = await helloWith(server.url, old, workspaceId);
  assert.equal(first.welcome?.type, 'welcome');
  const renew = await first.s.next();
  assert.ok(renew?.type === 'renew', 'a token two days old is replaced');
  const claims = decodeJwt(renew.token);
  assert.equal(claims.jti, device, 'for the same device registration');
  assert.ok(claims.iat! >= now && claims.exp! - claims.iat! === TOKEN_LIFETIME_SECONDS && TOKEN_LIFETIME_SECONDS === 30 * DAY);
  first.s.ws.close();
  const again = await helloWith(server.url, renew.token, workspaceId);
  assert.equal(again.welcome?.type, 'welcome', 'the new token works');
  again.s.send({ type: 'pull', cursor: 0 });
  assert.equal((await again.s.next())?.type, 'updates', 'and a fresh one is not replaced');
  again.s.ws.close();

  const expired = await helloWith(server.url, (await token(workspaceId, 'worker', { issuedAt: now - 31 * DAY })).token, workspaceId);
  assert.ok(expired.welcome?.type === 'error' && /expired/.test(expired.welcome.message));
  assert.equal((await expired.s.closed).code, CLOSE_CODES.unauthorized);

  // A device keeps what the server sends it.
  const d = syncDevice('renewing');
  await d.client.connect(server.url, await createInvite(store, workspaceId, { role: 'worker' }));
  await d.client.syncNow();
  const registration = decodeJwt(storedToken(d)).jti!;
  d.client.cancel();
  const key = await store.signingKey();
  const stale = await issueToken(key, { workspaceId, role: 'worker', subject: d.ws.deviceId, user: d.ws.author, deviceRegistration: registration }, undefined, now - 20 * DAY);
  d.ws.db.prepare("UPDATE meta SET value = ? WHERE key = 'sync.token'").run(stale);
  await d.client.syncNow();
  await eventually(() => storedToken(d) !== stale, 'the device stored its renewed token');
  assert.ok(decodeJwt(storedToken(d)).exp! > now + 29 * DAY);
  d.close();
  await stop();
});

test("a lead lists the team's devices and revokes one: its token stops working and its open connection closes", async () => {
  const { server, store, token, stop } = await sqliteServer({ heartbeatMs: 200 });
  const workspaceId = await createWorkspace(store, 'revoke');
  const code = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
  const wes = syncDevice('Wes');
  await wes.client.connect(server.url, code);
  wes.ws.create('contact', { name: 'Olu Adebayo' });
  await wes.client.syncNow();
  const wesToken = storedToken(wes);

  const lead = await helloWith(server.url, (await token(workspaceId, 'lead', { user: { id: 'lena', name: 'Lena' } })).token, workspaceId);
  lead.s.send({ type: 'listDevices' });
  const listed = await lead.s.next();
  assert.ok(listed?.type === 'devices');
  const entry = listed.items.find((i) => i.userName === 'Wes');
  assert.ok(entry, 'the worker is listed by the name on their device');
  assert.deepEqual([entry.role, entry.connected, entry.revoked, entry.behind, entry.deviceId], ['worker', true, false, 0, wes.ws.deviceId]);
  assert.ok(entry.lastSeenAt > Date.now() - 60_000);
  assert.ok(listed.items.some((i) => i.userName === 'Lena' && i.role === 'lead'));

  lead.s.send({ type: 'revoke', id: entry.id });
  const after = await lead.s.next();
  assert.ok(after?.type === 'devices' && after.items.find((i) => i.id === entry.id)?.revoked);
  await eventually(() => wes.client.status().state === 'error', "the worker's connection was closed");
  const refused = wes.client.status();
  assert.match(refused.error!, /withdrew .* access/);
  assert.match(refused.error!, /new invite code/);
  assert.equal(refused.retryAt, null, 'a revoked device does not keep trying');
  const retry = await helloWith(server.url, wesToken, workspaceId);
  assert.ok(retry.welcome?.type === 'error' && retry.welcome.code === 'unauthorized' && /withdrew/.test(retry.welcome.message));
  assert.equal((await retry.s.closed).code, CLOSE_CODES.unauthorized);
  const head = await store.head(workspaceId);
  wes.ws.create('contact', { name: 'Written after revocation' });
  await wes.client.syncNow().catch(() => undefined);
  assert.equal(await store.head(workspaceId), head, 'nothing from the revoked device was stored');

  // A worker may do neither.
  const worker = await helloWith(server.url, (await token(workspaceId)).token, workspaceId);
  worker.s.send({ type: 'listDevices' });
  const forbidden = await worker.s.next();
  assert.ok(forbidden?.type === 'error' && forbidden.code === 'forbidden');

  // The admin command, run beside the server: the device's open connection closes at the next heartbeat.
  const other = syncDevice('Ola');
  await other.client.connect(server.url, code);
  await other.client.syncNow();
  const otherEntry = (await listDevices(store, workspaceId)).find((d) => d.userName === 'Ola')!;
  await revokeDevice(store, workspaceId, otherEntry.id);
  await eventually(() => other.client.status().state === 'error' && /withdrew/.test(other.client.status().error ?? ''), 'the idle connection was closed');
  assert.ok((await listDevices(store, workspaceId)).find((d) => d.id === otherEntry.id)?.revokedAt);
  await assert.rejects(revokeDevice(store, workspaceId, randomUUID()), /no device/);
  for (const d of [wes, other]) d.close();
  lead.s.ws.close();
  await stop();
});

test("a lead's device makes an invite code for a room of colleagues: each joins in the role it names until its uses run out; a worker cannot make one", async () => {
  const { server, store, token, stop } = await sqliteServer();
  const workspaceId = await createWorkspace(store, 'invites');
  const lead = syncDevice('Lena');
  await lead.client.connect(server.url, await createInvite(store, workspaceId, { role: 'lead' }));
  await lead.client.syncNow();
  lead.ws.create('contact', { name: 'Olu Adebayo' });
  await lead.client.syncNow();

  const before = Date.now();
  const invitation = await lead.client.invite('viewer', 2, 3);
  assert.deepEqual([invitation.role, invitation.uses], ['viewer', 2]);
  assert.ok(invitation.expiresAt >= before + 3 * DAY * 1000 && invitation.expiresAt <= Date.now() + 3 * DAY * 1000, 'it expires in the days asked for');
  const joined = ['Ama', 'Ben'].map((name) => syncDevice(name));
  for (const d of joined) {
    await d.client.connect(server.url, invitation.code);
    await d.client.syncNow();
    assert.equal(d.client.status().role, 'viewer', `${d.ws.author.name} joined as the invite says`);
    assert.deepEqual(d.ws.list({ kind: 'contact' }).rows.map((r) => r.title), ['Olu Adebayo'], "and has the team's records");
  }
  const third = syncDevice('Cai');
  await assert.rejects(third.client.connect(server.url, invitation.code), /invite/i, 'a third device finds its uses run out');

  // Asked of the server directly: the data service never sends it for a worker (leadsOnly).
  const worker = await helloWith(server.url, (await token(workspaceId)).token, workspaceId);
  worker.s.send({ type: 'invite', role: 'lead', uses: 1, days: 1 });
  const forbidden = await worker.s.next();
  assert.ok(forbidden?.type === 'error' && forbidden.code === 'forbidden', 'a worker may not invite anyone');
  assert.equal((await worker.s.closed).code, CLOSE_CODES.forbidden);
  for (const d of [lead, ...joined, third]) d.close();
  await stop();
});

test('a hostile server sends one bad update among good ones in a pull batch: the good ones apply, nothing of the bad one is kept, the cursor stays consistent', async () => {
  const d = syncDevice('hostile-server');
  const margaret = d.ws.create('contact', { name: 'Margaret Okafor' });
  const held = () => d.ws.get('contact', margaret.id).data.name;
  /** An update to Margaret's record as a peer would make it, naming her `name`. */
  const rename = (name: string) => changeOf(d.ws, margaret.id, (doc) => doc.getMap('fields').set('name', name));
  // Its structs decode and integrate before its delete set (cut off here) fails to: once half-applied in memory.
  const truncated = rename('Hijacked').slice(0, -1);
  const newcomers = ['Amina Yusuf', 'Tom Reid'].map((name) => ({ id: randomUUID(), update: contactUpdate(name) }));

  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const port = (wss.address() as AddressInfo).port;
  let peer: WebSocket | null = null;
  const author = { id: 'peer', name: 'Peer' };
  wss.on('connection', (ws) => {
    peer = ws;
    ws.on('message', (data: Buffer) => {
      const message = decodeMessage(new Uint8Array(data));
      if (message.type === 'hello') ws.send(encodeMessage({ type: 'welcome', workspaceId: 'hostile', role: 'worker', head: 3 }));
      if (message.type === 'push') ws.send(encodeMessage({ type: 'ack', items: message.items.map((i, n) => ({ msgId: i.msgId, seq: 10 + n })) }));
      if (message.type !== 'pull') return;
      const items = [
        { seq: 1, docId: newcomers[0]!.id, update: newcomers[0]!.update, author },
        { seq: 2, docId: margaret.id, update: truncated, author },
        { seq: 3, docId: newcomers[1]!.id, update: newcomers[1]!.update, author },
      ].filter((i) => i.seq > message.cursor);
      ws.send(encodeMessage({ type: 'updates', after: message.cursor, upTo: Math.max(message.cursor, 3), live: false, more: false, request: message.request, items, erasures: [] }));
    });
  });
  const fakeRedeem = (async () => new Response(JSON.stringify({ token: 'hostile-token', workspaceId: 'hostile', role: 'worker' }))) as typeof fetch;
  const client = new SyncClient(d.ws, { fetch: fakeRedeem, retryMs: { first: 20, max: 200 } });
  d.client.close();
  await client.connect(`http://127.0.0.1:${port}`, 'ANY-CODE');
  await client.syncNow();

  assert.deepEqual(
    d.ws.list({ kind: 'contact' }).rows.map((r) => r.title).sort(),
    ['Amina Yusuf', 'Margaret Okafor', 'Tom Reid'],
    'both good updates applied, around the bad one',
  );
  assert.equal(held(), 'Margaret Okafor', 'nothing of the bad update shows');
  assert.equal(d.ws.db.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck().get(), '3', 'the cursor moved past the batch it applied, once');

  // The next change to her record, from a peer and then here: still nothing of the bad update comes back from memory.
  peer!.send(encodeMessage({ type: 'updates', after: 3, upTo: 4, live: true, more: false, items: [{ seq: 4, docId: margaret.id, update: changeOf(d.ws, margaret.id, (doc) => doc.getMap('fields').set('phone', '07700 900123')), author }], erasures: [] }));
  await eventually(() => d.ws.get('contact', margaret.id).data.phone === '07700 900123', 'the live update applied');
  assert.equal(held(), 'Margaret Okafor');
  d.ws.update('contact', margaret.id, { notes: 'Runs the lunch club' });
  const stored = new Y.Doc();
  Y.applyUpdate(stored, d.ws.docState(margaret.id));
  assert.equal(stored.getMap('fields').get('name'), 'Margaret Okafor', 'the stored doc never held the bad name');
  assert.equal(held(), 'Margaret Okafor');
  client.close();
  d.ws.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

test("colleagues' live updates arriving while this device's push is on its way are applied with its acknowledgement: every record shows, and the cursor ends past both, so the next pull asks for nothing already here", async () => {
  const d = syncDevice('live-behind-push');
  d.ws.create('contact', { name: 'Margaret Okafor' });
  const colleagues = ['Amina Yusuf', 'Tom Reid'].map((name) => ({ docId: randomUUID(), update: contactUpdate(name) }));
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const port = (wss.address() as AddressInfo).port;
  const author = { id: 'colleague', name: 'Colleague' };
  const pulledFrom: number[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      const message = decodeMessage(new Uint8Array(data));
      if (message.type === 'hello') ws.send(encodeMessage({ type: 'welcome', workspaceId: 'live', role: 'worker', head: 0 }));
      if (message.type === 'pull') {
        pulledFrom.push(message.cursor);
        ws.send(encodeMessage({ type: 'updates', after: message.cursor, upTo: message.cursor, live: false, more: false, request: message.request, items: [], erasures: [] }));
      }
      if (message.type !== 'push') return;
      // The server stored two colleagues' pushes before this device's (seqs 1 and 2, sent live), then its own (3).
      colleagues.forEach((c, n) =>
        ws.send(encodeMessage({ type: 'updates', after: n, upTo: n + 1, live: true, more: false, items: [{ seq: n + 1, ...c, author }], erasures: [] })),
      );
      ws.send(encodeMessage({ type: 'ack', items: message.items.map((i, n) => ({ msgId: i.msgId, seq: 3 + n })) }));
    });
  });
  const fakeRedeem = (async () => new Response(JSON.stringify({ token: 'live-token', workspaceId: 'live', role: 'worker' }))) as typeof fetch;
  const client = new SyncClient(d.ws, { fetch: fakeRedeem, retryMs: { first: 20, max: 200 } });
  d.client.close();
  await client.connect(`http://127.0.0.1:${port}`, 'ANY-CODE');
  await client.syncNow();

  assert.deepEqual(d.ws.list({ kind: 'contact' }).rows.map((r) => r.title).sort(), ['Amina Yusuf', 'Margaret Okafor', 'Tom Reid'], 'synced means the live updates are applied');
  assert.equal(client.status().pending, 0);
  assert.equal(d.ws.db.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").pluck().get(), '3', 'the cursor moved past the live updates and this device’s own');
  await client.syncNow();
  assert.equal(pulledFrom.at(-1), 3, 'the next pull starts past everything here');
  client.close();
  d.ws.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});
