import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { COMPACTION_THRESHOLD, DocStore } from '../../main/data-service/doc-store';
import { readData, readMeta } from '../../main/data-service/record-doc';
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

/** The record a device that has nothing gets from these updates (as a peer's first sync of them). */
function fromUpdates(updates: Uint8Array[]) {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return { ...readMeta('x', doc), data: readData('contact', doc) };
}

test('a new record is stored once, and sync sends its creation as stored, also after compaction merged later edits into it', (t) => {
  const { ws, path, key } = openTemp(t);
  const contact = ws.create('contact', { name: 'Zoë Brown', phone: '07700 900123' });
  const outboxBytes = () => ws.db.prepare('SELECT coalesce(sum(length(data)), 0) FROM sync_outbox').pluck().get();
  // The outbox holds no second copy of the creation's bytes.
  assert.equal(outboxBytes(), 0);
  const [created] = ws.outbox.next(10);
  assert.equal(fromUpdates([created!.data]).data.name, 'Zoë Brown');
  for (let i = 0; i < COMPACTION_THRESHOLD + 2; i++) ws.update('contact', contact.id, { notes: `visit ${i}` });
  assert.deepEqual(storedLog(ws, contact.id).logRows, 2, 'compacted');
  ws.close();
  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  const queued = reopened.outbox.next(1000);
  // The creation, then the edits merged into a few updates (each up to the outbox's size for one).
  assert.ok(queued.length >= 2 && queued.length <= 4, `the creation and ${COMPACTION_THRESHOLD + 2} edits wait as ${queued.length} rows`);
  // Sent alone, the first row still makes the record as created (the snapshot it points at now holds more).
  const first = fromUpdates([queued[0]!.data]);
  assert.equal(first.data.name, 'Zoë Brown');
  assert.equal(first.createdBy.id, asha.id);
  assert.equal(fromUpdates(queued.map((q) => q.data)).data.notes, `visit ${COMPACTION_THRESHOLD + 1}`);
});

test('a workspace from before migration 16 keeps every change waiting to be sent, in order, stores a waiting creation once, and its search index is written again', (t) => {
  const { ws, path, key } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  ws.update('contact', zoe.id, { phone: '07700 900123' });
  ws.outbox.acknowledge(ws.outbox.next(1)[0]!.seq);
  const kept = ws.create('contact', { name: 'Kathy O’Brien' });
  // The file as an earlier version left it: every outbox row a copy of its bytes, the search index with prefix indexes.
  const waiting = ws.outbox.next(100);
  ws.db.exec(`
    DROP TABLE sync_outbox;
    CREATE TABLE sync_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, data BLOB NOT NULL);
    DROP TABLE search_index;
    CREATE VIRTUAL TABLE search_index USING fts5 (title, body, tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3');
    DELETE FROM schema_version WHERE version = 16;`);
  const insert = ws.db.prepare('INSERT INTO sync_outbox (seq, doc_id, data) VALUES (?, ?, ?)');
  for (const row of waiting) insert.run(row.seq, row.docId, row.data);
  ws.close();

  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.outbox.next(100), waiting);
  // The creation waiting to be sent is no longer a second copy of its snapshot; the edit's own update stays.
  assert.deepEqual(reopened.db.prepare('SELECT doc_id FROM sync_outbox WHERE data IS NULL').pluck().all(), [kept.id]);
  assert.deepEqual(reopened.search({ text: 'obri' }).map((hit) => hit.id), [kept.id]);
  reopened.create('contact', { name: 'Ben Okafor' });
  const after = reopened.outbox.next(100);
  assert.equal(after.length, waiting.length + 1);
  assert.ok(after.at(-1)!.seq > waiting.at(-1)!.seq, 'new changes are numbered after the waiting ones');
});

test('a record edited here is still in memory after the device edits a thousand others, for the peer changes that sync brings next', (t) => {
  const { ws } = openTemp(t);
  const docs = new DocStore(ws.db, ws.outbox);
  const ids = Array.from({ length: 1_001 }, (_, i) => `doc-${i}`);
  ws.transaction(() => {
    for (const id of ids) docs.insert(id, 'contact', Y.encodeStateAsUpdate(new Y.Doc()), 'remote');
  });
  const first = docs.load(ids[0]!);
  for (const id of ids.slice(1)) docs.load(id);
  assert.equal(docs.load(ids[0]!), first, 'not read from the file again');
});
