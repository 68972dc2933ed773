// A pull's updates are applied as one batch (Workspace.applyRemoteUpdates): each peer's
// edit checks again only the fields it changed, and the search index is written once, at
// the batch's end. Whatever a batch holds, the rows it leaves are those a rebuild derives
// from the docs alone; a batch that fails leaves nothing of itself, in the search index
// or anywhere else.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as Y from 'yjs';
import type { Workspace } from '../../main/data-service/workspace';
import { asha, ben, exchange, openTemp, projectionRows, Relay } from './helpers';

/** A peer's update writing `value` into a field of the record as `from` holds it: values the schema refuses included. */
function peerSets(from: Workspace, id: string, field: string, value: unknown): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, from.docState(id));
  const known = Y.encodeStateVector(doc);
  doc.getMap('fields').set(field, value);
  return Y.encodeStateAsUpdate(doc, known);
}

/** Two devices sharing three records, and what device b changed since as a pull brings it to a: each of b's updates on its own. */
function twoDevices(t: Parameters<typeof openTemp>[0]) {
  const { ws: a } = openTemp(t, asha);
  const { ws: b } = openTemp(t, ben);
  const margaret = a.create('contact', { name: 'Margaret Okafor', phone: '07700 900123', themes: ['food'] });
  const library = a.create('asset', { name: 'Library', category: 'institution', postcode: 'M14 5TQ' });
  const ann = a.create('contact', { name: 'Ann Lee', email: 'ann@example.org' });
  const skill = { id: randomUUID(), domain: 'Practical', skill: 'bike repair', has: true, wantsToLearn: false, willingToShare: true };
  const welder = a.create('contact', { name: 'Joe Welder', skills: [skill] });
  const action = { id: randomUUID(), text: 'Book the hall', ownerId: null, dueDate: null, status: 'open' as const };
  const meeting = a.create('session', { title: 'Lunch club planning', type: 'community-conversation', startsAt: '2024-06-04T18:30', actions: [action] });
  exchange(a, b, new Relay());
  const sent = b.outbox.next(Number.MAX_SAFE_INTEGER).length;
  b.update('contact', margaret.id, { name: 'Margaret Adeyemi' });
  b.update('contact', margaret.id, { themes: ['food', 'housing'], notes: 'Runs the Tuesday drop-in.' });
  b.update('asset', library.id, { name: 'Central Library' });
  b.delete('contact', ann.id);
  b.update('contact', welder.id, { skills: [{ ...skill, skill: 'welding', wantsToLearn: true }] });
  b.delete('session', meeting.id);
  const pulled = b.outbox
    .next(Number.MAX_SAFE_INTEGER)
    .slice(sent)
    .map((row) => ({ id: row.docId, update: row.data, author: ben }));
  return { a, margaret, library, ann, welder, meeting, pulled };
}

const found = (ws: Workspace, text: string) => ws.search({ text }).map((hit) => hit.id);

/** The projection a rebuild from the docs gives equals the one the batches wrote. */
function assertRebuildAgrees(ws: Workspace): void {
  const written = projectionRows(ws);
  ws.rebuildProjections();
  assert.deepEqual(projectionRows(ws), written, 'a rebuild from the docs gives the same rows');
}

test("a pull of several peers' edits to the same records — renames, deletes, a changed skill, values the schema refuses and then their fix — projects the rows a rebuild gives, and search finds only the new words", (t) => {
  const { a, margaret, library, ann, welder, meeting, pulled } = twoDevices(t);
  assert.deepEqual(a.applyRemoteUpdates(pulled, () => undefined), []);
  const skills = a.db.prepare('SELECT skill, wants_to_learn FROM contact_skills WHERE contact_id = ?').raw().all(welder.id);
  assert.deepEqual(skills, [['welding', 1]], "the peer's change to the skill is in the capacity inventory");
  assert.deepEqual(a.db.prepare('SELECT text FROM session_actions WHERE session_id = ?').all(meeting.id), [], "a deleted session's actions leave the action list");
  assert.deepEqual(found(a, 'welding'), [welder.id]);
  assert.deepEqual(found(a, 'Lunch'), [], 'a deleted session leaves search');

  assert.deepEqual(found(a, 'Adeyemi'), [margaret.id]);
  assert.deepEqual(found(a, 'Okafor'), [], 'the old name is no longer found');
  assert.deepEqual(found(a, 'housing'), [margaret.id], 'a later edit in the same pull is searchable');
  assert.deepEqual(found(a, 'Central'), [library.id]);
  assert.deepEqual(found(a, 'Ann'), [], 'a record deleted in the pull leaves search');
  assert.equal(a.list({ kind: 'contact' }).rows.some((r) => r.id === ann.id), false);
  assertRebuildAgrees(a);

  // Two bad values in one record, in one pull; then a peer fixes one of them.
  assert.deepEqual(
    a.applyRemoteUpdates(
      [
        { id: margaret.id, update: peerSets(a, margaret.id, 'email', 7), author: ben },
        { id: margaret.id, update: peerSets(a, margaret.id, 'phone', 42), author: ben },
      ],
      () => undefined,
    ),
    [],
  );
  const flagged = a.get('contact', margaret.id);
  assert.deepEqual(flagged.problems?.map((p) => [p.field, p.holds]).sort(), [['email', '7'], ['phone', '42']]);
  assert.equal(flagged.data.name, 'Margaret Adeyemi', 'the fields no update touched are kept');
  assert.deepEqual(found(a, 'Adeyemi'), [margaret.id]);
  assertRebuildAgrees(a);

  a.applyRemoteUpdates([{ id: margaret.id, update: peerSets(a, margaret.id, 'phone', '07700 900456'), author: ben }], () => undefined);
  const fixed = a.get('contact', margaret.id);
  assert.deepEqual(fixed.problems?.map((p) => p.field), ['email'], 'the fixed field is no longer flagged, the other still is');
  assert.equal(fixed.data.phone, '07700 900456');
  assert.deepEqual(found(a, '07700900456'), [margaret.id], 'the new number is searchable');
  assertRebuildAgrees(a);
});

test('a pull whose batch fails part-way keeps nothing of it — records, search words and docs stay as they were — and the same pull applied again is applied whole', (t) => {
  const { a, margaret, library, pulled } = twoDevices(t);
  const before = projectionRows(a);
  const docBefore = a.docState(margaret.id);

  assert.throws(
    () =>
      a.applyRemoteUpdates(pulled, () => {
        throw new Error('disk full');
      }),
    /disk full/,
  );
  assert.deepEqual(projectionRows(a), before, 'no projected row, search row or count changed');
  assert.deepEqual(a.docState(margaret.id), docBefore, 'the doc is as stored before');
  assert.equal(a.get('contact', margaret.id).data.name, 'Margaret Okafor');
  assert.deepEqual(found(a, 'Okafor'), [margaret.id]);
  assert.deepEqual(found(a, 'Adeyemi'), []);

  assert.deepEqual(a.applyRemoteUpdates(pulled, () => undefined), []);
  assert.equal(a.get('contact', margaret.id).data.name, 'Margaret Adeyemi');
  assert.deepEqual(found(a, 'Adeyemi'), [margaret.id]);
  assert.deepEqual(found(a, 'Okafor'), []);
  assert.deepEqual(found(a, 'Central'), [library.id]);
  assertRebuildAgrees(a);
});

test("a pull bringing several updates to one record, a malformed one among them, applies the others around it: the record shows each good edit and nothing of the bad one, its history lists each, and a rebuild gives the same rows", (t) => {
  const { ws: a } = openTemp(t, asha);
  const margaret = a.create('contact', { name: 'Margaret Okafor', phone: '07700 900123' });
  const ann = a.create('contact', { name: 'Ann Lee', email: 'ann@example.org' });
  const library = a.create('asset', { name: 'Library', category: 'institution', postcode: 'M14 5TQ' });
  const mallory = { id: 'mallory', name: 'Mallory' };
  /** A change naming Mallory as the record's last editor, cut short: its structs integrate before its delete set fails to (half-applied in memory). */
  function malformed(id: string, field: string, value: string): Uint8Array {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, a.docState(id));
    const known = Y.encodeStateVector(doc);
    doc.getMap('fields').set(field, value);
    doc.getMap('meta').set('updatedBy', mallory);
    return Y.encodeStateAsUpdate(doc, known).slice(0, -1);
  }
  const pulled = [
    { id: margaret.id, update: peerSets(a, margaret.id, 'phone', '07700 900456') },
    { id: library.id, update: peerSets(a, library.id, 'name', 'Central Library') },
    { id: margaret.id, update: malformed(margaret.id, 'name', 'Hijacked') },
    { id: ann.id, update: peerSets(a, ann.id, 'name', 'Ann Leigh') },
    { id: margaret.id, update: peerSets(a, margaret.id, 'notes', 'Runs the Tuesday drop-in.') },
    // The last of the record's updates in the batch is the bad one.
    { id: ann.id, update: malformed(ann.id, 'email', 'hijacked@example.org') },
  ].map((u) => ({ ...u, author: ben }));

  const refused = a.applyRemoteUpdates(pulled, () => undefined);
  assert.deepEqual(refused.map((r) => r.id).sort(), [ann.id, margaret.id].sort(), 'only the two malformed updates are refused');
  assert.ok(refused.every((r) => /could not be decoded/.test(r.reason)));
  const held = a.get('contact', margaret.id).data;
  assert.deepEqual([held.name, held.phone, held.notes], ['Margaret Okafor', '07700 900456', 'Runs the Tuesday drop-in.'], 'the edits before and after the bad one apply');
  assert.deepEqual([a.get('contact', ann.id).data.name, a.get('contact', ann.id).data.email], ['Ann Leigh', 'ann@example.org'], 'the edit before a bad last one applies');
  assert.deepEqual(found(a, 'Leigh'), [ann.id]);
  assert.deepEqual(found(a, 'Hijacked'), []);
  assert.deepEqual([a.get('contact', margaret.id).updatedBy, a.get('contact', ann.id).updatedBy], [asha, asha], 'nothing of the bad updates names its editor');
  const stored = new Y.Doc();
  Y.applyUpdate(stored, a.docState(margaret.id));
  assert.equal(stored.getMap('fields').get('name'), 'Margaret Okafor', 'the stored doc never held the bad name');
  const changed = (id: string) => a.history(id).filter((h) => h.author.id === ben.id).map((h) => [h.field, h.after]).sort();
  assert.deepEqual(changed(margaret.id), [['notes', 'Runs the Tuesday drop-in.'], ['phone', '07700 900456']], "the history names each of the peer's edits, and not the bad one");
  assert.deepEqual(changed(ann.id), [['name', 'Ann Leigh']]);
  assertRebuildAgrees(a);

  // A later edit here: nothing of the bad updates comes back from memory.
  a.update('contact', margaret.id, { email: 'margaret@example.org' });
  assert.equal(a.get('contact', margaret.id).data.name, 'Margaret Okafor');
  assertRebuildAgrees(a);
});
