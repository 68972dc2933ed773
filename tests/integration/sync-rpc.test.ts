// Sync through the RPC contract, as the renderer uses it: sync.connect with an invite
// code, automatic sync of local changes, trustworthy status events, and a restart.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_POLICY, POLICY_ID } from '../../shared/domain';
import type { RpcResponse, ServiceMessage } from '../../shared/rpc';
import type { SyncStatus } from '../../shared/sync-status';
import { createInvite, createWorkspace } from '../../server/admin';
import { ServiceConnection } from '../../main/data-service/service-connection';
import { testService, TEST_PASSPHRASE } from '../unit/helpers';
import { sqliteStoreFor, startServer, tempDir } from './sync-helpers';

function client(dataDir: string) {
  const service = testService(dataDir);
  const messages: ServiceMessage[] = [];
  const waiting: (() => void)[] = [];
  const connection = new ServiceConnection(service, (text) => {
    messages.push(JSON.parse(text));
    waiting.splice(0).forEach((w) => w());
  });
  let nextId = 1;
  const until = async <T>(find: () => T | undefined, what: string): Promise<T> => {
    for (let i = 0; i < 1000; i++) {
      const found = find();
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, 20);
      });
    }
    assert.fail(`never happened: ${what}`);
  };
  return {
    service,
    messages,
    call: async (method: string, params: unknown = {}): Promise<Extract<RpcResponse, { type: 'response' }>> => {
      const id = nextId++;
      connection.receive(JSON.stringify({ type: 'request', id, method, params }));
      return until(() => messages.find((m): m is RpcResponse => m.type === 'response' && m.id === id), `answer to ${method}`);
    },
    /** Wait for a sync.status event satisfying `ok`. */
    status: (ok: (s: SyncStatus) => boolean, what: string) =>
      until(
        () => messages.map((m) => (m.type === 'event' && m.name === 'sync.status' ? m.status : null)).find((s) => s !== null && ok(s)) ?? undefined,
        what,
      ),
    close: () => {
      connection.close();
      service.close();
    },
  };
}

test('sync over RPC: connect with an invite code, changes sync on their own, status tells the truth, survives a restart', async () => {
  const dir = tempDir('rpc');
  const db = join(dir, 'sync.sqlite');
  const server = await startServer(['--db', db]);
  const admin = await sqliteStoreFor(db);
  try {
    const workspaceId = await createWorkspace(admin, 'rpc');
    const code = await createInvite(admin, workspaceId, { role: 'worker', uses: 2 });

    const a = client(join(dir, 'a'));
    assert.equal((await a.call('profile.setup', { name: 'Asha', workspaceName: 'North', passphrase: TEST_PASSPHRASE })).ok, true);
    const before = await a.call('sync.status');
    assert.ok(before.ok && (before.result as SyncStatus).state === 'not_configured', 'not set up yet');

    const wrong = await a.call('sync.connect', { url: server.url, inviteCode: 'AAAA-BBBB-CCCC' });
    assert.ok(!wrong.ok && wrong.error.issues[0]?.field === 'inviteCode' && /not valid/.test(wrong.error.message), 'a wrong code is refused, naming it');

    const created = await a.call('record.create', { kind: 'contact', data: { name: 'Zoë Brown' } });
    assert.ok(created.ok, 'record created before connecting');
    const connected = await a.call('sync.connect', { url: server.url, inviteCode: code });
    assert.ok(connected.ok, 'connected');
    await a.status((s) => s.state === 'synced' && s.pending === 0 && s.lastSyncAt !== null, 'A synced its offline change');

    // A local change is pending until the server acknowledges it, then synced again, unasked.
    a.messages.length = 0;
    await a.call('record.create', { kind: 'asset', data: { name: 'Library', category: 'institution' } });
    await a.status((s) => s.state === 'synced' && s.pending === 0, 'A synced its new asset on its own');

    const b = client(join(dir, 'b'));
    await b.call('profile.setup', { name: 'Tom', workspaceName: 'North', passphrase: TEST_PASSPHRASE });
    await b.call('sync.connect', { url: server.url, inviteCode: code });
    await b.status((s) => s.state === 'synced', 'B synced');
    const list = await b.call('record.list', { kind: 'contact' });
    assert.ok(list.ok && (list.result as { total: number }).total === 1, 'B has A’s contact');

    // Restarted, A syncs on its own with the stored server and token.
    a.close();
    const a2 = client(join(dir, 'a'));
    assert.ok((await a2.call('profile.unlock', { passphrase: TEST_PASSPHRASE })).ok, 'A unlocked after a restart');
    await a2.status((s) => s.state === 'synced', 'A synced after a restart');
    const cancelled = await a2.call('sync.cancel');
    assert.ok(cancelled.ok && (cancelled.result as SyncStatus).state === 'paused', 'cancel pauses');
    const disconnected = await a2.call('sync.disconnect');
    assert.ok(disconnected.ok && (disconnected.result as SyncStatus).state === 'not_configured', 'disconnect forgets the server');
    const profile = await a2.call('profile.get');
    assert.ok(profile.ok && (profile.result as { role: string }).role === 'worker', 'a worker stays a worker after disconnecting: no merging on their own copy');
    const leadsOnly = [
      ['merge.apply', { kind: 'contact', survivorId: randomUUID(), mergedIds: [randomUUID()] }, 'merge records'],
      ['merge.undo', { survivorId: randomUUID(), mergeId: randomUUID() }, 'undo a merge'],
      ['conflicts.resolve', { id: 1, choice: 'keep' }, 'resolve conflicts'],
      ['consent.saveSettings', { policy: DEFAULT_POLICY }, 'change the privacy settings'],
      ['record.create', { kind: 'policy', id: POLICY_ID, data: { retentionMonths: 1 } }, 'change the privacy settings'],
      ['retention.keep', { today: '2026-12-06', contactIds: [randomUUID()], reason: 'Still in touch' }, 'keep records for another period'],
      ['privacy.erase', { contactIds: [randomUUID()], reason: 'Past retention' }, 'erase people'],
      ['devices.list', {}, "see the team's devices"],
      ['devices.revoke', { id: randomUUID() }, "withdraw a device's access"],
      ['devices.invite', { role: 'lead', uses: 1, days: 1 }, 'invite devices'],
    ] as const;
    for (const [method, params, what] of leadsOnly) {
      const refused = await a2.call(method, params);
      assert.ok(!refused.ok && refused.error.code === 'forbidden' && refused.error.message.includes(`only team leads may ${what}`), `${method} is refused to a worker`);
    }
    a2.close();
    b.close();
  } finally {
    await admin.close();
    await server.stop();
  }
});

test('joining another server workspace sends every record again, including those the old server acknowledged', async () => {
  const dir = tempDir('rpc-move');
  const db = join(dir, 'sync.sqlite');
  const server = await startServer(['--db', db]);
  const admin = await sqliteStoreFor(db);
  try {
    const oldWorkspace = await createWorkspace(admin, 'old team');
    const newWorkspace = await createWorkspace(admin, 'new team');
    const a = client(join(dir, 'a'));
    await a.call('profile.setup', { name: 'Asha', workspaceName: 'North', passphrase: TEST_PASSPHRASE });
    await a.call('record.create', { kind: 'contact', data: { name: 'Zoë Brown' } });
    await a.call('sync.connect', { url: server.url, inviteCode: await createInvite(admin, oldWorkspace, { role: 'worker', uses: 1 }) });
    await a.status((s) => s.state === 'synced' && s.pending === 0, 'A synced with the old workspace');

    a.messages.length = 0;
    await a.call('sync.disconnect');
    await a.call('sync.connect', { url: server.url, inviteCode: await createInvite(admin, newWorkspace, { role: 'worker', uses: 1 }) });
    await a.status((s) => s.state === 'synced' && s.pending === 0, 'A synced with the new workspace');

    const b = client(join(dir, 'b'));
    await b.call('profile.setup', { name: 'Tom', workspaceName: 'North', passphrase: TEST_PASSPHRASE });
    await b.call('sync.connect', { url: server.url, inviteCode: await createInvite(admin, newWorkspace, { role: 'worker', uses: 1 }) });
    await b.status((s) => s.state === 'synced', 'B synced with the new workspace');
    const list = await b.call('record.list', { kind: 'contact' });
    assert.ok(list.ok && (list.result as { rows: { title: string }[] }).rows.some((r) => r.title === 'Zoë Brown'), 'B has the contact the old server had acknowledged');
    a.close();
    b.close();
  } finally {
    await admin.close();
    await server.stop();
  }
});
