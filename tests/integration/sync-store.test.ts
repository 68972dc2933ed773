// One contract suite for the sync server's storage engines (server/store.ts), run against
// SQLite and against PostgreSQL: whatever the server relies on, each engine must do the
// same. The PostgreSQL run needs FIELDBOOK_TEST_POSTGRES_URL (scripts/postgres-test.sh
// start) and is skipped, saying so, without it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as Y from 'yjs';
import type { PushItem, StoredErasure, StoredUpdate } from '../../shared/sync-protocol';
import { createInvite, createWorkspace } from '../../server/admin';
import { hashInviteCode } from '../../server/auth';
import { SERVER_COMPACTION_THRESHOLD, pulled, readRows, type AppendedEvent, type PulledRow, type SyncStore } from '../../server/store';
import { PostgresStore } from '../../server/store-postgres';
import { eventually, POSTGRES_SKIP, POSTGRES_URL, sqliteStoreFor, tempDir } from './sync-helpers';

interface Engine {
  name: string;
  skip: string | false;
  /** A place to store, and a way to open (and open again) a store on it. */
  backing(): () => Promise<SyncStore>;
}

const ENGINES: Engine[] = [
  {
    name: 'SQLite',
    skip: false,
    backing: () => {
      const path = join(tempDir('store'), 'sync.sqlite');
      return () => sqliteStoreFor(path);
    },
  },
  // Every test works in workspaces of its own, so runs share the one database.
  { name: 'PostgreSQL', skip: POSTGRES_SKIP, backing: () => () => PostgresStore.connect(POSTGRES_URL!) },
];

/** One doc's stored updates. */
async function docUpdates(store: SyncStore, workspaceId: string, docId: string): Promise<Uint8Array[]> {
  return (await store.docUpdates(workspaceId, [docId])).get(docId) ?? [];
}

/** An update that sets `field` of a doc's map; updates of one doc with one client id build on each other. */
function edit(doc: Y.Doc, field: string, value: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getMap('fields').set(field, value);
  return Y.encodeStateAsUpdate(doc, before);
}

function newDocUpdate(value = 'hello'): Uint8Array {
  return edit(new Y.Doc(), 'name', value);
}

const items = (msgIds: number[], docId = randomUUID()): PushItem[] => msgIds.map((msgId) => ({ msgId, docId, update: newDocUpdate(`m${msgId}`) }));
const seqs = (updates: StoredUpdate[]) => updates.map((u) => u.seq);
/** The user a device's token names (each device here has its own). */
const userOf = (device: string) => ({ id: device, name: `User of ${device}` });

for (const engine of ENGINES) {
  describe(`SyncStore contract: ${engine.name}`, { skip: engine.skip }, () => {
    /** A store opened for one test, closed when it ends. */
    async function withStore(t: { after(fn: () => Promise<void>): void }): Promise<{ store: SyncStore; reopen: () => Promise<SyncStore> }> {
      const open = engine.backing();
      const opened: SyncStore[] = [];
      const reopen = async () => {
        const store = await open();
        opened.push(store);
        return store;
      };
      t.after(async () => {
        for (const store of opened) await store.close();
      });
      return { store: await reopen(), reopen };
    }

    test('the signing key is 32 bytes, made once and the same for every node opening the store', async (t) => {
      const { store, reopen } = await withStore(t);
      const key = await store.signingKey();
      assert.equal(key.byteLength, 32);
      assert.deepEqual(await store.signingKey(), key);
      assert.deepEqual(await (await reopen()).signingKey(), key, 'a second node reads the same key');
    });

    test('workspaces exist once created, start at head 0, and cannot be created twice', async (t) => {
      const { store } = await withStore(t);
      const id = randomUUID();
      assert.equal(await store.workspaceExists(id), false);
      assert.equal(await store.head(id), 0, 'an unknown workspace has head 0');
      await store.createWorkspace(id, 'Riverside');
      assert.equal(await store.workspaceExists(id), true);
      assert.equal(await store.head(id), 0);
      await assert.rejects(store.createWorkspace(id, 'Riverside again'));
    });

    test('append gives a push consecutive sequence numbers after the head, in the order given', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'seq');
      const first = await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), items([1, 2, 3]));
      assert.deepEqual(first, [{ msgId: 1, seq: 1 }, { msgId: 2, seq: 2 }, { msgId: 3, seq: 3 }]);
      const second = await store.append(ws, 'device-b', 'conn-2', userOf('device-b'), items([1, 2]));
      assert.deepEqual(second, [{ msgId: 1, seq: 4 }, { msgId: 2, seq: 5 }], "another device's message ids are its own");
      assert.equal(await store.head(ws), 5);
      const { items: stored } = await store.pull(ws, 0, 100, Number.POSITIVE_INFINITY);
      assert.deepEqual(seqs(stored), [1, 2, 3, 4, 5]);

      // Each workspace has its own sequence.
      const other = await createWorkspace(store, 'seq other');
      assert.deepEqual(await store.append(other, 'device-a', 'conn-1', userOf('device-a'), items([9])), [{ msgId: 9, seq: 1 }]);
      assert.equal(await store.head(ws), 5);
    });

    test('a retried push is acknowledged with seq 0 and not stored again; new items in it are', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'retry');
      const push = items([4, 7]);
      await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), push);
      const extra = items([9])[0]!;
      assert.deepEqual(await store.append(ws, 'device-a', 'conn-2', userOf('device-a'), [...push, extra]), [
        { msgId: 4, seq: 0 },
        { msgId: 7, seq: 0 },
        { msgId: 9, seq: 3 },
      ]);
      // Below the highest id stored, even one never seen: the client's outbox sends prefixes only.
      assert.deepEqual(await store.append(ws, 'device-a', 'conn-3', userOf('device-a'), items([8])), [{ msgId: 8, seq: 0 }]);
      assert.equal(await store.head(ws), 3);
      const { items: stored } = await store.pull(ws, 0, 100, Number.POSITIVE_INFINITY);
      assert.deepEqual(stored.map((u) => u.update), [push[0]!.update, push[1]!.update, extra.update]);
    });

    test('an append to an unknown workspace fails and stores nothing', async (t) => {
      const { store } = await withStore(t);
      const ghost = randomUUID();
      await assert.rejects(store.append(ghost, 'device-a', 'conn-1', userOf('device-a'), items([1])), /no workspace/);
      assert.equal(await store.head(ghost), 0);
      assert.deepEqual((await store.pull(ghost, 0, 100, Number.POSITIVE_INFINITY)).items, []);
    });

    test('concurrent appends to one workspace get distinct, gapless sequence numbers', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'concurrent');
      const devices = Array.from({ length: 8 }, (_, i) => `device-${i}`);
      const acks = await Promise.all(devices.map((device) => store.append(ws, device, `conn-${device}`, userOf(device), items([1, 2, 3]))));
      const assigned = acks.flat().map((a) => a.seq).sort((a, b) => a - b);
      assert.deepEqual(assigned, Array.from({ length: 24 }, (_, i) => i + 1));
      for (const ack of acks) assert.deepEqual(ack.map((a) => a.seq - ack[0]!.seq), [0, 1, 2], 'one push, consecutive numbers');
      assert.equal(await store.head(ws), 24);
    });

    test("an erasure deletes its records' updates, keeps their ids, and takes its place in the sequence, once", async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'erase');
      const [erased, kept] = [randomUUID(), randomUUID()];
      await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), [
        { msgId: 1, docId: erased, update: newDocUpdate('erased') },
        { msgId: 2, docId: kept, update: newDocUpdate('kept') },
      ]);
      const lead = userOf('lead');
      const erasure = await store.erase(ws, 'conn-2', lead, { erasureId: 'erasure-1', recordIds: [erased] });
      assert.deepEqual({ ...erasure, at: '' }, { seq: 3, erasureId: 'erasure-1', at: '', by: lead, recordIds: [erased] });
      assert.deepEqual(await store.erase(ws, 'conn-2', lead, { erasureId: 'erasure-1', recordIds: [erased] }), erasure, 'sent again, it is the same erasure');
      assert.equal(await store.head(ws), 3);
      assert.deepEqual(await docUpdates(store, ws, erased), [], 'no update of the erased record is left');
      assert.equal((await docUpdates(store, ws, kept)).length, 1);
      assert.deepEqual(await store.erasedAmong(ws, [erased, kept]), new Set([erased]));
      await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), [{ msgId: 3, docId: kept, update: newDocUpdate('later') }]);
      // In order with the updates: a batch that stops before it does not carry it.
      const first = await store.pull(ws, 0, 1, Number.POSITIVE_INFINITY);
      assert.deepEqual([seqs(first.items), first.erasures, first.upTo, first.more], [[2], [], 2, true]);
      const rest = await store.pull(ws, 2, 10, Number.POSITIVE_INFINITY);
      assert.deepEqual([seqs(rest.items), rest.erasures, rest.upTo], [[4], [erasure], 4]);
      assert.deepEqual((await store.pull(ws, 3, 10, Number.POSITIVE_INFINITY)).erasures, [], 'a cursor past it has it already');
    });

    test('pull returns what comes after the cursor, oldest first, in batches that together hold everything once', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'pull');
      const pushed: Uint8Array[] = [];
      for (let i = 0; i < 10; i++) {
        const push = items([1, 2, 3, 4, 5].map((n) => i * 5 + n));
        pushed.push(...push.map((p) => p.update));
        await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), push);
      }
      const after = await store.pull(ws, 37, 100, Number.POSITIVE_INFINITY);
      assert.deepEqual(seqs(after.items), Array.from({ length: 13 }, (_, i) => 38 + i));
      assert.equal(after.more, false);
      assert.deepEqual(await store.pull(ws, 50, 100, Number.POSITIVE_INFINITY), { items: [], erasures: [], upTo: 50, more: false }, 'nothing after the head');

      // By count: 7 at a time.
      const byCount: StoredUpdate[] = [];
      for (let cursor = 0, more = true; more; ) {
        const batch = await store.pull(ws, cursor, 7, Number.POSITIVE_INFINITY);
        assert.ok(batch.items.length <= 7);
        byCount.push(...batch.items);
        cursor = batch.items.at(-1)?.seq ?? cursor;
        more = batch.more;
      }
      assert.deepEqual(byCount.map((u) => u.update), pushed);
      assert.deepEqual(seqs(byCount), Array.from({ length: 50 }, (_, i) => i + 1));

      // By bytes: about three updates' worth, never more unless one update alone is larger.
      const budget = 3 * pushed[0]!.byteLength + 1;
      const byBytes: StoredUpdate[] = [];
      for (let cursor = 0, more = true; more; ) {
        const batch = await store.pull(ws, cursor, 100, budget);
        assert.ok(batch.items.length >= 1, 'every batch makes progress');
        const bytes = batch.items.reduce((n, u) => n + u.update.byteLength, 0);
        assert.ok(batch.items.length === 1 || bytes <= budget, `a batch of ${bytes} bytes exceeds ${budget}`);
        byBytes.push(...batch.items);
        cursor = batch.items.at(-1)!.seq;
        more = batch.more;
      }
      assert.deepEqual(byBytes.map((u) => u.update), pushed);
      const oversized = await store.pull(ws, 0, 100, 1);
      assert.deepEqual([seqs(oversized.items), oversized.more], [[1], true], 'one update however small the budget');
    });

    test('a doc past the compaction threshold is merged into fewer rows; a device at any cursor still pulls what it lacks', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'compaction');
      const docId = randomUUID();
      const author = new Y.Doc();
      const neighbour = items([1])[0]!;
      await store.append(ws, 'device-b', 'conn-2', userOf('device-b'), [neighbour]);
      const edits: { seq: number; update: Uint8Array }[] = [];
      for (let i = 1; i <= SERVER_COMPACTION_THRESHOLD + 5; i++) {
        const update = edit(author, `field${i % 7}`, `value ${i}`);
        const [ack] = await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), [{ msgId: i, docId, update }]);
        edits.push({ seq: ack!.seq, update });
      }
      const head = await store.head(ws);
      assert.equal(head, edits.length + 1, 'compaction takes no sequence numbers');
      const content = author.getMap('fields').toJSON();

      const rows = await docUpdates(store, ws, docId);
      assert.ok(rows.length < SERVER_COMPACTION_THRESHOLD, `${rows.length} rows left of ${edits.length}`);
      const rebuilt = new Y.Doc();
      for (const row of rows) Y.applyUpdate(rebuilt, row);
      assert.deepEqual(rebuilt.getMap('fields').toJSON(), content);

      // A device that had applied everything up to its cursor, then pulls the rest.
      for (let cursor = 0; cursor <= head; cursor++) {
        const device = new Y.Doc();
        for (const e of edits) if (e.seq <= cursor) Y.applyUpdate(device, e.update);
        const { items: pulled } = await store.pull(ws, cursor, 1_000, Number.POSITIVE_INFINITY);
        for (const u of pulled) if (u.docId === docId) Y.applyUpdate(device, u.update);
        assert.deepEqual(device.getMap('fields').toJSON(), content, `a device at cursor ${cursor}`);
      }
      // A device sent one edit live, as pushed, and not the ones before it (it was offline
      // then): that row was compacted since and holds them too, so a pull sends it again.
      const sentLive = edits[SERVER_COMPACTION_THRESHOLD - 1]!;
      for (let cursor = 0; cursor < sentLive.seq - 1; cursor++) {
        const device = new Y.Doc();
        for (const e of edits) if (e.seq <= cursor || e === sentLive) Y.applyUpdate(device, e.update);
        const { items: pulled } = await store.pull(ws, cursor, 1_000, Number.POSITIVE_INFINITY, (seq) => seq === sentLive.seq);
        for (const u of pulled) if (u.docId === docId) Y.applyUpdate(device, u.update);
        assert.deepEqual(device.getMap('fields').toJSON(), content, `a device at cursor ${cursor} sent ${sentLive.seq} live`);
      }
      assert.deepEqual(await docUpdates(store, ws, neighbour.docId), [neighbour.update], "other docs' rows are untouched");
    });

    test('docUpdates lists each doc’s updates, oldest first, and leaves out docs it has none of', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'doc updates');
      const [docId, otherId, noneId] = [randomUUID(), randomUUID(), randomUUID()];
      const doc = new Y.Doc();
      const other = new Y.Doc();
      const mine = [edit(doc, 'name', 'one'), edit(doc, 'name', 'two')];
      const others = [edit(other, 'name', 'a'), edit(other, 'name', 'b')];
      await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), [
        { msgId: 1, docId: otherId, update: others[0]! },
        { msgId: 2, docId, update: mine[0]! },
        ...items([3]),
        { msgId: 4, docId, update: mine[1]! },
        { msgId: 5, docId: otherId, update: others[1]! },
      ]);
      const read = await store.docUpdates(ws, [noneId, docId, otherId]);
      assert.deepEqual(read.get(docId), mine);
      assert.deepEqual(read.get(otherId), others);
      assert.equal(read.has(noneId), false);
    });

    test('every append that stored something is announced with its range and origin; a pure retry is not', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'events');
      const events: AppendedEvent[] = [];
      store.onAppended((event) => {
        if (event.workspaceId === ws) events.push(event);
      });
      const push = items([1, 2]);
      await store.append(ws, 'device-a', 'conn-1', userOf('device-a'), push);
      await eventually(() => events.length === 1, 'the first append is announced');
      await store.append(ws, 'device-a', 'conn-2', userOf('device-a'), push);
      await store.append(ws, 'device-b', 'conn-3', userOf('device-b'), items([1]));
      await eventually(() => events.length >= 2, 'the third append is announced');
      assert.deepEqual(
        events.map(({ after, upTo, origin }) => ({ after, upTo, origin })),
        [
          { after: 0, upTo: 2, origin: 'conn-1' },
          { after: 2, upTo: 3, origin: 'conn-3' },
        ],
      );
      for (const event of events) {
        if (event.items) assert.deepEqual(seqs(event.items), Array.from({ length: event.upTo - event.after }, (_, i) => event.after + i + 1));
      }
    });

    test('an invite is redeemed as many times as it allows, until it expires, and only by its hash', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'invites');
      const now = Date.now();
      // Made-up hashes, unique per run: a PostgreSQL database outlives one run.
      const [twoUses, expiring, race] = [randomUUID(), randomUUID(), randomUUID()];
      await store.createInvite(twoUses, { workspaceId: ws, role: 'worker' }, now + 60_000, 2);
      assert.deepEqual(await store.redeemInvite(twoUses, now), { workspaceId: ws, role: 'worker' });
      assert.deepEqual(await store.redeemInvite(twoUses, now), { workspaceId: ws, role: 'worker' });
      assert.equal(await store.redeemInvite(twoUses, now), null, 'its uses have run out');
      assert.equal(await store.redeemInvite(randomUUID(), now), null);

      await store.createInvite(expiring, { workspaceId: ws, role: 'viewer' }, now + 1_000, 5);
      assert.equal(await store.redeemInvite(expiring, now + 1_000), null, 'not at its expiry time');
      assert.deepEqual(await store.redeemInvite(expiring, now + 999), { workspaceId: ws, role: 'viewer' });

      // Redeemed at once from many devices: never more often than allowed.
      await store.createInvite(race, { workspaceId: ws, role: 'lead' }, now + 60_000, 3);
      const redeemed = await Promise.all(Array.from({ length: 10 }, () => store.redeemInvite(race, now)));
      assert.equal(redeemed.filter((r) => r !== null).length, 3);

      // What the store is given and keeps is the code's hash: the code itself opens nothing.
      const code = await createInvite(store, ws, { role: 'worker' });
      assert.equal(await store.redeemInvite(code, now), null);
      assert.deepEqual(await store.redeemInvite(hashInviteCode(code), now), { workspaceId: ws, role: 'worker' });
    });

    test('device registrations: listed per workspace, seen, revoked once, and registered only once per id', async (t) => {
      const { store } = await withStore(t);
      const ws = await createWorkspace(store, 'devices');
      const [laptop, phone] = [randomUUID(), randomUUID()];
      await store.registerDevice({ id: laptop, workspaceId: ws, deviceId: 'laptop-1', userId: 'lena', userName: 'Lena', role: 'lead' });
      await store.registerDevice({ id: phone, workspaceId: ws, deviceId: 'phone-1', userId: 'wes', userName: 'Wes', role: 'worker' });
      await store.registerDevice({ id: phone, workspaceId: ws, deviceId: 'phone-2', userId: 'someone', userName: 'Someone else', role: 'lead' });
      assert.deepEqual(await store.device(phone), { id: phone, workspaceId: ws, deviceId: 'phone-1', userId: 'wes', userName: 'Wes', role: 'worker', lastSeenAt: 0, cursor: 0, revokedAt: null });
      assert.equal(await store.device(randomUUID()), null);

      await store.deviceSeen(phone, 1_000, 40);
      await store.deviceSeen(phone, 2_000, 10);
      assert.deepEqual([(await store.device(phone))!.lastSeenAt, (await store.device(phone))!.cursor], [2_000, 40], 'the cursor never moves back');
      assert.deepEqual((await store.devices(ws)).map((d) => d.id), [phone, laptop], 'most recently seen first');

      assert.equal(await store.revokeDevice(ws, phone, 3_000), true);
      assert.equal(await store.revokeDevice(ws, phone, 4_000), true);
      assert.equal((await store.device(phone))!.revokedAt, 3_000, 'revoked once, when first revoked');
      const other = await createWorkspace(store, 'devices elsewhere');
      assert.equal(await store.revokeDevice(other, laptop, 3_000), false, "not through another workspace");
      assert.equal((await store.device(laptop))!.revokedAt, null);
    });
  });
}

test('a pull answers only as far as both its updates and its erasures are complete, so none is skipped', () => {
  const update = (seq: number): StoredUpdate => ({ seq, docId: randomUUID(), update: new Uint8Array([seq]), author: null });
  const erasure = (seq: number): StoredErasure => ({ seq, erasureId: `e${seq}`, at: '', by: { id: 'lead', name: 'Lead' }, recordIds: [] });
  const seqsOf = (p: { items: StoredUpdate[]; erasures: StoredErasure[] }) => [p.items.map((i) => i.seq), p.erasures.map((e) => e.seq)];
  const read = (items: StoredUpdate[], more: boolean) => ({ items, readTo: items.at(-1)?.seq ?? 0, more });
  // Every update read: the erasures after them come too.
  const all = pulled(0, read([update(1), update(3)], false), [erasure(2), erasure(4)], 10);
  assert.deepEqual([seqsOf(all), all.upTo, all.more], [[[1, 3], [2, 4]], 4, false]);
  // Updates stopped at a limit: an erasure past the last one waits for the next pull.
  const byItems = pulled(0, read([update(1), update(3)], true), [erasure(2), erasure(4)], 10);
  assert.deepEqual([seqsOf(byItems), byItems.upTo, byItems.more], [[[1, 3], [2]], 3, true]);
  // Erasures stopped at their limit: updates past the last one wait too.
  const byErasures = pulled(0, read([update(1), update(3), update(5)], false), [erasure(2), erasure(4)], 2);
  assert.deepEqual([seqsOf(byErasures), byErasures.upTo, byErasures.more], [[[1, 3], [2, 4]], 4, true]);
});

test('a pull leaves out what the client holds as stored, but sends a compacted row, and reaches past what it left out', () => {
  const row = (seq: number, compacted = false): PulledRow => ({ seq, docId: `d${seq}`, data: new Uint8Array(10), authorId: '', authorName: '', compacted });
  const held = (seq: number) => seq === 2 || seq === 3 || seq === 5;
  const answer = readRows(1, [row(2), row(3, true), row(4), row(5)], 10, Number.POSITIVE_INFINITY, held);
  assert.deepEqual(answer.items.map((i) => i.seq), [3, 4], 'held rows left out; a held row compacted since is sent');
  assert.equal(answer.readTo, 5, 'the answer reaches the last row read, sent or left out');
  assert.equal(answer.more, false);
  // Only what is sent counts toward the byte budget; the item limit counts every row read.
  const budget = readRows(1, [row(2), row(4), row(5), row(6), row(7)], 5, 20, held);
  assert.deepEqual([budget.items.map((i) => i.seq), budget.readTo, budget.more], [[4, 6], 6, true]);
  // A held row too large for what is left of the budget is left out, not a reason to stop.
  const large = (seq: number): PulledRow => ({ ...row(seq), data: new Uint8Array(100) });
  const skipping = readRows(1, [row(2, true), large(3), row(4, true)], 10, 20, (seq) => seq === 3);
  assert.deepEqual([skipping.items.map((i) => i.seq), skipping.readTo, skipping.more], [[2, 4], 4, false]);
  const limit = readRows(1, [row(2), row(3, true)], 2, Number.POSITIVE_INFINITY, () => true);
  assert.deepEqual([limit.items.map((i) => i.seq), limit.readTo, limit.more], [[3], 3, true]);
});
