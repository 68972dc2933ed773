import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { RpcError } from '../../shared/rpc';
import { Workspace } from '../../main/data-service/workspace';
import { asha, openTemp } from './helpers';

function fixture(t: TestContext) {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown', phone: '0161 555 0123', postcode: 'm14 5tq', notes: 'Bakes for the lunch club' });
  const bakery = ws.create('asset', { name: 'Bakery on Wilmslow Road', category: 'economic', description: 'Gives day-old bread to the food bank' });
  const hall = ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical', postcode: 'M14 5TQ', description: 'Cheap room hire' });
  const session = ws.create('session', {
    title: 'Coffee morning',
    type: 'community-conversation',
    startsAt: '2026-03-01T10:00',
    notes: 'People want a bakery class',
    priorities: [{ id: randomUUID(), text: 'Somewhere warm in winter', theme: 'loneliness' }],
  });
  return { ws, zoe, bakery, hall, session };
}

const ids = (ws: Workspace, text: string, kinds?: ('asset' | 'contact' | 'connection' | 'session')[]) =>
  ws.search({ text, kinds }).map((h) => h.id);

test('search matches word prefixes regardless of case and accents', (t) => {
  const { ws, zoe } = fixture(t);
  for (const text of ['zoe', 'ZOË', 'Zo', 'zoe bro', 'BROWN zoë']) assert.deepEqual(ids(ws, text), [zoe.id], text);
  assert.deepEqual(ids(ws, 'zoe smith'), [], 'every word must match');
});

test('a title match ranks before a match in the body only', (t) => {
  const { ws, bakery, zoe, session } = fixture(t);
  const hits = ids(ws, 'bak');
  assert.deepEqual(new Set(hits), new Set([bakery.id, zoe.id, session.id]));
  assert.equal(hits[0], bakery.id);
});

test('the closest title match comes first: exact, then the title’s first words, people before places named after them', (t) => {
  const { ws } = openTemp(t);
  // Her notes make her indexed text long, which alone ranked her below the others by bm25.
  const margaret = ws.create('contact', { name: 'Margaret', phone: '07700 900123', notes: 'Runs the baking club on Thursdays with her neighbours, her sister and two friends from church' });
  const baking = ws.create('asset', { name: 'Margaret’s baking', category: 'economic' });
  const obrien = ws.create('contact', { name: 'Margaret O’Brien' });
  const street = ws.create('asset', { name: 'Corner of Margaret Street', category: 'physical' });
  const mentioned = ws.create('contact', { name: 'Tom Hale', notes: 'Margaret’s neighbour' });
  assert.deepEqual(ids(ws, 'marg'), [margaret.id, obrien.id, baking.id, street.id, mentioned.id]);
  assert.equal(ids(ws, 'margaret')[0], margaret.id, 'exact');
  assert.equal(ids(ws, 'margaret o')[0], obrien.id, 'the title starts with the typed words');
  assert.deepEqual(ids(ws, 'marg', ['asset']), [baking.id, street.id]);
  assert.deepEqual(ids(ws, 'brien'), [obrien.id]);
  // A word with an apostrophe after another word (FTS5 refused the two without an AND between them).
  assert.deepEqual(ids(ws, 'Margaret O’Brien'), [obrien.id]);
});

test('postcodes are found with and without their space, phone numbers by their digits', (t) => {
  const { ws, zoe, hall } = fixture(t);
  for (const text of ['M14 5TQ', 'm145tq', 'M14']) assert.deepEqual(new Set(ids(ws, text)), new Set([zoe.id, hall.id]), text);
  for (const text of ['01615550123', '0161 555 0123', '0161555']) assert.deepEqual(ids(ws, text), [zoe.id], text);
});

test('search can be limited to some kinds of record', (t) => {
  const { ws, bakery, zoe } = fixture(t);
  assert.deepEqual(new Set(ids(ws, 'bak', ['asset', 'contact'])), new Set([bakery.id, zoe.id]));
  assert.deepEqual(ids(ws, 'bak', ['connection']), []);
  assert.equal(ids(ws, 'bak', []).length, 3, 'no kinds means every kind');
});

test('session notes, priorities and actions are searchable', (t) => {
  const { ws, session } = fixture(t);
  assert.deepEqual(ids(ws, 'warm winter'), [session.id]);
  ws.update('session', session.id, { actions: [{ id: randomUUID(), text: 'Phone the allotment society', ownerId: null, dueDate: null, status: 'open' }] });
  assert.deepEqual(ids(ws, 'allotment'), [session.id]);
});

test('an edit is searchable at once and the old words are gone', (t) => {
  const { ws, zoe } = fixture(t);
  ws.update('contact', zoe.id, { name: 'Zoë Adebayo' });
  assert.deepEqual(ids(ws, 'adebayo'), [zoe.id]);
  assert.deepEqual(ids(ws, 'brown'), []);
});

test('connections are found by their note and titled by their ends', (t) => {
  const { ws, zoe, hall } = fixture(t);
  const connection = ws.create('connection', { fromId: zoe.id, toId: hall.id, kind: 'volunteers-at', note: 'Thursday tea urn' });
  assert.deepEqual(ws.search({ text: 'urn' }), [
    { id: connection.id, kind: 'connection', title: 'Zoë Brown — volunteers at — St Mary’s Church Hall', snippet: { field: 'note', text: 'Thursday tea [[urn]]' } },
  ]);
});

test('snippets name the field that matched and mark the words in it', (t) => {
  const { ws } = fixture(t);
  const [hit] = ws.search({ text: 'food', kinds: ['asset'] });
  assert.deepEqual(hit!.snippet, { field: 'description', text: 'Gives day-old bread to the [[food]] bank' });
});

test('a phone number or postcode matched is shown as written in its own field, not as index text', (t) => {
  const { ws } = openTemp(t);
  ws.create('contact', { name: 'Maggie O’Brien', phone: '07700 900123', postcode: 'M14 4PQ', email: 'maggie@example.org' });
  const snippet = (text: string) => ws.search({ text })[0]?.snippet;
  assert.deepEqual(snippet('07700'), { field: 'phone', text: '[[07700]] 900123' });
  assert.deepEqual(snippet('07700900123'), { field: 'phone', text: '[[07700 900123]]' }, 'typed without its space');
  assert.deepEqual(snippet('m144pq'), { field: 'postcode', text: '[[M14 4PQ]]' });
  assert.deepEqual(snippet('maggie m14'), { field: 'postcode', text: '[[M14]] 4PQ' }, 'the field with the words the title lacks');
  assert.equal(snippet('obrien'), null, 'the title alone matched: nothing more to show');
});

test('a long field is cut round its first match', (t) => {
  const { ws } = openTemp(t);
  const notes = 'Met at the school gate on Monday. She has run the toddler group for years and would like to start a knitting circle in the spring if a room can be found.';
  ws.create('contact', { name: 'Dee Brown', notes });
  assert.deepEqual(ws.search({ text: 'knitting' })[0]?.snippet, {
    field: 'notes',
    text: '…to start a [[knitting]] circle in the spring if a room can …',
  });
});

test('names are found however their apostrophes, hyphens and accents are typed', (t) => {
  const { ws, zoe } = fixture(t);
  const maggie = ws.create('contact', { name: 'Maggie O’Brien' });
  const kathy = ws.create('contact', { name: "Kathy O'Brien" });
  const ann = ws.create('contact', { name: 'Ann Smith-Jones' });
  const both = new Set([maggie.id, kathy.id]);
  for (const text of ['obrien', 'OBRIEN', 'obri', 'o brien', "O'Brien", 'O’Brien', 'o-brien', 'brien', "o'b"]) {
    assert.deepEqual(new Set(ids(ws, text)), both, text);
  }
  for (const text of ['smith jones', 'smithjones', 'Smith-Jones', 'smith-jo', 'jones', 'ann smithj']) assert.deepEqual(ids(ws, text), [ann.id], text);
  for (const text of ['Zoë', 'zoe', 'ZOE']) assert.deepEqual(ids(ws, text), [zoe.id], text);
  // Written without the mark, a name is found by a search typed with it.
  const written = ws.create('contact', { name: 'Pat OBrien' });
  assert.ok(ids(ws, "o'brien").includes(written.id));
  assert.deepEqual(ids(ws, 'marys', ['asset']).length, 1, 'St Mary’s');
});

test('a workspace made before names were indexed joined gets its search index rebuilt when opened', (t) => {
  const { ws, path, key } = openTemp(t);
  const maggie = ws.create('contact', { name: "Maggie O'Brien", phone: '07700 900123' });
  // The index as it was written before: the title as typed, the body's phone without its digits run together.
  ws.db.exec("UPDATE search_index SET title = 'Maggie O''Brien', body = '07700 900123'");
  ws.db.exec('DELETE FROM schema_version WHERE version = 7');
  assert.deepEqual(ids(ws, 'obrien'), []);
  ws.close();
  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  assert.deepEqual(ids(reopened, 'obrien'), [maggie.id]);
  assert.deepEqual(ids(reopened, '07700900123'), [maggie.id]);
});

test('a workspace from before migration 18 keeps no copy of the text it searches beside its index, and finds what it found', (t) => {
  const { ws, path, key } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown', phone: '0161 555 0123', notes: 'Bakes for the lunch club' });
  const hall = ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical', description: 'Cheap room hire' });
  // The index as an earlier version left it: the text of every active record kept again in FTS5's own table.
  ws.db.exec(`
    DROP TABLE search_index;
    CREATE VIRTUAL TABLE search_index USING fts5 (title, body, tokenize = "unicode61 remove_diacritics 2");
    DELETE FROM schema_version WHERE version = 18;`);
  ws.close();

  const reopened = Workspace.open({ path, author: asha, key });
  t.after(() => reopened.close());
  const kept = reopened.db.prepare('SELECT count(*) FROM search_index WHERE title IS NOT NULL OR body IS NOT NULL').pluck();
  assert.equal(kept.get(), 0, 'no name, phone or note is stored again beside the index');
  assert.deepEqual(ids(reopened, 'zoe'), [zoe.id]);
  assert.deepEqual(ids(reopened, '01615550123'), [zoe.id]);
  assert.deepEqual(ids(reopened, 'marys'), [hall.id]);
  // An edit's old words are no longer found, its new ones are; a deleted record is not found at all.
  reopened.update('contact', zoe.id, { notes: 'Runs the knitting circle' });
  assert.deepEqual(ids(reopened, 'lunch'), []);
  assert.deepEqual(ids(reopened, 'knitting'), [zoe.id]);
  reopened.update('contact', zoe.id, { postcode: 'M14 5TQ' });
  assert.deepEqual(ids(reopened, 'knitting m14'), [zoe.id], 'a second edit finds the words the first one wrote');
  reopened.delete('asset', hall.id);
  assert.deepEqual(ids(reopened, 'hall'), []);
  reopened.restore('asset', hall.id);
  assert.deepEqual(ids(reopened, 'hall'), [hall.id]);
  assert.equal(kept.get(), 0);
});

test('FTS syntax in a query never throws and is searched as plain words', (t) => {
  const { ws, zoe } = fixture(t);
  ws.create('contact', { name: 'Or Cohen', notes: 'Near the stars' });
  const queries = ['"', '""', "'", '*', 'zoe*', '"zoe', 'zoe OR ben', 'OR', 'AND', 'NOT', 'zoe -brown', '-', '^zoe', 'name:zoe', '(zoe', 'zoe)', 'NEAR(zoe brown)', '{title}: zoe', '\\', '%', '_', '🧶', ''];
  for (const text of queries) assert.doesNotThrow(() => ws.search({ text }), text);
  assert.deepEqual(ids(ws, '"zoe'), [zoe.id]);
  assert.deepEqual(ids(ws, 'zoe -brown'), [zoe.id], 'a minus is not NOT');
  assert.deepEqual(ids(ws, '*'), []);
  assert.equal(ws.search({ text: 'OR' })[0]?.title, 'Or Cohen', 'OR is a word');
});

test('a query over the length limit is refused naming the field', (t) => {
  const { ws } = fixture(t);
  assert.throws(
    () => ws.search({ text: 'x'.repeat(201) }),
    (e: unknown) => e instanceof RpcError && e.issues[0]?.field === 'text',
  );
});
