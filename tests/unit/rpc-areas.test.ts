import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { RPC_AREAS, RPC_METHODS } from '../../shared/rpc';
import { combineAreas, returns } from '../../shared/rpc-area';

const method = () => ({ params: z.strictObject({}), result: returns<null>() });

test('two areas declaring one method name are refused at start, naming the method and both areas', () => {
  const records = { 'record.get': method(), 'record.list': method() };
  const imports = { 'import.start': method(), 'record.get': method() };
  assert.throws(
    // @ts-expect-error: the compiler refuses the clash too, naming the method
    () => combineAreas({ records, imports }),
    (error: unknown) => error instanceof Error && /"record\.get".*"records".*"imports"/.test(error.message),
  );
});

test('the contract holds every method of every area, each as its area declares it', () => {
  const declared = Object.values(RPC_AREAS).flatMap((methods) => Object.entries(methods));
  assert.equal(Object.keys(RPC_METHODS).length, declared.length);
  for (const [name, spec] of declared) assert.equal(RPC_METHODS[name as keyof typeof RPC_METHODS], spec, name);
});
