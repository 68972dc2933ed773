// The bulk write path (Workspace.createMany): records created in batches are stored exactly
// as the same records created one at a time (docs, projection, search index, history, sync
// outbox; only ids of rows and times differ), each batch is stored whole or not at all, and
// a stop between batches keeps the batches before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { CreateInput, RecordKind } from '../../shared/domain';
import { RpcError } from '../../shared/rpc';
import { Workspace } from '../../main/data-service/workspace';
import { generateBatches } from '../../bench/generate';
import { asha, projectionRows, recordFromDoc } from './helpers';

/** About 20 contacts, 4 assets, 20 sessions and 40 connections. */
const SCALE = 20 / 50_000;

type Drafts = { kind: RecordKind; inputs: { id: string; data: CreateInput<RecordKind> }[] }[];

const drafts = (seed: number): Drafts => [...generateBatches({ scale: SCALE, seed, batchSize: 1_000 })] as Drafts;

/** Everything stored of every record, with the times of the writes (and rows' own ids) left out. */
function stored(ws: Workspace) {
  const { records, ...rest } = projectionRows(ws);
  const ids = (records as { id: string; kind: RecordKind }[]).map((r) => [r.kind, r.id] as const);
  return {
    records: (records as Record<string, unknown>[]).map(({ created_at: _c, updated_at: _u, ...row }) => row),
    ...rest,
    docs: ids.map(([kind, id]) => {
      const { createdAt: _c, updatedAt: _u, ...record } = recordFromDoc(ws, kind, id);
      return record;
    }),
    history: ws.db.prepare('SELECT record_id, field, before, after, author_id, author_name, kept FROM history ORDER BY record_id, id').all(),
    outbox: ws.db.prepare('SELECT doc_id FROM sync_outbox ORDER BY doc_id').pluck().all(),
  };
}

test('records created in bulk are stored row for row as the same records created one at a time', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 30 }), (seed, batchSize) => {
      const bulk = Workspace.open({ path: ':memory:', author: asha });
      const single = Workspace.open({ path: ':memory:', author: asha });
      try {
        for (const { kind, inputs } of drafts(seed)) {
          bulk.createMany(kind, inputs, { batchSize });
          for (const { id, data } of inputs) single.create(kind, data, { id });
        }
        const expected = stored(single);
        assert.ok(expected.records.length > 80 && expected.history.length === expected.records.length);
        assert.deepEqual(stored(bulk), expected);
        // The bulk-written projection is the one its docs give.
        const rows = projectionRows(bulk);
        bulk.rebuildProjections();
        assert.deepEqual(projectionRows(bulk), rows);
      } finally {
        bulk.close();
        single.close();
      }
    }),
    { numRuns: 6 },
  );
});

test('a bulk create reports progress after each batch it commits and stops between batches when asked', () => {
  const ws = Workspace.open({ path: ':memory:', author: asha });
  const controller = new AbortController();
  const progress: number[] = [];
  const ids = ws.createMany(
    'contact',
    Array.from({ length: 10 }, (_, i) => ({ data: { name: `Resident ${i}` } })),
    {
      batchSize: 4,
      onProgress: ({ done, total }) => {
        progress.push(done);
        assert.equal(total, 10);
        if (done === 8) controller.abort();
      },
      signal: controller.signal,
    },
  );
  assert.deepEqual(progress, [4, 8]);
  assert.equal(ids.length, 8, 'the records of the two batches committed before the stop');
  assert.equal(ws.info().counts.contact, 8);
  assert.deepEqual(ids.map((id) => ws.get('contact', id).data.name), Array.from({ length: 8 }, (_, i) => `Resident ${i}`));
  ws.close();
});

test('what a bulk create writes beside each batch commits with it or not at all', () => {
  const ws = Workspace.open({ path: ':memory:', author: asha });
  ws.db.exec('CREATE TABLE import_rows (record_id TEXT)');
  const note = ws.db.prepare('INSERT INTO import_rows (record_id) VALUES (?)');
  let batches = 0;
  assert.throws(() =>
    ws.createMany(
      'contact',
      Array.from({ length: 6 }, (_, i) => ({ data: { name: `Resident ${i}` } })),
      {
        batchSize: 2,
        inEachBatch: (ids) => {
          for (const id of ids) note.run(id);
          if (++batches === 2) throw new Error('disk full');
        },
      },
    ),
  /disk full/);
  assert.equal(ws.info().counts.contact ?? 0, 2, 'the first batch stays, the second is not stored');
  assert.deepEqual(ws.db.prepare('SELECT count(*) FROM import_rows').pluck().get(), 2);
  assert.equal(ws.db.prepare('SELECT count(*) FROM docs').pluck().get(), 2, 'no doc of the failed batch is left');
  assert.equal(ws.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get(), 2);
  ws.close();
});

test('a bulk create refuses bad drafts by their place in the list and stores none of them', () => {
  const ws = Workspace.open({ path: ':memory:', author: asha });
  const gone = ws.create('contact', { name: 'Moved away' });
  ws.delete('contact', gone.id);
  const expectRefused = (run: () => unknown, field: string, message: RegExp) => {
    const error = (() => {
      try {
        run();
      } catch (e) {
        return e;
      }
      assert.fail('the drafts were accepted');
    })();
    assert.ok(error instanceof RpcError, String(error));
    assert.match(error.message, message);
    assert.ok(error.issues.some((i) => i.field === field), JSON.stringify(error.issues));
  };
  const named = (n: number) => Array.from({ length: n }, (_, i) => ({ data: { name: `Resident ${i}` } }));
  expectRefused(() => ws.createMany('contact', [...named(7), { data: { name: '' } }], { batchSize: 3 }), '7.data.name', /^record 7:/);
  expectRefused(
    () => ws.createMany('session', [{ data: { title: 'Lunch club', type: 'drop-in', startsAt: '2026-05-01T12:00', attendeeIds: [gone.id] } }]),
    '0.data.attendeeIds.0',
    /deleted/,
  );
  expectRefused(() => ws.createMany('contact', [{ id: gone.id, data: { name: 'Again' } }]), '0.id', /already exists/);
  const twice = named(2).map((draft) => ({ ...draft, id: '7f1a4f57-62a5-4c1b-8d7e-2d9c5f0b8e11' }));
  expectRefused(() => ws.createMany('contact', twice), '1.id', /already exists/);
  assert.equal(ws.db.prepare('SELECT count(*) FROM docs').pluck().get(), 1, 'nothing of the refused drafts is stored');
  ws.close();
});

test("a first sync's batch of peers' updates projects each new doc as the doc gives, even one a later update in the batch changes", () => {
  const peer = Workspace.open({ path: ':memory:', author: asha });
  const device = Workspace.open({ path: ':memory:', author: asha });
  for (const { kind, inputs } of drafts(11)) peer.createMany(kind, inputs);
  const [first, second] = peer.list({ kind: 'contact', limit: 2 }).rows;
  peer.update('contact', first!.id, { name: 'Renamed in the same batch', themes: ['food'] });
  peer.delete('contact', second!.id);
  const updates = peer.outbox.next(10_000).map((item) => ({ id: item.docId, update: item.data }));
  assert.ok(updates.length > 80);

  assert.deepEqual(device.applyRemoteUpdates(updates, () => {}), []);
  assert.deepEqual(projectionRows(device), projectionRows(peer));
  assert.equal(device.get('contact', first!.id).data.name, 'Renamed in the same batch');
  const rows = projectionRows(device);
  device.rebuildProjections();
  assert.deepEqual(projectionRows(device), rows);
  peer.close();
  device.close();
});

test('records get ids in the order they were made (UUID version 7), one at a time or in bulk, so id-keyed indexes take them at their end', () => {
  const ws = Workspace.open({ path: ':memory:', author: asha });
  try {
    const one = ws.create('contact', { name: 'First Made' }).id;
    const many = ws.createMany('contact', Array.from({ length: 300 }, (_, i) => ({ data: { name: `Bulk Person ${i}` } })), { batchSize: 100 });
    const last = ws.create('asset', { name: 'Last Made', category: 'physical' }).id;
    const ids = [one, ...many, last];
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual([...ids].sort(), ids, 'each id sorts after the one made before it');
    assert.equal(new Set(ids).size, ids.length);
  } finally {
    ws.close();
  }
});
