// The sync server's cache of checked docs stays within its bounds whatever workers push:
// a hostile worker growing docs to a megabyte each must not make it hold gigabytes. It
// holds a team's working set in a few kilobytes a doc, and what it holds is exactly what
// the store holds, however many pushes it has folded in.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as Y from 'yjs';
import { DocCache, type StoredDoc } from '../../server/doc-cache';
import { PushGuard } from '../../server/push-guard';
import { DEFAULT_LIMITS } from '../../server/server';
import { SqliteStore } from '../../server/store-sqlite';
import { tempDir } from './helpers';

const storedDoc = (bytes: number): StoredDoc => ({ updates: [new Uint8Array(bytes)], kind: 'contact', data: null, merge: '', created: '', bytes });

test('the doc cache keeps at most its docs and bytes, drops the least recently used first, and never keeps one doc of an eighth of its bytes', () => {
  const cache = new DocCache(3, 800);
  for (const id of ['a', 'b', 'c', 'd']) cache.put('w', id, storedDoc(50));
  assert.equal(cache.take('w', 'a'), undefined, 'the oldest went once a fourth came');
  const b = cache.take('w', 'b')!;
  cache.put('w', 'b', b);
  cache.put('w', 'e', storedDoc(90));
  cache.put('w', 'f', storedDoc(90));
  assert.ok(cache.take('w', 'b'), 'used again, so kept');
  assert.equal(cache.take('w', 'c'), undefined);
  cache.put('w', 'big', storedDoc(101));
  assert.equal(cache.take('w', 'big'), undefined, 'one doc of more than an eighth of the bytes is not kept');
  for (let i = 0; i < 40; i++) cache.put('w', `m${i}`, storedDoc(99));
  assert.ok(cache.keptBytes <= 800, `kept ${cache.keptBytes} bytes`);
  assert.equal(cache.take('other', 'm39'), undefined, 'workspaces apart');
  assert.ok(cache.take('w', 'm39'));
  assert.equal(cache.take('w', 'm39'), undefined, 'taken out: the caller owns it until it puts it back');
});

const wren = { id: 'worker-wren', name: 'Wren Worker' };
const stampBy = (author: { id: string; name: string }) => ({ author, hlc: `${Date.now()}:00000:wren`, at: new Date().toISOString(), base: null });

/** A device's edit of its own copy of a doc: the update it pushes. */
function edit(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => change(doc));
  return Y.encodeStateAsUpdate(doc, before);
}

/** A new contact as a worker's device writes it. */
function newContact(doc: Y.Doc, name: string): Uint8Array {
  return edit(doc, (d) => {
    d.getMap('meta').set('kind', 'contact');
    d.getMap('meta').set('createdBy', wren);
    d.getMap('fields').set('name', name);
    d.getMap('fields').set('phone', '07700 900123');
    d.getMap('fields').set('notes', `Met ${name} at the community café; interested in the walking group.`);
    d.getMap('stamps').set('name', stampBy(wren));
    d.getMap('stamps').set('phone', stampBy(wren));
    d.getMap('set:themes').set('food', true);
  });
}

/** The server's part in a push, as server.ts runs it: checked against the cache and the store, stored only if nothing is refused. */
function pusher(t: TestContext) {
  const store = new SqliteStore(join(tempDir(t), 'sync.sqlite'));
  t.after(() => store.close());
  const cache = new DocCache(DEFAULT_LIMITS.cachedDocs, DEFAULT_LIMITS.cachedDocBytes);
  let msgId = 0;
  return {
    store,
    cache,
    push: async (items: { docId: string; update: Uint8Array }[]) => {
      const pushed = items.map((i) => ({ ...i, msgId: ++msgId }));
      const guard = await PushGuard.load(store, 'w', pushed, 'worker', wren, cache);
      const refused = guard.check(pushed);
      if (refused.length === 0) {
        await store.append('w', 'wren-laptop', 'connection', wren, pushed);
        guard.keepIn(cache, 'w', new Set(pushed.map((i) => i.docId)));
      }
      return refused;
    },
  };
}

test('a record pushed many times is checked against exactly what the store holds, however many pushes its cached copy holds', async (t) => {
  const { store, cache, push } = pusher(t);
  await store.createWorkspace('w', 'w');
  const device = new Y.Doc();
  const docId = 'contact-1';
  assert.deepEqual(await push([{ docId, update: newContact(device, 'Margaret Okafor') }]), []);
  for (let i = 0; i < 20; i++) {
    const update = edit(device, (d) => {
      d.getMap('fields').set('phone', `07700 900${String(i).padStart(3, '0')}`);
      d.getMap('stamps').set('phone', stampBy(wren));
      d.getMap('set:themes').set(i % 2 ? 'food' : 'arts', true);
      d.getMap('set:themes').delete(i % 2 ? 'arts' : 'food');
    });
    assert.deepEqual(await push([{ docId, update }]), [], `edit ${i} is accepted`);
  }
  const kept = cache.take('w', docId)!;
  const fromCache = new Y.Doc();
  for (const update of kept.updates) Y.applyUpdate(fromCache, update);
  const fromStore = new Y.Doc();
  for (const update of (await store.docUpdates('w', [docId])).get(docId)!) Y.applyUpdate(fromStore, update);
  assert.deepEqual(Y.encodeStateVector(fromCache), Y.encodeStateVector(fromStore));
  for (const root of ['meta', 'fields', 'stamps', 'set:themes']) assert.deepEqual(fromCache.getMap(root).toJSON(), fromStore.getMap(root).toJSON(), root);
  cache.put('w', docId, kept);

  // A copy of the device's doc, so the refused change stays off it.
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(device));
  const refused = await push([{ docId, update: edit(copy, (d) => d.getMap('fields').set('name', 42)) }]);
  assert.match(refused[0]?.reason ?? '', /^name /, 'an invalid name is refused');
  const unsent = edit(device, (d) => d.getMap('fields').set('address', '1 High Street'));
  const behindUnsent = edit(device, (d) => d.getMap('fields').set('address', '2 High Street'));
  assert.match((await push([{ docId, update: behindUnsent }]))[0]?.reason ?? '', /builds on changes the server does not have/);
  assert.deepEqual(await push([{ docId, update: unsent }, { docId, update: behindUnsent }]), [], 'the cached copy is neither behind nor ahead of the store');
});

test('the push guard keeps a large team’s docs for the next push in a few kilobytes each, not as hydrated docs', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const { store, cache, push } = pusher(t);
  await store.createWorkspace('w', 'w');
  const memory = () => {
    gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const docs = 5_000;
  const before = memory();
  for (let batch = 0; batch < docs / 500; batch++) {
    const items = Array.from({ length: 500 }, (_, i) => ({ docId: `contact-${batch * 500 + i}`, update: newContact(new Y.Doc(), `Contact ${batch * 500 + i}`) }));
    assert.deepEqual(await push(items), []);
  }
  const perDoc = (memory() - before) / docs;
  t.diagnostic(`${Math.round(perDoc)} bytes a kept doc`);
  assert.ok(perDoc < 5_000, `${Math.round(perDoc)} bytes a kept doc`);
  for (let i = 0; i < docs; i++) assert.ok(cache.take('w', `contact-${i}`), `contact-${i} is kept`);
});
