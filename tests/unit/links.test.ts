// What other records say about one record: a contact's sessions and actions, an asset's
// sessions, the sessions list's venue and head-count — merged records included — and the
// worker's own contact ("Me").
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { DEFAULT_POLICY, type Action, type Consent } from '../../shared/domain';
import { RpcError } from '../../shared/rpc';
import { mergeRecords } from '../../main/data-service/team/merge';
import { createWorkerContact, workerContact } from '../../main/data-service/worker-contact';
import { Workspace } from '../../main/data-service/workspace';
import { openTemp } from './helpers';

const workerId = randomUUID();
const worker = { id: workerId, name: 'Asha Patel' };

const action = (text: string, ownerId: string | null, status: Action['status'] = 'open'): Action => ({
  id: randomUUID(),
  text,
  ownerId,
  dueDate: null,
  status,
});

/** A lawful basis that lets a person be counted in evaluation figures (the default settings' public task). */
const counted = { lawfulBasis: { basis: 'Public task', since: '2026-01-01', note: '' } };

const page = (ws: Workspace, id: string, offset = 0, limit = 10) => ws.links.sessionsOf({ id, offset, limit });

test("a contact's page lists the sessions they came to or facilitated, newest first, with venue and how many came", (t) => {
  const { ws } = openTemp(t);
  // Maggie may be counted in evaluation figures (the default settings' public task allows it); Tom has no ground.
  const maggie = ws.create('contact', { name: "Maggie O'Brien", ...counted });
  const tom = ws.create('contact', { name: 'Tom Hughes' });
  const hall = ws.create('asset', { name: "St Mary's Hall", category: 'physical' });
  const came = ws.create('session', {
    title: 'Lunch club chat',
    type: 'community-conversation',
    startsAt: '2026-03-02T10:00',
    venueId: hall.id,
    attendeeIds: [maggie.id, tom.id],
    anonymousHeadCount: 8,
  });
  const ran = ws.create('session', { title: 'Volunteer training', type: 'staff-training', startsAt: '2026-04-10T14:00', facilitatorIds: [maggie.id] });
  const both = ws.create('session', { title: 'Drop-in', type: 'drop-in', startsAt: '2026-01-05T09:00', facilitatorIds: [maggie.id], attendeeIds: [maggie.id] });
  ws.create('session', { title: 'Without her', type: 'workshop', startsAt: '2026-05-01T10:00', attendeeIds: [tom.id] });
  const gone = ws.create('session', { title: 'Deleted one', type: 'workshop', startsAt: '2026-06-01T10:00', attendeeIds: [maggie.id] });
  ws.delete('session', gone.id);

  const { rows, total } = page(ws, maggie.id);
  assert.equal(total, 3);
  assert.deepEqual(
    rows.map((r) => [r.title, r.parts]),
    [
      ['Volunteer training', ['facilitator']],
      ['Lunch club chat', ['attendee']],
      ['Drop-in', ['facilitator', 'attendee']],
    ],
  );
  assert.deepEqual(rows[1], {
    id: came.id,
    title: 'Lunch club chat',
    type: 'community-conversation',
    startsAt: '2026-03-02T10:00',
    parts: ['attendee'],
    summary: { venue: { id: hall.id, title: "St Mary's Hall" }, named: 1, headCount: 8, notCounted: 1 },
  });
  assert.deepEqual(rows[0]!.summary, { venue: null, named: 1, headCount: 0, notCounted: 0 });
  assert.equal(rows[2]!.id, both.id, 'a facilitator who is also an attendee is one person');
  assert.equal(rows[2]!.summary.named, 1);
  assert.equal(rows[0]!.id, ran.id);
});

test("an asset's page lists the sessions held there, also those held at a venue merged into it", (t) => {
  const { ws } = openTemp(t);
  const hall = ws.create('asset', { name: "St Mary's Hall", category: 'physical' });
  const sameHall = ws.create('asset', { name: 'St Marys Church Hall', category: 'physical' });
  const elsewhere = ws.create('asset', { name: 'Library', category: 'institution' });
  ws.create('session', { title: 'At the hall', type: 'event', startsAt: '2026-02-01T10:00', venueId: hall.id });
  ws.create('session', { title: 'At the duplicate', type: 'event', startsAt: '2026-03-01T10:00', venueId: sameHall.id });
  ws.create('session', { title: 'At the library', type: 'event', startsAt: '2026-04-01T10:00', venueId: elsewhere.id });
  mergeRecords(ws, { kind: 'asset', survivorId: hall.id, mergedIds: [sameHall.id], choices: {} });

  const { rows, total } = page(ws, hall.id);
  assert.equal(total, 2);
  assert.deepEqual(
    rows.map((r) => [r.title, r.parts, r.summary.venue]),
    [
      ['At the duplicate', ['venue'], { id: hall.id, title: "St Mary's Hall" }],
      ['At the hall', ['venue'], { id: hall.id, title: "St Mary's Hall" }],
    ],
  );
  assert.deepEqual(
    ws.list({ kind: 'session', sort: { field: 'date', direction: 'asc' } }).rows.map((r) => [r.title, r.session?.venue?.title]),
    [
      ['At the hall', "St Mary's Hall"],
      ['At the duplicate', "St Mary's Hall"],
      ['At the library', 'Library'],
    ],
    'the sessions list names the surviving venue',
  );
});

test("a merged contact's sessions and actions show on the survivor's page, each session once and each person counted once", (t) => {
  const { ws } = openTemp(t);
  const maggie = ws.create('contact', { name: "Maggie O'Brien", ...counted });
  const margaret = ws.create('contact', { name: "Margaret O'Brien", ...counted });
  const tom = ws.create('contact', { name: 'Tom Hughes', ...counted });
  const onlyMargaret = ws.create('session', {
    title: 'Knit and natter',
    type: 'drop-in',
    startsAt: '2026-02-01T10:00',
    facilitatorIds: [margaret.id],
    actions: [action('Book the room', margaret.id), action('Bring wool', tom.id)],
  });
  const bothOfThem = ws.create('session', {
    title: 'Lunch club chat',
    type: 'community-conversation',
    startsAt: '2026-03-01T10:00',
    attendeeIds: [maggie.id, margaret.id, tom.id],
    anonymousHeadCount: 2,
    actions: [action('Ask the café', maggie.id, 'done')],
  });
  mergeRecords(ws, { kind: 'contact', survivorId: maggie.id, mergedIds: [margaret.id], choices: {} });

  const { rows, total } = page(ws, maggie.id);
  assert.equal(total, 2);
  assert.deepEqual(
    rows.map((r) => [r.id, r.parts, r.summary.named, r.summary.headCount]),
    [
      [bothOfThem.id, ['attendee'], 2, 2],
      [onlyMargaret.id, ['facilitator'], 1, 0],
    ],
  );
  assert.deepEqual(
    ws.list({ kind: 'session', sort: { field: 'date', direction: 'desc' } }).rows.map((r) => r.session?.named),
    [2, 1],
    'the sessions list counts Maggie once where both of her records came',
  );

  const owned = ws.actions({ status: 'all', today: '2026-03-15', ownerId: maggie.id });
  assert.equal(owned.total, 2);
  assert.deepEqual(owned.rows.map((a) => [a.text, a.status, a.ownerId, a.sessionTitle]).sort(), [
    ['Ask the café', 'done', maggie.id, 'Lunch club chat'],
    ['Book the room', 'open', maggie.id, 'Knit and natter'],
  ]);
  assert.deepEqual(ws.actions({ status: 'open', today: '2026-03-15', ownerId: maggie.id }).rows.map((a) => a.text), ['Book the room']);
  assert.deepEqual(ws.actions({ status: 'all', today: '2026-03-15', ownerId: tom.id }).rows.map((a) => a.text), ['Bring wool']);
});

test("a long list of a contact's sessions comes a page at a time, without gaps or repeats", (t) => {
  const { ws } = openTemp(t);
  const maggie = ws.create('contact', { name: "Maggie O'Brien" });
  // Two sessions at each time: the order must still be stable between pages.
  const ids = ws.createMany(
    'session',
    Array.from({ length: 25 }, (_, i) => ({
      data: { title: `Session ${i}`, type: 'drop-in' as const, startsAt: `2026-01-${String(1 + Math.floor(i / 2)).padStart(2, '0')}T10:00`, attendeeIds: [maggie.id] },
    })),
  );
  const pages = [0, 10, 20, 30].map((offset) => page(ws, maggie.id, offset, 10));
  assert.deepEqual(pages.map((p) => [p.total, p.rows.length]), [[25, 10], [25, 10], [25, 5], [25, 0]]);
  const listed = pages.flatMap((p) => p.rows);
  assert.equal(new Set(listed.map((r) => r.id)).size, 25);
  assert.deepEqual(new Set(listed.map((r) => r.id)), new Set(ids));
  const starts = listed.map((r) => r.startsAt);
  assert.deepEqual(starts, [...starts].sort().reverse(), 'newest first across pages');
});

test('the sessions list re-reads a venue renamed after the session was written', (t) => {
  const { ws } = openTemp(t);
  const hall = ws.create('asset', { name: "St Mary's Hall", category: 'physical' });
  ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-02-01T10:00', venueId: hall.id, anonymousHeadCount: 5 });
  ws.update('asset', hall.id, { name: "St Mary's Community Hall" });
  assert.deepEqual(ws.list({ kind: 'session' }).rows[0]!.session, {
    venue: { id: hall.id, title: "St Mary's Community Hall" },
    named: 0,
    headCount: 5,
    notCounted: 0,
  });
  assert.equal(ws.list({ kind: 'contact' }).rows[0]?.session, undefined);
});

test('the worker is offered as "Me" and becomes a staff contact once, the first time they are chosen', (t) => {
  const { ws, path, key } = openTemp(t, worker);
  assert.deepEqual(workerContact(ws), { id: workerId, name: 'Asha Patel', stored: false });
  assert.equal(ws.info().counts.contact, 0, 'nothing is stored before "Me" is chosen');

  assert.deepEqual(createWorkerContact(ws), { id: workerId, name: 'Asha Patel', stored: true });
  assert.deepEqual(createWorkerContact(ws), { id: workerId, name: 'Asha Patel', stored: true });
  const me = ws.get('contact', workerId);
  assert.deepEqual([me.data.name, me.data.roles], ['Asha Patel', ['staff']]);
  assert.equal(ws.info().counts.contact, 1);
  assert.equal(ws.db.prepare('SELECT count(*) AS n FROM sync_outbox WHERE doc_id = ?').pluck().get(workerId), 1, 'synced like any contact');

  // The next start of the app on this device finds the same contact.
  ws.close();
  const again = Workspace.open({ path, author: worker, key });
  t.after(() => again.close());
  assert.deepEqual(createWorkerContact(again), { id: workerId, name: 'Asha Patel', stored: true });
  assert.equal(again.info().counts.contact, 1);
});

test('"Me" follows a merge of the worker\'s contact, and is not offered once a lead deleted it', (t) => {
  const { ws } = openTemp(t, worker);
  createWorkerContact(ws);
  const otherDevice = ws.create('contact', { name: 'Asha Patel (tablet)', roles: ['staff'] });
  mergeRecords(ws, { kind: 'contact', survivorId: otherDevice.id, mergedIds: [workerId], choices: {} });
  assert.deepEqual(workerContact(ws), { id: otherDevice.id, name: 'Asha Patel (tablet)', stored: true });

  ws.delete('contact', otherDevice.id);
  assert.equal(workerContact(ws), null);
  assert.throws(() => createWorkerContact(ws), (e: unknown) => e instanceof RpcError && e.code === 'conflict' && /deleted/.test(e.message));
  assert.equal(ws.info().counts.contact, 0, 'no second contact is made');
});

test("withdrawing a person's consent to evaluation takes them out of the sessions' figures, which say only how many were left out", (t) => {
  const { ws } = openTemp(t);
  const evaluation = DEFAULT_POLICY.purposes.find((p) => p.uses.includes('evaluate'))!;
  const given: Consent = { id: randomUUID(), purpose: evaluation.name, purposeId: evaluation.id, wordingVersion: 'v1', givenAt: '2026-01-01', method: 'written', withdrawnAt: null };
  const priya = ws.create('contact', { name: 'Priya Shah', consents: [given] });
  const tom = ws.create('contact', { name: 'Tom Hughes', ...counted });
  ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-02-01T10:00', attendeeIds: [priya.id, tom.id], anonymousHeadCount: 3 });
  const figure = () => ws.list({ kind: 'session' }).rows[0]!.session;
  assert.deepEqual(figure(), { venue: null, named: 2, headCount: 3, notCounted: 0 });
  ws.update('contact', priya.id, { consents: [{ ...given, withdrawnAt: '2026-03-01', withdrawnBy: 'Asha Patel', withdrawalMethod: 'letter' }] });
  assert.deepEqual(figure(), { venue: null, named: 1, headCount: 3, notCounted: 1 });
  assert.deepEqual(page(ws, tom.id).rows[0]!.summary, { venue: null, named: 1, headCount: 3, notCounted: 1 }, 'on a contact’s page too');
});
