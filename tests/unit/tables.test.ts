// Every table is claimed by the module that owns it, with what it holds about a person and
// how one record's rows are found: the map erasure and subject access export walk. A table
// a migration creates without a claim fails here, and so does one holding a person's data
// that their subject access export does not show.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import test from 'node:test';
import type { SqliteDatabase } from '../../main/data-service/db/sqlite';
import { WORKSPACE_TABLES, type SubjectAccessSection, type TableClaim } from '../../main/data-service/db/tables';
import { gatherSubjectAccess } from '../../main/data-service/privacy/subject-access';
import { mergeRecords } from '../../main/data-service/team/merge';
import { SQLITE_STORE_TABLES, SqliteStore } from '../../server/store-sqlite';
import { asha, openTemp, tempDir } from './helpers';

/** The tables in a database, with an FTS5 table's shadow tables left to the table that owns them. */
function tablesIn(db: SqliteDatabase, claims: readonly TableClaim[]): string[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const shadowOf = (name: string) => claims.some((c) => c.fts && name.startsWith(`${c.table}_`));
  return names.filter((name) => !shadowOf(name));
}

function assertClaims(db: SqliteDatabase, claims: readonly TableClaim[], recordId: string): void {
  assert.deepEqual(tablesIn(db, claims), claims.map((c) => c.table).sort(), 'every table is claimed once, and every claim is a table');
  for (const claim of claims) {
    assert.ok(claim.personal.trim(), `${claim.table} says what it holds about a person`);
    if (claim.recordRows === null) continue;
    assert.match(claim.recordRows, /@id/, `${claim.table}: the record's rows are found by its id`);
    // The query an erasure or an export runs: it must run as written.
    db.prepare(`SELECT count(*) FROM ${claim.table} WHERE ${claim.recordRows}`).pluck().get({ id: recordId });
  }
}

test("every table of a workspace file is claimed, and each claim's query finds a record's rows", (t) => {
  const { ws } = openTemp(t);
  const contact = ws.create('contact', {
    name: 'Maggie O’Brien',
    phone: '07700 900123',
    roles: ['staff'],
    skills: [{ id: randomUUID(), domain: 'crafts', skill: 'knitting', has: true, wantsToLearn: false, willingToShare: true }],
  });
  ws.update('contact', contact.id, { notes: 'Prefers a call in the morning' });
  assertClaims(ws.db, WORKSPACE_TABLES, contact.id);
  const found = (table: string) => {
    const claim = WORKSPACE_TABLES.find((c) => c.table === table)!;
    return ws.db.prepare(`SELECT count(*) FROM ${table} WHERE ${claim.recordRows}`).pluck().get({ id: contact.id });
  };
  for (const table of ['docs', 'doc_updates', 'sync_outbox', 'history', 'records', 'record_facets', 'contact_skills', 'search_index']) {
    assert.ok((found(table) as number) > 0, `the contact's rows in ${table} are found`);
  }
});

test("every table holding a person's data says where their subject access export shows it, and it does: an import's rows about them too", async (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', {
    name: 'Zoë Lukasz',
    phone: '07700 900111',
    skills: [{ id: randomUUID(), domain: 'crafts', skill: 'knitting', has: true, wantsToLearn: false, willingToShare: true }],
    consents: [{ id: randomUUID(), purpose: 'Contact about activities', wordingVersion: 'v1', givenAt: '2026-01-10', method: 'verbal', withdrawnAt: null }],
  });
  const duplicate = ws.create('contact', { name: 'Zoe Lukasz', notes: 'From the 2024 sign-up sheet' });
  mergeRecords(ws, { kind: 'contact', survivorId: zoe.id, mergedIds: [duplicate.id], choices: {} });
  const friend = ws.create('contact', { name: 'Fran Friend' });
  const session = ws.create('session', {
    title: 'Garden planning',
    type: 'workshop',
    startsAt: '2026-04-10T18:00',
    attendeeIds: [zoe.id],
    actions: [{ id: randomUUID(), text: 'Ask about water butts', ownerId: zoe.id, dueDate: null, status: 'open' }],
  });
  const connection = ws.create('connection', { fromId: zoe.id, toId: friend.id, kind: 'knows' });
  // A row of an imported file merged into her record, replacing her phone: the import keeps the old number to undo it.
  const batch = randomUUID();
  ws.imports.create({ id: batch, kind: 'contact', fileName: 'signups.csv', sha256: '0'.repeat(64), settings: { targets: [], category: null, basis: null, plan: {} }, total: 1, startedAt: '2026-05-01T09:00:00.000Z' });
  ws.imports.addRecord(batch, 2, zoe.id, 'merged', [{ field: 'phone', kind: 'value', before: '07700 900111', after: '07700 900222' }]);

  const report = await gatherSubjectAccess(ws, zoe.id, { exportId: randomUUID(), by: asha, syncServer: null, signal: new AbortController().signal, onProgress: () => {} });
  const holds: Record<SubjectAccessSection, (id: string) => boolean> = {
    person: (id) => report.person.id === id,
    history: (id) => report.history.some((h) => h.recordId === id),
    consents: (id) => report.consents.some((c) => c.recordId === id),
    sessions: (id) => report.sessions.some((s) => s.id === id),
    actions: (id) => report.actions.some((a) => a.sessionId === id),
    connections: (id) => report.connections.some((c) => c.id === id),
    mergedIn: (id) => report.mergedIn.some((m) => m.record.id === id),
    referredToBy: (id) => report.referredToBy.some((r) => r.id === id),
    mentions: (id) => report.mentions.some((m) => m.recordId === id),
    imports: (id) => report.imports.some((i) => i.recordId === id),
    copies: () => false,
  };
  const checked = new Set<string>();
  for (const claim of WORKSPACE_TABLES) {
    const personal = !claim.personal.startsWith('nothing');
    assert.equal(Boolean(claim.subjectAccess?.length), personal, `${claim.table} names the export's sections that show it exactly when it holds something about a person`);
    if (!personal || claim.recordRows === null) continue;
    for (const id of [zoe.id, duplicate.id, session.id, connection.id]) {
      if (!ws.db.prepare(`SELECT count(*) FROM ${claim.table} WHERE ${claim.recordRows}`).pluck().get({ id })) continue;
      checked.add(claim.table);
      assert.ok(claim.subjectAccess!.some((section) => holds[section](id)), `${claim.table}'s rows of ${id} are in the export's ${claim.subjectAccess!.join(' or ')}`);
    }
  }
  for (const table of ['docs', 'doc_updates', 'history', 'records', 'contact_skills', 'contact_consents', 'session_actions', 'connections', 'import_batch_records']) {
    assert.ok(checked.has(table), `the person has rows in ${table}`);
  }
  assert.deepEqual(
    report.imports.map((i) => [i.fileName, i.line, i.action, i.changes.map((c) => `${c.label}: ${c.text}`)]),
    [['signups.csv', 2, 'merged', ['Phone: 07700 900111 → 07700 900222']]],
    'the import row, with the number it replaced',
  );
});

test('every table of the sync server’s SQLite store is claimed', async (t) => {
  const store = new SqliteStore(join(tempDir(t), 'server.db'));
  t.after(() => store.close());
  assertClaims((store as unknown as { db: SqliteDatabase }).db, SQLITE_STORE_TABLES, 'a-doc-id');
});
