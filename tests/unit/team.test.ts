// The team lead's tools on the data engine: merge and unmerge, the conflict inbox found
// during sync apply, the review queue and restoring a value from history.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Author } from '../../shared/domain';
import { describeChange } from '../../shared/describe-change';
import { mergeRecords, mergesOfRecord, unmergeRecords } from '../../main/data-service/team/merge';
import { presentConflict, resolveConflict, restoreValue } from '../../main/data-service/team/resolve';
import { markReviewed, reviewQueue } from '../../main/data-service/team/review';
import type { Workspace } from '../../main/data-service/workspace';
import { asha, ben, exchange, lastWriteWins, openTemp, projectionRows, recordFromDoc, Relay } from './helpers';

const lead: Author = { id: 'lead-lena', name: 'Lena Lead' };

/** A contact both devices have, whose phone each then sets without seeing the other's; synced after. */
function phoneSetOnBothWhileOffline(a: Workspace, b: Workspace, relay: Relay) {
  const contact = a.create('contact', { name: 'Peggy Jones', phone: '0161 000 0000' });
  exchange(a, b, relay);
  a.update('contact', contact.id, { phone: '0161 111 1111' });
  b.update('contact', contact.id, { phone: '0161 222 2222' });
  exchange(a, b, relay);
  return contact;
}

function bobAndRobert(ws: Workspace) {
  const bob = ws.create('contact', { name: 'Bob Smith', phone: '07700 900123', themes: ['food'] });
  const robert = ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123', email: 'rob@example.org', themes: ['youth'] });
  return { bob, robert };
}

test('a merge takes the chosen values, joins lists, and every reference resolves to the survivor', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { bob, robert } = bobAndRobert(ws);
  const hall = ws.create('asset', { name: 'St Mary’s hall', category: 'physical' });
  const session = ws.create('session', { title: 'Food bank planning', type: 'community-conversation', startsAt: '2026-11-01T10:00', attendeeIds: [robert.id, bob.id], venueId: hall.id });
  const link = ws.create('connection', { fromId: robert.id, toId: hall.id, kind: 'volunteers-at' });

  const { survivor, merge } = mergeRecords(ws, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: { email: robert.id } });

  assert.equal((survivor.data as { name: string }).name, 'Bob Smith');
  assert.equal((survivor.data as { email: string }).email, 'rob@example.org');
  assert.deepEqual((survivor.data as { themes: string[] }).themes, ['food', 'youth']);
  assert.equal(ws.get('contact', robert.id).mergedInto, bob.id);
  assert.deepEqual(merge.merged, [{ id: robert.id, title: 'Robert Smith' }]);
  // References written with Robert's id now read as Bob's, once each.
  assert.deepEqual(ws.get('session', session.id).data.attendeeIds, [bob.id]);
  assert.equal(ws.get('connection', link.id).data.fromId, bob.id);
  assert.deepEqual(ws.connectionsOf(bob.id).map((c) => c.from.title), ['Bob Smith']);
  // Robert is gone from lists and search; his history shows on Bob's page.
  assert.deepEqual(ws.list({ kind: 'contact' }).rows.map((r) => r.title), ['Bob Smith']);
  assert.deepEqual(ws.search({ text: 'Smith' }).map((h) => h.id), [bob.id]);
  assert.ok(ws.history(bob.id).some((h) => h.recordId === robert.id && h.field === '(created)'));
  assert.throws(() => ws.update('contact', robert.id, { phone: '1' }), /merged into/);
});

test('merge refuses what cannot be merged, naming the field', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { bob, robert } = bobAndRobert(ws);
  assert.throws(() => mergeRecords(ws, { kind: 'contact', survivorId: bob.id, mergedIds: [bob.id], choices: {} }), /itself/);
  assert.throws(() => mergeRecords(ws, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: { shoeSize: bob.id } }), /choices\.shoeSize/);
  mergeRecords(ws, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
  assert.throws(() => mergeRecords(ws, { kind: 'contact', survivorId: robert.id, mergedIds: [bob.id], choices: {} }), /already merged/);
});

test('unmerge restores both records, keeping edits made since the merge', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { bob, robert } = bobAndRobert(ws);
  const { merge } = mergeRecords(ws, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: { email: robert.id, phone: robert.id } });
  // After the merge the lead corrects the phone on the survivor: that edit stays.
  ws.update('contact', bob.id, { phone: '07700 900999' });

  const { survivor, restored } = unmergeRecords(ws, bob.id, merge.mergeId);

  assert.equal((survivor.data as { email: string }).email, '', 'the email the merge brought is taken back');
  assert.equal((survivor.data as { phone: string }).phone, '07700 900999', 'an edit made after the merge stays');
  assert.deepEqual((survivor.data as { themes: string[] }).themes, ['food']);
  assert.equal(restored[0]!.mergedInto, null);
  assert.deepEqual(ws.list({ kind: 'contact' }).rows.map((r) => r.title).sort(), ['Bob Smith', 'Robert Smith']);
  assert.equal(mergesOfRecord(ws, bob.id)[0]!.undoneBy?.name, 'Lena Lead');
  assert.throws(() => unmergeRecords(ws, bob.id, merge.mergeId), /already undone/);
});

test('two devices setting one phone while offline: both values reach the conflict inbox on both', (t: TestContext) => {
  const { ws: a } = openTemp(t, asha);
  const { ws: b } = openTemp(t, ben);
  const relay = new Relay();
  const contact = phoneSetOnBothWhileOffline(a, b, relay);

  for (const ws of [a, b]) {
    const [entry, ...more] = ws.conflicts.list('open', 10).map((e) => presentConflict(ws, e));
    assert.equal(more.length, 0);
    assert.equal(entry!.type, 'concurrent');
    assert.equal(entry!.field, 'phone');
    const values = [entry!.current, ...entry!.others].map((v) => `${v.author.name}: ${v.value}`).sort();
    assert.deepEqual(values, ['Asha Patel: 0161 111 1111', 'Ben Okafor: 0161 222 2222']);
  }
  // Sequential edits after that are no conflict.
  b.update('contact', contact.id, { phone: '0161 333 3333' });
  exchange(a, b, relay);
  assert.equal(a.conflicts.openCount(), 1);

  // The lead picks the losing value; it becomes the record's.
  const entry = a.conflicts.list('open', 10)[0]!;
  const loser = presentConflict(a, entry).others[0]!;
  const resolved = resolveConflict(a, entry.id, 0);
  assert.equal(a.get('contact', contact.id).data.phone, loser.value);
  assert.match(resolved.resolution!, /used .*'s value/);
  assert.equal(a.conflicts.openCount(), 0);
  assert.throws(() => resolveConflict(a, entry.id, 'keep'), /already resolved/);
});

test('a worker’s offline edit to a record merged meanwhile is flagged for the lead and can be copied to the survivor', (t: TestContext) => {
  const { ws: leadWs } = openTemp(t, lead);
  const { ws: worker } = openTemp(t, asha);
  const relay = new Relay();
  const { bob, robert } = bobAndRobert(leadWs);
  exchange(leadWs, worker, relay);
  mergeRecords(leadWs, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
  worker.update('contact', robert.id, { email: 'robert.smith@example.org' });
  exchange(leadWs, worker, relay);

  // On the worker's device the record is now merged; the edit is kept in its doc.
  assert.equal(worker.get('contact', robert.id).mergedInto, bob.id);
  assert.equal(recordFromDoc(leadWs, 'contact', robert.id).data.email, 'robert.smith@example.org');
  const entries = leadWs.conflicts.list('open', 10).map((e) => presentConflict(leadWs, e));
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.type, 'edited-after-merge');
  assert.equal(entries[0]!.field, 'email');
  assert.equal(entries[0]!.survivor?.id, bob.id);
  assert.equal(entries[0]!.others[0]!.author.name, 'Asha Patel');

  resolveConflict(leadWs, entries[0]!.id, 0);
  assert.equal(leadWs.get('contact', bob.id).data.email, 'robert.smith@example.org');

  // Unmerge brings Robert back with the worker's edit.
  const mergeId = mergesOfRecord(leadWs, bob.id)[0]!.mergeId;
  const { restored } = unmergeRecords(leadWs, bob.id, mergeId);
  assert.equal((restored[0]!.data as { email: string }).email, 'robert.smith@example.org');
});

test('a merge made on one device reaches another with references resolved the same way', (t: TestContext) => {
  const { ws: a } = openTemp(t, lead);
  const { ws: b } = openTemp(t, asha);
  const relay = new Relay();
  const { bob, robert } = bobAndRobert(a);
  const session = a.create('session', { title: 'Coffee morning', type: 'community-conversation', startsAt: '2026-11-02T10:00', attendeeIds: [robert.id] });
  exchange(a, b, relay);
  mergeRecords(a, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
  exchange(a, b, relay);
  assert.deepEqual(b.get('session', session.id).data.attendeeIds, [bob.id]);
  assert.deepEqual(b.list({ kind: 'contact' }).rows.map((r) => r.id), [bob.id]);
  assert.equal(b.conflicts.openCount(), 0, 'a merge alone is no conflict');
});

test('the review queue lists what others changed, grouped by record, until marked reviewed', (t: TestContext) => {
  const { ws: leadWs } = openTemp(t, lead);
  const { ws: worker } = openTemp(t, asha);
  const relay = new Relay();
  const contact = worker.create('contact', { name: 'Margaret Okoye', phone: '0161 000 0001' });
  worker.update('contact', contact.id, { phone: '0161 000 0002' });
  exchange(leadWs, worker, relay);

  let queue = reviewQueue(leadWs, { limit: 50 });
  assert.equal(queue.total, 1);
  assert.deepEqual(queue.authors, [{ id: asha.id, name: asha.name, waiting: 1 }]);
  const group = queue.groups[0]!;
  assert.equal(group.record.title, 'Margaret Okoye');
  assert.ok(group.changes.some((c) => c.field === 'phone' && c.after === '0161 000 0002'));

  markReviewed(leadWs, [{ recordId: contact.id, authorId: asha.id, upTo: group.upTo }]);
  assert.equal(reviewQueue(leadWs, { limit: 50 }).total, 0);

  worker.update('contact', contact.id, { email: 'maggie@example.org' });
  exchange(leadWs, worker, relay);
  queue = reviewQueue(leadWs, { limit: 50 });
  assert.deepEqual(queue.groups[0]!.changes.map((c) => c.field), ['email'], 'only what changed since the mark');
});

test('the review queue lists every change a worker made since the mark: a write that lost a conflict, and an edit made minutes after a reviewed one', (t: TestContext) => {
  const { ws: leadWs } = openTemp(t, lead);
  const { ws: worker } = openTemp(t, asha);
  const relay = new Relay();
  const contact = worker.create('contact', { name: 'Margaret Okoye', phone: '0161 000 0001', notes: 'Runs the Tuesday lunch club.' });
  exchange(leadWs, worker, relay);
  const markAll = () => markReviewed(leadWs, reviewQueue(leadWs, { limit: 50 }).groups.map((g) => ({ recordId: g.record.id, authorId: g.author.id, upTo: g.upTo })));
  markAll();

  worker.update('contact', contact.id, { notes: 'Runs the Tuesday lunch club. Needs a new venue.' });
  exchange(leadWs, worker, relay);
  markAll();
  // A second edit of the same field moments later, after the lead reviewed the first.
  worker.update('contact', contact.id, { notes: 'Runs the Tuesday lunch club. Found a venue: the library.' });
  // Both offline: the lead and the worker set the phone; the worker's write loses.
  lastWriteWins(leadWs, worker, 'contact', contact.id);
  leadWs.update('contact', contact.id, { phone: '0161 000 0002' });
  worker.update('contact', contact.id, { phone: '0161 000 0003' });
  exchange(leadWs, worker, relay);
  assert.equal(leadWs.get('contact', contact.id).data.phone, '0161 000 0002', 'the lead’s phone was kept');
  assert.equal(leadWs.conflicts.openCount(), 1);

  const changes = reviewQueue(leadWs, { limit: 50 }).groups.flatMap((g) => g.changes);
  const notes = changes.find((c) => c.field === 'notes');
  assert.equal(notes?.after, 'Runs the Tuesday lunch club. Found a venue: the library.');
  assert.equal(notes?.kept, true);
  const phone = changes.find((c) => c.field === 'phone');
  assert.equal(phone?.after, '0161 000 0003', 'the worker’s phone is listed though sync did not keep it');
  assert.equal(phone?.kept, false);
  assert.equal(phone?.before, '0161 000 0002', 'with the value the record kept instead');
  // The record's history says so too, and the field's value is still the kept one.
  assert.equal(leadWs.history(contact.id).find((h) => h.field === 'phone' && h.author.id === asha.id)?.kept, false);
});

test('an edit folded into a listed change while the lead looks stays in the queue after the lead marks what was shown', (t: TestContext) => {
  const { ws: leadWs } = openTemp(t, lead);
  const { ws: worker } = openTemp(t, asha);
  const relay = new Relay();
  const contact = worker.create('contact', { name: 'Margaret Okoye', notes: 'Runs the lunch club.' });
  worker.update('contact', contact.id, { notes: 'Runs the lunch club on Tuesdays.' });
  exchange(leadWs, worker, relay);
  const shown = reviewQueue(leadWs, { limit: 50 }).groups[0]!;

  worker.update('contact', contact.id, { notes: 'Runs the lunch club on Tuesdays and Thursdays.' });
  exchange(leadWs, worker, relay);
  markReviewed(leadWs, [{ recordId: contact.id, authorId: asha.id, upTo: shown.upTo }]);

  const notes = reviewQueue(leadWs, { limit: 50 }).groups.flatMap((g) => g.changes).find((c) => c.field === 'notes');
  assert.equal(notes?.after, 'Runs the lunch club on Tuesdays and Thursdays.');
});

test('keep both: a conflict over notes keeps both texts, each under its author and time, and the result syncs', (t: TestContext) => {
  const { ws: a } = openTemp(t, lead);
  const { ws: b } = openTemp(t, asha);
  const relay = new Relay();
  const contact = a.create('contact', { name: 'Peggy Jones', notes: 'Met at the food bank.' });
  exchange(a, b, relay);
  a.update('contact', contact.id, { notes: 'Met at the food bank. Keen to start a knit-and-natter.' });
  b.update('contact', contact.id, { notes: 'Met at the food bank. Her daughter drives the minibus.' });
  exchange(a, b, relay);
  const entry = a.conflicts.list('open', 10)[0]!;
  assert.equal(entry.field, 'notes');

  const resolved = resolveConflict(a, entry.id, 'both');
  assert.equal(resolved.resolution, 'kept both texts, each with its author and time');
  const notes = a.get('contact', contact.id).data.notes;
  const leadText = notes.indexOf('Keen to start a knit-and-natter.');
  const workerText = notes.indexOf('Her daughter drives the minibus.');
  assert.ok(leadText >= 0 && workerText >= 0, 'both texts are kept');
  // Each under a line naming who wrote it and when.
  assert.match(notes, /^Lena Lead wrote on \d{1,2} \w+ \d{4} at \d{2}:\d{2}:\nMet at the food bank\. Keen/m);
  assert.match(notes, /^Asha Patel wrote on \d{1,2} \w+ \d{4} at \d{2}:\d{2}:\nMet at the food bank\. Her daughter/m);
  assert.equal(a.conflicts.openCount(), 0);

  exchange(a, b, relay);
  assert.equal(b.get('contact', contact.id).data.notes, notes, 'the joined text reaches the other device');
  assert.equal(b.conflicts.openCount(), 0, 'resolved there too');
});

test('keep both on notes edited after a merge: the survivor keeps its own notes and gains the edit', (t: TestContext) => {
  const { ws: leadWs } = openTemp(t, lead);
  const { ws: worker } = openTemp(t, asha);
  const relay = new Relay();
  const bob = leadWs.create('contact', { name: 'Bob Smith', notes: 'Volunteers at the food bank.' });
  const robert = leadWs.create('contact', { name: 'Robert Smith', notes: '' });
  exchange(leadWs, worker, relay);
  mergeRecords(leadWs, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
  worker.update('contact', robert.id, { notes: 'Can drive the minibus on Saturdays.' });
  exchange(leadWs, worker, relay);

  const entry = leadWs.conflicts.list('open', 10).find((e) => e.field === 'notes')!;
  assert.equal(entry.type, 'edited-after-merge');
  const resolved = resolveConflict(leadWs, entry.id, 'both');
  assert.equal(resolved.resolution, 'kept both texts, each with its author and time, on Bob Smith');
  const notes = leadWs.get('contact', bob.id).data.notes;
  assert.match(notes, /^Lena Lead wrote on .*:\nVolunteers at the food bank\.$/m);
  assert.match(notes, /^Asha Patel wrote on .*:\nCan drive the minibus on Saturdays\.$/m);
});

test('keep both is refused for a field that is not free text, naming it, and changes nothing', (t: TestContext) => {
  const { ws: a } = openTemp(t, asha);
  const { ws: b } = openTemp(t, ben);
  const contact = phoneSetOnBothWhileOffline(a, b, new Relay());
  const entry = a.conflicts.list('open', 10)[0]!;
  const phone = a.get('contact', contact.id).data.phone;
  assert.throws(() => resolveConflict(a, entry.id, 'both'), /only for free text such as notes or a description, not phone/);
  assert.equal(a.get('contact', contact.id).data.phone, phone);
  assert.equal(a.conflicts.openCount(), 1);
});

test('an earlier value of a field can be restored from the history', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const contact = ws.create('contact', { name: 'Ana Lima', phone: '111' });
  ws.update('contact', contact.id, { phone: '222' });
  const change = ws.history(contact.id).find((h) => h.field === 'phone')!;
  const restored = restoreValue(ws, { kind: 'contact', id: contact.id, historyId: change.id, side: 'before' });
  assert.equal((restored.data as { phone: string }).phone, '111');
  assert.equal(ws.history(contact.id)[0]!.after, '111', 'the restore is itself a change in the history');
  const created = ws.history(contact.id).find((h) => h.field === '(created)')!;
  assert.throws(() => restoreValue(ws, { kind: 'contact', id: contact.id, historyId: created.id, side: 'before' }), /no value to restore/);
});

test('two leads merging two records into each other offline: the smaller id stays in view on both, until an unmerge breaks the cycle', (t: TestContext) => {
  const { ws: a } = openTemp(t, lead);
  const { ws: b } = openTemp(t, { id: 'lead-omar', name: 'Omar Lead' });
  const relay = new Relay();
  const { bob, robert } = bobAndRobert(a);
  exchange(a, b, relay);
  const { merge } = mergeRecords(a, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
  mergeRecords(b, { kind: 'contact', survivorId: robert.id, mergedIds: [bob.id], choices: {} });
  exchange(a, b, relay);

  const smaller = [bob.id, robert.id].sort()[0]!;
  for (const ws of [a, b]) {
    assert.deepEqual(ws.list({ kind: 'contact' }).rows.map((r) => r.id), [smaller], 'one of the two is listed, the same one everywhere');
    assert.equal(ws.resolveId(bob.id), smaller);
    assert.equal(ws.resolveId(robert.id), smaller);
    assert.deepEqual(ws.search({ text: 'Smith' }).map((h) => h.id), [smaller]);
    const before = projectionRows(ws);
    ws.rebuildProjections();
    assert.deepEqual(projectionRows(ws), before, 'the read model is still what the docs alone give');
  }

  // Lead A undoes its merge: Bob is back; B's merge of Bob into Robert still stands.
  unmergeRecords(a, bob.id, merge.mergeId);
  exchange(a, b, relay);
  for (const ws of [a, b]) {
    assert.deepEqual(ws.list({ kind: 'contact' }).rows.map((r) => r.id), [robert.id]);
    assert.equal(ws.resolveId(bob.id), robert.id);
  }
});

test('a conflict resolved on one device is resolved on every device that found it, and on one that finds it later', (t: TestContext) => {
  const { ws: a } = openTemp(t, asha);
  const { ws: b } = openTemp(t, ben);
  const { ws: late } = openTemp(t, lead);
  const relay = new Relay();
  const contact = phoneSetOnBothWhileOffline(a, b, relay);
  assert.equal(b.conflicts.openCount(), 1);

  const entry = a.conflicts.list('open', 10)[0]!;
  resolveConflict(a, entry.id, 'keep');
  exchange(a, b, relay);
  assert.equal(b.conflicts.openCount(), 0, 'resolved on the other device too');
  assert.equal(b.conflicts.list('resolved', 10)[0]!.resolution, 'kept the current value');

  // A device that joins later takes the whole story in one go: nothing left open.
  relay.push(a);
  relay.push(b);
  relay.pull(late);
  assert.equal(late.conflicts.openCount(), 0);
  assert.equal(late.conflicts.list('resolved', 10)[0]!.resolvedBy?.name, 'Asha Patel');
});

test('one device edits a field twice offline and the other never touches it: no conflict on either', (t: TestContext) => {
  const { ws: a } = openTemp(t, asha);
  const { ws: b } = openTemp(t, ben);
  const relay = new Relay();
  const contact = a.create('contact', { name: 'Peggy Jones', phone: '0161 000 0000' });
  exchange(a, b, relay);
  a.update('contact', contact.id, { phone: '0161 111 1111' });
  a.update('contact', contact.id, { phone: '0161 222 2222' });
  b.update('contact', contact.id, { email: 'peggy@example.org' });
  exchange(a, b, relay);
  assert.equal(b.get('contact', contact.id).data.phone, '0161 222 2222');
  assert.equal(a.conflicts.openCount() + b.conflicts.openCount(), 0);
});

test('two devices change the same consent’s purpose offline: listed once with the consent named, and the lead can use the other value', (t: TestContext) => {
  const { ws: a } = openTemp(t, lead);
  const { ws: b } = openTemp(t, asha);
  const relay = new Relay();
  const consent = { id: '5f0c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', purpose: 'Newsletter', wordingVersion: 'v1', givenAt: '2026-01-05', method: 'verbal' as const, withdrawnAt: null };
  const contact = a.create('contact', { name: 'Peggy Jones', consents: [consent] });
  exchange(a, b, relay);
  lastWriteWins(a, b, 'contact', contact.id);
  a.update('contact', contact.id, { consents: [{ ...consent, purpose: 'Newsletter and photos' }] });
  b.update('contact', contact.id, { consents: [{ ...consent, purpose: 'Photos at events' }], notes: 'Prefers a call.' });
  exchange(a, b, relay);

  for (const ws of [a, b]) {
    const entries = ws.conflicts.list('open', 10).map((e) => presentConflict(ws, e));
    assert.equal(entries.length, 1, 'one entry for the one pair');
    assert.deepEqual(entries[0]!.item, { field: 'consents', name: 'Newsletter and photos', property: 'purpose' });
    assert.deepEqual(entries[0]!.others.map((o) => o.value), ['Photos at events']);
  }
  resolveConflict(a, a.conflicts.list('open', 10)[0]!.id, 0);
  assert.deepEqual(a.get('contact', contact.id).data.consents, [{ ...consent, purpose: 'Photos at events' }], 'only the purpose changed');
  // The lead's choice replaced both values: no new conflict when it reaches the other device.
  exchange(a, b, relay);
  assert.equal(b.conflicts.openCount(), 0);
});

test('one device takes a theme out while the other had taken it out and put it back: listed once, in or out with who did which, and the lead can take it out', (t: TestContext) => {
  const { ws: a } = openTemp(t, lead);
  const { ws: b } = openTemp(t, asha);
  const relay = new Relay();
  const contact = a.create('contact', { name: 'Peggy Jones', themes: ['food', 'youth'] });
  exchange(a, b, relay);
  // The lead's removal stamp wins the stamps map, yet Asha's re-add keeps the theme in.
  lastWriteWins(a, b, 'contact', contact.id);
  a.update('contact', contact.id, { themes: ['youth'] });
  b.update('contact', contact.id, { themes: ['youth'] });
  b.update('contact', contact.id, { themes: ['food', 'youth'] });
  // Both take out "youth": the same outcome, so no conflict over it.
  a.update('contact', contact.id, { themes: [] });
  b.update('contact', contact.id, { themes: ['food'] });
  exchange(a, b, relay);

  for (const ws of [a, b]) {
    assert.deepEqual(ws.get('contact', contact.id).data.themes, ['food']);
    const entries = ws.conflicts.list('open', 10).map((e) => presentConflict(ws, e));
    assert.equal(entries.length, 1, 'one entry, for food');
    assert.equal(entries[0]!.field, 'themes.food');
    assert.equal(entries[0]!.item, null);
    assert.deepEqual([entries[0]!.current.value, entries[0]!.current.author.name], [true, asha.name]);
    assert.deepEqual(entries[0]!.others.map((o) => [o.value, o.author.name]), [[false, lead.name]]);
  }
  // The lead's removal never showed on Asha's device, yet it is in the history there, saying it was not kept.
  const lost = b.history(contact.id).find((h) => h.field === 'themes.food' && !h.kept);
  assert.deepEqual(lost && { author: lost.author.name, before: lost.before, after: lost.after }, { author: lead.name, before: 'food', after: null });
  assert.equal(describeChange('contact', lost!, {}), 'removed “food” from Themes — not kept: sync kept it there');
  resolveConflict(a, a.conflicts.list('open', 10)[0]!.id, 0);
  assert.deepEqual(a.get('contact', contact.id).data.themes, [], 'food taken out, nothing else changed');
  exchange(a, b, relay);
  assert.deepEqual(b.get('contact', contact.id).data.themes, []);
  assert.equal(b.conflicts.openCount(), 0, "the lead's choice is no new conflict where it arrives");
});

test('the inbox pages past 500 conflicts, newest first, each conflict on one page only', (t: TestContext) => {
  const { ws: a } = openTemp(t, asha);
  const { ws: b } = openTemp(t, ben);
  const relay = new Relay();
  const ids = a.createMany('contact', Array.from({ length: 260 }, (_, i) => ({ data: { name: `Resident ${i}` } })));
  exchange(a, b, relay);
  for (const [i, id] of ids.entries()) {
    a.update('contact', id, { phone: `0161 100 ${String(i).padStart(4, '0')}`, email: `a${i}@example.org` });
    b.update('contact', id, { phone: `0161 200 ${String(i).padStart(4, '0')}`, email: `b${i}@example.org` });
  }
  exchange(a, b, relay);
  assert.equal(a.conflicts.openCount(), 520);
  const seen: number[] = [];
  let after: string | undefined;
  do {
    const page = a.conflicts.page('open', 200, after);
    seen.push(...page.entries.map((e) => e.id));
    after = page.next ?? undefined;
  } while (after);
  assert.equal(seen.length, 520);
  assert.equal(new Set(seen).size, 520);
  assert.deepEqual(seen, [...seen].sort((x, y) => y - x), 'newest first');
});
