import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPACTION_THRESHOLD } from '../../main/data-service/doc-store';
import { Workspace } from '../../main/data-service/workspace';
import { asha, openTemp, recordFromDoc } from './helpers';

function storedLog(ws: Workspace, id: string): { hasSnapshot: boolean; logRows: number } {
  const doc = ws.db.prepare('SELECT snapshot FROM docs WHERE id = ?').get(id) as { snapshot: Buffer | null };
  const { n } = ws.db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc_id = ?').get(id) as { n: number };
  return { hasSnapshot: doc.snapshot !== null, logRows: n };
}

/** Whether any stored CRDT bytes of the doc contain `text`. */
function docBytesContain(ws: Workspace, id: string, text: string): boolean {
  const blobs = ws.db
    .prepare('SELECT snapshot AS data FROM docs WHERE id = ? UNION ALL SELECT data FROM doc_updates WHERE doc_id = ?')
    .all(id, id) as { data: Buffer }[];
  return blobs.some((b) => b.data.includes(text));
}

test('a new record is stored as a snapshot with an empty update log', (t) => {
  const { ws } = openTemp(t);
  const contact = ws.create('contact', { name: 'Zoë Brown' });
  assert.deepEqual(storedLog(ws, contact.id), { hasSnapshot: true, logRows: 0 });
  assert.deepEqual(recordFromDoc(ws, 'contact', contact.id), contact);
});

test('past the threshold the update log is merged into the snapshot and the record reads the same, also after reopening', (t) => {
  const { ws, path, key } = openTemp(t);
  const contact = ws.create('contact', { name: 'Zoë Brown', roles: ['resident'] });
  const other = ws.create('contact', { name: 'Untouched' });
  const edits = COMPACTION_THRESHOLD + 10;
  let last = contact;
  for (let i = 1; i <= edits; i++) {
    last = ws.update('contact', contact.id, { notes: `visit ${i}`, roles: i % 2 ? ['resident', 'volunteer'] : ['resident'] });
    if (i === COMPACTION_THRESHOLD - 1) {
      assert.equal(storedLog(ws, contact.id).logRows, COMPACTION_THRESHOLD - 1, 'the log grows until the threshold');
    }
  }
  assert.deepEqual(storedLog(ws, contact.id), { hasSnapshot: true, logRows: 10 });
  assert.deepEqual(storedLog(ws, other.id), { hasSnapshot: true, logRows: 0 }, 'other docs are not touched');
  assert.equal(last.data.notes, `visit ${edits}`);
  assert.deepEqual(ws.get('contact', contact.id), last);
  assert.deepEqual(recordFromDoc(ws, 'contact', contact.id), last);
  assert.equal(ws.history(contact.id).filter((h) => h.field === 'notes').length, edits, 'compaction keeps the history');
  ws.close();

  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.get('contact', contact.id), last);
  assert.deepEqual(recordFromDoc(reopened, 'contact', contact.id), last);
  reopened.update('contact', contact.id, { notes: 'after reopening' });
  assert.equal(recordFromDoc(reopened, 'contact', contact.id).data.notes, 'after reopening');
  assert.deepEqual(recordFromDoc(reopened, 'contact', contact.id).data.roles, last.data.roles);
});

test('compaction erases overwritten text from the stored CRDT', (t) => {
  const { ws } = openTemp(t);
  const contact = ws.create('contact', { name: 'Zoë Brown', notes: 'door code 4471' });
  ws.update('contact', contact.id, { notes: 'ask at reception' });
  assert.ok(docBytesContain(ws, contact.id, 'door code 4471'), 'before compaction the log still holds it');
  for (let i = 0; i < COMPACTION_THRESHOLD; i++) ws.update('contact', contact.id, { phone: String(1000 + i) });
  assert.equal(docBytesContain(ws, contact.id, 'door code 4471'), false);
  assert.equal(recordFromDoc(ws, 'contact', contact.id).data.notes, 'ask at reception');
});
