// Property: merges, unmerges and concurrent offline edits on several replicas converge,
// and no edit is lost. Replicas exchange record docs directly (as sync would deliver
// them), in an order fast-check chooses, then everything with everyone. Afterwards every
// replica holds the same records (data and mergedInto) and resolves ids the same way,
// and every edit made is still its field's value on its record, or was overwritten by a
// write that had seen it, or is in a conflict inbox.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import * as Y from 'yjs';
import { RpcError } from '../../shared/rpc';
import { mergeRecords, unmergeRecords } from '../../main/data-service/team/merge';
import { Workspace } from '../../main/data-service/workspace';
import { tempDir } from './sync-helpers';

const REPLICAS = 3;
const RECORDS = 4;
const FIELDS = ['name', 'phone'] as const;
type Field = (typeof FIELDS)[number];

type Op =
  | { type: 'edit'; replica: number; record: number; field: Field }
  /** `takeMerged`: the survivor takes the merged record's name and phone (else it keeps its own). */
  | { type: 'merge'; replica: number; survivor: number; merged: number; takeMerged: boolean }
  | { type: 'unmerge'; replica: number; survivor: number }
  | { type: 'exchange'; from: number; to: number; record: number | null };

const replica = fc.integer({ min: 0, max: REPLICAS - 1 });
const record = fc.integer({ min: 0, max: RECORDS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('edit' as const), replica, record, field: fc.constantFrom(...FIELDS) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('merge' as const), replica, survivor: record, merged: record, takeMerged: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('unmerge' as const), replica, survivor: record }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('exchange' as const), from: replica, to: replica, record: fc.option(record) }) },
);

/** A write to one field of one record: who saw what when it was made. */
interface Write {
  recordId: string;
  field: Field;
  value: unknown;
  /** The doc's client and clock just past the write (for edits; null for merges/unmerges). */
  id: { client: number; clock: number } | null;
  /** The doc's state vector just before the write. */
  saw: Map<number, number>;
}

let run = 0;

function open(dir: string, name: string): Workspace {
  return Workspace.open({ path: join(dir, `${name}.sqlite`), author: { id: name, name }, durability: 'normal' });
}

function exchange(from: Workspace, to: Workspace, ids: string[]): void {
  to.applyRemoteUpdates(
    ids.map((id) => ({ id, update: from.docState(id) })),
    () => undefined,
  );
}

const stateVector = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
const fieldsOf = (ws: Workspace, id: string) => ws.get('contact', id).data as Record<Field, unknown>;

async function check(ops: Op[]): Promise<void> {
  const dir = tempDir(`merge-prop-${run++}`);
  const replicas = Array.from({ length: REPLICAS }, (_, i) => open(dir, `replica-${i}`));
  try {
    const ids = replicas[0]!.createMany(
      'contact',
      Array.from({ length: RECORDS }, (_, i) => ({ data: { name: `Resident ${i}`, phone: `0161 496 000${i}` } })),
    );
    for (const ws of replicas.slice(1)) exchange(replicas[0]!, ws, ids);

    const writes: Write[] = [];
    let edits = 0;
    /** Field writes a merge or unmerge made on `ws`: each field that changed value. */
    const around = (ws: Workspace, fn: () => void) => {
      const before = ids.map((id) => ({ id, saw: stateVector(ws.recordDoc('contact', id)), data: { ...fieldsOf(ws, id) } }));
      fn();
      for (const { id, saw, data } of before) {
        const after = fieldsOf(ws, id);
        for (const field of FIELDS) if (after[field] !== data[field]) writes.push({ recordId: id, field, value: after[field], id: null, saw });
      }
    };
    // A refusal (already merged, nothing to undo…) is the engine saying no: that op did nothing.
    const tolerant = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        if (!(error instanceof RpcError)) throw error;
      }
    };

    for (const o of ops) {
      switch (o.type) {
        case 'edit': {
          const ws = replicas[o.replica]!;
          const id = ids[o.record]!;
          if (ws.get('contact', id).mergedInto) break; // the app edits the survivor instead
          const doc = ws.recordDoc('contact', id);
          const saw = stateVector(doc);
          const value = o.field === 'name' ? `Edit ${edits++} by ${o.replica}` : `0161 555 ${String(edits++).padStart(4, '0')}`;
          ws.update('contact', id, { [o.field]: value });
          const after = ws.recordDoc('contact', id);
          writes.push({ recordId: id, field: o.field, value, id: { client: after.clientID, clock: Y.getState(after.store, after.clientID) }, saw });
          break;
        }
        case 'merge': {
          const ws = replicas[o.replica]!;
          const merged = ids[o.merged]!;
          const choices: Record<string, string> = o.takeMerged ? { name: merged, phone: merged } : {};
          around(ws, () => tolerant(() => mergeRecords(ws, { kind: 'contact', survivorId: ids[o.survivor]!, mergedIds: [merged], choices })));
          break;
        }
        case 'unmerge': {
          const ws = replicas[o.replica]!;
          const merges = ws.recordDoc('contact', ids[o.survivor]!).getMap<{ undoneAt: string | null }>('merges');
          const standing = [...merges.entries()].find(([, entry]) => !entry.undoneAt);
          if (standing) around(ws, () => tolerant(() => unmergeRecords(ws, ids[o.survivor]!, standing[0])));
          break;
        }
        case 'exchange':
          if (o.from !== o.to) exchange(replicas[o.from]!, replicas[o.to]!, o.record === null ? ids : [ids[o.record]!]);
          break;
      }
    }
    // Everyone gets everything (twice round, so what arrived late travels on).
    for (let round = 0; round < 2; round++) for (const from of replicas) for (const to of replicas) if (from !== to) exchange(from, to, ids);

    const view = (ws: Workspace) => ids.map((id) => ({ id, data: ws.get('contact', id).data, mergedInto: ws.get('contact', id).mergedInto, resolved: ws.resolveId(id) }));
    for (const ws of replicas.slice(1)) assert.deepEqual(view(ws), view(replicas[0]!), 'replicas converge');

    const inboxes = replicas.flatMap((ws) => [...ws.conflicts.list('open', 10_000), ...ws.conflicts.list('resolved', 10_000)]);
    const covers = (saw: Map<number, number>, id: { client: number; clock: number }) => (saw.get(id.client) ?? 0) >= id.clock;
    for (const [index, edit] of writes.entries()) {
      if (!edit.id) continue;
      const kept = fieldsOf(replicas[0]!, edit.recordId)[edit.field] === edit.value;
      const overwritten = writes.slice(index + 1).some((w) => w.recordId === edit.recordId && w.field === edit.field && covers(w.saw, edit.id!));
      const inInbox = inboxes.some(
        (c) => c.recordId === edit.recordId && c.field === edit.field && [c.current, ...c.others].some((v) => v?.value === edit.value),
      );
      assert.ok(kept || overwritten || inInbox, `the edit of ${edit.field} to ${JSON.stringify(edit.value)} on ${edit.recordId} is neither kept, knowingly overwritten, nor in a conflict inbox`);
    }
  } finally {
    for (const ws of replicas) ws.close();
  }
}

test('merges, unmerges and concurrent offline edits on several replicas converge with no edit lost', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => check(ops)),
    { numRuns: Number(process.env.MERGE_RUNS ?? 40) },
  );
});
