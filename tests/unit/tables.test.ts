// Every table is claimed by the module that owns it, with what it holds about a person and
// how one record's rows are found: the map erasure and subject access export walk. A table
// a migration creates without a claim fails here.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import test from 'node:test';
import type { SqliteDatabase } from '../../main/data-service/db/sqlite';
import { WORKSPACE_TABLES, type TableClaim } from '../../main/data-service/db/tables';
import { SQLITE_STORE_TABLES, SqliteStore } from '../../server/store-sqlite';
import { openTemp, tempDir } from './helpers';

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

test('every table of the sync server’s SQLite store is claimed', async (t) => {
  const store = new SqliteStore(join(tempDir(t), 'server.db'));
  t.after(() => store.close());
  assertClaims((store as unknown as { db: SqliteDatabase }).db, SQLITE_STORE_TABLES, 'a-doc-id');
});
