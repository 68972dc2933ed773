// Reading a pull's new docs on a second thread (sync/new-doc-reader.ts): what the worker
// reads is exactly what this thread reads from the same update (sync/read-new-doc.ts), for records
// of every kind and for the updates a peer or a hostile server may send (malformed, a doc
// before its creation, a field the schema refuses); what it has not read is left to this thread.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as Y from 'yjs';
import { readNewDoc } from '../../main/data-service/sync/read-new-doc';
import { NewDocReader } from '../../main/data-service/sync/new-doc-reader';
import { generateWorkspace } from '../../bench/generate';
import { contactUpdate, eventually } from '../integration/sync-helpers';
import { openTemp, projectionRows } from './helpers';

/** Every doc of a small generated workspace (every kind), and three a peer should not have sent. */
function pullOfNewDocs(t: Parameters<typeof openTemp>[0]) {
  const { ws } = openTemp(t);
  generateWorkspace(ws, { scale: 0.0015, seed: 3 });
  const ids = ws.db.prepare('SELECT id FROM docs ORDER BY rid').pluck().all() as string[];
  const items = ids.map((id) => ({ id, update: ws.docState(id) }));
  const odd = new Y.Doc();
  odd.getMap('fields').set('name', 'Before its creation');
  const invalid = new Y.Doc();
  invalid.transact(() => {
    invalid.getMap('meta').set('kind', 'contact');
    invalid.getMap('fields').set('name', 42);
  });
  items.splice(
    5,
    0,
    { id: randomUUID(), update: contactUpdate('Cut short').slice(0, -3) },
    { id: randomUUID(), update: Y.encodeStateAsUpdate(odd) },
    { id: randomUUID(), update: Y.encodeStateAsUpdate(invalid) },
  );
  return items;
}

test("the second thread reads a pull's new docs exactly as this thread would, the bad ones included", async (t) => {
  const items = pullOfNewDocs(t);
  assert.ok(items.length > 300);
  const reader = new NewDocReader();
  t.after(() => reader.close());
  reader.read(items);
  await eventually(() => reader.workerReads() === items.length, 'the worker read every doc');
  const reads = items.map((i) => reader.take(i.update));
  assert.deepEqual(reads, items.map((i) => readNewDoc(i.id, i.update)));
  assert.match(String(!reads[5]!.ok && reads[5]!.error), /./, 'the cut-short update is refused with a reason');
  assert.deepEqual(reads[6], { ok: true, kind: null, record: null }, 'a doc before its creation has no kind yet');
  assert.deepEqual(reads[7]!.ok && reads[7]!.record?.problems?.map((p) => p.field), ['name'], 'the invalid name is flagged for the lead');
  assert.equal(reader.take(items[0]!.update), undefined, 'a reading is taken once');
});

test('what the worker has not started is claimed back and read on this thread; nothing handed over is lost', async (t) => {
  const items = pullOfNewDocs(t);
  const reader = new NewDocReader();
  t.after(() => reader.close());
  reader.read(items);
  // Taken at once: the worker has barely started, so most chunks are claimed back (undefined: read here).
  const reads = items.map((i) => reader.take(i.update) ?? readNewDoc(i.id, i.update));
  assert.deepEqual(reads, items.map((i) => readNewDoc(i.id, i.update)));
  // A closed reader hands nothing back: everything is read here.
  reader.read(items);
  reader.close();
  assert.equal(reader.take(items[0]!.update), undefined);
});

test("a pull's new docs, read and projected on the second thread, are stored with the rows a rebuild from their docs gives", async (t) => {
  const items = pullOfNewDocs(t);
  const { ws } = openTemp(t);
  const reader = new NewDocReader();
  t.after(() => reader.close());
  reader.read(items);
  await eventually(() => reader.workerReads() === items.length, 'the worker read every doc');
  const refused = ws.applyRemoteUpdates(items.map((i) => ({ ...i, author: null })), () => undefined, [], (update) => reader.take(update));
  assert.equal(refused.length, 1, 'only the cut-short update is refused');
  const synced = projectionRows(ws);
  assert.ok(synced.records!.length > 300);
  ws.rebuildProjections();
  assert.deepEqual(projectionRows(ws), synced);
});
