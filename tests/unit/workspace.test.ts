import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import * as Y from 'yjs';
import { RpcError } from '../../shared/rpc';
import { Workspace } from '../../main/data-service/workspace';
import { asha, ben, FACETS_BEFORE_MIGRATION_20, openTemp, recordFromDoc } from './helpers';

const author = asha;

test('a session keeps who came, what they said and what happens next', () => {
  const ws = Workspace.open({ path: ':memory:', author });
  const hall = ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical', postcode: 'm14 5tq' });
  const zoe = ws.create('contact', { name: 'Zoë Brown', roles: ['resident'] });
  const session = ws.create('session', {
    title: 'Coffee morning conversation',
    type: 'community-conversation',
    startsAt: '2026-11-20T10:00',
    venueId: hall.id,
    attendeeIds: [zoe.id],
    notes: 'A lunch club would help\nBuses stop at 6pm',
    actions: [{ id: randomUUID(), text: 'Ask the council about buses', ownerId: zoe.id, dueDate: '2026-12-01', status: 'open' }],
  });
  const stored = ws.get('session', session.id);
  assert.equal(stored.data.venueId, hall.id);
  assert.deepEqual(stored.data.attendeeIds, [zoe.id]);
  assert.equal(stored.data.notes, 'A lunch club would help\nBuses stop at 6pm');
  assert.equal(ws.get('asset', hall.id).data.postcode, 'M14 5TQ');
  assert.deepEqual(ws.search({ text: 'zoe' }).map((h) => h.id), [zoe.id]);
  assert.deepEqual(ws.search({ text: 'lunch' }).map((h) => h.id), [session.id]);
  ws.close();
});

test('an attendee who does not exist is refused, naming the field, and nothing is stored', () => {
  const ws = Workspace.open({ path: ':memory:', author });
  const missing = randomUUID();
  assert.throws(
    () => ws.create('session', { title: 'Drop-in', type: 'drop-in', startsAt: '2026-11-20T10:00', attendeeIds: [missing] }),
    (error: unknown) => error instanceof RpcError && error.issues[0]?.field === 'data.attendeeIds.0',
  );
  assert.equal(ws.list({ kind: 'session' }).total, 0);
  ws.close();
});

// ---------------------------------------------------------------- history

test('history says who changed which field, with the value before and after', (t) => {
  const { ws, path, key } = openTemp(t, asha);
  const contact = ws.create('contact', { name: 'Zoë Brown', phone: '0161 555 0100' });
  ws.update('contact', contact.id, { phone: '0161 555 0199', roles: ['volunteer'] });
  ws.close();
  const asBen = Workspace.open({ path, author: ben, key });
  t.after(() => asBen.close());
  asBen.update('contact', contact.id, { name: 'Zoë Brown-Smith' });

  const history = asBen.history(contact.id).map(({ field, before, after, author }) => ({ field, before, after, author: author.name }));
  assert.deepEqual(history[0], { field: 'name', before: 'Zoë Brown', after: 'Zoë Brown-Smith', author: 'Ben Okafor' }, 'newest first');
  assert.deepEqual(history.at(-1), { field: '(created)', before: null, after: null, author: 'Asha Patel' });
  assert.deepEqual(
    new Set(history.slice(1, -1)),
    new Set([
      { field: 'roles.volunteer', before: null, after: 'volunteer', author: 'Asha Patel' },
      { field: 'phone', before: '0161 555 0100', after: '0161 555 0199', author: 'Asha Patel' },
    ]),
    'one update is one entry per field it changed (per member of a set)',
  );
  assert.equal(asBen.get('contact', contact.id).updatedBy.name, 'Ben Okafor');
  assert.equal(asBen.get('contact', contact.id).createdBy.name, 'Asha Patel');
});

test('an update that changes nothing leaves no history and no new version', (t) => {
  const { ws } = openTemp(t);
  const contact = ws.create('contact', { name: 'Zoë Brown', roles: ['resident'] });
  const same = ws.update('contact', contact.id, { name: '  Zoë Brown ', roles: ['resident'] });
  assert.equal(same.updatedAt, contact.updatedAt);
  assert.equal(ws.history(contact.id).length, 1);
});

// ---------------------------------------------------------------- soft delete

test('a deleted record leaves lists and search, and restoring brings it back', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown', notes: 'runs the knitting circle' });
  const ben = ws.create('contact', { name: 'Ben Okafor' });
  const deleted = ws.delete('contact', zoe.id);
  assert.ok(deleted.deletedAt);
  assert.equal(deleted.deletedBy?.id, asha.id);
  assert.deepEqual(ws.list({ kind: 'contact' }).rows.map((r) => r.id), [ben.id]);
  assert.deepEqual(ws.search({ text: 'knitting' }), []);
  assert.deepEqual(ws.search({ text: 'zoe' }), []);
  assert.deepEqual(ws.list({ kind: 'contact', filter: { status: 'deleted' } }).rows.map((r) => r.id), [zoe.id]);
  assert.equal(ws.info().counts.contact, 1);
  assert.equal(ws.get('contact', zoe.id).data.notes, 'runs the knitting circle', 'the record is kept');
  assert.throws(() => ws.update('contact', zoe.id, { name: 'Zed' }), (e: unknown) => e instanceof RpcError && e.code === 'conflict');

  const restored = ws.restore('contact', zoe.id);
  assert.equal(restored.deletedAt, null);
  assert.equal(restored.deletedBy, null);
  assert.deepEqual(ws.list({ kind: 'contact' }).rows.map((r) => r.title), ['Ben Okafor', 'Zoë Brown']);
  assert.deepEqual(ws.search({ text: 'knitting' }).map((h) => h.id), [zoe.id]);
  assert.deepEqual(ws.list({ kind: 'contact', filter: { status: 'deleted' } }).total, 0);
  assert.deepEqual(ws.history(zoe.id).map((h) => h.field).slice(0, 2), ['(restored)', '(deleted)']);
});

test('deleting a session removes its actions from the action list until it is restored', (t) => {
  const { ws } = openTemp(t);
  const session = ws.create('session', {
    title: 'Planning',
    type: 'workshop',
    startsAt: '2026-03-01T10:00',
    actions: [{ id: randomUUID(), text: 'Book the hall', ownerId: null, dueDate: null, status: 'open' }],
  });
  ws.delete('session', session.id);
  assert.equal(ws.actions({ today: '2026-03-02' }).total, 0);
  ws.restore('session', session.id);
  assert.deepEqual(ws.actions({ today: '2026-03-02' }).rows.map((r) => r.text), ['Book the hall']);
});

test('a deleted record cannot be newly referred to', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  ws.delete('contact', zoe.id);
  assert.throws(
    () => ws.create('session', { title: 'Drop-in', type: 'drop-in', startsAt: '2026-11-20T10:00', attendeeIds: [zoe.id] }),
    (e: unknown) => e instanceof RpcError && e.issues[0]?.field === 'data.attendeeIds.0' && /deleted/.test(e.issues[0].message),
  );
});

// ---------------------------------------------------------------- collections

test('skills and consents are added, edited and removed item by item', (t) => {
  const { ws } = openTemp(t);
  const cooking = { id: randomUUID(), domain: 'Food', skill: 'Cooking', has: true, wantsToLearn: false, willingToShare: false };
  const ukulele = { id: randomUUID(), domain: 'Music', skill: 'Ukulele', has: false, wantsToLearn: true, willingToShare: false };
  const photos = { id: randomUUID(), purpose: 'Photos', wordingVersion: 'v1', givenAt: '2026-01-10', method: 'written' as const, withdrawnAt: null };
  const contact = ws.create('contact', { name: 'Zoë Brown', skills: [cooking, ukulele], consents: [photos] });

  const sewing = { id: randomUUID(), domain: 'Crafts', skill: 'Sewing', has: true, wantsToLearn: false, willingToShare: true };
  const updated = ws.update('contact', contact.id, {
    skills: [{ ...cooking, willingToShare: true }, sewing],
    consents: [{ ...photos, withdrawnAt: '2026-02-01' }],
  });
  assert.deepEqual(updated.data.skills, [{ ...cooking, willingToShare: true }, sewing]);
  assert.deepEqual(updated.data.consents, [{ ...photos, withdrawnAt: '2026-02-01' }]);
  assert.deepEqual(recordFromDoc(ws, 'contact', contact.id).data, updated.data);

  const changed = ws.history(contact.id).filter((h) => h.field !== '(created)');
  assert.deepEqual(
    changed.map((h) => h.field).sort(),
    [`consents.${photos.id}`, `skills.${cooking.id}`, `skills.${sewing.id}`, `skills.${ukulele.id}`].sort(),
    'one entry per item changed, and none for items left alone',
  );
  assert.deepEqual(changed.find((h) => h.field === `skills.${ukulele.id}`)?.after, null, 'a removed item');
  assert.deepEqual(changed.find((h) => h.field === `skills.${sewing.id}`)?.before, null, 'an added item');

  const skillRows = ws.db.prepare('SELECT skill, willing_to_share AS share FROM contact_skills WHERE contact_id = ? ORDER BY skill').all(contact.id);
  assert.deepEqual(skillRows, [{ skill: 'Cooking', share: 1 }, { skill: 'Sewing', share: 1 }]);
  assert.deepEqual(ws.search({ text: 'sewing' }).map((h) => h.id), [contact.id]);
  assert.deepEqual(ws.search({ text: 'ukulele' }), []);
});

test('reordering a collection is stored: it survives reopening, and later edits too', (t) => {
  const { ws, path, key } = openTemp(t);
  const items = ['Lunch club', 'Buses', 'Benches'].map((text) => ({ id: randomUUID(), text, theme: null }));
  const session = ws.create('session', { title: 'Talk', type: 'community-conversation', startsAt: '2026-03-01T10:00', priorities: items });
  const reversed = [...items].reverse();
  assert.deepEqual(ws.update('session', session.id, { priorities: reversed }).data.priorities, reversed);
  assert.deepEqual(ws.history(session.id)[0], {
    ...ws.history(session.id)[0]!,
    field: 'priorities',
    before: items.map((i) => i.id),
    after: reversed.map((i) => i.id),
  });
  ws.update('session', session.id, { title: 'Talk about buses' });
  ws.close();

  const reopened = Workspace.open({ path, author, key });
  t.after(() => reopened.close());
  const stored = recordFromDoc(reopened, 'session', session.id);
  assert.deepEqual(stored.data.priorities, reversed);
  assert.equal(stored.data.title, 'Talk about buses');
  assert.deepEqual(reopened.get('session', session.id), stored);
});

test('two items with the same id are refused', (t) => {
  const { ws } = openTemp(t);
  const item = { id: randomUUID(), text: 'Lunch club', theme: 'food' };
  assert.throws(
    () => ws.create('session', { title: 'Talk', type: 'workshop', startsAt: '2026-03-01T10:00', priorities: [item, { ...item, text: 'Buses' }] }),
    (e: unknown) => e instanceof RpcError && e.issues[0]?.field === 'data.priorities' && /same id/.test(e.message),
  );
  assert.equal(ws.list({ kind: 'session' }).total, 0);
});

// ---------------------------------------------------------------- connections and actions

test('a connection is listed on both of its ends', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  const hall = ws.create('asset', { name: 'Church Hall', category: 'physical' });
  const ben = ws.create('contact', { name: 'Ben Okafor' });
  const runs = ws.create('connection', { fromId: zoe.id, toId: hall.id, kind: 'runs', date: '2026-01-05', note: 'Tuesday lunches' });
  const knows = ws.create('connection', { fromId: ben.id, toId: zoe.id, kind: 'knows' });

  const ofZoe = ws.connectionsOf(zoe.id);
  assert.deepEqual(ofZoe.map((c) => c.id).sort(), [runs.id, knows.id].sort());
  const ofHall = ws.connectionsOf(hall.id);
  assert.deepEqual(ofHall, [
    {
      id: runs.id,
      kind: 'runs',
      date: '2026-01-05',
      note: 'Tuesday lunches',
      from: { id: zoe.id, kind: 'contact', title: 'Zoë Brown' },
      to: { id: hall.id, kind: 'asset', title: 'Church Hall' },
    },
  ]);
  assert.deepEqual(ws.list({ kind: 'connection', filter: { connectionKind: 'runs' } }).rows.map((r) => r.title), [
    'Zoë Brown — runs — Church Hall',
  ]);

  ws.update('connection', runs.id, { toId: ben.id, kind: 'knows' });
  assert.deepEqual(ws.connectionsOf(hall.id), [], 'moving an end moves the connection');
  assert.equal(ws.connectionsOf(ben.id).length, 2);
  ws.delete('connection', knows.id);
  assert.deepEqual(ws.connectionsOf(ben.id).map((c) => c.id), [runs.id]);
});

test('a workspace from before migration 17 keeps no index of connections\' ends and still lists a connection on both of them', (t) => {
  const { ws, path, key } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  const hall = ws.create('asset', { name: 'Church Hall', category: 'physical' });
  const ben = ws.create('contact', { name: 'Ben Okafor' });
  const runs = ws.create('connection', { fromId: zoe.id, toId: hall.id, kind: 'runs', note: 'Tuesday lunches' });
  const knows = ws.create('connection', { fromId: ben.id, toId: zoe.id, kind: 'knows' });
  ws.delete('connection', knows.id);
  // The file as an earlier version left it: each end entered again in an index of its own.
  ws.db.exec(`
    CREATE INDEX connections_from ON connections (from_id);
    CREATE INDEX connections_to ON connections (to_id);
    DELETE FROM schema_version WHERE version = 17;`);
  ws.close();

  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  const indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'connections' AND sql IS NOT NULL";
  assert.deepEqual(reopened.db.prepare(indexes).pluck().all(), [], 'each end is stored once, as its facet');
  for (const end of [zoe, hall]) assert.deepEqual(reopened.connectionsOf(end.id).map((c) => c.id), [runs.id]);
  assert.deepEqual(reopened.connectionsOf(ben.id), [], 'a deleted connection is not listed');
  reopened.restore('connection', knows.id);
  assert.deepEqual(reopened.connectionsOf(ben.id).map((c) => c.id), [knows.id]);
});

test('a workspace from before migration 20 has its facets written again from each record, names kept as 16 bytes, and an edit then replaces exactly its own', (t) => {
  const { ws, path, key } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown', roles: ['volunteer'] });
  const ben = ws.create('contact', { name: 'Ben Okafor', roles: ['champion'] });
  const lunch = ws.create('session', { title: 'Lunch club', type: 'drop-in', startsAt: '2026-05-01T12:00', attendeeIds: [zoe.id, ben.id], facilitatorIds: [zoe.id] });
  const facets = `SELECT f.facet, facet_text(f.value) AS value, r.id AS record_id FROM record_facets f LEFT JOIN records r ON r.rid = f.record_rid
                  ORDER BY facet, value, record_id`;
  const derived = ws.db.prepare(facets).all();
  // The file as an earlier version left it: ids as text, the index by record, and a facet the stored data does not give.
  ws.db.exec(`
    ${FACETS_BEFORE_MIGRATION_20}
    CREATE INDEX record_facets_by_record ON record_facets (record_id);
    INSERT INTO record_facets (facet, value, record_id) VALUES ('attendee', '${ben.id}', '${zoe.id}'), ('attendee', '${zoe.id}', '${lunch.id}');
    DELETE FROM schema_version WHERE version IN (19, 20);`);
  ws.close();

  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  assert.deepEqual(reopened.db.prepare(facets).all(), derived, 'each record has the facets its data gives, and no others');
  const indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'record_facets' AND sql IS NOT NULL";
  assert.deepEqual(reopened.db.prepare(indexes).pluck().all(), [], 'facets are entered once, under their key');
  assert.deepEqual(
    reopened.db.prepare("SELECT DISTINCT typeof(value), length(value) FROM record_facets WHERE facet = 'attendee'").raw().all(),
    [['blob', 16]],
    'a named record is kept as its 16 bytes',
  );

  const names = (id: string) => reopened.links.sessionsOf({ id, offset: 0, limit: 10 }).rows.map((r) => r.title);
  reopened.update('session', lunch.id, { attendeeIds: [ben.id], facilitatorIds: [] });
  assert.deepEqual(names(zoe.id), [], 'no longer there, nor facilitating');
  assert.deepEqual(names(ben.id), ['Lunch club']);
  assert.deepEqual(
    reopened.db.prepare('SELECT f.facet, facet_text(f.value) FROM record_facets f JOIN records r ON r.rid = f.record_rid WHERE r.id = ?').raw().all(lunch.id),
    [['attendee', ben.id]],
    'the edit deleted the facets its old data gave and wrote its new ones',
  );
  reopened.delete('contact', ben.id);
  assert.deepEqual(names(ben.id), ['Lunch club'], 'a deleted person keeps their sessions');
});

test('a connection needs two different existing records', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  const session = ws.create('session', { title: 'Talk', type: 'workshop', startsAt: '2026-03-01T10:00' });
  const refusedFields = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof RpcError) return e.issues.map((i) => i.field);
      throw e;
    }
    assert.fail('expected a refusal');
  };
  assert.deepEqual(refusedFields(() => ws.create('connection', { fromId: zoe.id, toId: zoe.id, kind: 'knows' })), ['data.toId']);
  assert.deepEqual(refusedFields(() => ws.create('connection', { fromId: zoe.id, toId: session.id, kind: 'knows' })), ['data.toId']);
  assert.deepEqual(refusedFields(() => ws.create('connection', { fromId: randomUUID(), toId: zoe.id, kind: 'knows' })), ['data.fromId']);
  assert.equal(ws.list({ kind: 'connection' }).total, 0);
});

test('the action list shows open, overdue and done actions across sessions', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown' });
  const action = (text: string, dueDate: string | null, status: 'open' | 'in-progress' | 'done' | 'cancelled', ownerId: string | null = null) => ({
    id: randomUUID(),
    text,
    ownerId,
    dueDate,
    status,
  });
  const first = ws.create('session', {
    title: 'Coffee morning',
    type: 'community-conversation',
    startsAt: '2026-03-01T10:00',
    actions: [action('Ring the council', '2026-03-05', 'open', zoe.id), action('Print posters', '2026-03-20', 'in-progress'), action('Book hall', '2026-02-01', 'done')],
  });
  ws.create('session', {
    title: 'Workshop',
    type: 'workshop',
    startsAt: '2026-03-02T18:00',
    actions: [action('Email the school', null, 'open'), action('Old idea', '2026-01-01', 'cancelled')],
  });
  const texts = (status: 'open' | 'overdue' | 'done' | 'all', ownerId?: string) =>
    ws.actions({ today: '2026-03-10', status, ownerId }).rows.map((r) => r.text);
  assert.deepEqual(texts('open'), ['Ring the council', 'Print posters', 'Email the school'], 'by due date, undated last');
  assert.deepEqual(texts('overdue'), ['Ring the council']);
  assert.deepEqual(texts('done'), ['Book hall']);
  assert.equal(texts('all').length, 5);
  assert.deepEqual(texts('all', zoe.id), ['Ring the council']);
  const [row] = ws.actions({ today: '2026-03-10', status: 'overdue' }).rows;
  assert.deepEqual(row, {
    sessionId: first.id,
    sessionTitle: 'Coffee morning',
    sessionStartsAt: '2026-03-01T10:00',
    actionId: first.data.actions[0]!.id,
    text: 'Ring the council',
    ownerId: zoe.id,
    ownerName: 'Zoë Brown',
    dueDate: '2026-03-05',
    status: 'open',
  });

  // Marking it done moves it from overdue to done.
  ws.update('session', first.id, { actions: first.data.actions.map((a, i) => (i === 0 ? { ...a, status: 'done' as const } : a)) });
  assert.deepEqual(texts('overdue'), []);
  assert.deepEqual(texts('done').sort(), ['Book hall', 'Ring the council']);
});

test("a peer's update that is partly waiting for a change not yet here is stored whole: after a restart, the waiting part applies once that change arrives", (t: TestContext) => {
  const { ws, path, key } = openTemp(t);
  const contact = ws.create('contact', { name: 'Zoë Brown' });
  // Two peers' replicas of the record: one writes the name and then the notes (its notes
  // build on its name), the other the address.
  const replica = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, ws.docState(contact.id));
    return doc;
  };
  const first = replica();
  const second = replica();
  const change = (doc: Y.Doc, fn: () => void) => {
    const before = Y.encodeStateVector(doc);
    fn();
    return Y.encodeStateAsUpdate(doc, before);
  };
  const name = change(first, () => first.getMap('fields').set('name', 'Zoë Brown-Okafor'));
  const notes = change(first, () => first.getMap('fields').set('notes', 'Runs the Tuesday lunch club'));
  const address = change(second, () => second.getMap('fields').set('address', '12 Albert Road'));
  // The notes and the address arrive together, the name they build on not yet.
  ws.applyRemoteUpdates([{ id: contact.id, update: Y.mergeUpdates([notes, address]) }], () => undefined);
  assert.equal(ws.get('contact', contact.id).data.address, '12 Albert Road');
  ws.close();
  const reopened = Workspace.open({ path, author, key });
  t.after(() => reopened.close());
  reopened.applyRemoteUpdates([{ id: contact.id, update: name }], () => undefined);
  const data = reopened.get('contact', contact.id).data;
  assert.equal(data.name, 'Zoë Brown-Okafor');
  assert.equal(data.notes, 'Runs the Tuesday lunch club', 'the notes that waited were kept across the restart');
  assert.equal(data.address, '12 Albert Road');
});
