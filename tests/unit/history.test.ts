// A record's history item by item: sets and collections change one member or item per
// entry, whether the change was made here or arrived from a peer, and restoring an entry
// changes only that member or item (entries from before history was item by item too).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Author } from '../../shared/domain';
import { restoreValue } from '../../main/data-service/team/resolve';
import type { Workspace } from '../../main/data-service/workspace';
import { asha, ben, openTemp } from './helpers';

/** Bring `to` up to date with everything `from` holds of one record, as a sync pull would. */
const syncRecord = (from: Workspace, to: Workspace, id: string) => to.applyUpdate(id, from.docState(id), 'remote');

/** A session and three people; the people are added to it one by one, as a worker does. */
function sessionWithThreeAttendees(ws: Workspace) {
  const [maggie, bob, carol] = ["Maggie O'Brien", 'Bob Smith', 'Carol Jones'].map((name) => ws.create('contact', { name }));
  const session = ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-11-20T10:00' });
  ws.update('session', session.id, { attendeeIds: [maggie!.id] });
  ws.update('session', session.id, { attendeeIds: [maggie!.id, bob!.id] });
  ws.update('session', session.id, { attendeeIds: [maggie!.id, bob!.id, carol!.id] });
  return { session, maggie: maggie!, bob: bob!, carol: carol! };
}

const entryOf = (ws: Workspace, recordId: string, field: string, after: unknown = undefined) =>
  ws.history(recordId).find((h) => h.field === field && (after === undefined || JSON.stringify(h.after) === JSON.stringify(after)))!;
const attendeesOf = (ws: Workspace, id: string) => ws.get('session', id).data.attendeeIds;
const sorted = (ids: string[]) => [...ids].sort();

test('adding people to a session one by one leaves one history entry per person', (t: TestContext) => {
  const { ws } = openTemp(t);
  const { session, maggie, bob, carol } = sessionWithThreeAttendees(ws);
  ws.update('session', session.id, { attendeeIds: [bob.id, carol.id] });
  const entries = ws.history(session.id).filter((h) => h.field.startsWith('attendeeIds'));
  assert.deepEqual(
    entries.map((h) => [h.field, h.before, h.after]),
    [
      [`attendeeIds.${maggie.id}`, maggie.id, null],
      [`attendeeIds.${carol.id}`, null, carol.id],
      [`attendeeIds.${bob.id}`, null, bob.id],
      [`attendeeIds.${maggie.id}`, null, maggie.id],
    ],
  );
});

test("a peer's changes to sets and collections reach this device's history item by item, with the peer as author", (t: TestContext) => {
  const { ws: phone } = openTemp(t, asha);
  const { ws: laptop } = openTemp(t, ben);
  const maggie = phone.create('contact', { name: "Maggie O'Brien" });
  const bob = phone.create('contact', { name: 'Bob Smith' });
  const session = phone.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-11-20T10:00', attendeeIds: [maggie.id] });
  const action = { id: crypto.randomUUID(), text: 'Book the hall', ownerId: null, dueDate: '2026-12-01', status: 'open' as const };
  phone.update('session', session.id, { actions: [action] });
  for (const id of [maggie.id, bob.id, session.id]) syncRecord(phone, laptop, id);

  phone.update('session', session.id, { attendeeIds: [maggie.id, bob.id], actions: [{ ...action, dueDate: '2026-12-08' }] });
  syncRecord(phone, laptop, session.id);

  // The session came whole in the first sync: its only entry then was '(created)', whose
  // time is this device's, so it may sort on either side of the peer's edits made within the
  // same millisecond on the phone's clock.
  const latest = laptop.history(session.id).filter((h) => h.field !== '(created)');
  assert.deepEqual(
    latest.map((h) => [h.field, h.author.name]).sort(),
    [
      [`actions.${action.id}`, asha.name],
      [`attendeeIds.${bob.id}`, asha.name],
    ],
  );
  const dueDate = latest.find((h) => h.field === `actions.${action.id}`)!;
  assert.deepEqual([(dueDate.before as typeof action).dueDate, (dueDate.after as typeof action).dueDate], ['2026-12-01', '2026-12-08']);
  assert.equal(latest.find((h) => h.field.startsWith('attendeeIds'))!.after, bob.id);
});

test('restoring "added Maggie" after she was removed brings back only Maggie, and undoing that entry removes only her', (t: TestContext) => {
  const { ws } = openTemp(t);
  const { session, maggie, bob, carol } = sessionWithThreeAttendees(ws);
  ws.update('session', session.id, { attendeeIds: [bob.id, carol.id] });
  const added = entryOf(ws, session.id, `attendeeIds.${maggie.id}`, maggie.id);

  restoreValue(ws, { kind: 'session', id: session.id, historyId: added.id, side: 'after' });
  assert.deepEqual(sorted(attendeesOf(ws, session.id)), sorted([maggie.id, bob.id, carol.id]), 'the people added after her stay');
  const restore = ws.history(session.id)[0]!;
  assert.deepEqual([restore.field, restore.after], [`attendeeIds.${maggie.id}`, maggie.id], 'the restore is an ordinary change of that one person');

  restoreValue(ws, { kind: 'session', id: session.id, historyId: added.id, side: 'before' });
  assert.deepEqual(sorted(attendeesOf(ws, session.id)), sorted([bob.id, carol.id]));
});

test('a restore made on one device and an addition made on another both survive the sync', (t: TestContext) => {
  const { ws: lead } = openTemp(t, { id: 'lead-lena', name: 'Lena Lead' } satisfies Author);
  const { ws: worker } = openTemp(t, asha);
  const [maggie, bob, carol, dee] = ["Maggie O'Brien", 'Bob Smith', 'Carol Jones', 'Dee Brown'].map((name) => worker.create('contact', { name }));
  const session = worker.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-11-20T10:00' });
  for (const id of [maggie!.id, bob!.id, carol!.id, dee!.id, session.id]) syncRecord(worker, lead, id);
  // Each change synced as the worker makes it.
  for (const attendeeIds of [[maggie!.id], [maggie!.id, bob!.id], [maggie!.id, bob!.id, carol!.id], [bob!.id, carol!.id]]) {
    worker.update('session', session.id, { attendeeIds });
    syncRecord(worker, lead, session.id);
  }

  restoreValue(lead, { kind: 'session', id: session.id, historyId: entryOf(lead, session.id, `attendeeIds.${maggie!.id}`, maggie!.id).id, side: 'after' });
  worker.update('session', session.id, { attendeeIds: [bob!.id, carol!.id, dee!.id] });
  syncRecord(lead, worker, session.id);
  syncRecord(worker, lead, session.id);
  const everyone = sorted([maggie!.id, bob!.id, carol!.id, dee!.id]);
  assert.deepEqual(sorted(attendeesOf(lead, session.id)), everyone);
  assert.deepEqual(sorted(attendeesOf(worker, session.id)), everyone);
});

test("restoring an action's earlier due date puts back only the due date; later changes to it and to other actions stay", (t: TestContext) => {
  const { ws } = openTemp(t);
  const session = ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-11-20T10:00' });
  const hall = { id: crypto.randomUUID(), text: 'Book the hall', ownerId: null, dueDate: '2026-12-01', status: 'open' as const };
  const flyer = { id: crypto.randomUUID(), text: 'Print flyers', ownerId: null, dueDate: null, status: 'open' as const };
  ws.update('session', session.id, { actions: [hall, flyer] });
  ws.update('session', session.id, { actions: [{ ...hall, dueDate: '2026-12-08' }, flyer] });
  ws.update('session', session.id, { actions: [{ ...hall, dueDate: '2026-12-08', status: 'in-progress' }, { ...flyer, status: 'done' }] });
  const moved = ws.history(session.id).find((h) => h.field === `actions.${hall.id}` && (h.after as typeof hall | null)?.dueDate === '2026-12-08' && (h.before as typeof hall | null)?.dueDate === '2026-12-01')!;

  restoreValue(ws, { kind: 'session', id: session.id, historyId: moved.id, side: 'before' });
  assert.deepEqual(ws.get('session', session.id).data.actions, [
    { ...hall, dueDate: '2026-12-01', status: 'in-progress' },
    { ...flyer, status: 'done' },
  ]);
});

test('a restore that no longer makes sense is refused with a reason, and nothing changes', (t: TestContext) => {
  const { ws } = openTemp(t);
  const { session, maggie, bob, carol } = sessionWithThreeAttendees(ws);
  ws.update('session', session.id, { attendeeIds: [bob.id, carol.id] });
  ws.delete('contact', maggie.id);
  const added = entryOf(ws, session.id, `attendeeIds.${maggie.id}`, maggie.id);
  assert.throws(
    () => restoreValue(ws, { kind: 'session', id: session.id, historyId: added.id, side: 'after' }),
    /This change cannot be restored: the contact Maggie O'Brien is deleted/,
  );

  const hall = { id: crypto.randomUUID(), text: 'Book the hall', ownerId: null, dueDate: '2026-12-01', status: 'open' as const };
  ws.update('session', session.id, { actions: [hall] });
  ws.update('session', session.id, { actions: [{ ...hall, dueDate: '2026-12-08' }] });
  ws.update('session', session.id, { actions: [] });
  const moved = ws.history(session.id).find((h) => h.field === `actions.${hall.id}` && h.before && h.after)!;
  assert.throws(() => restoreValue(ws, { kind: 'session', id: session.id, historyId: moved.id, side: 'before' }), /“Book the hall” was removed since this change/);
  assert.deepEqual(sorted(attendeesOf(ws, session.id)), sorted([bob.id, carol.id]));
  assert.deepEqual(ws.get('session', session.id).data.actions, []);
});

test('an entry written before history was item by item (the whole list) restores only the people it added or removed', (t: TestContext) => {
  const { ws } = openTemp(t);
  const { session, maggie, bob, carol } = sessionWithThreeAttendees(ws);
  // As older versions wrote it: the whole list before and after adding Bob.
  const { lastInsertRowid } = ws.db
    .prepare("INSERT INTO history (record_id, field, before, after, author_id, author_name, hlc) VALUES (?, 'attendeeIds', ?, ?, ?, ?, ?)")
    .run(session.id, JSON.stringify([maggie.id]), JSON.stringify([maggie.id, bob.id]), asha.id, asha.name, ws.history(session.id)[0]!.hlc);

  restoreValue(ws, { kind: 'session', id: session.id, historyId: Number(lastInsertRowid), side: 'before' });
  assert.deepEqual(sorted(attendeesOf(ws, session.id)), sorted([maggie.id, carol.id]), 'Carol, added after it, stays');
});
