import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { v4, v7 } from 'uuid';
import { facetValueText, storedFacetValue } from '../../main/data-service/facet-value';

test('a facet value reads back exactly as it was written, whatever it is', () => {
  const idLike = fc.oneof(fc.uuid(), fc.uuid().map((id) => id.toUpperCase()), fc.uuid().map((id) => id.replace(/-/g, '')));
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ minLength: 36, maxLength: 36 }), idLike), (value) => facetValueText(storedFacetValue(value)) === value));
});

test('a record id is kept as its 16 bytes, in the same order its text sorts in; other values stay text', () => {
  const ids = [...Array.from({ length: 200 }, () => v7()), ...Array.from({ length: 200 }, () => v4())];
  for (const id of ids) assert.equal((storedFacetValue(id) as Buffer).length, 16, id);
  const byText = [...ids].sort();
  const byBytes = [...ids].sort((a, b) => Buffer.compare(storedFacetValue(a) as Buffer, storedFacetValue(b) as Buffer));
  assert.deepEqual(byBytes, byText);
  for (const value of ['volunteer', 'notes', ids[0]!.toUpperCase(), `${ids[0]!.slice(0, 35)}g`]) assert.equal(storedFacetValue(value), value);
});
