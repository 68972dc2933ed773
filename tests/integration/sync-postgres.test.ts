// The PostgreSQL engine: two sync server processes share one database; client A talks to
// node 1, client B to node 2, and each receives the other's updates live through
// LISTEN/NOTIFY. Needs FIELDBOOK_TEST_POSTGRES_URL (scripts/postgres-test.sh start).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { createInvite, createWorkspace } from '../../server/admin';
import { PostgresStore } from '../../server/store-postgres';
import { SyncClient } from '../../main/data-service/sync/sync-client';
import { Workspace } from '../../main/data-service/workspace';
import { POSTGRES_SKIP, POSTGRES_URL, crdtState, eventually, startServer, tempDir } from './sync-helpers';
import { projectionRows } from '../unit/helpers';

test('two server nodes on one PostgreSQL: clients on different nodes converge, live', { skip: POSTGRES_SKIP }, async () => {
  const url = POSTGRES_URL!;
  const store = await PostgresStore.connect(url);
  const [node1, node2] = await Promise.all([startServer(['--postgres', url]), startServer(['--postgres', url])]);
  const dir = tempDir('pg');
  const open = (name: string, node: string, code: string) => {
    const ws = Workspace.open({ path: join(dir, `${name}.sqlite`), author: { id: name, name }, durability: 'normal' });
    const client = new SyncClient(ws, { retryMs: { first: 20, max: 200 } });
    return { ws, client, connect: () => client.connect(node, code) };
  };
  try {
    const workspaceId = await createWorkspace(store, `pg ${randomUUID()}`);
    const code = await createInvite(store, workspaceId, { role: 'worker', uses: 2 });
    const a = open('a', node1.url, code);
    const b = open('b', node2.url, code);
    await a.connect();
    await b.connect();
    await Promise.all([a.client.syncNow(), b.client.syncNow()]);

    // Live: B is only listening when A's record arrives.
    const hall = a.ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical' });
    await a.client.syncNow();
    await eventually(() => b.ws.info().counts.asset === 1, 'B got A’s asset through node 2');
    const zoe = b.ws.create('contact', { name: 'Zoë Brown' });
    await eventually(() => a.ws.info().counts.contact === 1, 'A got B’s contact through node 1');

    // Concurrent edits on both sides, then both sync.
    for (let i = 0; i < 40; i++) {
      a.ws.update('asset', hall.id, { description: `A's note ${i}`, themes: i % 2 ? ['food'] : ['arts'] });
      b.ws.update('contact', zoe.id, { notes: `B's note ${i}` });
      b.ws.update('asset', hall.id, { tags: [`tag${i}`] });
    }
    a.ws.create('connection', { fromId: zoe.id, toId: hall.id, kind: 'uses' });
    await Promise.all([a.client.syncNow(), b.client.syncNow()]);
    await Promise.all([a.client.syncNow(), b.client.syncNow()]);
    assert.deepEqual(crdtState(b.ws), crdtState(a.ws));
    assert.deepEqual(projectionRows(b.ws), projectionRows(a.ws));
    assert.equal(a.ws.get('asset', hall.id).data.tags.length, 1);
    for (const d of [a, b]) {
      d.client.close();
      d.ws.close();
    }
  } finally {
    await Promise.all([node1.stop(), node2.stop()]);
    await store.close();
  }
});
