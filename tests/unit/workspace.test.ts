import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { RpcError } from '../../shared/rpc';
import { Workspace } from '../../main/data-service/workspace';

const author = { id: 'worker-1', name: 'Asha Patel' };

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
