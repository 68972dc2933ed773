import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldText, prefixMatchExpression, queryTokens } from '../../main/data-service/text';

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
  assert.equal(prefixMatchExpression('Zoë Br'), '"zoe"* "br"*');
  assert.equal(prefixMatchExpression('NOT "a" OR b*'), '"not"* "a"* "or"* "b"*');
  assert.equal(prefixMatchExpression('"*-^:'), null);
});
