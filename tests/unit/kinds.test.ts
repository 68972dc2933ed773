// Each record kind is described once (shared/kinds/, main/data-service/kinds/) and the rest
// is derived: these check what the compiler cannot — that a description agrees with itself
// and that every list filter it offers finds the records it should.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIELDS, KINDS, RECORD_KINDS, type CreateInput, type RecordKind } from '../../shared/domain';
import type { Workspace } from '../../main/data-service/workspace';
import { openTemp } from './helpers';

test('every kind names each of its fields once as required or with a valid default, and says how each is stored', () => {
  for (const kind of RECORD_KINDS) {
    const { fields, required, defaults, storage, freeText, date, category } = KINDS[kind];
    const names = Object.keys(fields.shape).sort();
    assert.deepEqual([...required, ...Object.keys(defaults)].sort(), names, `${kind}: required fields and defaults`);
    assert.deepEqual(Object.keys(storage).sort(), names, `${kind}: storage`);
    for (const [field, value] of Object.entries(defaults)) {
      assert.ok((FIELDS[kind].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[field]!.safeParse(value).success, `${kind}.${field}: default`);
    }
    for (const field of freeText) assert.equal(storage[field as keyof typeof storage], 'value', `${kind}.${String(field)}: free text is a plain value`);
    for (const field of [date, category]) if (field !== null) assert.ok(names.includes(field as string), `${kind}: ${String(field)} is a field`);
  }
});

/** Two records of each kind, the first holding the value `value` of each filter offered, the second another one. */
const SAMPLES: { [K in RecordKind]: (ws: Workspace) => { matching: CreateInput<K>; other: CreateInput<K>; filter: Record<string, string> } } = {
  asset: () => ({
    matching: { name: 'Moss Side Allotments', category: 'physical', themes: ['food'] },
    other: { name: 'Walking Group', category: 'association', themes: ['physical activity'] },
    filter: { category: 'physical', theme: 'food' },
  }),
  contact: () => ({
    matching: { name: 'Asha Patel', roles: ['volunteer'], themes: ['food'] },
    other: { name: 'Ben Okafor', roles: ['resident'], themes: ['arts'] },
    filter: { role: 'volunteer', theme: 'food' },
  }),
  connection: (ws) => {
    const [a, b] = ['A', 'B'].map((name) => ws.create('contact', { name }).id) as [string, string];
    return {
      matching: { fromId: a, toId: b, kind: 'knows' },
      other: { fromId: a, toId: b, kind: 'runs' },
      filter: { connectionKind: 'knows' },
    };
  },
  session: () => ({
    matching: { title: 'Food chat', type: 'workshop', startsAt: '2025-03-01T10:00', priorities: [{ id: crypto.randomUUID(), text: 'More cooking', theme: 'food' }] },
    other: { title: 'Drop-in', type: 'drop-in', startsAt: '2025-03-02T10:00' },
    filter: { type: 'workshop', theme: 'food' },
  }),
  policy: () => ({ matching: { retentionMonths: 12 }, other: { retentionMonths: 36 }, filter: {} }),
};

test('every list filter a kind offers finds the records holding its value and leaves out the others', (t) => {
  const { ws } = openTemp(t);
  for (const kind of RECORD_KINDS) {
    const sample = (SAMPLES[kind] as (ws: Workspace) => { matching: CreateInput<RecordKind>; other: CreateInput<RecordKind>; filter: Record<string, string> })(ws);
    const matching = ws.create(kind, sample.matching).id;
    ws.create(kind, sample.other);
    assert.deepEqual(Object.keys(sample.filter).sort(), Object.keys(KINDS[kind].filters).sort(), `${kind}: the sample tries every filter`);
    for (const [key, value] of Object.entries(sample.filter)) {
      const { rows } = ws.list({ kind, filter: { [key]: value } });
      assert.deepEqual(rows.map((r) => r.id), [matching], `${kind} filtered by ${key} = ${value}`);
    }
  }
});
