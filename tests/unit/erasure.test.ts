// Erasing a person on one device: every table's rows of them go (walking WORKSPACE_TABLES),
// records that name them are rewritten so totals stay true, merged-in records and
// connections go too, mentions in others' free text are listed, and nothing changes until
// the lead confirms with their name.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DEFAULT_POLICY, type Author } from '../../shared/domain';
import { WORKSPACE_TABLES } from '../../main/data-service/db/tables';
import { guessContactMapping } from '../../main/data-service/import/contact-mapping';
import { readImportFile, RecordImports } from '../../main/data-service/import/record-import';
import { KIND_TABLES } from '../../main/data-service/kinds';
import { eraseContact, mentionsPage, planErasure, scrubWorkspaceFile } from '../../main/data-service/privacy/erasure';
import { mergeRecords } from '../../main/data-service/team/merge';
import { Workspace } from '../../main/data-service/workspace';
import { asha, ben, exchange, openTemp, Relay, tempDir } from './helpers';

const lead: Author = { id: 'lead-lena', name: 'Lena Lead' };

/** Every text a workspace file's tables hold, as SQL reads it (blobs as bytes in latin1, so a name in a Yjs update shows). */
function everyText(ws: Workspace): string {
  const tables = ws.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  return tables
    .flatMap((table) => ws.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[])
    .flatMap((row) => Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v))))
    .join('\n');
}

/** Maggie, known to the workspace in every way a person can be. */
function maggieEverywhere(ws: Workspace) {
  const maggie = ws.create('contact', {
    name: 'Maggie Quillfeather',
    phone: '07700 900461',
    email: 'maggie.q@example.org',
    roles: ['volunteer'],
    notes: 'Knits blankets for the lilac ward',
    skills: [{ id: randomUUID(), domain: 'crafts', skill: 'knitting', has: true, wantsToLearn: false, willingToShare: true }],
    consents: [{ id: randomUUID(), purpose: 'contact by phone', wordingVersion: 'v1', givenAt: '2026-01-10', method: 'verbal', withdrawnAt: null }],
  });
  const oldCard = ws.create('contact', { name: 'Margaret Quillfeather', email: 'mq.old@example.org' });
  const other = ws.create('contact', { name: 'Dev Sharma' });
  const hall = ws.create('asset', { name: 'Lilac hall', category: 'physical', contactPersonId: maggie.id, description: 'Ask Maggie Quillfeather for the key' });
  const session = ws.create('session', {
    title: 'Knit and natter',
    type: 'drop-in',
    startsAt: '2026-11-02T10:00',
    venueId: hall.id,
    attendeeIds: [maggie.id, other.id, oldCard.id],
    facilitatorIds: [other.id],
    anonymousHeadCount: 3,
    actions: [
      { id: randomUUID(), text: 'Book the hall', ownerId: maggie.id, dueDate: null, status: 'open' },
      { id: randomUUID(), text: 'Bring wool', ownerId: other.id, dueDate: null, status: 'open' },
    ],
  });
  // Merged after the session named both of her records.
  mergeRecords(ws, { kind: 'contact', survivorId: maggie.id, mergedIds: [oldCard.id], choices: {} });
  const led = ws.create('session', { title: 'Wool swap', type: 'event', startsAt: '2026-11-03T10:00', facilitatorIds: [maggie.id] });
  const knows = ws.create('connection', { fromId: other.id, toId: maggie.id, kind: 'knows', note: 'neighbours' });
  const mentioned = ws.create('contact', { name: 'Sam Ode', notes: 'Came with Maggie Quillfeather; lives on Elm Road' });
  return { maggie, oldCard, other, hall, session, led, knows, mentioned };
}

test('erasing a person leaves no row of them in any claimed table, and a table added without being erased fails here', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { ws: peer } = openTemp(t, ben);
  const relay = new Relay();
  const { maggie, oldCard, knows } = maggieEverywhere(ws);
  // A spreadsheet row of her, merged into her record by an import (import_batch_records keeps what it replaced).
  const file = readImportFile('contact', 'knitters.csv', Buffer.from('Name,Phone,Email,Notes\r\nMaggie Quillfeather,07700 900461,maggie.q@example.org,Hats for the lilac ward too', 'utf8'));
  const imports = new RecordImports(ws);
  const basis = { ground: 'lawful-basis' as const, statement: 'knitting circle sign-up sheet', basisId: DEFAULT_POLICY.lawfulBases[0]!.id, since: '2026-01-10' };
  const batch = imports.step(file, imports.start(file, { targets: guessContactMapping(file.headers), category: null, basis, defaultDecision: 'merge', decisions: {} }).id);
  assert.equal(batch.merged, 1, 'the row was merged into her');
  // A conflict over her phone (conflicts, conflict_heads), a review mark, a refused change.
  exchange(ws, peer, relay);
  ws.update('contact', maggie.id, { phone: '07700 900462' });
  peer.update('contact', maggie.id, { phone: '07700 900463' });
  exchange(ws, peer, relay);
  assert.equal(ws.conflicts.openCount(), 1, 'the phone is in conflict');
  ws.reviews.mark([{ recordId: maggie.id, authorId: ben.id, upTo: 1 }]);
  ws.outbox.refuse([{ docId: maggie.id, reason: 'name “Maggie Quillfeather” refused' }], new Date().toISOString());

  const erased = [maggie.id, oldCard.id, knows.id];
  // Rows of a session's own tables belong to sessions, which stay (rewritten, not erased).
  const sessionTables = new Set(KIND_TABLES.filter((table) => table.kind === 'session').map((table) => table.name));
  const claims = WORKSPACE_TABLES.filter((claim) => claim.recordRows !== null);
  const rowsOf = (table: string, where: string) =>
    erased.reduce((n, id) => n + (ws.db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get({ id }) as number), 0);
  for (const claim of claims) {
    if (sessionTables.has(claim.table)) continue;
    assert.ok(rowsOf(claim.table, claim.recordRows!) > 0, `this test gives ${claim.table} rows of the person to erase`);
  }

  const counts = ws.info().counts;
  const result = eraseContact(ws, { id: maggie.id, confirmName: 'maggie quillfeather' });

  assert.equal(result.records, 3);
  for (const claim of claims) assert.equal(rowsOf(claim.table, claim.recordRows!), 0, `no row of the erased records is left in ${claim.table}`);
  const text = everyText(ws);
  // (Her name stays only where other records' free text mentions it: listed for the lead to redact.)
  for (const words of ['07700 900461', '07700 900462', '07700 900463', 'maggie.q@example.org', 'lilac ward', 'mq.old@example.org', 'Margaret']) {
    assert.ok(!text.includes(words), `no table holds “${words}”`);
  }
  assert.deepEqual(ws.search({ text: 'Quillfeather', limit: 10 }).map((hit) => hit.title).sort(), ['Lilac hall', 'Sam Ode'], 'search finds only the mentions');
  assert.deepEqual(ws.search({ text: '07700 900461', limit: 10 }), [], 'nor her phone');
  assert.deepEqual(ws.info().counts, { ...counts, contact: counts.contact - 1, connection: counts.connection - 1 }, 'the counts no longer include her or her connection');
  assert.equal(ws.db.prepare("SELECT n FROM record_counts WHERE kind = 'contact' AND status = 'merged'").pluck().get(), undefined, 'nor her merged-in card');
  assert.equal(ws.erasures.entries()[0]!.records, 3);
});

test('records that named the person are rewritten: head-counts stay true, actions and assets lose them, in words', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { maggie, oldCard, other, hall, session, led, knows, mentioned } = maggieEverywhere(ws);

  const plan = planErasure(ws, oldCard.id);
  assert.equal(plan.person.id, maggie.id, 'a merged-in record stands for its survivor');
  assert.deepEqual(plan.mergedIn.map((r) => r.id), [oldCard.id]);
  assert.equal(plan.connections, 1);
  assert.deepEqual(plan.sessions.map((s) => s.title).sort(), ['Knit and natter', 'Wool swap']);
  assert.deepEqual(plan.actions.map((a) => a.text), ['Book the hall']);
  assert.deepEqual(plan.assets.map((a) => a.id), [hall.id]);

  const result = eraseContact(ws, { id: maggie.id, confirmName: 'Maggie Quillfeather' });
  assert.equal(result.sessions, 2);
  assert.equal(result.connections, 1);
  assert.equal(result.mergedIn, 1);

  const knit = ws.get('session', session.id).data;
  assert.deepEqual(knit.attendeeIds, [other.id], 'she and her merged-in card leave the attendees');
  assert.equal(knit.anonymousHeadCount, 4, 'counted once in the head-count instead: 1 named + 4 = 5 people came, as before');
  assert.deepEqual(knit.actions.map((a) => a.ownerId), [null, other.id], 'her action has no owner; others keep theirs');
  const wool = ws.get('session', led.id).data;
  assert.deepEqual(wool.facilitatorIds, []);
  assert.equal(wool.anonymousHeadCount, 1);
  assert.equal(ws.get('asset', hall.id).data.contactPersonId, null);
  assert.throws(() => ws.get('connection', knows.id), /no connection/);
  assert.throws(() => ws.get('contact', oldCard.id), /no contact/);

  const lines = ws.history(session.id).filter((h) => h.field === '(erasure)').map((h) => String(h.after));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /counted in the anonymous head-count/);
  assert.match(lines[0]!, /The owner of the action “Book the hall” was erased: it has no owner now/);
  assert.ok(!lines[0]!.includes('Quillfeather'), 'the line names no one');
  assert.match(String(ws.history(hall.id).find((h) => h.field === '(erasure)')?.after), /contact person was erased/);
  // Mentions in free text are for the lead to redact: listed, not changed.
  assert.equal(ws.get('contact', mentioned.id).data.notes, 'Came with Maggie Quillfeather; lives on Elm Road');
});

test('mentions of the name in other records’ free text are listed page by page', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { maggie, hall, mentioned } = maggieEverywhere(ws);
  ws.create('contact', { name: 'Maggie Quillfeatherstone', notes: 'not her: Quillfeatherstone is another name' });
  const plan = planErasure(ws, maggie.id);
  const found: string[] = [];
  let checked = 0;
  for (let after: number | null = 0; after !== null; ) {
    const page = mentionsPage(ws, { id: maggie.id, after, limit: 3 });
    checked += page.checked;
    found.push(...page.mentions.map((m) => `${m.title}: ${m.fields.join(', ')}`));
    after = page.next;
  }
  assert.equal(checked, plan.recordsToCheck, 'every record was looked through');
  assert.deepEqual(found.sort(), [`Lilac hall: description`, `Sam Ode: notes`]);
  assert.ok(hall.id && mentioned.id);
});

test('nothing changes until the lead types the name: a plan and its mentions change nothing, a wrong name is refused', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { maggie } = maggieEverywhere(ws);
  const before = everyText(ws);
  planErasure(ws, maggie.id);
  mentionsPage(ws, { id: maggie.id, after: 0, limit: 100 });
  assert.throws(() => eraseContact(ws, { id: maggie.id, confirmName: 'Maggie' }), /type their name exactly as shown, “Maggie Quillfeather”/);
  assert.equal(everyText(ws), before, 'the workspace is exactly as it was');
  assert.deepEqual(ws.erasures.entries(), []);
});

test('an erased record is never taken back: a peer’s update to it is left out, and it cannot be created again', (t: TestContext) => {
  const { ws } = openTemp(t, lead);
  const { ws: peer } = openTemp(t, asha);
  const relay = new Relay();
  const { maggie } = maggieEverywhere(ws);
  exchange(ws, peer, relay);
  eraseContact(ws, { id: maggie.id, confirmName: 'Maggie Quillfeather' });
  peer.update('contact', maggie.id, { notes: 'Knits blankets for the lilac ward, and socks' });
  const update = peer.docState(maggie.id);
  assert.deepEqual(ws.applyRemoteUpdates([{ id: maggie.id, update }], () => undefined), [{ id: maggie.id, reason: 'this record was erased' }]);
  assert.throws(() => ws.applyUpdate(maggie.id, update, 'editor'), /erased/);
  assert.throws(() => ws.create('contact', { name: 'Maggie Quillfeather' }, { id: maggie.id }), /was erased/);
  assert.ok(!everyText(ws).includes('lilac ward'));
});

test('the same erasure scrubs another copy of the workspace file (a backup), given its path', (t: TestContext) => {
  const dir = tempDir(t);
  const path = join(dir, 'workspace.sqlite');
  const ws = Workspace.open({ path, author: lead });
  const { maggie } = maggieEverywhere(ws);
  ws.close();
  const backup = join(dir, 'backup.sqlite');
  copyFileSync(path, backup);
  const live = Workspace.open({ path, author: lead });
  t.after(() => live.close());
  // As the app wires it: every erasure applied here scrubs the backups too.
  live.onErasure((erasure) => scrubWorkspaceFile(backup, [erasure]));
  eraseContact(live, { id: maggie.id, confirmName: 'Maggie Quillfeather' });

  const files = readdirSync(dir).filter((f) => f.startsWith('backup'));
  for (const file of files) assert.ok(!readFileSync(join(dir, file)).includes('lilac ward'), `${file} holds no byte of her notes`);
  const copy = Workspace.open({ path: backup, author: lead });
  t.after(() => copy.close());
  assert.ok(copy.erasures.isErased(maggie.id));
  assert.deepEqual(copy.search({ text: 'Quillfeather', limit: 10 }).map((hit) => hit.title).sort(), ['Lilac hall', 'Sam Ode'], 'only the mentions are left');
});
