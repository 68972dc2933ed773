// A sync server on a team's own network serves TLS with a certificate it made itself, and
// devices trust it by the check code the lead gives with its address (server/tls.ts,
// main/data-service/sync/server-certificate.ts).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createInvite, createWorkspace } from '../../server/admin';
import { eventually, sqliteStoreFor, startServer, syncDevice, tempDir } from './sync-helpers';

test("a server on the team's own network: a device with its check code syncs over TLS; a wrong code sends nothing; a server with another certificate is refused", async () => {
  const dir = tempDir('tls');
  const db = join(dir, 'sync.sqlite');
  const tlsArgs = ['--db', db, '--tls', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key')];
  let server = await startServer(tlsArgs);
  const checkCode = /check code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/.exec(server.output())?.[1];
  assert.ok(checkCode, `the server prints its check code (it printed: ${server.output()})`);
  assert.match(server.url, /^https:/);
  const store = await sqliteStoreFor(db);
  const workspaceId = await createWorkspace(store, 'tls');
  const invite = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
  const ama = syncDevice('Ama');
  const ben = syncDevice('Ben');
  try {
    await assert.rejects(ama.client.connect(server.url, invite), /certificate this computer does not trust.*check code/s, 'without a code the device is told to ask for one');
    await assert.rejects(ama.client.connect(server.url, invite, 'ABCD-EFGH'), /a check code has 16 letters and digits/, 'a code too short is said to be one');
    await assert.rejects(
      ama.client.connect(server.url.replace('https:', 'http:'), invite, checkCode),
      /a check code is for a server whose address starts with https:\/\//,
      'a check code with a plain http address is said to make no sense',
    );
    const wrong = `${checkCode[0] === '0' ? '1' : '0'}${checkCode.slice(1)}`;
    await assert.rejects(
      ama.client.connect(server.url, invite, wrong),
      // Never the code the server has: a stand-in's would be typed in next.
      (error: Error) => /not the one the check code names, so nothing was sent/.test(error.message) && !error.message.includes(checkCode),
      'a wrong code sends nothing, and the message does not give the code the server has',
    );

    // Typed as a person might: the invite's two uses are both still there.
    await ama.client.connect(server.url, invite, checkCode.toLowerCase().replace(/-/g, ' '));
    ama.ws.create('contact', { name: 'Olu Adebayo' });
    await ama.client.syncNow();
    await ben.client.connect(server.url, invite, checkCode);
    await ben.client.syncNow();
    assert.deepEqual(ben.ws.list({ kind: 'contact' }).rows.map((r) => r.title), ['Olu Adebayo'], 'the record went from one device to the other over TLS');
    assert.equal(ama.client.checkCode(), checkCode, 'the device knows the code it trusts the server by');

    // The same address, another certificate (made again, or someone standing in): refused, and the device says why.
    const head = await store.head(workspaceId);
    await server.stop();
    for (const file of ['tls.crt', 'tls.key']) rmSync(join(dir, file));
    server = await startServer(tlsArgs, server.port);
    ama.ws.create('contact', { name: 'Not for a stranger' });
    ama.client.syncNow().catch(() => undefined);
    await eventually(() => /certificate is not the one this device trusts/.test(ama.client.status().error ?? ''), 'the device says why it does not sync');
    assert.equal(ama.client.status().pending, 1, 'the change waits on the device');
    assert.equal(await store.head(workspaceId), head, 'the server with another certificate got nothing');
  } finally {
    ama.close();
    ben.close();
    await store.close();
    await server.stop();
  }
});
