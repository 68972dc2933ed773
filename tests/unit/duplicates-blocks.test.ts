import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Blocks, partId } from '../../main/data-service/duplicates/blocks';
import { findDuplicates } from '../../main/data-service/duplicates';
import { nameSimilarity, nameTokens, tokenSimilarity } from '../../main/data-service/duplicates/normalise';
import { openTemp } from './helpers';

/** The records of each shared key, as plain lists, in a stable order. */
const sharedOf = (blocks: Blocks) => {
  const shared: number[][] = [];
  blocks.shared((members, from, to) => shared.push([...members.subarray(from, to)]));
  // Member by member (the order blocks are visited in is not part of what they are).
  const byMembers = (x: number[], y: number[]) => {
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  return shared.sort(byMembers);
};

test('records that give one key share a block, listed once each and in order, whatever kind of key', () => {
  const blocks = new Blocks(1);
  blocks.of(0).text('e:sam@example.org');
  blocks.of(0).ids(3, partId('smith'), partId('jo'));
  blocks.of(0).ids(3, partId('smith'), partId('jo')); // one record giving a key twice is one member
  blocks.of(1).ids(3, partId('smith'), partId('jo'));
  blocks.of(2).text('e:sam@example.org');
  blocks.of(3).ids(4, partId('smith'), partId('jo')); // another kind of key made of the same parts
  blocks.of(4).ids(3, partId('jo'), partId('smith')); // the parts the other way round
  blocks.of(5).ids(4, partId('smith'), partId('jo'));
  assert.deepEqual(sharedOf(blocks), [
    [0, 1],
    [0, 2],
    [3, 5],
  ]);
  assert.equal(blocks.size, 4, 'distinct keys, each counted once');
});

test('a text key never meets an id key, and ids past what a key can pack still block together', () => {
  const blocks = new Blocks(1);
  blocks.of(0).text('1');
  blocks.of(1).ids(1, 0, 1); // the first text's id, as a key of a kind
  assert.throws(() => blocks.ids(0, 0, 1), /kind is 1 to 31 \(0 is for texts\), not 0/);
  blocks.of(2).ids(1, 2 ** 24 + 5, 7);
  blocks.of(3).ids(1, 2 ** 24 + 5, 7);
  blocks.of(4).ids(1, 5, 7);
  assert.deepEqual(sharedOf(blocks), [[2, 3]]);
});

test('the table grows past its first size and loses no member of any block', () => {
  const blocks = new Blocks(1);
  const records = 3_000;
  // Each record gives a key of its own and the key of its tenth (so 300 blocks of ten).
  for (let r = 0; r < records; r++) {
    blocks.of(r).ids(1, r + 1);
    blocks.of(r).ids(2, Math.floor(r / 10) + 1);
  }
  const shared = sharedOf(blocks);
  assert.equal(blocks.size, records + records / 10);
  assert.equal(shared.length, records / 10);
  shared.forEach((members, k) => assert.deepEqual(members, Array.from({ length: 10 }, (_, i) => 10 * k + i)));
});

test('a scan finds the same duplicates however many times it runs in one process', (t) => {
  const { ws } = openTemp(t);
  const people = [
    { name: 'Robert Smith', phone: '07700 900123', address: '12 Alma Street, Moss Side, Manchester' },
    { name: 'Bob Smith', phone: '+44 7700 900123', address: '12 Alma St, Moss Side, Manchester' },
    { name: 'Isabella Lodder', address: '4 Crisp Circuit, Hulme, Manchester' },
    { name: 'Isablela Loddwr', address: '4 Crisp Circuit, Hulme, Manchester' },
    { name: 'Mary Khan', address: '4 Crisp Circuit, Hulme, Manchester' },
  ];
  for (const p of people) ws.create('contact', { type: 'person', ...p });
  const scan = () => findDuplicates(ws, { kind: 'contact', threshold: 0.6, limit: Infinity }).map((p) => [p.a.title, p.b.title, p.score]);
  const first = scan();
  assert.deepEqual(
    first.map(([a, b]) => [a, b].sort()),
    [
      ['Bob Smith', 'Robert Smith'],
      ['Isabella Lodder', 'Isablela Loddwr'],
    ],
  );
  for (let run = 0; run < 3; run++) assert.deepEqual(scan(), first, 'what a scan remembers (words, their likeness, key parts) changes nothing');
});

test('how alike two words are stays the same once the table of word pairs it remembers fills and starts again', () => {
  // 800 distinct words of letters only (k in base 26, a to z).
  const word = (k: number): string => (k < 26 ? '' : word(Math.floor(k / 26))) + String.fromCharCode(97 + (k % 26));
  const tokens = nameTokens(Array.from({ length: 800 }, (_, k) => `w${word(k)}z`).join(' '), { maxTokens: 800 });
  assert.equal(new Set(tokens).size, 800);
  const [smith, smyth, smiht] = nameTokens('smith smyth smiht');
  const before = [tokenSimilarity(smith!, smyth!), tokenSimilarity(smith!, smiht!), tokenSimilarity(tokens[1]!, tokens[2]!)];
  // 640,000 pairs: more than the table holds (half of its 2^20 slots), so it starts again at least once.
  for (const a of tokens) for (const b of tokens) tokenSimilarity(a, b);
  assert.deepEqual([tokenSimilarity(smith!, smyth!), tokenSimilarity(smith!, smiht!), tokenSimilarity(tokens[1]!, tokens[2]!)], before);
  assert.equal(before[0], 0.85, 'Smith and Smyth sound alike');
});

test('names compared while the table of word pairs grows or starts again pair and weigh their words as they do after', () => {
  // Names of three and four words none seen before: each comparison adds 12 pairs, and 45,000
  // add more than the table holds, so it grows or starts again in the middle of some
  // comparisons (whatever it held before), which must then find their pairs anew.
  const word = (k: number): string => (k < 26 ? '' : word(Math.floor(k / 26))) + String.fromCharCode(97 + (k % 26));
  const name = (k: number) => nameTokens([0, 1, 2, 3].map((i) => `v${word(4 * k + i)}q`).join(' '));
  const seen = (k: number) => {
    const match = nameSimilarity(name(k).slice(0, 3), name(k + 1));
    return { similarity: match.similarity, pick: match.pick, levels: match.levels };
  };
  const first = Array.from({ length: 45_000 }, (_, k) => seen(2 * k));
  assert.deepEqual(
    first.map((_, k) => seen(2 * k)),
    first,
  );
});
