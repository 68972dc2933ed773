// The sync server's cache of checked docs stays within its bounds whatever workers push:
// a hostile worker growing docs to a megabyte each must not make it hold gigabytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { DocCache, type StoredDoc } from '../../server/doc-cache';

const storedDoc = (bytes: number): StoredDoc => ({ doc: new Y.Doc(), kind: 'contact', data: null, merge: '', bytes });

test('the doc cache keeps at most its docs and bytes, drops the least recently used first, and never keeps one doc of an eighth of its bytes', () => {
  const cache = new DocCache(3, 800);
  for (const id of ['a', 'b', 'c', 'd']) cache.put('w', id, storedDoc(50));
  assert.equal(cache.take('w', 'a'), undefined, 'the oldest went once a fourth came');
  const b = cache.take('w', 'b')!;
  cache.put('w', 'b', b);
  cache.put('w', 'e', storedDoc(90));
  cache.put('w', 'f', storedDoc(90));
  assert.ok(cache.take('w', 'b'), 'used again, so kept');
  assert.equal(cache.take('w', 'c'), undefined);
  cache.put('w', 'big', storedDoc(101));
  assert.equal(cache.take('w', 'big'), undefined, 'one doc of more than an eighth of the bytes is not kept');
  for (let i = 0; i < 40; i++) cache.put('w', `m${i}`, storedDoc(99));
  assert.ok(cache.keptBytes <= 800, `kept ${cache.keptBytes} bytes`);
  assert.equal(cache.take('other', 'm39'), undefined, 'workspaces apart');
  assert.ok(cache.take('w', 'm39'));
  assert.equal(cache.take('w', 'm39'), undefined, 'taken out: the caller owns it until it puts it back');
});
