// What waits to be sent: a record changed several times offline waits as one update, a row
// that may be on its way to the server is never changed, and history says "not yet synced"
// exactly until the row holding a change is acknowledged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { readData } from '../../main/data-service/record-doc';
import type { Workspace } from '../../main/data-service/workspace';
import { openTemp } from './helpers';

/** The server acknowledged every row up to `upTo` (by default everything waiting), as a sync does. */
function synced(ws: Workspace, upTo = ws.outbox.next(Number.MAX_SAFE_INTEGER).at(-1)?.seq ?? 0): void {
  ws.outbox.acknowledge(upTo);
  ws.historyLog.markSynced(upTo, null);
}

/** The contact as `state`, then the waiting `rows` applied in order, reads it. */
function contactAfter(state: Uint8Array, rows: { data: Uint8Array }[]) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  for (const row of rows) Y.applyUpdate(doc, row.data);
  return readData('contact', doc);
}

const unsyncedFields = (ws: Workspace, id: string) =>
  ws
    .history(id)
    .filter((entry) => entry.unsynced)
    .map((entry) => entry.field)
    .sort();

test('a record changed several times offline waits as one update holding every change, history not yet synced until that update is acknowledged', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  const kathy = ws.create('contact', { name: 'Kathy O’Brien' });
  synced(ws);
  const zoeAsSynced = ws.docState(zoe.id);

  ws.update('contact', zoe.id, { phone: '07700 900123' });
  ws.update('contact', kathy.id, { phone: '07700 900456' });
  ws.update('contact', zoe.id, { email: 'zoe@example.org' });

  const waiting = ws.outbox.next(100);
  assert.deepEqual(
    waiting.map((row) => row.docId),
    [kathy.id, zoe.id],
    "one update per record, Zoë's after Kathy's (where her last change was made)",
  );
  assert.equal(ws.outbox.pending(), 2);
  const zoeSent = contactAfter(zoeAsSynced, waiting.filter((row) => row.docId === zoe.id));
  assert.equal(zoeSent.phone, '07700 900123');
  assert.equal(zoeSent.email, 'zoe@example.org');

  // Kathy's update reaches the server; Zoë's, which now holds her first change too, has not.
  synced(ws, waiting[0]!.seq);
  assert.deepEqual(unsyncedFields(ws, kathy.id), []);
  assert.deepEqual(unsyncedFields(ws, zoe.id), ['email', 'phone'], 'both of her changes still wait');

  synced(ws);
  assert.deepEqual(unsyncedFields(ws, zoe.id), []);
  assert.equal(ws.outbox.pending(), 0);
});

test('a row that may be on its way to the server is never changed: a later change to its record waits in a row of its own', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  synced(ws);
  const zoeAsSynced = ws.docState(zoe.id);
  ws.update('contact', zoe.id, { phone: '07700 900123' });
  const [sent] = ws.outbox.next(100);
  ws.outbox.sending(sent!.seq);

  ws.update('contact', zoe.id, { email: 'zoe@example.org' });
  ws.update('contact', zoe.id, { phone: '07700 900999' });
  const waiting = ws.outbox.next(100);
  assert.equal(waiting.length, 2, 'the row sent, and one row for both later changes');
  assert.deepEqual(waiting[0], sent, 'the row sent is as it was sent');
  const after = contactAfter(zoeAsSynced, waiting);
  assert.equal(after.phone, '07700 900999');
  assert.equal(after.email, 'zoe@example.org');
});

test("a record's waiting update stops growing past a size: a long offline note goes in several updates", (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  synced(ws);
  const zoeAsSynced = ws.docState(zoe.id);
  const paragraph = 'Met at the lunch club; keen to start a walking group. '.repeat(95);
  for (let i = 1; i <= 8; i++) ws.update('contact', zoe.id, { notes: `${paragraph} (visit ${i})` });
  const waiting = ws.outbox.next(100);
  assert.ok(waiting.length > 1 && waiting.length < 8, `several updates, fewer than the changes (got ${waiting.length})`);
  assert.ok(waiting.every((row) => row.data.byteLength <= 16 * 1024));
  assert.match(String(contactAfter(zoeAsSynced, waiting).notes), /\(visit 8\)$/);
});
