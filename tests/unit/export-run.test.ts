// Exports run by the data service against a workspace: each holds what the list's filters
// give, leaves out the people whose consent does not allow the chosen use (counted, the same
// before as after), round-trips contacts field by field, and stops when cancelled.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { check } from '@placemarkio/check-geojson';
import Papa from 'papaparse';
import type { Consent } from '../../shared/domain';
import { describeExport, type ExportRequest } from '../../shared/rpc-export';
import { runExport } from '../../main/data-service/export/run-export';
import type { Workspace } from '../../main/data-service/workspace';
import { readContactsCsv, readVcards } from './export-readback';
import { openTemp } from './helpers';
import { markMerged } from './network-fixtures';

const TODAY = '2025-06-01';
const consent = (purpose: string, withdrawnAt: string | null = null): Consent => ({
  id: randomUUID(),
  purpose,
  wordingVersion: 'v1',
  givenAt: '2025-01-01',
  method: 'written',
  withdrawnAt,
});
// Purposes named as the default privacy settings name them (a consent recorded before they were settings is matched by name).
const SHARING = 'Share details with partner organisations';

/** A request as a list screen makes it (each subject's own fields); the run's id, use and date are filled in. */
type Request = (ExportRequest extends infer R ? (R extends unknown ? Omit<R, 'jobId' | 'use' | 'today'> : never) : never) & { use?: ExportRequest['use'] };

/** Run an export as the data service does and return the file's text with its counts. */
async function exportFile(ws: Workspace, request: Request) {
  const parts: string[] = [];
  const file = await runExport(ws, { jobId: randomUUID(), use: 'share', today: TODAY, ...request } as ExportRequest, new AbortController().signal, (text) => parts.push(text));
  return { ...file, text: parts.join('') };
}

const csvRows = (text: string) => {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  return parsed.data;
};

function seedPeople(ws: Workspace) {
  const ann = ws.create('contact', { name: 'Ann Shares', roles: ['volunteer'], phone: '07700 900001', consents: [consent(SHARING)] });
  const bob = ws.create('contact', { name: 'Bob Contactable', roles: ['volunteer'], phone: '07700 900002', consents: [consent('Contact about local events and activities')] });
  const cara = ws.create('contact', { name: 'Cara Withdrawn', roles: ['volunteer'], phone: '07700 900003', consents: [consent(SHARING, '2025-02-01')] });
  const dev = ws.create('contact', { name: 'Dev Resident', roles: ['resident'], phone: '07700 900004', consents: [consent(SHARING)] });
  const org = ws.create('contact', { type: 'organisation', name: 'Platt Lane Allotments', roles: ['volunteer'], email: 'hello@platt.example' });
  return { ann, bob, cara, dev, org };
}

const volunteers = { filter: { role: 'volunteer' as const }, sort: { field: 'title' as const, direction: 'asc' as const } };

test('a contacts export holds only the filtered list’s people whose consent allows the use, and counts the rest', async (t) => {
  const { ws } = openTemp(t);
  seedPeople(ws);
  const shared = await exportFile(ws, { subject: 'contacts', format: 'csv', ...volunteers });
  assert.deepEqual(readContactsCsv(shared.text).contacts.map((c) => c.name), ['Ann Shares', 'Platt Lane Allotments']);
  assert.deepEqual(shared.counts, { matched: 4, written: 2, leftOut: 2 }, 'Bob never consented to sharing; Cara withdrew');
  assert.equal(
    describeExport('contacts', 'share', shared.counts),
    '2 contacts. 2 people left out: their consent does not allow sharing with partners (never given, withdrawn or not yet in force).',
  );
  assert.ok(!shared.text.includes('Dev Resident'), 'the role filter holds');
  assert.equal(shared.fileName, `contacts-${TODAY}.csv`);

  // For the organisation's own copy any consent in force will do; a withdrawn one does not.
  const backup = await exportFile(ws, { subject: 'contacts', format: 'vcard', use: 'backup', ...volunteers });
  assert.deepEqual(readVcards(backup.text).map((c) => c.name), ['Ann Shares', 'Bob Contactable', 'Platt Lane Allotments']);
  assert.deepEqual(backup.counts, { matched: 4, written: 3, leftOut: 1 });
});

test('withdrawing a consent takes the person out of the next export and into the left-out count', async (t) => {
  const { ws } = openTemp(t);
  const { ann } = seedPeople(ws);
  const before = await exportFile(ws, { subject: 'contacts', format: 'vcard', ...volunteers });
  ws.update('contact', ann.id, { consents: [{ ...ann.data.consents[0]!, withdrawnAt: '2025-05-01' }] });
  const after = await exportFile(ws, { subject: 'contacts', format: 'vcard', ...volunteers });
  assert.equal(after.counts.leftOut, before.counts.leftOut + 1);
  assert.ok(before.text.includes('Ann Shares') && !after.text.includes('Ann Shares'));
});

test('every contact exported as CSV and as vCard reads back as the same people, field by field', async (t) => {
  const { ws } = openTemp(t);
  const inputs = [
    { name: 'Zoë O’Brien-Smith', roles: ['volunteer', 'champion'] as const, email: 'zoe@example.org', phone: '+44 7700 900123', address: 'Flat 2, 1 High St', postcode: 'M14 5TQ', themes: ['food', 'older people'], notes: 'Met at the café; prefers texts.\nSecond line, with a comma. '.repeat(4) },
    { name: 'Mary Ann de la Cruz', phone: '0161 496 0000', notes: '=cmd|/c calc', themes: ['arts'] },
    { name: 'Platt Lane Allotments, Ltd', type: 'organisation' as const, email: 'hello@platt.example', roles: ['partner'] as const },
  ];
  for (const input of inputs) ws.create('contact', { ...input, roles: [...(input.roles ?? [])], consents: [consent(SHARING)] });
  const expected = ws
    .list({ kind: 'contact', limit: 10 })
    .rows.map((r) => ws.get('contact', r.id).data)
    .map(({ type, name, email, phone, address, postcode, notes, roles, themes }) => ({ type, name, email, phone, address, postcode, notes, roles, themes }));
  const everyone = { filter: {}, sort: { field: 'title' as const, direction: 'asc' as const } };
  const csv = await exportFile(ws, { subject: 'contacts', format: 'csv', ...everyone });
  assert.deepEqual(readContactsCsv(csv.text).contacts, expected);
  const vcard = await exportFile(ws, { subject: 'contacts', format: 'vcard', ...everyone });
  assert.deepEqual(readVcards(vcard.text), expected);
});

test('sessions, actions, connections and capacity inventories name only people whose consent allows it', async (t) => {
  const { ws } = openTemp(t);
  const { ann, bob, cara } = seedPeople(ws);
  // Only Ann agreed to be counted in evaluation figures.
  ws.update('contact', ann.id, {
    skills: [{ id: randomUUID(), domain: 'Food', skill: 'Baking', has: true, wantsToLearn: false, willingToShare: true }],
    consents: [...ann.data.consents, consent('Include in evaluation of our work')],
  });
  ws.update('contact', bob.id, { skills: [{ id: randomUUID(), domain: 'Arts', skill: 'Knitting', has: true, wantsToLearn: false, willingToShare: true }] });
  const hall = ws.create('asset', { name: 'Church hall', category: 'physical' });
  ws.create('session', {
    title: 'Coffee morning',
    type: 'community-conversation',
    startsAt: '2025-03-01T10:00',
    endsAt: '2025-03-01T11:30',
    venueId: hall.id,
    facilitatorIds: [ann.id, bob.id],
    attendeeIds: [cara.id, ann.id],
    anonymousHeadCount: 4,
    priorities: [{ id: randomUUID(), text: 'More benches', theme: 'environment' }],
    actions: [
      { id: randomUUID(), text: 'Ask the council', ownerId: bob.id, dueDate: '2025-04-01', status: 'open' },
      { id: randomUUID(), text: 'Book the hall', ownerId: ann.id, dueDate: null, status: 'open' },
    ],
  });
  const volunteering = ws.create('connection', { fromId: ann.id, toId: hall.id, kind: 'volunteers-at', note: 'Saturdays', date: '2025-02-02' });
  ws.create('connection', { fromId: cara.id, toId: ann.id, kind: 'knows' });
  const all = { filter: {}, sort: { field: 'title' as const, direction: 'asc' as const } };

  const sessions = await exportFile(ws, { subject: 'sessions', format: 'csv', ...all });
  assert.deepEqual(csvRows(sessions.text), [
    {
      Date: '2025-03-01',
      Start: '10:00',
      End: '11:30',
      Title: 'Coffee morning',
      Type: 'Community conversation',
      Venue: 'Church hall',
      'Named and counted': '1',
      'Head-count': '4',
      'Named, not counted (no consent to evaluation)': '2',
      Facilitators: 'Ann Shares',
      Priorities: 'More benches (environment)',
    },
  ]);
  assert.deepEqual(sessions.counts, { matched: 1, written: 1, leftOut: 1 });

  const actions = await exportFile(ws, { subject: 'actions', format: 'csv', status: 'open' });
  assert.deepEqual(
    csvRows(actions.text)
      .map((r) => [r.Action, r.Owner, r.Due, r.Status, r.Session, r['Session date']])
      .sort(),
    [
      ['Ask the council', '', '2025-04-01', 'Open', 'Coffee morning', '2025-03-01'],
      ['Book the hall', 'Ann Shares', '', 'Open', 'Coffee morning', '2025-03-01'],
    ],
  );
  assert.equal(actions.counts.leftOut, 1);

  const connections = await exportFile(ws, { subject: 'connections', format: 'csv', ...all });
  assert.deepEqual(csvRows(connections.text), [
    { From: 'Ann Shares', 'From is': 'Contact', Connection: 'Volunteers at', To: 'Church hall', 'To is': 'Asset', Date: '2025-02-02', Note: 'Saturdays', Recorded: volunteering.createdAt.slice(0, 10) },
  ]);
  assert.deepEqual(connections.counts, { matched: 2, written: 1, leftOut: 1 }, 'Cara withdrew, so her connection with Ann is left out');

  const capacity = await exportFile(ws, { subject: 'capacity', format: 'csv', ...all });
  assert.deepEqual(csvRows(capacity.text), [{ Person: 'Ann Shares', Domain: 'Food', Skill: 'Baking', Has: 'Yes', 'Wants to learn': 'No', 'Willing to share': 'Yes' }]);
  assert.equal(capacity.counts.leftOut, 1, 'Bob’s skills are left out');
});

test('an asset export follows the list’s filters, resolves a merged contact person and keeps unplaced assets', async (t) => {
  const { ws } = openTemp(t);
  const ann = ws.create('contact', { name: 'Ann Shares', phone: '07700 900001', consents: [consent(SHARING)] });
  const annBefore = ws.create('contact', { name: 'A. Shares' });
  const bob = ws.create('contact', { name: 'Bob Private', phone: '07700 900002' });
  ws.create('asset', { name: 'Allotments', category: 'physical', themes: ['food'], contactPersonId: annBefore.id, availability: 'Sat 10–12', location: { lat: 53.45, lon: -2.22 } });
  ws.create('asset', { name: 'Book club', category: 'association', themes: ['arts'], contactPersonId: bob.id });
  markMerged(ws, annBefore.id, ann.id);
  const all = { filter: {}, sort: { field: 'title' as const, direction: 'asc' as const } };
  const geojson = await exportFile(ws, { subject: 'assets', format: 'geojson', ...all });
  const collection = check(geojson.text);
  assert.ok(collection.type === 'FeatureCollection');
  assert.deepEqual(
    collection.features.map((f) => [f.properties!.name, f.properties!.contact_name, f.properties!.opening_times, f.geometry?.type ?? null]),
    [
      ['Allotments', 'Ann Shares', 'Sat 10–12', 'Point'],
      ['Book club', null, '', null],
    ],
  );
  assert.deepEqual(geojson.counts, { matched: 2, written: 2, leftOut: 1 });
  const arts = await exportFile(ws, { subject: 'assets', format: 'csv', filter: { theme: 'arts' }, sort: all.sort });
  assert.deepEqual(csvRows(arts.text).map((r) => r.name), ['Book club']);
});

test('a cancelled export stops between pages with nothing handed on after the stop', async (t) => {
  const { ws } = openTemp(t);
  ws.createMany(
    'contact',
    Array.from({ length: 1_200 }, (_, i) => ({ data: { name: `Person ${i}`, consents: [consent(SHARING)] } })),
  );
  const job = new AbortController();
  const pieces: number[] = [];
  await assert.rejects(
    runExport(ws, { jobId: randomUUID(), use: 'share', today: TODAY, subject: 'contacts', format: 'csv', filter: {}, sort: { field: 'title', direction: 'asc' } }, job.signal, (_text, done) => {
      pieces.push(done);
      if (done >= 500) job.abort();
    }),
    /stopped/,
  );
  assert.deepEqual(pieces, [0, 500], 'the header, one page, then nothing');
});
