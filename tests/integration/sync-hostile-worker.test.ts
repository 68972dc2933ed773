// A hostile worker against the real sync server: every push below was once acknowledged
// and made a record vanish from every device, or forged who wrote what, or settled the
// lead's conflicts. Each is now refused with the record and the reason, on a connection
// that stays open, and nothing stored changes. An honest device on the same server keeps
// syncing, and what it receives names the user the server attests.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import * as Y from 'yjs';
import { createInvite, createWorkspace } from '../../server/admin';
import { issueToken } from '../../server/auth';
import type { Author } from '../../shared/domain';
import { MAX_BATCH_ITEMS, decodeMessage, type Message, type SyncRole } from '../../shared/sync-protocol';
import { SyncClient } from '../../main/data-service/sync/sync-client';
import { Workspace } from '../../main/data-service/workspace';
import { changeOf, contactUpdate, joinedDevice, rawSession, syncDevice, tappedSockets, type RawSession } from './sync-helpers';
import { sqliteServerForFile } from './sqlite-server-fixture';

const sync = sqliteServerForFile('hostile');

const LEAD = { id: 'lead-1', name: 'Lena Lead' };
const MALLORY = { id: 'worker-m', name: 'Mallory Worker' };

const device = (author: Author, workspaceId: string, role: SyncRole) => joinedDevice({ dir: sync.dir, url: sync.server.url, store: sync.store }, author, workspaceId, role);

/** A worker's raw connection: sends exactly what a hostile client would. */
async function hostileSession(workspaceId: string): Promise<RawSession> {
  const token = await issueToken(await sync.store.signingKey(), { workspaceId, role: 'worker', subject: 'mallory-laptop', user: MALLORY });
  const session = await rawSession(sync.server.url);
  session.send({ type: 'hello', token, workspaceId, clientId: `mallory-${randomUUID()}` });
  assert.equal((await session.next())?.type, 'welcome');
  return session;
}

/** A stamp as an honest device writes it, naming `author`. */
const stampOf = (author: { id: string; name: string }) => ({ author, hlc: `${Date.now()}:00000:mallory`, at: new Date().toISOString(), base: null });

async function storedState(workspaceId: string) {
  return { head: await sync.store.head(workspaceId), items: (await sync.store.pull(workspaceId, 0, 10_000, 1e9)).items };
}

test('every hostile push of a worker is refused, naming the record and the reason, and nothing stored changes', async () => {
  const workspaceId = await createWorkspace(sync.store, 'hostile');
  const lead = await device(LEAD, workspaceId, 'lead');
  const session = await hostileSession(workspaceId);
  try {
    const contact = lead.ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123' });
    const other = lead.ws.create('contact', { name: 'Maggie Okafor' });
    await lead.client.syncNow();
    const stored = await storedState(workspaceId);

    const deepNesting = (doc: Y.Doc) => {
      let map = new Y.Map<unknown>();
      doc.getMap('col:skills').set(randomUUID(), map);
      // As deep as once made the merge guard throw; each level is one more Y.Map.
      for (let i = 0; i < 20_000; i++) {
        const inner = new Y.Map<unknown>();
        map.set('x', inner);
        map = inner;
      }
    };
    let deepValue: unknown = 'bottom';
    for (let i = 0; i < 1_000; i++) deepValue = { x: deepValue };
    const hostile: [what: string, docId: string, update: Uint8Array, reason: RegExp][] = [
      ['name 42', contact.id, changeOf(lead.ws, contact.id, (d) => d.getMap('fields').set('name', 42)), /name .*expected string/i],
      [
        'every key of fields deleted',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => [...d.getMap('fields').keys()].forEach((k) => d.getMap('fields').delete(k))),
        /name /,
      ],
      [
        'meta.updatedBy naming the lead',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => {
          d.getMap('fields').set('phone', '07700 900999');
          d.getMap('stamps').set('phone', stampOf(MALLORY));
          d.getMap('meta').set('updatedBy', LEAD);
        }),
        /updatedBy names Lena Lead, not this device's user Mallory Worker/,
      ],
      [
        'a stamp naming the lead',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => {
          d.getMap('fields').set('phone', '07700 900999');
          d.getMap('stamps').set('phone', stampOf(LEAD));
        }),
        /stamp of phone names Lena Lead, not this device's user Mallory Worker/,
      ],
      [
        'writing resolved',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => d.getMap('resolved').set('sig', { by: MALLORY, at: '2025-01-01', resolution: 'kept' })),
        /only team leads may settle conflicts/,
      ],
      [
        'merging as a worker',
        other.id,
        changeOf(lead.ws, other.id, (d) => {
          d.getMap('meta').set('mergedInto', contact.id);
          d.getMap('meta').set('mergeId', randomUUID());
        }),
        /only team leads may merge or unmerge/,
      ],
      ['types nested too deep', contact.id, changeOf(lead.ws, contact.id, deepNesting), /nests types \d+ deep/],
      ['a value nested 1,000 deep', contact.id, changeOf(lead.ws, contact.id, (d) => d.getMap('fields').set('notes', deepValue)), /nested more than/],
      [
        'a field the kind does not have, half a MB of it',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => d.getMap('fields').set('payload', 'x'.repeat(512 * 1024))),
        /field "payload", which a contact does not have/,
      ],
      ['an update over 1 MB', contact.id, changeOf(lead.ws, contact.id, (d) => d.getMap('fields').set('notes', 'x'.repeat(1024 * 1024))), /may be at most 1,048,576/],
      [
        'an oversized name',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => d.getMap('fields').set('name', 'M'.repeat(5_000))),
        /name must be at most 200 characters/,
      ],
      [
        'claiming to have created a record',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => d.getMap('meta').set('createdBy', MALLORY)),
        /rewrites who created this record or when/,
      ],
      [
        'backdating a record',
        contact.id,
        changeOf(lead.ws, contact.id, (d) => d.getMap('meta').set('createdAt', '2019-04-01T09:00:00.000Z')),
        /rewrites who created this record or when/,
      ],
      ['a contact turned into an asset', contact.id, changeOf(lead.ws, contact.id, (d) => d.getMap('meta').set('kind', 'asset')), /turns a contact into a asset/],
      [
        'a new record with no name',
        randomUUID(),
        (() => {
          const doc = new Y.Doc();
          doc.getMap('meta').set('kind', 'contact');
          doc.getMap('meta').set('createdBy', MALLORY);
          return Y.encodeStateAsUpdate(doc);
        })(),
        /name /,
      ],
    ];
    let msgId = 1;
    for (const [what, docId, update, reason] of hostile) {
      session.send({ type: 'push', items: [{ msgId: msgId++, docId, update }] });
      const answer = (await session.next()) as Message | null;
      assert.ok(answer?.type === 'refused' && answer.items.length === 1, `${what}: refused (got ${JSON.stringify(answer)?.slice(0, 200)})`);
      assert.equal(answer.items[0]!.docId, docId, `${what}: the refusal names the record`);
      assert.match(answer.items[0]!.reason, reason, `${what}: the reason says what was wrong`);
    }
    assert.deepEqual(await storedState(workspaceId), stored, 'nothing of the hostile pushes was stored');

    // The same connection, still open, may make an honest edit, and the lead gets it under Mallory's name.
    const honest = changeOf(lead.ws, contact.id, (d) => {
      d.getMap('fields').set('phone', '07700 900456');
      d.getMap('stamps').set('phone', stampOf(MALLORY));
      d.getMap('meta').set('updatedBy', MALLORY);
    });
    session.send({ type: 'push', items: [{ msgId: msgId++, docId: contact.id, update: honest }] });
    const ack = await session.next();
    assert.ok(ack?.type === 'ack' && ack.items[0]!.seq > 0, 'an honest edit on the same connection is stored');
    await lead.client.syncNow();
    assert.equal(lead.ws.get('contact', contact.id).data.phone, '07700 900456');
    const entry = lead.ws.history(contact.id).find((h) => h.field === 'phone');
    assert.deepEqual(entry?.author, MALLORY, 'history names the attested author');
    assert.equal((await sync.store.pull(workspaceId, stored.head, 10, 1e9)).items[0]?.author?.id, MALLORY.id, 'the server recorded who pushed it');
  } finally {
    session.ws.close();
    lead.close();
  }
});

test('a change that builds on a refused one is refused too: the server never checks against what it refused', async () => {
  const workspaceId = await createWorkspace(sync.store, 'builds-on-refused');
  const lead = await device(LEAD, workspaceId, 'lead');
  const session = await hostileSession(workspaceId);
  try {
    const contact = lead.ws.create('contact', { name: 'Margaret Okafor' });
    await lead.client.syncNow();
    // An honest edit first, so the server has just checked (and may keep) this record's doc.
    let replica = new Y.Doc();
    Y.applyUpdate(replica, lead.ws.docState(contact.id));
    const edit = (change: (doc: Y.Doc) => void) => {
      const before = Y.encodeStateVector(replica);
      replica.transact(() => change(replica));
      return Y.encodeStateAsUpdate(replica, before);
    };
    const honest = edit((d) => {
      d.getMap('fields').set('email', 'margaret@example.org');
      d.getMap('stamps').set('email', stampOf(MALLORY));
    });
    session.send({ type: 'push', items: [{ msgId: 1, docId: contact.id, update: honest }] });
    assert.equal((await session.next())?.type, 'ack');
    const stored = await storedState(workspaceId);

    const bad = edit((d) => d.getMap('fields').set('name', 42));
    session.send({ type: 'push', items: [{ msgId: 2, docId: contact.id, update: bad }] });
    assert.equal((await session.next())?.type, 'refused');
    // The same client's next change carries on from the refused one's clock.
    const next = edit((d) => {
      d.getMap('fields').set('phone', '07700 900456');
      d.getMap('stamps').set('phone', stampOf(MALLORY));
    });
    session.send({ type: 'push', items: [{ msgId: 3, docId: contact.id, update: next }] });
    const answer = await session.next();
    assert.ok(answer?.type === 'refused', `refused (got ${answer?.type})`);
    assert.match(answer.items[0]!.reason, /builds on changes the server does not have/);
    assert.deepEqual(await storedState(workspaceId), stored, 'nothing of either was stored');

    // New words under a message id already stored are acknowledged as a re-send and not
    // stored; a change building on them is refused like one building on a refused change.
    // A replica of what the server holds, as a new editor on the same connection.
    Y.applyUpdate((replica = new Y.Doc()), lead.ws.docState(contact.id));
    const resent = edit((d) => {
      d.getMap('fields').set('address', '1 Albert Road');
      d.getMap('stamps').set('address', stampOf(MALLORY));
    });
    session.send({ type: 'push', items: [{ msgId: 1, docId: contact.id, update: resent }] });
    const resentAck = await session.next();
    assert.ok(resentAck?.type === 'ack' && resentAck.items[0]!.seq === 0, 'taken as a re-send, not stored');
    const onResent = edit((d) => {
      d.getMap('fields').set('postcode', 'M14 5TQ');
      d.getMap('stamps').set('postcode', stampOf(MALLORY));
    });
    session.send({ type: 'push', items: [{ msgId: 4, docId: contact.id, update: onResent }] });
    const refusal = await session.next();
    assert.ok(refusal?.type === 'refused', `refused (got ${refusal?.type})`);
    assert.deepEqual(await storedState(workspaceId), stored, 'nothing of them was stored');
    await lead.client.syncNow();
    assert.equal(lead.ws.get('contact', contact.id).data.name, 'Margaret Okafor');
  } finally {
    session.ws.close();
    lead.close();
  }
});

test('a hostile push among several on their way is refused, the pushes sent behind it are skipped, and nothing of either is stored', async () => {
  const workspaceId = await createWorkspace(sync.store, 'hostile-in-flight');
  const lead = await device(LEAD, workspaceId, 'lead');
  const session = await hostileSession(workspaceId);
  try {
    const contact = lead.ws.create('contact', { name: 'Margaret Okafor' });
    await lead.client.syncNow();
    const before = await storedState(workspaceId);
    const first = { msgId: 1, docId: randomUUID(), update: contactUpdate('Ann Abbott') };
    const behind = { msgId: 3, docId: randomUUID(), update: contactUpdate('Bea Brown') };
    // Three pushes without waiting, each naming the one before: the second makes a record vanish.
    session.send({ type: 'push', items: [first] });
    session.send({ type: 'push', items: [{ msgId: 2, docId: contact.id, update: changeOf(lead.ws, contact.id, (d) => d.getMap('fields').set('name', 42)) }], after: 1 });
    session.send({ type: 'push', items: [behind], after: 2 });
    const answers = [await session.next(), await session.next(), await session.next()];
    assert.equal(answers[0]?.type, 'ack');
    assert.ok(answers[1]?.type === 'refused' && answers[1].items[0]?.docId === contact.id, `the hostile push is refused (got ${JSON.stringify(answers[1])})`);
    assert.deepEqual(answers[2], { type: 'skipped', after: 2 }, 'the push sent behind it is skipped, not stored');
    const stored = await storedState(workspaceId);
    assert.equal(stored.head, before.head + 1, 'only the first push was stored');
    assert.deepEqual(stored.items.slice(0, -1), before.items);
    assert.equal(stored.items.at(-1)!.docId, first.docId);
    // Sent again by itself, once its client has heard of the refusal, it is checked and stored.
    session.send({ type: 'push', items: [behind] });
    const again = await session.next();
    assert.ok(again?.type === 'ack' && again.items[0]!.seq === stored.head + 1, `stored when sent again (got ${JSON.stringify(again)})`);
    await lead.client.syncNow();
    assert.equal(lead.ws.get('contact', contact.id).data.name, 'Margaret Okafor');
  } finally {
    session.ws.close();
    lead.close();
  }
});

test('a device sends several pushes before the first is answered; a change refused in the first is held back and everything sent behind it still reaches the server', async () => {
  const workspaceId = await createWorkspace(sync.store, 'pushes-in-flight');
  // What the device sends and receives, in order.
  const frames: string[] = [];
  const worker = syncDevice(`worker-w-${randomUUID()}`, {
    author: { id: 'worker-w', name: 'Wendy Worker' },
    dir: sync.dir,
    key: randomBytes(32),
    connect: tappedSockets({
      sent: (frame) => void frames.push(`sent ${decodeMessage(frame).type}`),
      received: (frame) => void frames.push(`got ${decodeMessage(frame).type}`),
    }),
  });
  try {
    await worker.client.connect(sync.server.url, await createInvite(sync.store, workspaceId, { role: 'worker', uses: 1 }));
    const bob = worker.ws.create('contact', { name: 'Bob Smith' });
    const robert = worker.ws.create('contact', { name: 'Robert Smith' });
    await worker.client.syncNow();
    const bobRows = (await storedState(workspaceId)).items.filter((i) => i.docId === bob.id).length;
    // A merge only a lead may make, then more new records than two pushes carry.
    worker.ws.applyUpdate(bob.id, changeOf(worker.ws, bob.id, (d) => d.getMap('meta').set('mergedInto', robert.id)), 'editor');
    const created = worker.ws.createMany('contact', Array.from({ length: 2 * MAX_BATCH_ITEMS + 10 }, (_, i) => ({ data: { name: `Person ${i}` } })));
    frames.length = 0;
    await assert.rejects(worker.client.syncNow(), /refused changes to one record/);
    const firstAnswer = frames.findIndex((f) => f === 'got ack' || f === 'got refused');
    assert.ok(frames.slice(0, firstAnswer).filter((f) => f === 'sent push').length >= 2, `several pushes on their way before the first answer: ${frames.join(', ')}`);
    assert.ok(frames.includes('got skipped'), 'the pushes sent behind the refused one were skipped');
    const stored = await storedState(workspaceId);
    const storedIds = new Set(stored.items.map((i) => i.docId));
    assert.deepEqual(created.filter((id) => !storedIds.has(id)), [], 'every record sent behind the refused change reached the server');
    assert.equal(stored.items.filter((i) => i.docId === bob.id).length, bobRows, 'nothing of the refused change was stored');
    const status = worker.client.status();
    assert.equal(status.pending, 0);
    assert.deepEqual(status.refused.map((r) => r.recordId), [bob.id]);
    assert.match(status.refused[0]!.reason, /only team leads may merge/);
  } finally {
    worker.close();
  }
});

test('a device names the author the server attests in history, not the one an update claims', () => {
  const ws = Workspace.open({ path: join(sync.dir, `attest-${randomUUID()}.sqlite`), author: LEAD, durability: 'normal' });
  try {
    const contact = ws.create('contact', { name: 'Tom Baker' });
    // Stored before the server checked stamps: it claims the lead wrote it; the server attests Mallory pushed it.
    const forged = changeOf(ws, contact.id, (d) => {
      d.getMap('fields').set('email', 'tom@example.org');
      d.getMap('stamps').set('email', stampOf(LEAD));
      d.getMap('meta').set('updatedBy', LEAD);
    });
    ws.applyRemoteUpdates([{ id: contact.id, update: forged, author: MALLORY }], () => undefined);
    const entry = ws.history(contact.id).find((h) => h.field === 'email');
    assert.deepEqual(entry?.author, MALLORY);
  } finally {
    ws.close();
  }
});

test("a device's own changes read as not yet synced until the server acknowledges them, then name the user the server attests", async () => {
  const workspaceId = await createWorkspace(sync.store, 'unsynced-authors');
  const WENDY = { id: 'worker-w', name: 'Wendy Worker' };
  const joined = await device(WENDY, workspaceId, 'worker');
  const { path, key } = joined.ws;
  joined.close();
  // Changes made while the device is offline (no sync client running).
  const ws = Workspace.open({ path: path!, author: WENDY, durability: 'normal', key: key! });
  const client = new SyncClient(ws, { retryMs: { first: 20, max: 200 } });
  try {
    const contact = ws.create('contact', { name: 'Tom Baker' });
    ws.update('contact', contact.id, { phone: '07700 900123' });
    const mine = () => ws.history(contact.id).map((h) => ({ field: h.field, author: h.author.name, unsynced: h.unsynced }));
    assert.deepEqual(mine(), [
      { field: 'phone', author: WENDY.name, unsynced: true },
      { field: '(created)', author: WENDY.name, unsynced: true },
    ]);
    await client.syncNow();
    assert.deepEqual(
      mine(),
      [
        { field: 'phone', author: WENDY.name, unsynced: false },
        { field: '(created)', author: WENDY.name, unsynced: false },
      ],
      'acknowledged: the author the token names, as every other device shows it',
    );
    // A change made after that push waits for its own acknowledgement; the earlier ones stay synced.
    ws.update('contact', contact.id, { email: 'tom@example.org' });
    assert.deepEqual(mine().map((h) => h.unsynced), [true, false, false]);
    await client.syncNow();
    assert.deepEqual(mine().map((h) => h.unsynced), [false, false, false]);
  } finally {
    client.close();
    ws.close();
  }
});

test('a device whose change is refused holds that record back, syncs the rest, and can discard it to what the server has', async () => {
  const workspaceId = await createWorkspace(sync.store, 'refused-client');
  const worker = await device({ id: 'worker-w', name: 'Wendy Worker' }, workspaceId, 'worker');
  const lead = await device(LEAD, workspaceId, 'lead');
  try {
    const bob = worker.ws.create('contact', { name: 'Bob Smith' });
    const robert = worker.ws.create('contact', { name: 'Robert Smith' });
    await worker.client.syncNow();
    const before = await storedState(workspaceId);

    // An edit, then a merge made on this device (as when its lead role was replaced by a worker's), then an ordinary edit elsewhere.
    worker.ws.update('contact', bob.id, { notes: 'Moved away.' });
    worker.ws.applyUpdate(
      bob.id,
      changeOf(worker.ws, bob.id, (d) => {
        d.getMap('meta').set('mergedInto', robert.id);
        d.getMap('meta').set('mergeId', randomUUID());
      }),
      'editor',
    );
    worker.ws.update('contact', robert.id, { phone: '07700 900321' });
    await assert.rejects(worker.client.syncNow(), /refused changes to one record/);
    const unsynced = (id: string, field: string) => worker.ws.history(id).find((h) => h.field === field)?.unsynced;
    assert.equal(unsynced(robert.id, 'phone'), false, 'the change the server stored is synced');
    assert.equal(unsynced(bob.id, 'notes'), true, 'a change held back with the refused record is not');
    const status = worker.client.status();
    assert.equal(status.state, 'error');
    assert.equal(status.pending, 0, 'the other change was sent: the refused one does not block the outbox');
    assert.deepEqual(
      status.refused.map((r) => ({ recordId: r.recordId, title: r.title })),
      [{ recordId: bob.id, title: 'Bob Smith' }],
      'the refused record is listed by name',
    );
    assert.match(status.refused[0]!.reason, /only team leads may merge/);
    await lead.client.syncNow();
    assert.equal(lead.ws.get('contact', robert.id).data.phone, '07700 900321', 'the change behind it reached the lead');
    assert.equal(lead.ws.get('contact', bob.id).mergedInto, null);
    assert.equal((await storedState(workspaceId)).items.filter((i) => i.docId === bob.id).length, before.items.filter((i) => i.docId === bob.id).length);

    // Discarding drops the outbox entry and puts the record back as the server holds it.
    const after = await worker.client.discardRefused(bob.id);
    assert.deepEqual(after.refused, []);
    assert.equal(worker.ws.get('contact', bob.id).mergedInto, null, 'the refused merge is gone from the device');
    assert.equal(worker.ws.get('contact', bob.id).data.name, 'Bob Smith');
    assert.ok(worker.ws.history(bob.id).some((h) => h.field === '(change discarded)'), 'history says the change was discarded');
    assert.deepEqual(
      worker.ws.history(bob.id).filter((h) => h.unsynced),
      [],
      'a discarded change no longer waits to be synced',
    );
    const synced = await worker.client.syncNow();
    assert.equal(synced.state, 'synced');
    // The record syncs again: an edit after the discard reaches the lead.
    worker.ws.update('contact', bob.id, { email: 'bob@example.org' });
    await worker.client.syncNow();
    await lead.client.syncNow();
    assert.equal(lead.ws.get('contact', bob.id).data.email, 'bob@example.org');
  } finally {
    worker.close();
    lead.close();
  }
});

test('discarding a refused record the server never had takes it off the device, and the rest syncs on', async () => {
  const workspaceId = await createWorkspace(sync.store, 'refused-new-record');
  const path = join(sync.dir, `shared-laptop-${randomUUID()}.sqlite`);
  // Asha wrote a contact on this laptop; Wendy, a worker, now joins the team from it.
  const asha = Workspace.open({ path, author: { id: 'worker-a', name: 'Asha Patel' }, durability: 'normal' });
  const zoe = asha.create('contact', { name: 'Zoë Brown' });
  asha.close();
  const ws = Workspace.open({ path, author: { id: 'worker-w', name: 'Wendy Worker' }, durability: 'normal' });
  const client = new SyncClient(ws, { retryMs: { first: 20, max: 200 } });
  try {
    await client.connect(sync.server.url, await createInvite(sync.store, workspaceId, { role: 'worker', uses: 1 }));
    await assert.rejects(client.syncNow(), /refused changes to one record/);
    assert.match(client.status().refused[0]!.reason, /names Asha Patel, not this device's user Wendy Worker/);
    assert.equal((await storedState(workspaceId)).items.length, 0, 'nothing of it was stored');

    const after = await client.discardRefused(zoe.id);
    assert.deepEqual(after.refused, []);
    assert.throws(() => ws.get('contact', zoe.id), /no contact with id/);
    assert.equal(ws.list({ kind: 'contact' }).total, 0, 'it left the lists with its doc');
    assert.equal(ws.docKind(zoe.id), null);
    ws.create('contact', { name: 'Yusuf Ali' });
    assert.equal((await client.syncNow()).state, 'synced');
    assert.deepEqual((await storedState(workspaceId)).items.map((i) => i.author?.name), ['Wendy Worker']);
  } finally {
    client.close();
    ws.close();
  }
});
