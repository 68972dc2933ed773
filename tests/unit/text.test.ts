import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldText, holdsTerm, indexText, indexedWords, prefixMatchExpression, queryTokens, searchTerms } from '../../main/data-service/text';

test('folding makes case, accents and spacing irrelevant', () => {
  assert.equal(foldText('  Zoë   BROWN\t'), 'zoe brown');
  assert.equal(foldText('Zoë'), foldText('ZOE'));
  assert.equal(foldText('Émile Françoise Øberg'), 'emile francoise øberg');
  // Precomposed and decomposed forms of the same letter fold alike.
  assert.equal(foldText('Zoe\u0308'), foldText('Zo\u00eb'));
});

test('query tokens are the letters and digits of the query, folded', () => {
  assert.deepEqual(queryTokens('St Mary’s Hall, M14 5TQ'), ['st', 'mary', 's', 'hall', 'm14', '5tq']);
  assert.deepEqual(queryTokens('"*" OR - ()'), ['or']);
  assert.deepEqual(queryTokens('   '), []);
});

test('the match expression quotes every token, so no input is read as FTS syntax', () => {
  assert.equal(prefixMatchExpression('Zoë Br'), '"zoe"* AND "br"*');
  assert.equal(prefixMatchExpression('NOT "a" OR b*'), '"not"* AND "a"* AND "or"* AND "b"*');
  assert.equal(prefixMatchExpression('"*-^:'), null);
});

test('words with an apostrophe or hyphen inside are also indexed run together, accents folded', () => {
  assert.deepEqual(indexedWords("Maggie O'Brien"), { tokens: ['maggie', 'o', 'brien'], joined: ['obrien'] });
  assert.deepEqual(indexedWords('Ann Smith-Jones, St Mary’s, Zoë O’Néill').joined, ['smithjones', 'marys', 'oneill']);
  assert.deepEqual(indexedWords('Zoë Brown - volunteer').joined, [], 'a dash between words joins nothing');
  assert.equal(indexText("Maggie O'Brien"), "Maggie O'Brien\nobrien");
  assert.equal(indexText('Zoë Brown'), 'Zoë Brown');
});

test('a query word keeps its apostrophe or hyphen: its parts in a row, or run together', () => {
  assert.deepEqual(searchTerms("O'Brien smith"), [
    { tokens: ['o', 'brien'], joined: 'obrien' },
    { tokens: ['smith'], joined: 'smith' },
  ]);
  assert.equal(prefixMatchExpression("O'Brien"), '("o brien"* OR "obrien"*)');
  assert.equal(prefixMatchExpression('Smith-Jo Zoë'), '("smith jo"* OR "smithjo"*) AND "zoe"*');
  assert.equal(prefixMatchExpression("Zoë O'Br"), '"zoe"* AND ("o br"* OR "obr"*)');
  assert.equal(prefixMatchExpression('obrien'), '"obrien"*');
});

test('a text holds a query word the way the index matches it', () => {
  const term = (text: string) => searchTerms(text)[0]!;
  for (const query of ['obrien', 'o brien', "O'Brien", 'O’Brien', 'brie', 'OBRI']) {
    assert.ok(searchTerms(query).every((t) => holdsTerm("Maggie O'Brien", t)), query);
  }
  for (const query of ['smith jones', 'smithjones', 'Smith-Jones', 'jon']) {
    assert.ok(searchTerms(query).every((t) => holdsTerm('Ann Smith-Jones', t)), query);
  }
  assert.ok(holdsTerm('Zoë Brown', term('zoe')));
  assert.ok(holdsTerm('Pat OBrien', term("o'brien")), 'written without the apostrophe');
  assert.ok(!holdsTerm("Maggie O'Brien", term('brienm')));
  assert.ok(!holdsTerm('Ann Smith-Jones', term('jones-smith')));
});
