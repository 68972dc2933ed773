// Only team leads may merge or unmerge records, and the sync server enforces it: a push
// that changes a record's `mergedInto` / `mergeId` or a survivor's `merges` log is refused
// from anyone else, nothing of it is stored, and the device that made it is told why (what
// the device then does: sync-hostile-worker.test.ts). Ordinary edits by workers, to the
// same records, still go through.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import * as Y from 'yjs';
import { createInvite, createWorkspace } from '../../server/admin';
import { issueToken } from '../../server/auth';
import type { Message, SyncRole } from '../../shared/sync-protocol';
import { SyncClient } from '../../main/data-service/sync/sync-client';
import { mergeRecords, unmergeRecords } from '../../main/data-service/team/merge';
import { Workspace } from '../../main/data-service/workspace';
import { changeOf, joinedDevice, rawSession } from './sync-helpers';
import { sqliteServerForFile } from './sqlite-server-fixture';

const REFUSAL = /only team leads may merge or unmerge records/;

const sync = sqliteServerForFile('merge-auth');

const device = (name: string, workspaceId: string, role: SyncRole) => joinedDevice({ dir: sync.dir, url: sync.server.url, store: sync.store }, { id: name, name }, workspaceId, role);

const mergeInto = (survivorId: string, mergeId: string) => (doc: Y.Doc) => {
  doc.getMap('meta').set('mergedInto', survivorId);
  doc.getMap('meta').set('mergeId', mergeId);
};
const unmerge = (doc: Y.Doc) => doc.getMap('meta').set('mergedInto', null);
const logMerge = (mergedId: string, mergeId: string) => (doc: Y.Doc) => doc.getMap('merges').set(mergeId, { merged: [mergedId] });

/** Push one update with a token of `role` on a raw connection; what the server answered. */
async function pushAs(workspaceId: string, role: SyncRole, docId: string, update: Uint8Array): Promise<Message | null> {
  const token = await issueToken(await sync.store.signingKey(), { workspaceId, role, subject: `raw-${role}`, user: { id: `raw-${role}`, name: `Raw ${role}` } });
  const session = await rawSession(sync.server.url);
  session.send({ type: 'hello', token, workspaceId, clientId: `raw-${role}-${randomUUID()}` });
  assert.equal((await session.next())?.type, 'welcome');
  session.send({ type: 'push', items: [{ msgId: 1, docId, update }] });
  const answer = await session.next();
  session.ws.close();
  return answer;
}

async function storedState(workspaceId: string) {
  return { head: await sync.store.head(workspaceId), items: (await sync.store.pull(workspaceId, 0, 10_000, 1e9)).items };
}

test("a lead's merge reaches other devices; a worker's merge or unmerge is refused and nothing of it stored; a worker's edits still go through", async () => {
  const workspaceId = await createWorkspace(sync.store, 'merge-auth');
  const worker = await device('worker', workspaceId, 'worker');
  const lead = await device('lead', workspaceId, 'lead');
  const other = await device('other', workspaceId, 'worker');
  try {
    // A worker creates both records: creation writes `mergedInto: null`, which is no merge.
    const bob = worker.ws.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
    const robert = worker.ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123' });
    await worker.client.syncNow();
    await lead.client.syncNow();

    // A worker's merge, unmerge-less merge log, or both, are refused with the reason.
    const mergeId = randomUUID();
    const before = await storedState(workspaceId);
    for (const [what, docId, update] of [
      ['mergedInto', bob.id, changeOf(worker.ws, bob.id, mergeInto(robert.id, mergeId))],
      ['merge log', robert.id, changeOf(worker.ws, robert.id, logMerge(bob.id, mergeId))],
    ] as const) {
      const answer = await pushAs(workspaceId, 'worker', docId, update);
      assert.ok(answer?.type === 'refused' && answer.items[0]?.docId === docId, `${what}: refused, naming the record`);
      assert.match(answer.items[0]!.reason, REFUSAL, what);
      const trainer = await pushAs(workspaceId, 'trainer', docId, update);
      assert.ok(trainer?.type === 'refused' && REFUSAL.test(trainer.items[0]?.reason ?? ''), `${what}: a trainer is refused too`);
    }
    assert.deepEqual(await storedState(workspaceId), before, 'nothing of the refused pushes was stored');

    // The lead merges Bob into Robert.
    const { merge } = mergeRecords(lead.ws, { kind: 'contact', survivorId: robert.id, mergedIds: [bob.id], choices: {} });
    await lead.client.syncNow();
    await other.client.syncNow();
    assert.equal(other.ws.get('contact', bob.id).mergedInto, robert.id, "the lead's merge reached another device");
    assert.equal(other.ws.resolveId(bob.id), robert.id);

    // Undoing the lead's merge is a merge operation too: refused from a worker, in either
    // form (overwriting `mergedInto`, or deleting it so it reads as null again).
    await worker.client.syncNow();
    const afterMerge = await storedState(workspaceId);
    for (const [what, update] of [
      ['unmerge', changeOf(worker.ws, bob.id, unmerge)],
      ['deleting mergedInto', changeOf(worker.ws, bob.id, (doc) => doc.getMap('meta').delete('mergedInto'))],
      // What the lead saw at the merge decides which later edits are shown to the lead.
      ['rewriting mergedSeen', changeOf(worker.ws, bob.id, (doc) => doc.getMap('meta').set('mergedSeen', ''))],
    ] as const) {
      const answer = await pushAs(workspaceId, 'worker', bob.id, update);
      assert.ok(answer?.type === 'refused' && REFUSAL.test(answer.items[0]?.reason ?? ''), `${what}: refused`);
    }
    assert.deepEqual(await storedState(workspaceId), afterMerge, 'nothing of the refused unmerges was stored');

    // A worker's ordinary edit of the same records (the survivor, through the app) still syncs.
    worker.ws.update('contact', robert.id, { email: 'robert@example.org' });
    await worker.client.syncNow();
    await other.client.syncNow();
    assert.equal(other.ws.get('contact', robert.id).data.email, 'robert@example.org');
    assert.equal(other.ws.get('contact', bob.id).mergedInto, robert.id, 'the merge stands');

    // The lead's unmerge goes through too.
    await lead.client.syncNow();
    unmergeRecords(lead.ws, robert.id, merge.mergeId);
    await lead.client.syncNow();
    await other.client.syncNow();
    assert.equal(other.ws.get('contact', bob.id).mergedInto, null, "the lead's unmerge reached another device");
  } finally {
    for (const d of [worker, lead, other]) d.close();
  }
});

test("a worker's merge of records the server has never seen (made before joining the team) is accepted", async () => {
  const workspaceId = await createWorkspace(sync.store, 'merge-auth-new');
  const ws = Workspace.open({ path: join(sync.dir, `newcomer-${randomUUID()}.sqlite`), author: { id: 'newcomer', name: 'Newcomer' }, durability: 'normal' });
  const client = new SyncClient(ws, { retryMs: { first: 20, max: 200 } });
  const lead = await device('lead', workspaceId, 'lead');
  try {
    // Alone on the device (which leads its own copy), before joining: two of their own records merged.
    const bob = ws.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
    const robert = ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123' });
    mergeRecords(ws, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
    await client.connect(sync.server.url, await createInvite(sync.store, workspaceId, { role: 'worker', uses: 1 }));
    await client.syncNow();
    assert.equal(client.status().pending, 0, 'everything was accepted');
    await lead.client.syncNow();
    assert.equal(lead.ws.get('contact', robert.id).mergedInto, bob.id, 'the merge reached the lead');
  } finally {
    client.close();
    ws.close();
    lead.close();
  }
});
