// The read model can always be rebuilt from the docs alone: a small generated workspace
// (the benchmark's seeded generator), edited, soft-deleted and restored, with a peer's
// invalid value in one record, projects exactly the same rows before and after
// rebuildProjections(), and again after reopening the file.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as Y from 'yjs';
import { Workspace } from '../../main/data-service/workspace';
import { PROJECTION_TABLES } from '../../main/data-service/projection';
import { generateWorkspace } from '../../bench/generate';
import { asha, openTemp, projectionRows } from './helpers';

/** About 300 contacts and the other kinds in the reference proportions. */
const SCALE = 300 / 50_000;

/** Edits touching every projection table: values, sets, collections, rich text, deletes and restores. */
function edit(ws: Workspace, ids: Record<'contact' | 'asset' | 'session' | 'connection', string[]>): void {
  ids.contact.slice(0, 20).forEach((id, i) => {
    const { data } = ws.get('contact', id);
    ws.update('contact', id, {
      phone: `07700 900${String(i).padStart(3, '0')}`,
      themes: [...data.themes.slice(1), 'digital inclusion'],
      skills: [...data.skills.slice(1), { id: randomUUID(), domain: 'digital', skill: 'video calls', has: true, wantsToLearn: false, willingToShare: true }],
      consents: data.consents.map((c) => ({ ...c, withdrawnAt: c.withdrawnAt ?? '2026-06-01' })),
    });
  });
  ids.asset.slice(0, 5).forEach((id) => ws.update('asset', id, { name: `${ws.get('asset', id).data.name} (new venue)`, tags: ['wifi'] }));
  ids.session.slice(0, 15).forEach((id) => {
    const { data } = ws.get('session', id);
    ws.update('session', id, {
      notes: `${data.notes}\nFollow-up: the lunch club starts in March.`,
      actions: data.actions.map((a) => ({ ...a, status: 'done' as const })).reverse(),
      attendeeIds: data.attendeeIds.slice(1),
    });
  });
  for (const id of ids.contact.slice(20, 25)) ws.delete('contact', id);
  for (const id of ids.session.slice(15, 20)) ws.delete('session', id);
  for (const id of ids.connection.slice(0, 10)) ws.delete('connection', id);
  ws.restore('session', ids.session[15]!);
  ws.restore('connection', ids.connection[0]!);
  // A peer's value the schema refuses: the record stays listed, flagged (record data and a facet row).
  const flagged = ids.contact[30]!;
  const peer = new Y.Doc();
  Y.applyUpdate(peer, ws.docState(flagged));
  const known = Y.encodeStateVector(peer);
  peer.getMap('fields').set('phone', 42);
  ws.applyRemoteUpdates([{ id: flagged, update: Y.encodeStateAsUpdate(peer, known), author: { id: 'worker-ben', name: 'Ben Okafor' } }], () => undefined);
}

test('rebuilding the projections from the docs gives identical rows, before and after reopening', (t) => {
  const { ws, path, key } = openTemp(t);
  const { ids } = generateWorkspace(ws, { scale: SCALE, seed: 42, batchSize: 250 });
  assert.equal(ids.contact.length, 300);
  edit(ws, ids);

  const before = projectionRows(ws);
  assert.deepEqual(Object.keys(before).sort(), [...PROJECTION_TABLES].sort(), 'every projection table is compared');
  for (const [table, rows] of Object.entries(before)) assert.ok(rows.length > 0, `${table} has rows to compare`);

  ws.rebuildProjections();
  assert.deepEqual(projectionRows(ws), before);

  ws.close();
  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  assert.deepEqual(projectionRows(reopened), before);
  reopened.rebuildProjections();
  assert.deepEqual(projectionRows(reopened), before);
});

test('the generator is seeded: the same seed and scale give the same records', (t) => {
  const a = openTemp(t).ws;
  const b = openTemp(t).ws;
  const idsA = generateWorkspace(a, { scale: 0.002, seed: 7 }).ids;
  const idsB = generateWorkspace(b, { scale: 0.002, seed: 7 }).ids;
  assert.deepEqual(idsA, idsB);
  for (const kind of ['contact', 'asset', 'session', 'connection'] as const) {
    for (const id of idsA[kind]) assert.deepEqual(a.get(kind, id).data, b.get(kind, id).data);
  }
});
