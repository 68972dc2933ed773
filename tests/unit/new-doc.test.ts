// A new record's doc written straight to bytes (main/data-service/new-doc.ts, the bulk write
// path's) is the doc a single create builds with Yjs: the same bytes for the same client id,
// and the same data read back — for every kind, and for the text, sets and collections whose
// reading back changes them (markup-like text, blank and trailing lines, repeated members,
// items whose id is not their first property, any JSON value).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as Y from 'yjs';
import { CREATE_INPUT, DEFAULTS, type RecordKind, type RecordMeta } from '../../shared/domain';
import { encodeNewDoc } from '../../main/data-service/new-doc';
import { readData, writeInitial, writeMeta, type Stamp } from '../../main/data-service/record-doc';
import { generateBatches } from '../../bench/generate';
import { asha } from './helpers';

const stamp: Stamp = { author: asha, hlc: '1796567556051:00000:device-1', at: '2026-12-06T14:32:36.051Z' };
const meta = (kind: RecordKind): Omit<RecordMeta, 'id'> => ({
  kind,
  createdAt: stamp.at,
  createdBy: asha,
  updatedAt: stamp.at,
  updatedBy: asha,
  deletedAt: null,
  deletedBy: null,
  mergedInto: null,
});

/** What a single create stores: the doc built by Yjs, encoded, and its data read back. */
function built(kind: RecordKind, data: Record<string, unknown>, client: number) {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.transact(() => {
    writeMeta(doc, meta(kind));
    writeInitial(kind, doc, data, stamp);
  });
  return { update: Y.encodeStateAsUpdate(doc), data: readData(kind, doc) as Record<string, unknown> };
}

function assertSameDoc(kind: RecordKind, data: Record<string, unknown>, client: number): void {
  const expected = built(kind, data, client);
  const direct = encodeNewDoc(kind, meta(kind), data, stamp, client);
  assert.deepEqual(Buffer.from(direct.update), Buffer.from(expected.update));
  // Key order too: the projection stores the data as JSON.
  assert.equal(JSON.stringify(direct.data), JSON.stringify(expected.data));
}

const validated = (kind: RecordKind, input: unknown) => ({ ...DEFAULTS[kind], ...(CREATE_INPUT[kind].parse(input) as object) }) as Record<string, unknown>;

test('a new doc written directly is byte for byte the doc Yjs builds, for generated records of every kind', () => {
  const seen = new Set<string>();
  for (const batch of generateBatches({ scale: 40 / 50_000, seed: 7, batchSize: 1_000 })) {
    seen.add(batch.kind);
    for (const { data } of batch.inputs) assertSameDoc(batch.kind, validated(batch.kind, data), (Math.random() * 2 ** 32) >>> 0);
  }
  assert.deepEqual([...seen].sort(), ['asset', 'connection', 'contact', 'session']);
});

test('a new doc written directly reads back as the built one whatever its text, sets and collections hold', () => {
  const [sessions] = [...generateBatches({ scale: 1 / 50_000, seed: 3, batchSize: 1_000 })].filter((b) => b.kind === 'session');
  const base = validated('session', sessions!.inputs[0]!.data);
  const text = fc.string({ unit: fc.constantFrom('a', 'é', '😀', ' ', '\n', '<', '>', '/', 'b'), maxLength: 300 });
  fc.assert(
    fc.property(
      text,
      fc.array(fc.constantFrom('c1', 'c2', 'c3', 'c4')),
      fc.array(fc.record({ text, theme: fc.constantFrom('young people', '') }), { maxLength: 4 }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      // Any JSON in a plain field, with floats, large and negative numbers, and -0.
      fc.oneof(fc.jsonValue(), fc.double(), fc.integer({ min: -200, max: 200 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.constant(-0)),
      (notes, attendeeIds, priorities, client, anonymousHeadCount) => {
        // Items with their id last: a doc's item reads back id first.
        const items = priorities.map((p, i) => ({ ...p, id: `p${i}` }));
        assertSameDoc('session', { ...base, notes, attendeeIds, priorities: items, anonymousHeadCount }, client);
      },
    ),
    { numRuns: 300 },
  );
});

test('a new doc is not written directly from data no validated record holds', () => {
  const contact = validated('contact', { name: 'Rosa Diaz' });
  const skill = { id: 's1', domain: 'creative', skill: 'painting', has: true, wantsToLearn: false, willingToShare: false };
  assert.throws(() => encodeNewDoc('contact', meta('contact'), { ...contact, skills: [skill, skill] }, stamp), /skills has two entries with the same id/);
  assert.throws(() => encodeNewDoc('contact', meta('contact'), { ...contact, phone: new Uint8Array(2) }, stamp), /phone is not a JSON value/);
});
