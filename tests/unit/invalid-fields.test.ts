// A peer's update can leave a record holding values the schema refuses (a device from
// before the sync server checked pushes; two valid edits merged). The record must stay
// listed and found, with the bad field showing what it holds and flagged for the lead: it
// leaves lists only by delete, merge or erasure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { asha, ben, openTemp } from './helpers';

/** What a peer's device sends after writing `change` into the record as `from` holds it. */
function peerChange(from: ReturnType<typeof openTemp>['ws'], id: string, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, from.docState(id));
  const sv = Y.encodeStateVector(doc);
  doc.transact(() => change(doc));
  return Y.encodeStateAsUpdate(doc, sv);
}

test('a record whose name a peer set to 42 stays listed, shows "42" and flags the field', (t) => {
  const { ws } = openTemp(t, asha);
  const contact = ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123' });
  ws.applyRemoteUpdates([{ id: contact.id, update: peerChange(ws, contact.id, (d) => d.getMap('fields').set('name', 42)), author: ben }], () => undefined);

  const record = ws.get('contact', contact.id);
  assert.equal(record.data.name, '42', 'the bad field shows what it holds');
  assert.equal(record.data.phone, '07700 900123', 'the valid fields are untouched');
  assert.deepEqual(
    record.problems?.map((p) => ({ field: p.field, holds: p.holds })),
    [{ field: 'name', holds: '42' }],
    'the field is flagged with what it holds',
  );
  assert.ok(ws.list({ kind: 'contact' }).rows.some((r) => r.id === contact.id), 'still listed');
});

test('a record whose fields a peer emptied stays listed, flagged, until someone fixes it', (t) => {
  const { ws } = openTemp(t, asha);
  const asset = ws.create('asset', { name: 'Library', category: 'institution', postcode: 'M14 5TQ' });
  const emptied = peerChange(ws, asset.id, (d) => [...d.getMap('fields').keys()].forEach((k) => d.getMap('fields').delete(k)));
  ws.applyRemoteUpdates([{ id: asset.id, update: emptied, author: ben }], () => undefined);

  const flagged = ws.get('asset', asset.id);
  assert.deepEqual(flagged.problems?.map((p) => p.field).sort(), ['category', 'name']);
  assert.equal(ws.list({ kind: 'asset' }).total, 1, 'still listed');

  const fixed = ws.update('asset', asset.id, { name: 'Library', category: 'institution' });
  assert.equal(fixed.problems, undefined, 'once fixed, nothing is flagged');
});
