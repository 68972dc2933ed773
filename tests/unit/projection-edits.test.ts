// An edit to a record already projected rewrites only the `records` columns it changed:
// SQLite rewrites a list's index entry only when an UPDATE names one of its columns, so
// a peer's new phone number must not rewrite the record's place in the title, category,
// date, updated and created lists (applying peers' edits is most of a sync's time).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import type { Workspace } from '../../main/data-service/workspace';
import { ben, openTemp } from './helpers';

/** The columns of the records lists' indexes (and status, in every one of them). */
const LIST_COLUMNS = ['status', 'sort_key', 'category', 'date', 'updated_at', 'created_at', 'merged_into'];

/** Note in `temp.named` every list column an UPDATE of `records` names from now on. */
function watchListColumns(ws: Workspace): () => string[] {
  ws.db.exec('CREATE TEMP TABLE named (column TEXT)');
  for (const column of LIST_COLUMNS) {
    ws.db.exec(`CREATE TEMP TRIGGER named_${column} AFTER UPDATE OF ${column} ON main.records BEGIN INSERT INTO named VALUES ('${column}'); END`);
  }
  return () => ws.db.prepare('SELECT DISTINCT column FROM named ORDER BY column').pluck().all() as string[];
}

/** A peer's update writing `fields` into the record as `ws` holds it. */
function peerWrites(ws: Workspace, id: string, fields: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, ws.docState(id));
  const known = Y.encodeStateVector(doc);
  doc.transact(() => {
    for (const [field, value] of Object.entries(fields)) doc.getMap('fields').set(field, value);
  });
  return Y.encodeStateAsUpdate(doc, known);
}

test("a peer's new phone number rewrites none of the record's list entries; a new name moves it in the list", (t) => {
  const { ws } = openTemp(t);
  const sam = ws.create('contact', { name: 'Sam Ode', phone: '07700 900123' });
  ws.create('contact', { name: 'Priya Shah' });
  const named = watchListColumns(ws);

  ws.applyRemoteUpdates([{ id: sam.id, update: peerWrites(ws, sam.id, { phone: '07700 900456' }), author: ben }], () => undefined);
  assert.equal(ws.get('contact', sam.id).data.phone, '07700 900456');
  assert.deepEqual(named(), [], 'no list column named');

  ws.applyRemoteUpdates([{ id: sam.id, update: peerWrites(ws, sam.id, { name: 'Ade Ode' }), author: ben }], () => undefined);
  assert.deepEqual(named(), ['sort_key'], 'only the title list column named');
  assert.deepEqual(
    ws.list({ kind: 'contact' }).rows.map((r) => r.title),
    ['Ade Ode', 'Priya Shah'],
    'the renamed contact moved in the list',
  );
});
