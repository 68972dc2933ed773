// The workspace's privacy settings reach every device, and only a lead may change them: the
// sync server refuses a worker's push that writes them (a device bypassing its own data
// service's check), whether it changes the lead's settings or creates them first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorkspace } from '../../server/admin';
import { DEFAULT_POLICY, POLICY_ID, type Author } from '../../shared/domain';
import type { SyncRole } from '../../shared/sync-protocol';
import { savePrivacySettings } from '../../main/data-service/consent/settings';
import { joinedDevice } from './sync-helpers';
import { sqliteServerForFile } from './sqlite-server-fixture';

const sync = sqliteServerForFile('privacy-settings');
const LEAD = { id: 'lead-1', name: 'Lena Lead' };
const WORKER = { id: 'worker-w', name: 'Wendy Worker' };
const REFUSAL = /only team leads may change the privacy settings/;

const device = (author: Author, workspaceId: string, role: SyncRole) => joinedDevice({ dir: sync.dir, url: sync.server.url, store: sync.store }, author, workspaceId, role);

test("a lead's privacy settings reach the workers, and a worker's change of them is refused by the server", async () => {
  const workspaceId = await createWorkspace(sync.store, 'privacy');
  const lead = await device(LEAD, workspaceId, 'lead');
  const worker = await device(WORKER, workspaceId, 'worker');
  try {
    savePrivacySettings(lead.ws, { ...DEFAULT_POLICY, retentionMonths: 36 });
    await lead.client.syncNow();
    await worker.client.syncNow();
    assert.equal(worker.ws.records.policy().retentionMonths, 36, 'the worker has the lead’s settings');

    worker.ws.update('policy', POLICY_ID, { retentionMonths: 1, purposes: [] });
    await assert.rejects(worker.client.syncNow(), /refused/);
    const status = worker.client.status();
    assert.deepEqual(status.refused.map((r) => r.recordId), [POLICY_ID]);
    assert.match(status.refused[0]!.reason, REFUSAL);

    await lead.client.syncNow();
    assert.equal(lead.ws.records.policy().retentionMonths, 36, 'the lead’s settings stay');
    assert.equal(lead.ws.records.policy().purposes.length, DEFAULT_POLICY.purposes.length);
  } finally {
    worker.close();
    lead.close();
  }
});

test('a worker may not create the settings before a lead has saved them', async () => {
  const workspaceId = await createWorkspace(sync.store, 'privacy-first');
  const worker = await device(WORKER, workspaceId, 'worker');
  const lead = await device(LEAD, workspaceId, 'lead');
  try {
    worker.ws.create('policy', { ...DEFAULT_POLICY, lawfulBases: [] }, { id: POLICY_ID });
    await assert.rejects(worker.client.syncNow(), /refused/);
    assert.match(worker.client.status().refused[0]!.reason, REFUSAL);
    await lead.client.syncNow();
    assert.equal(lead.ws.records.stored(POLICY_ID), undefined, 'nothing reached the lead');
    assert.deepEqual(lead.ws.records.policy(), DEFAULT_POLICY);
  } finally {
    worker.close();
    lead.close();
  }
});
