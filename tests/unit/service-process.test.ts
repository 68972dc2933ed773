// The data service's utility-process entry, run in Node with stand-ins for Electron's
// parent port and MessagePortMain (same event shapes): ports become RPC connections,
// a closed port stops getting events, and shutdown closes the database before exiting.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { DataService } from '../../main/data-service/data-service';
import { TEST_PASSPHRASE } from './helpers';

class FakePort extends EventEmitter {
  readonly sent: { type: string; id?: number; ok?: boolean; result?: any; name?: string }[] = [];
  started = false;
  postMessage(text: unknown): void {
    this.sent.push(JSON.parse(String(text)));
  }
  start(): void {
    this.started = true;
  }
  request(id: number, method: string, params: unknown): void {
    this.emit('message', { data: JSON.stringify({ type: 'request', id, method, params }) });
  }
}

/** The port's answer to request `id`, once it has come (setup takes a key derivation). */
async function answerTo(port: FakePort, id: number) {
  for (let i = 0; i < 500 && !port.sent.some((m) => m.id === id); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return port.sent.find((m) => m.id === id)!;
}

test('the utility process serves each port it is given, and closes the database on shutdown', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldbook-service-process-'));
  const parentPort = new EventEmitter();
  Object.assign(process, { parentPort });
  process.env.FIELDBOOK_DATA_DIR = dataDir;
  const exit = mock.method(process, 'exit', () => undefined as never);
  try {
    await import('../../main/data-service/service-process');

    const first = new FakePort();
    const second = new FakePort();
    parentPort.emit('message', { data: { type: 'connect' }, ports: [first] });
    parentPort.emit('message', { data: { type: 'connect' }, ports: [second] });
    assert.ok(first.started && second.started);

    first.request(1, 'profile.setup', { name: 'Asha Patel', workspaceName: 'Moss Side', passphrase: TEST_PASSPHRASE });
    const setUp = await answerTo(first, 1);
    assert.equal(setUp.ok, true);
    assert.equal(setUp.result.profile.state, 'open');
    assert.equal(setUp.result.profile.workspaceName, 'Moss Side');

    // The second window closes; only the first still hears about changes.
    second.emit('close');
    const heardBySecond = second.sent.length;
    first.request(2, 'record.create', { kind: 'asset', data: { name: 'Claremont Library', category: 'institution' } });
    assert.equal(first.sent.find((m) => m.id === 2)?.ok, true);
    assert.ok(first.sent.some((m) => m.type === 'event' && m.name === 'record.changed'));
    assert.equal(second.sent.length, heardBySecond);

    parentPort.emit('message', { data: { type: 'connect' }, ports: [] });
    parentPort.emit('message', { data: 'nonsense', ports: [] });
    assert.equal(exit.mock.callCount(), 0);

    const wal = join(dataDir, 'workspace.sqlite-wal');
    assert.ok(statSync(wal).size > 0, 'writes sit in the WAL while the service runs');
    parentPort.emit('message', { data: { type: 'shutdown' }, ports: [] });
    assert.deepEqual(exit.mock.calls.map((c) => c.arguments), [[0]]);
    // The database was closed (WAL checkpointed and removed) before exiting.
    assert.equal(existsSync(wal), false);
    const reopened = new DataService(dataDir);
    await reopened.unlock({ passphrase: TEST_PASSPHRASE });
    assert.equal(reopened.profile().workspaceName, 'Moss Side');
    assert.deepEqual(reopened.workspace.list({ kind: 'asset' }).rows.map((r) => r.title), ['Claremont Library']);
    reopened.close();
  } finally {
    exit.mock.restore();
    delete (process as { parentPort?: unknown }).parentPort;
    delete process.env.FIELDBOOK_DATA_DIR;
  }
});
