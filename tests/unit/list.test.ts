import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { RpcError, type ListQuery } from '../../shared/rpc';
import type { Workspace } from '../../main/data-service/workspace';
import { openTemp } from './helpers';

const titles = (ws: Workspace, query: ListQuery) => ws.list(query).rows.map((r) => r.title);

function withContacts(t: TestContext, names: string[]): Workspace {
  const { ws } = openTemp(t);
  ws.createMany('contact', names.map((name) => ({ data: { name } })));
  return ws;
}

test('titles sort alphabetically ignoring case and accents, in either direction', (t) => {
  const ws = withContacts(t, ['zebra Crossing Group', 'Émile Durand', 'Zoë Brown', 'alice Smith', 'Zoe Adams', 'Ólafur']);
  assert.deepEqual(titles(ws, { kind: 'contact' }), ['alice Smith', 'Émile Durand', 'Ólafur', 'zebra Crossing Group', 'Zoe Adams', 'Zoë Brown']);
  assert.deepEqual(titles(ws, { kind: 'contact', sort: { field: 'title', direction: 'desc' } }), [
    'Zoë Brown',
    'Zoe Adams',
    'zebra Crossing Group',
    'Ólafur',
    'Émile Durand',
    'alice Smith',
  ]);
});

test('pages of a list fit together without gaps or repeats, and the total counts them all', (t) => {
  // Equal titles need a stable tie-break or rows would jump between pages.
  const names = Array.from({ length: 23 }, (_, i) => (i % 3 === 0 ? 'Same Name' : `Person ${String(i).padStart(2, '0')}`));
  const ws = withContacts(t, names);
  const all = ws.list({ kind: 'contact', limit: 500 }).rows.map((r) => r.id);
  const paged: string[] = [];
  for (let offset = 0; offset < 30; offset += 5) {
    const page = ws.list({ kind: 'contact', offset, limit: 5 });
    assert.equal(page.total, 23);
    paged.push(...page.rows.map((r) => r.id));
  }
  assert.deepEqual(paged, all);
  assert.equal(new Set(paged).size, 23);
  assert.deepEqual(ws.list({ kind: 'contact', offset: 40, limit: 5 }), { total: 23, rows: [] });
});

test('a title prefix matches regardless of case and accents', (t) => {
  const ws = withContacts(t, ['Zoë Brown', 'zoe Adams', 'Zola Budd', 'Ben Okafor', 'Zoé 🧶 Knit', 'Zo', 'Zoë🌸 Smith']);
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { titlePrefix: 'ZOE' } }), ['zoe Adams', 'Zoë Brown', 'Zoé 🧶 Knit', 'Zoë🌸 Smith']);
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { titlePrefix: 'zoë b' } }), ['Zoë Brown']);
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { titlePrefix: 'zoe 🧶' } }), ['Zoé 🧶 Knit']);
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { titlePrefix: 'zoe' } }), ['zoe Adams', 'Zoë Brown', 'Zoé 🧶 Knit', 'Zoë🌸 Smith']);
  assert.equal(ws.list({ kind: 'contact', filter: { titlePrefix: 'x' } }).total, 0);
});

test('assets filter by category and theme', (t) => {
  const { ws } = openTemp(t);
  ws.create('asset', { name: 'Church Hall', category: 'physical', themes: ['Loneliness', 'food'] });
  ws.create('asset', { name: 'Knit and Natter', category: 'association', themes: ['loneliness'] });
  ws.create('asset', { name: 'Park', category: 'physical', themes: ['physical activity'] });
  assert.deepEqual(titles(ws, { kind: 'asset', filter: { category: 'physical' } }), ['Church Hall', 'Park']);
  assert.deepEqual(titles(ws, { kind: 'asset', filter: { theme: 'LONELINESS' } }), ['Church Hall', 'Knit and Natter']);
  assert.deepEqual(titles(ws, { kind: 'asset', filter: { theme: 'loneliness', category: 'physical' } }), ['Church Hall']);
  assert.equal(ws.list({ kind: 'asset', filter: { category: 'cultural' } }).total, 0);
});

test('contacts filter by role', (t) => {
  const { ws } = openTemp(t);
  const zoe = ws.create('contact', { name: 'Zoë Brown', roles: ['resident', 'champion'] });
  ws.create('contact', { name: 'Ben Okafor', roles: ['staff'] });
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { role: 'champion' } }), ['Zoë Brown']);
  ws.update('contact', zoe.id, { roles: ['resident'] });
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { role: 'champion' } }), []);
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { role: 'resident' } }), ['Zoë Brown']);
});

test('sessions filter by type and by an inclusive date range, and sort by date', (t) => {
  const { ws } = openTemp(t);
  ws.create('session', { title: 'New year talk', type: 'community-conversation', startsAt: '2026-01-01T00:00' });
  ws.create('session', { title: 'Late workshop', type: 'workshop', startsAt: '2026-01-31T23:30' });
  ws.create('session', { title: 'February workshop', type: 'workshop', startsAt: '2026-02-01T09:00' });
  ws.create('session', { title: 'December drop-in', type: 'drop-in', startsAt: '2025-12-31T23:59' });
  const january = { from: '2026-01-01', to: '2026-01-31' };
  assert.deepEqual(titles(ws, { kind: 'session', filter: january, sort: { field: 'date', direction: 'asc' } }), ['New year talk', 'Late workshop']);
  assert.deepEqual(titles(ws, { kind: 'session', filter: { type: 'workshop' } }), ['February workshop', 'Late workshop']);
  assert.deepEqual(titles(ws, { kind: 'session', filter: { ...january, type: 'workshop' } }), ['Late workshop']);
  assert.deepEqual(titles(ws, { kind: 'session', filter: { from: '2026-01-31' }, sort: { field: 'date', direction: 'desc' } }), [
    'February workshop',
    'Late workshop',
  ]);
  assert.deepEqual(titles(ws, { kind: 'session', filter: { to: '2025-12-31' } }), ['December drop-in']);
});

test('contacts filter by date range on their last change', (t) => {
  const ws = withContacts(t, ['Zoë Brown']);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(ws.list({ kind: 'contact', filter: { from: '2000-01-01' } }).total, 1);
  assert.equal(ws.list({ kind: 'contact', filter: { to: '2000-01-01' } }).total, 0);
  const [row] = ws.list({ kind: 'contact' }).rows;
  const changed = row!.updatedAt.slice(0, 10);
  assert.equal(ws.list({ kind: 'contact', filter: { from: changed, to: changed } }).total, 1, `changed on ${changed}, today ${today}`);
});

test('the deleted list shows only deleted records', (t) => {
  const ws = withContacts(t, ['Zoë Brown', 'Ben Okafor', 'Asha Patel']);
  const [first] = ws.list({ kind: 'contact' }).rows;
  ws.delete('contact', first!.id);
  assert.deepEqual(titles(ws, { kind: 'contact', filter: { status: 'deleted' } }), [first!.title]);
  assert.equal(ws.list({ kind: 'contact' }).total, 2);
  assert.ok(ws.list({ kind: 'contact', filter: { status: 'deleted' } }).rows[0]!.deletedAt);
});

test('list rows carry what a row shows', (t) => {
  const { ws } = openTemp(t);
  ws.create('asset', { name: 'Church Hall', category: 'physical', postcode: 'm14 5tq', themes: ['food'] });
  const [row] = ws.list({ kind: 'asset' }).rows;
  assert.deepEqual({ title: row!.title, subtitle: row!.subtitle, badges: row!.badges }, { title: 'Church Hall', subtitle: 'physical · M14 5TQ', badges: ['food'] });
});

test('a bad list query is refused naming the field', (t) => {
  const { ws } = openTemp(t);
  for (const [query, field] of [
    [{ kind: 'contact', limit: 0 }, 'limit'],
    [{ kind: 'contact', filter: { from: '2026-13-01' } }, 'filter.from'],
    [{ kind: 'contact', sort: { field: 'colour', direction: 'asc' } }, 'sort.field'],
    [{ kind: 'people' }, 'kind'],
  ] as const) {
    assert.throws(
      () => ws.list(query as unknown as ListQuery),
      (e: unknown) => e instanceof RpcError && e.code === 'invalid' && e.issues.some((i) => i.field === field),
      field,
    );
  }
});
