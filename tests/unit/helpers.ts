// Shared by the data-engine tests: temporary workspace files and reading a record back
// from its Y.Doc (the truth) rather than from the projection.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import * as Y from 'yjs';
import type { Author, RecordKind, RecordOf } from '../../shared/domain';
import { DataService } from '../../main/data-service/data-service';
import type { KdfParams } from '../../main/data-service/keys/wrap';
import { docKind, readData, readMeta } from '../../main/data-service/record-doc';
import { Workspace } from '../../main/data-service/workspace';
import { PROJECTION_TABLES } from '../../main/data-service/projection';

export const asha: Author = { id: 'worker-asha', name: 'Asha Patel' };
export const ben: Author = { id: 'worker-ben', name: 'Ben Okafor' };

/**
 * A directory removed when the test ends. A test's `after` hooks run in the order they were
 * added, so this one runs before those that close a service made in the directory: a
 * background task of that service (a backup, say) may add a file while it is being removed,
 * which fails with ENOTEMPTY unless tried again.
 */
/** Folders a test's end could not remove, removed when the test process ends. */
const leftDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of leftDirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldbook-test-'));
  leftDirs.add(dir);
  // A test's `after` hooks run in the order they were added, so a data service opened in the
  // folder later is still open here and may be writing into it (a backup, a scan's files):
  // then the folder goes when the process ends.
  t.after(() => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      leftDirs.delete(dir);
    } catch {
      // Left for the process's end.
    }
  });
  return dir;
}

/** The passphrase tests set up workspaces with (it meets the rule: 12 characters or more). */
export const TEST_PASSPHRASE = 'correct horse battery staple';

/**
 * scrypt at a cost tests can afford hundreds of times (the app's is 2^17, half a second):
 * what is tested is the wrapping, not the cost. Only tests pass it.
 */
export const TEST_KDF: KdfParams = { name: 'scrypt', N: 2 ** 10, r: 8, p: 1 };

/** A data service as the harness runs one (no OS keychain, so a passphrase protects the key), at the tests' KDF cost. */
export function testService(dataDir: string): DataService {
  return new DataService(dataDir, { kdf: TEST_KDF });
}

/** A workspace in a fresh file, encrypted with a random key as the app's are, closed when the test ends. */
export function openTemp(t: TestContext, author: Author = asha): { ws: Workspace; path: string; key: Buffer } {
  const path = join(tempDir(t), 'workspace.sqlite');
  const key = randomBytes(32);
  const ws = Workspace.open({ path, author, key });
  t.after(() => ws.close());
  return { ws, path, key };
}

/** `record_facets` as versions before migration 20 kept it, empty: its record and values as text. */
export const FACETS_BEFORE_MIGRATION_20 = `
  DROP TABLE record_facets;
  CREATE TABLE record_facets (facet TEXT NOT NULL, value TEXT NOT NULL, record_id TEXT NOT NULL, PRIMARY KEY (facet, value, record_id)) WITHOUT ROWID;`;

/**
 * Every projection table's rows in a fixed order, without `records.rid` (a rebuild numbers
 * records afresh): the search index and facets keyed by record id instead.
 */
const PROJECTION_QUERIES = {
  records: 'SELECT id, kind, status, title, sort_key, subtitle, badges, category, date, data, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, merged_into FROM records ORDER BY id',
  record_facets: 'SELECT r.id AS record_id, f.facet, f.value FROM record_facets f LEFT JOIN records r ON r.rid = f.record_rid ORDER BY 1, 2, 3',
  connections: 'SELECT * FROM connections ORDER BY id',
  session_actions: 'SELECT * FROM session_actions ORDER BY session_id, action_id',
  contact_skills: 'SELECT * FROM contact_skills ORDER BY contact_id, skill_id',
  contact_consents: 'SELECT * FROM contact_consents ORDER BY contact_id, consent_id',
  record_counts: 'SELECT * FROM record_counts ORDER BY kind, status',
};

export function projectionRows(ws: Workspace): Record<string, unknown[]> {
  const rows = Object.fromEntries(Object.entries(PROJECTION_QUERIES).map(([table, sql]) => [table, ws.db.prepare(sql).all()]));
  const unread = PROJECTION_TABLES.filter((table) => table !== 'search_index' && !(table in rows));
  if (unread.length) throw new Error(`tests/unit/helpers.ts: no query reads ${unread.join(', ')}`);
  return { ...rows, search_index: searchIndexRows(ws.db) };
}

/**
 * What the search index holds of each record, keyed by record id: the words of its title
 * and of its body in order, as indexed (the index keeps no copy of the text itself).
 */
export function searchIndexRows(db: Workspace['db']): unknown[] {
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_index_words USING fts5vocab(main, search_index, instance)');
  return db
    .prepare(
      `SELECT r.id, group_concat(w.term, ' ' ORDER BY w.offset) FILTER (WHERE w.col = 'title') AS title,
              group_concat(w.term, ' ' ORDER BY w.offset) FILTER (WHERE w.col = 'body') AS body
       FROM temp.search_index_words w JOIN records r ON r.rid = w.doc GROUP BY r.id ORDER BY r.id`,
    )
    .all();
}

/** A record as its stored Y.Doc holds it, hydrated into a fresh doc. */
export function recordFromDoc<K extends RecordKind>(ws: Workspace, kind: K, id: string): RecordOf<K> {
  const doc = new Y.Doc({ guid: id });
  Y.applyUpdate(doc, ws.docState(id));
  assert.equal(docKind(doc), kind, `doc ${id} holds a ${kind}`);
  const record = { ...readMeta(id, doc), data: readData(kind, doc) } as RecordOf<K>;
  doc.destroy();
  return record;
}

/**
 * Make `winner`'s next writes to a record win over `loser`'s concurrent ones, as Yjs
 * settles them (the higher client id's write stays), so a test knows which one is lost.
 */
export function lastWriteWins(winner: Workspace, loser: Workspace, kind: RecordKind, id: string): void {
  winner.recordDoc(kind, id).clientID = 0xffffffff;
  loser.recordDoc(kind, id).clientID = 1;
}

/**
 * What a sync server does, in memory: every device's outbox (its local changes, as made)
 * goes into one log, and each device pulls the entries it has not seen, other devices'
 * first to last. Relaying the updates as made matters: a device's own doc may already
 * have garbage-collected a write that lost a conflict.
 */
export class Relay {
  private readonly log: { from: Workspace; id: string; update: Uint8Array }[] = [];
  private readonly pushed = new Map<Workspace, number>();
  private readonly pulled = new Map<Workspace, number>();

  push(ws: Workspace): void {
    // As the sync client reads them (a creation is its doc's stored snapshot), never acknowledged.
    const rows = ws.outbox.next(Number.MAX_SAFE_INTEGER).filter((row) => row.seq > (this.pushed.get(ws) ?? 0));
    for (const row of rows) this.log.push({ from: ws, id: row.docId, update: row.data });
    if (rows.length) this.pushed.set(ws, rows.at(-1)!.seq);
  }

  pull(ws: Workspace): void {
    const entries = this.log.slice(this.pulled.get(ws) ?? 0).filter((e) => e.from !== ws);
    this.pulled.set(ws, this.log.length);
    assert.deepEqual(ws.applyRemoteUpdates(entries, () => undefined), []);
  }
}

export function exchange(a: Workspace, b: Workspace, relay: Relay): void {
  relay.push(a);
  relay.push(b);
  relay.pull(a);
  relay.pull(b);
}
