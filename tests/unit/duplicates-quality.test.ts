// The duplicate finder's quality on a small seeded labelled set and on FEBRL dataset 1 (bench/duplicates.ts
// measures the full-size one against the real targets, 0.95 and 0.90).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDuplicates } from '../../main/data-service/duplicates';
import { evaluate, generateLabelledSet } from '../../bench/duplicates-dataset';
import { loadFebrl } from '../../bench/duplicates-febrl';
import { openTemp } from './helpers';

test('precision and recall on a labelled set with realistic variations and hard negatives', (t) => {
  const set = generateLabelledSet({ contacts: 800, assets: 300, seed: 11 });
  const { ws } = openTemp(t);
  ws.createMany('contact', set.contacts);
  ws.createMany('asset', set.assets);
  for (const kind of ['contact', 'asset'] as const) {
    assert.ok(set.duplicates[kind].size > 50, `the set has ${kind} duplicates to find`);
    const quality = evaluate(findDuplicates(ws, { kind, limit: Infinity }), set.duplicates[kind]);
    assert.ok(quality.precision >= 0.9, `${kind} precision ${quality.precision.toFixed(3)}`);
    assert.ok(quality.recall >= 0.85, `${kind} recall ${quality.recall.toFixed(3)}`);
  }
  for (const hard of ['family sharing phone and address', 'same surname and postcode', 'namesake', 'church and church hall apart', 'another asset in the same building']) {
    assert.ok((set.cases[hard] ?? 0) > 0, `the set plants "${hard}" cases`);
  }
});

test('a pair listed with a score is listed by a scan at that score, and only such pairs are: the score shown and the threshold agree', (t) => {
  const set = generateLabelledSet({ contacts: 800, assets: 10, seed: 11 });
  const { ws } = openTemp(t);
  ws.createMany('contact', set.contacts);
  const all = findDuplicates(ws, { kind: 'contact', threshold: 0.3, limit: Infinity });
  for (let percent = 30; percent < 100; percent++) {
    const threshold = percent / 100;
    const listed = findDuplicates(ws, { kind: 'contact', threshold, limit: Infinity }).map((p) => `${p.a.id}|${p.b.id}`);
    const reaching = all.filter((p) => p.score >= threshold).map((p) => `${p.a.id}|${p.b.id}`);
    assert.deepEqual(listed, reaching, `the pairs listed at ${threshold} are those whose score shown reaches it`);
  }
});

test('the labelled set is the same for the same seed', () => {
  const a = generateLabelledSet({ contacts: 100, assets: 40, seed: 5 });
  const b = generateLabelledSet({ contacts: 100, assets: 40, seed: 5 });
  assert.deepEqual(a, b);
});

test('precision and recall on FEBRL dataset 1, a labelled set the finder was not tuned on, with name and address only', (t) => {
  const set = loadFebrl();
  assert.equal(set.duplicates.size, 500, 'FEBRL 1: 500 people, each with one corrupted duplicate');
  const { ws } = openTemp(t);
  ws.createMany('contact', set.contacts);
  const quality = evaluate(findDuplicates(ws, { kind: 'contact', limit: Infinity }), set.duplicates);
  assert.ok(quality.precision >= 0.95, `precision ${quality.precision.toFixed(3)}`);
  assert.ok(quality.recall >= 0.9, `recall ${quality.recall.toFixed(3)}`);
});
