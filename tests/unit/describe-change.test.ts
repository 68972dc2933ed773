// History in words: every change a worker makes to priorities, actions, skills and
// consents (and to the people at a session) reads as a sentence from the record's own
// content, never "[object Object]".
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { DEFAULT_POLICY, POLICY_ID, type RecordKind } from '../../shared/domain';
import type { Workspace } from '../../main/data-service/workspace';
import { CONTACT_REFS, describeChange, describeValue, referencedIds, type Names } from '../../shared/describe-change';
import { eraseContact } from '../../main/data-service/privacy/erasure';
import { openTemp } from './helpers';

/** The record's history as the History panel words it, oldest first, without its creation. */
function historyInWords(ws: Workspace, kind: RecordKind, id: string): string[] {
  const entries = ws.history(id).reverse().slice(1);
  const names: Names = Object.fromEntries(referencedIds(entries, CONTACT_REFS).map((ref) => [ref, ws.titleOf(ref)]));
  return entries.map((entry) => describeChange(kind, entry, names));
}

test("a session's people, priorities and actions read in words, item by item", (t: TestContext) => {
  const { ws } = openTemp(t);
  const maggie = ws.create('contact', { name: "Maggie O'Brien" });
  const grace = ws.create('contact', { name: 'Grace Obi' });
  const session = ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-11-20T10:00' });
  const benches = { id: crypto.randomUUID(), text: 'More benches in the park', theme: null };
  const hall = { id: crypto.randomUUID(), text: 'Book the hall', ownerId: null, dueDate: '2026-12-01', status: 'open' as const };
  ws.update('session', session.id, { attendeeIds: [maggie.id], priorities: [benches], actions: [hall] });
  ws.update('session', session.id, { priorities: [{ ...benches, theme: 'older people' }] });
  ws.update('session', session.id, { actions: [{ ...hall, dueDate: '2026-12-08', ownerId: grace.id, status: 'in-progress' }] });
  ws.update('session', session.id, { attendeeIds: [], priorities: [] });

  const words = historyInWords(ws, 'session', session.id);
  assert.deepEqual(new Set(words.slice(0, 3)), new Set(["added Maggie O'Brien to Attendees", 'added “More benches in the park” to Priorities heard', 'added the action “Book the hall” to Actions']));
  assert.equal(words[3], 'set the theme of “More benches in the park” to “older people”');
  assert.deepEqual(
    words[4]!.split('; ').sort(),
    [
      'changed the due date of the action “Book the hall” from 1 Dec 2026 to 8 Dec 2026',
      'changed the status of the action “Book the hall” from open to in progress',
      'set the owner of the action “Book the hall” to Grace Obi',
    ],
  );
  assert.deepEqual(new Set(words.slice(5)), new Set(["removed Maggie O'Brien from Attendees", 'removed “More benches in the park” from Priorities heard']));
});

test("a contact's skills and consents read in words, item by item", (t: TestContext) => {
  const { ws } = openTemp(t);
  const skill = { id: crypto.randomUUID(), domain: 'Food', skill: 'Baking', has: true, wantsToLearn: false, willingToShare: false };
  const photos = { id: crypto.randomUUID(), purpose: 'Photos in the newsletter', wordingVersion: 'v2', givenAt: '2026-01-10', method: 'verbal' as const, withdrawnAt: null };
  const contact = ws.create('contact', { name: 'Zoë Brown' });
  ws.update('contact', contact.id, { skills: [skill], consents: [photos] });
  ws.update('contact', contact.id, { skills: [{ ...skill, willingToShare: true }], consents: [{ ...photos, method: 'written' }] });
  ws.update('contact', contact.id, { consents: [{ ...photos, method: 'written', withdrawnAt: '2026-03-03' }] });

  const words = historyInWords(ws, 'contact', contact.id);
  assert.deepEqual(new Set(words.slice(0, 2)), new Set(['added “Baking” (Food) to Capacity inventory', 'added consent for “Photos in the newsletter” (given on 10 Jan 2026) to Consent']));
  assert.deepEqual(
    new Set(words.slice(2, 4)),
    new Set(['marked “Baking” (Food) as willing to share', 'changed how consent for “Photos in the newsletter” was given from verbal to written']),
  );
  assert.equal(words[4], 'recorded that consent for “Photos in the newsletter” was withdrawn on 3 Mar 2026');
  for (const sentence of words) assert.doesNotMatch(sentence, /object Object/);
});

test('entries from before history was item by item, and lone items, still read in words', () => {
  const hall = { id: 'a1', text: 'Book the hall', ownerId: null, dueDate: null, status: 'open' };
  const flyers = { id: 'a2', text: 'Print flyers', ownerId: null, dueDate: null, status: 'open' };
  const names: Names = { m: "Maggie O'Brien", b: 'Bob Smith' };
  assert.equal(describeChange('session', { field: 'attendeeIds', before: ['m'], after: ['m', 'b'] }, names), 'added Bob Smith to Attendees');
  assert.equal(
    describeChange('session', { field: 'actions', before: [hall, flyers], after: [{ ...hall, dueDate: '2026-12-01' }] }, names),
    'removed the action “Print flyers” from Actions; set the due date of the action “Book the hall” to 1 Dec 2026',
  );
  assert.equal(describeChange('session', { field: 'actions', before: ['a1', 'a2'], after: ['a2', 'a1'] }, names), 'changed the order of Actions');
  assert.equal(describeValue('actions.a1', hall, names), 'the action “Book the hall”');
});

test('a withdrawal, a renewal, a lawful basis, a retention decision and the privacy settings read in words', (t: TestContext) => {
  const { ws } = openTemp(t);
  const consent = { id: crypto.randomUUID(), purpose: 'Photos at community sessions', wordingVersion: 'v1', givenAt: '2026-01-10', method: 'written' as const, withdrawnAt: null };
  const priya = ws.create('contact', { name: 'Priya Shah', consents: [consent] });
  ws.update('contact', priya.id, { consents: [{ ...consent, renewedAt: '2026-03-01' }] });
  ws.update('contact', priya.id, { consents: [{ ...consent, renewedAt: '2026-03-01', withdrawnAt: '2026-04-02', withdrawnBy: 'Sam Jones', withdrawalMethod: 'letter' }] });
  ws.update('contact', priya.id, { lawfulBasis: { basis: 'Public task', since: '2026-04-03', note: 'Council referral' } });
  ws.update('contact', priya.id, { retention: { keptUntil: '2028-04-04', reason: 'Open referral', decidedBy: 'Asha Patel', decidedOn: '2026-04-04' } });
  assert.deepEqual(historyInWords(ws, 'contact', priya.id), [
    'recorded that consent for “Photos at community sessions” was renewed on 1 Mar 2026',
    'recorded that consent for “Photos at community sessions” was withdrawn on 2 Apr 2026 by letter, recorded by Sam Jones',
    'set Lawful basis to “Public task” since 3 Apr 2026 (“Council referral”)',
    'set Kept for another period to until 4 Apr 2028, decided by Asha Patel on 4 Apr 2026: “Open referral”',
  ]);

  const settings = ws.create('policy', DEFAULT_POLICY, { id: POLICY_ID });
  const [first] = DEFAULT_POLICY.purposes;
  ws.update('policy', settings.id, { purposes: DEFAULT_POLICY.purposes.map((p) => (p.id === first!.id ? { ...p, uses: ['contact', 'evaluate'] } : p)) });
  assert.deepEqual(historyInWords(ws, 'policy', settings.id), [
    'changed the uses allowed of the purpose “Contact about local events and activities” from Contact the person to Contact the person and Include in evaluation',
  ]);
});

test("a session's history after a person named there was erased reads in words that name no one", (t: TestContext) => {
  const { ws } = openTemp(t);
  const maggie = ws.create('contact', { name: 'Maggie Quillfeather' });
  const session = ws.create('session', {
    title: 'Coffee morning',
    type: 'drop-in',
    startsAt: '2026-11-20T10:00',
    attendeeIds: [maggie.id],
    actions: [{ id: crypto.randomUUID(), text: 'Book the hall', ownerId: maggie.id, dueDate: null, status: 'open' }],
  });
  eraseContact(ws, { id: maggie.id, confirmName: 'Maggie Quillfeather' });

  const words = historyInWords(ws, 'session', session.id);
  assert.ok(words.includes('changed Anonymous head-count from 0 to 1'), words.join(' | '));
  assert.ok(
    words.includes(
      'A person named here was erased: they are counted in the anonymous head-count now. The owner of the action “Book the hall” was erased: it has no owner now and needs a new one.',
    ),
    words.join(' | '),
  );
  assert.ok(!words.join(' ').includes('Quillfeather'));
});
