// Subject access export: what it gathers about one person (and what it leaves out), the
// files it makes (the PDF read back with pdftotext, the zip with unzip), that a stopped
// export writes nothing, and that its log holds nothing about the person.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Consent } from '../../shared/domain';
import { RpcError, type ServiceEvent, type SubjectAccessFiles, type SubjectAccessReport } from '../../shared/rpc';
import { accessOutline } from '../../main/data-service/privacy/access-document';
import { accessPdf } from '../../main/data-service/privacy/access-pdf';
import { gatherSubjectAccess } from '../../main/data-service/privacy/subject-access';
import { connectionHandlers } from '../../main/data-service/rpc-areas';
import { mergeRecords } from '../../main/data-service/team/merge';
import type { Workspace } from '../../main/data-service/workspace';
import { asha, openTemp, tempDir, TEST_PASSPHRASE, testService } from './helpers';

const consent: Consent = {
  id: randomUUID(),
  purpose: 'Contact about community activities',
  wordingVersion: 'v3-2025',
  givenAt: '2025-03-01',
  method: 'written',
  withdrawnAt: null,
};

/** Zoë's world: one of everything that refers to her, and records of others that do not. */
function seed(ws: Workspace) {
  const zoe = ws.create('contact', { name: 'Zoë Łukasz-Анна', phone: '07700 900111', email: 'zoe@example.org', consents: [consent] });
  ws.update('contact', zoe.id, { phone: '07700 900222' });
  const duplicate = ws.create('contact', { name: 'Zoe Lukasz', notes: 'Old record from the 2024 sign-up sheet' });
  ws.update('contact', duplicate.id, { postcode: 'M14 5TQ' });
  const other = ws.create('contact', { name: 'Oscar Other', phone: '07700 900999', notes: 'Private note about Oscar only' });
  const friend = ws.create('contact', { name: 'Fran Friend' });
  const hall = ws.create('asset', { name: 'St Mary’s Hall', category: 'physical', contactPersonId: zoe.id });
  const attended = ws.create('session', {
    title: 'Coffee morning',
    type: 'drop-in',
    startsAt: '2026-03-02T10:00',
    venueId: hall.id,
    attendeeIds: [duplicate.id, other.id],
    notes: 'Zoë spoke about the garden. '.repeat(200),
  });
  const facilitated = ws.create('session', {
    title: 'Garden planning',
    type: 'workshop',
    startsAt: '2026-04-10T18:00',
    facilitatorIds: [zoe.id],
    actions: [{ id: randomUUID(), text: 'Ask the council about water butts', ownerId: zoe.id, dueDate: '2026-05-01', status: 'open' }],
  });
  const unrelated = ws.create('session', { title: 'Quiz night', type: 'event', startsAt: '2026-02-01T19:00', attendeeIds: [other.id], notes: 'Oscar won.' });
  // The duplicate came to the coffee morning before a lead merged it into Zoë's record.
  mergeRecords(ws, { kind: 'contact', survivorId: zoe.id, mergedIds: [duplicate.id], choices: {} });
  const connection = ws.create('connection', { fromId: zoe.id, toId: friend.id, kind: 'knows', note: 'Neighbours' });
  const mention = ws.create('contact', { name: 'Nia Notes', notes: 'Came with Zoë Łukasz-Анна to the fair' });
  const oldSpelling = ws.create('asset', { name: 'Allotments', category: 'physical', description: 'Plot 4 is looked after by zoe lukasz.' });
  return { zoe, duplicate, other, friend, hall, attended, facilitated, unrelated, connection, mention, oldSpelling };
}

const gather = (ws: Workspace, id: string, signal = new AbortController().signal) =>
  gatherSubjectAccess(ws, id, { exportId: randomUUID(), by: asha, syncServer: null, signal, onProgress: () => {} });

test('the export gathers every section about the person and nothing about others who do not refer to them', async (t: TestContext) => {
  const { ws } = openTemp(t);
  const s = seed(ws);
  const report = await gather(ws, s.zoe.id);

  assert.equal(report.person.title, 'Zoë Łukasz-Анна');
  assert.ok(report.person.fields.some((f) => f.label === 'Phone' && f.value === '07700 900222'));
  assert.ok(report.history.some((h) => /changed Phone from “07700 900111” to “07700 900222”/.test(h.description) && h.by.name === asha.name));
  assert.ok(report.history.some((h) => h.description === 'merged Zoe Lukasz into this contact'));
  assert.deepEqual(
    report.consents.map((c) => [c.consent.purpose, c.consent.wordingVersion]),
    [['Contact about community activities', 'v3-2025']],
  );
  assert.ok(report.consents[0]!.properties.some((p) => p.label === 'Wording version' && p.text === 'v3-2025'));
  assert.deepEqual(
    report.sessions.map((x) => [x.title, x.roles, x.venue]),
    [
      ['Coffee morning', ['attended'], 'St Mary’s Hall'],
      ['Garden planning', ['facilitated'], null],
    ],
  );
  assert.match(report.sessions[0]!.notes, /Zoë spoke about the garden/);
  assert.deepEqual(report.actions.map((a) => [a.text, a.sessionTitle]), [['Ask the council about water butts', 'Garden planning']]);
  assert.deepEqual(report.connections.map((c) => [c.kind, c.direction, c.other.title]), [['Knows', 'from', 'Fran Friend']]);
  assert.equal(report.mergedIn.length, 1);
  assert.equal(report.mergedIn[0]!.record.id, s.duplicate.id);
  assert.ok(report.mergedIn[0]!.record.fields.some((f) => f.label === 'Notes' && f.value === 'Old record from the 2024 sign-up sheet'));
  assert.ok(report.mergedIn[0]!.history.some((h) => /set Postcode to “M14 5TQ”/.test(h.description)));
  assert.deepEqual(report.referredToBy.map((r) => [r.title, r.fields]), [['St Mary’s Hall', ['Contact person']]]);
  assert.deepEqual(
    report.mentions.map((m) => [m.title, m.field, m.excerpt]),
    [
      ['Nia Notes', 'Notes', 'Came with Zoë Łukasz-Анна to the fair'],
      ['Allotments', 'Description', 'Plot 4 is looked after by zoe lukasz.'],
    ],
  );
  assert.deepEqual(report.copies.devices.map((d) => d.name), [asha.name]);

  const text = JSON.stringify(report);
  for (const absent of ['Quiz night', 'Private note about Oscar only', '07700 900999', 'Oscar won']) {
    assert.ok(!text.includes(absent), `the export leaves out “${absent}”, which does not refer to them`);
  }
});

test('the PDF holds their name in non-Latin-1 letters and every section heading, on numbered A4 pages', async (t: TestContext) => {
  const { ws } = openTemp(t);
  const s = seed(ws);
  const outline = accessOutline(await gather(ws, s.zoe.id));
  const dir = tempDir(t);
  const pdfPath = join(dir, 'export.pdf');
  writeFileSync(pdfPath, await accessPdf(outline));
  if (process.env.SA_KEEP) writeFileSync(process.env.SA_KEEP, readFileSync(pdfPath));
  // Lines joined again where the PDF wrapped them.
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).replace(/-\n\s*/g, '-').replace(/\s+/g, ' ');
  assert.match(text, /Everything we hold about Zoë Łukasz-Анна/);
  for (const section of outline.sections) assert.ok(text.includes(section.heading), `the PDF has the heading “${section.heading}”`);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))![1]);
  assert.ok(pages > 1, 'the long notes wrap onto further pages');
  assert.match(text, new RegExp(`Page ${pages} of ${pages}`));
  assert.match(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }), /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
});

/** The data service as a lead's window uses it: its privacy handlers and the events sent to it. */
async function leadWindow(t: TestContext) {
  const dir = tempDir(t);
  const service = testService(dir);
  t.after(() => service.close());
  await service.setup('Asha Patel', 'Moss Side', TEST_PASSPHRASE);
  const events: ServiceEvent[] = [];
  const handlers = connectionHandlers({ service, connection: { emit: (e) => events.push(e), onClose: () => {} } });
  return { service, events, handlers };
}

test('an export makes one zip of HTML, PDF and JSON, and its log holds who and when, never whom', async (t: TestContext) => {
  const { service, events, handlers } = await leadWindow(t);
  const s = seed(service.workspace);
  const files = (await handlers['privacy.subjectAccess']({ contactId: s.zoe.id, jobId: randomUUID() })) as SubjectAccessFiles;
  assert.deepEqual(
    { sessions: files.counts.sessions, actions: files.counts.actions, mergedIn: files.counts.mergedIn, consents: files.counts.consents },
    { sessions: 2, actions: 1, mergedIn: 1, consents: 1 },
  );
  assert.ok(events.some((e) => e.name === 'privacy.subjectAccessProgress' && e.progress.done === e.progress.total));

  const out = tempDir(t);
  writeFileSync(join(out, files.fileName), Buffer.from(files.zipBase64, 'base64'));
  execFileSync('unzip', ['-q', files.fileName], { cwd: out });
  const names = readdirSync(out).sort();
  assert.deepEqual(names.map((n) => n.replace(/^subject-access-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}/, '')), ['.html', '.json', '.pdf', '.zip']);
  const json = JSON.parse(readFileSync(join(out, names[1]!), 'utf8')) as SubjectAccessReport;
  assert.equal(json.person.id, s.zoe.id);
  assert.equal(json.exportId, files.exportId);
  assert.match(readFileSync(join(out, names[0]!), 'utf8'), /<h2>Sessions they attended or facilitated<\/h2>/);

  const log = await handlers['privacy.subjectAccessLog']({});
  assert.deepEqual(log.map((e) => [e.exportId, e.by.name]), [[files.exportId, 'Asha Patel']]);
  // The log's rows, as stored, name nothing about Zoë: not her name, contact details or record id.
  const stored = JSON.stringify(service.workspace.db.prepare('SELECT * FROM subject_access_log').all());
  for (const personal of ['Zoë', 'Łukasz', '07700 900222', 'zoe@example.org', s.zoe.id, s.duplicate.id]) {
    assert.ok(!stored.includes(personal), `the log does not hold “${personal}”`);
  }
});

test('a stopped export writes nothing: no log entry, no files', async (t: TestContext) => {
  const { service, handlers } = await leadWindow(t);
  const s = seed(service.workspace);
  const jobId = randomUUID();
  const running = handlers['privacy.subjectAccess']({ contactId: s.zoe.id, jobId }) as Promise<SubjectAccessFiles>;
  handlers['privacy.subjectAccessCancel']({ jobId });
  await assert.rejects(running, (e) => e instanceof RpcError && e.code === 'conflict' && /stopped/.test(e.message));
  assert.deepEqual(await handlers['privacy.subjectAccessLog']({}), []);
});

test('only a team lead may export or read the log', async (t: TestContext) => {
  const { service, handlers } = await leadWindow(t);
  const s = seed(service.workspace);
  t.mock.method(service, 'role', () => 'worker');
  assert.throws(() => handlers['privacy.subjectAccess']({ contactId: s.zoe.id, jobId: randomUUID() }), (e) => e instanceof RpcError && e.code === 'forbidden');
  assert.throws(() => handlers['privacy.subjectAccessLog']({}), (e) => e instanceof RpcError && e.code === 'forbidden');
});
