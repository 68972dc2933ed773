// Attendance registers: one row per attendee, or a column per date. Sessions are created,
// attendees linked to the contacts already here that the duplicate finder matches, and new
// contacts created once, however many sessions they came to; undo removes both.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readImportFile, RecordImports } from '../../main/data-service/import/record-import';
import { previewRegister, RegisterImports } from '../../main/data-service/import/register-import';
import { guessRegisterMapping, readDate, readRegister } from '../../main/data-service/import/register-mapping';
import { DEFAULT_POLICY } from '../../shared/domain';
import type { ImportBasis, RegisterDefaults } from '../../shared/rpc-import';
import { openTemp } from './helpers';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const evaluation = DEFAULT_POLICY.purposes.find((p) => p.uses.includes('evaluate'))!;
const basis: ImportBasis = { ground: 'consent', statement: 'consent on the sign-in sheet', purposes: [{ purposeId: evaluation.id, wordingVersion: 'v1' }], method: 'written', givenAt: '2025-02-03' };
const defaults: RegisterDefaults = { title: 'Knit and natter', type: 'drop-in', venue: "St Mary's Hall", time: '10:00' };

test('dates as registers write them, day first', () => {
  assert.equal(readDate('03/02/2025'), '2025-02-03');
  assert.equal(readDate('3.2.25'), '2025-02-03');
  assert.equal(readDate('2025-02-03'), '2025-02-03');
  assert.equal(readDate('31/02/2025'), null);
  assert.equal(readDate('Name'), null);
});

test("a register that names no session and is given no title calls each session by its type, as the type is shown ('Drop in')", () => {
  const file = readImportFile('register', 'register-columns.csv', readFileSync(join(FIXTURES, 'register-columns.csv')));
  const plan = readRegister(file.headers, guessRegisterMapping(file.headers), file.rows, { ...defaults, title: '' });
  assert.deepEqual([...new Set(plan.sessions.map((s) => s.title))], ['Drop in']);
});

for (const [file, shape] of [
  ['register-rows.csv', 'one row per attendee'],
  ['register-columns.csv', 'a column per date'],
] as const) {
  test(`a register with ${shape}: sessions created, attendees linked to contacts here or created once, and undone`, (t) => {
    const { ws } = openTemp(t);
    const margaret = ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123' });
    const hall = ws.create('asset', { name: "St Mary's Hall", category: 'physical' });
    const opened = readImportFile('register', file, readFileSync(join(FIXTURES, file)));
    const targets = guessRegisterMapping(opened.headers);
    const preview = previewRegister(opened, targets, defaults);
    if (file === 'register-rows.csv') {
      assert.deepEqual(targets, ['date', 'title', 'type', 'venue', 'attendee', 'phone']);
      assert.deepEqual(preview.problems, [{ line: 6, data: null, problems: ['date "31/02/2025" is not a date such as 03/02/2025'] }]);
    } else assert.deepEqual(targets, ['attendee', 'phone', 'present', 'present', 'present']);

    const imports = new RegisterImports(ws);
    let batch = imports.start(opened, { targets, register: defaults, basis });
    while (batch.status === 'partial') batch = imports.step(opened, batch.id);

    const sessions = ws.list({ kind: 'session', limit: 50 }).rows.map((r) => ws.get('session', r.id));
    const expected = file === 'register-rows.csv' ? { '2025-02-03T10:00': ['Ann Lee', 'Margaret Okafor'], '2025-02-10T10:00': ['Ann Lee', 'Bo Chan'] } : { '2025-02-03T10:00': ['Ann Lee', 'Margaret Okafor'], '2025-02-10T10:00': ['Ann Lee', 'Bo Chan'], '2025-02-17T10:00': ['Bo Chan', 'Margaret Okafor'] };
    assert.deepEqual(
      Object.fromEntries(sessions.map((s) => [s.data.startsAt, s.data.attendeeIds.map((id) => ws.get('contact', id).data.name).sort()]).sort()),
      expected,
    );
    for (const s of sessions) {
      assert.equal(s.data.title, 'Knit and natter');
      assert.equal(s.data.type, 'drop-in');
      assert.equal(s.data.venueId, hall.id, 'the venue is the asset of that name');
    }
    assert.ok(sessions.some((s) => s.data.attendeeIds.includes(margaret.id)), 'Margaret is linked as the contact already here');
    const people = ws.list({ kind: 'contact', limit: 50 }).rows.map((r) => r.title).sort();
    assert.deepEqual(people, ['Ann Lee', 'Bo Chan', 'Margaret Okafor'], 'Margaret is the contact already here; Ann and Bo are created once');
    const ann = ws.list({ kind: 'contact', limit: 50 }).rows.find((r) => r.title === 'Ann Lee')!;
    assert.deepEqual(ws.get('contact', ann.id).data.consents.map((c) => [c.purposeId, c.purpose]), [[evaluation.id, evaluation.name]], 'people new to the workspace get the batch’s consent');

    new RecordImports(ws).undo(batch.id);
    assert.equal(ws.list({ kind: 'session', limit: 50 }).rows.length, 0);
    assert.deepEqual(ws.list({ kind: 'contact', limit: 50 }).rows.map((r) => r.title), ['Margaret Okafor']);
  });
}
