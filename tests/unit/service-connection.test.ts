import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from '../../shared/base64';
import { RpcClient } from '../../shared/rpc-client';
import type { AnyRecord } from '../../shared/domain';
import { RpcError, type RpcResponse, type ServiceEvent, type ServiceMessage } from '../../shared/rpc';
import type { DataService } from '../../main/data-service/data-service';
import { ServiceConnection } from '../../main/data-service/service-connection';
import { richTextToPlain } from '../../main/data-service/record-doc';
import { tempDir, testService, TEST_PASSPHRASE } from './helpers';

/** One client of the service, as a window or a WebSocket would be. */
function connect(t: TestContext, service: DataService) {
  const messages: ServiceMessage[] = [];
  let deliver: (text: string) => void = () => {};
  const connection = new ServiceConnection(service, (text) => {
    messages.push(JSON.parse(text) as ServiceMessage);
    deliver(text);
  });
  t.after(() => connection.close());
  const client = new RpcClient({ send: (text) => connection.receive(text), onMessage: (receive) => (deliver = receive) });
  return {
    client,
    events: () => messages.filter((m): m is ServiceEvent => m.type === 'event'),
    /** Send a raw text; returns the response to it. */
    raw(text: string): RpcResponse {
      const from = messages.length;
      connection.receive(text);
      const response = messages.slice(from).find((m): m is RpcResponse => m.type === 'response');
      assert.ok(response, 'every request is answered');
      return response;
    },
    /** The window goes away. */
    close: () => connection.close(),
  };
}

function newService(t: TestContext, dir = tempDir(t)): DataService {
  const service = testService(dir);
  t.after(() => service.close());
  return service;
}

/** A field of a record whose kind the type system cannot see (an RPC result). */
const fieldOf = (record: AnyRecord, field: string): unknown => (record.data as Record<string, unknown>)[field];

async function readyService(t: TestContext) {
  const service = newService(t);
  const client = connect(t, service);
  await client.client.call('profile.setup', { name: 'Asha Patel', workspaceName: 'Moss Side', passphrase: TEST_PASSPHRASE });
  return { service, ...client };
}

/** Everything stored, counted: a refused request must leave all of it as it was. */
function storedCounts(service: DataService) {
  const count = (table: string) => (service.workspace.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { docs: count('docs'), updates: count('doc_updates'), history: count('history'), records: count('records') };
}

/** Asserts the call is refused as invalid with an issue on `field`, named in the message too. */
async function refusedNaming(call: Promise<unknown>, field: string, code = 'invalid'): Promise<RpcError> {
  let caught: unknown;
  await call.then(
    () => assert.fail(`expected a refusal naming ${field}`),
    (error: unknown) => (caught = error),
  );
  assert.ok(caught instanceof RpcError, String(caught));
  assert.equal(caught.code, code, caught.message);
  assert.ok(caught.issues.some((i) => i.field === field), `issues ${JSON.stringify(caught.issues)} name ${field}`);
  assert.ok(caught.message.includes(field), `message "${caught.message}" names ${field}`);
  return caught;
}

// ---------------------------------------------------------------- first run

const NOT_SET_UP = { state: 'needs-setup', passphraseNeeded: true, hasPassphrase: false, problem: null, author: null, workspaceName: null, role: 'lead' };

test('before first-run setup there is no profile and workspace calls answer not_ready', async (t) => {
  const service = newService(t);
  const { client } = connect(t, service);
  assert.deepEqual(await client.call('profile.get', {}), NOT_SET_UP);
  await assert.rejects(client.call('workspace.info', {}), (e: unknown) => e instanceof RpcError && e.code === 'not_ready');
  await assert.rejects(client.call('record.list', { kind: 'contact' }), (e: unknown) => e instanceof RpcError && e.code === 'not_ready');
  await refusedNaming(client.call('profile.setup', { name: '  ', workspaceName: 'Moss Side', passphrase: TEST_PASSPHRASE }), 'name');
  await refusedNaming(client.call('profile.setup', { name: 'Asha Patel', workspaceName: 'Moss Side' }), 'passphrase');
  await refusedNaming(client.call('profile.setup', { name: 'Asha Patel', workspaceName: 'Moss Side', passphrase: 'too short' }), 'passphrase');
  assert.deepEqual(await client.call('profile.get', {}), NOT_SET_UP, 'a refused setup sets nothing up');
});

test('setup creates the workspace once, and on the next start it opens with its passphrase', async (t) => {
  const dir = tempDir(t);
  const first = testService(dir);
  const { client } = connect(t, first);
  const { profile, recoveryCode } = await client.call('profile.setup', { name: ' Asha Patel ', workspaceName: 'Moss Side', passphrase: TEST_PASSPHRASE });
  assert.equal(profile.author?.name, 'Asha Patel');
  assert.equal(profile.workspaceName, 'Moss Side');
  assert.equal(profile.state, 'open');
  assert.match(recoveryCode, /^([0-9A-Z]{5}-){4}[0-9A-Z]{5}$/);
  assert.deepEqual(await client.call('profile.get', {}), profile);
  await assert.rejects(
    client.call('profile.setup', { name: 'Someone Else', workspaceName: 'Other', passphrase: TEST_PASSPHRASE }),
    (e: unknown) => e instanceof RpcError && e.code === 'conflict',
  );
  const zoe = await client.call('record.create', { kind: 'contact', data: { name: 'Zoë Brown' } });
  assert.equal(zoe.createdBy.name, 'Asha Patel');
  first.close();

  const second = newService(t, dir);
  const again = connect(t, second).client;
  assert.deepEqual(await again.call('profile.get', {}), { ...profile, state: 'locked', hasPassphrase: true });
  await assert.rejects(again.call('workspace.info', {}), (e: unknown) => e instanceof RpcError && e.code === 'not_ready' && /locked/.test(e.message));
  await refusedNaming(again.call('profile.unlock', { passphrase: 'correct horse battery stable' }), 'passphrase');
  assert.deepEqual(await again.call('profile.unlock', { passphrase: TEST_PASSPHRASE }), profile);
  assert.equal((await again.call('workspace.info', {})).counts.contact, 1);
  assert.equal(fieldOf(await again.call('record.get', { kind: 'contact', id: zoe.id }), 'name'), 'Zoë Brown');
});

// ---------------------------------------------------------------- validation

test('bad input is refused naming the field, and nothing is stored half-way', async (t) => {
  const { service, client } = await readyService(t);
  const zoe = await client.call('record.create', { kind: 'contact', data: { name: 'Zoë Brown' } });
  const before = storedCounts(service);
  const session = { title: 'Drop-in', type: 'drop-in' as const, startsAt: '2026-11-20T10:00' };

  await refusedNaming(client.call('record.create', { kind: 'asset', data: { name: 'Corner shop', category: 'shop' as 'economic' } }), 'data.category');
  await refusedNaming(client.call('record.create', { kind: 'session', data: { ...session, startsAt: '20/11/2026 10:00' } }), 'data.startsAt');
  await refusedNaming(client.call('record.create', { kind: 'contact', data: { name: 'Zoë', consents: [{ id: randomUUID(), purpose: 'Photos', wordingVersion: 'v1', givenAt: '2026-02-30', method: 'verbal', withdrawnAt: null }] } }), 'data.consents.0.givenAt');
  await refusedNaming(client.call('record.create', { kind: 'session', data: { ...session, attendeeIds: [zoe.id, randomUUID()] } }), 'data.attendeeIds.1');
  await refusedNaming(client.call('record.create', { kind: 'contact', data: { name: 'x'.repeat(201) } }), 'data.name');
  const unknownField = await refusedNaming(client.call('record.create', { kind: 'contact', data: { name: 'Zoë', favouriteColour: 'green' } as { name: string } }), 'data');
  assert.match(unknownField.message, /favouriteColour/);
  await refusedNaming(client.call('record.update', { kind: 'contact', id: zoe.id, patch: { email: 'not an email' } }), 'patch.email');
  await refusedNaming(client.call('record.update', { kind: 'contact', id: zoe.id, patch: { name: '' } }), 'patch.name');
  await refusedNaming(client.call('record.get', { kind: 'contact', id: 'zoe' }), 'id');
  await refusedNaming(client.call('record.create', { kind: 'person' as 'contact', data: { name: 'Zoë' } }), 'kind');

  assert.deepEqual(storedCounts(service), before);
  assert.equal(fieldOf(await client.call('record.get', { kind: 'contact', id: zoe.id }), 'name'), 'Zoë Brown');
  assert.equal((await client.call('record.list', { kind: 'session' })).total, 0);
});

test('several bad fields are all reported', async (t) => {
  const { client } = await readyService(t);
  const error = await refusedNaming(client.call('record.create', { kind: 'asset', data: { name: '', category: 'shop' as 'economic', postcode: 'nowhere' } }), 'data.name');
  assert.deepEqual(error.issues.map((i) => i.field).sort(), ['data.category', 'data.name', 'data.postcode']);
  assert.match(error.message, /and 2 more/);
});

test('a record of the wrong kind or that does not exist is not_found', async (t) => {
  const { client } = await readyService(t);
  const zoe = await client.call('record.create', { kind: 'contact', data: { name: 'Zoë Brown' } });
  await assert.rejects(client.call('record.get', { kind: 'asset', id: zoe.id }), (e: unknown) => e instanceof RpcError && e.code === 'not_found');
  await assert.rejects(client.call('record.update', { kind: 'contact', id: randomUUID(), patch: { name: 'Ben' } }), (e: unknown) => e instanceof RpcError && e.code === 'not_found');
});

test('malformed messages get an error response, never silence', async (t) => {
  const { raw } = await readyService(t);
  const notJson = raw('{"type":"request","id":1,');
  assert.deepEqual(notJson.ok ? null : [notJson.id, notJson.error.code], [-1, 'invalid']);
  assert.match(notJson.ok ? '' : notJson.error.message, /not valid JSON/);

  const unknown = raw(JSON.stringify({ type: 'request', id: 2, method: 'record.destroyAll', params: {} }));
  assert.deepEqual(unknown.ok ? null : [unknown.id, unknown.error.code], [2, 'unknown_method']);
  assert.match(unknown.ok ? '' : unknown.error.message, /record\.destroyAll/);

  const inherited = raw(JSON.stringify({ type: 'request', id: 3, method: 'toString', params: {} }));
  assert.equal(inherited.ok ? null : inherited.error.code, 'unknown_method');

  const noParams = raw(JSON.stringify({ type: 'request', id: 4, method: 'record.get' }));
  assert.ok(!noParams.ok);
  assert.deepEqual(noParams.error.issues.map((i) => i.field).sort(), ['id', 'kind']);

  const noCreateParams = raw(JSON.stringify({ type: 'request', id: 5, method: 'record.create', params: null }));
  assert.ok(!noCreateParams.ok);
  assert.match(noCreateParams.error.message, /^kind: /);

  const notARequest = raw(JSON.stringify({ type: 'response', id: 6 }));
  assert.deepEqual(notARequest.ok ? null : [notARequest.id, notARequest.error.code], [6, 'invalid']);

  const array = raw('[1,2,3]');
  assert.equal(array.ok ? null : array.error.code, 'invalid');
});

// ---------------------------------------------------------------- rich text replicas

function insertParagraph(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  const fragment = doc.getXmlFragment('rich:notes');
  fragment.insert(fragment.length, [paragraph]);
  return Y.encodeStateAsUpdate(doc, before);
}

test('an editor replica edits session notes with doc.update, and other replicas receive the change', async (t) => {
  const { service, client, events } = await readyService(t);
  const other = connect(t, service);
  const session = await client.call('record.create', {
    kind: 'session',
    data: { title: 'Coffee morning', type: 'community-conversation', startsAt: '2026-03-01T10:00', notes: 'Buses stop at 6pm' },
  });

  const editor = new Y.Doc();
  Y.applyUpdate(editor, fromBase64((await client.call('doc.open', { id: session.id })).state));
  assert.equal(richTextToPlain(editor.getXmlFragment('rich:notes')), 'Buses stop at 6pm');
  const watcher = new Y.Doc();
  Y.applyUpdate(watcher, fromBase64((await other.client.call('doc.open', { id: session.id })).state));

  const update = insertParagraph(editor, 'Residents want a lunch club');
  const result = await client.call('doc.update', { id: session.id, update: toBase64(update) });
  assert.equal(fieldOf(result, 'notes'), 'Buses stop at 6pm\nResidents want a lunch club');
  assert.equal(fieldOf(await client.call('record.get', { kind: 'session', id: session.id }), 'notes'), 'Buses stop at 6pm\nResidents want a lunch club');
  assert.deepEqual((await client.call('search.global', { text: 'lunch club' })).map((h) => h.id), [session.id]);
  const [latest] = await client.call('record.history', { id: session.id });
  assert.deepEqual([latest?.field, latest?.after, latest?.author.name], ['notes', 'Buses stop at 6pm\nResidents want a lunch club', 'Asha Patel']);

  const sent = other.events().filter((e) => e.name === 'doc.update');
  assert.equal(sent.length, 1);
  for (const e of sent) if (e.name === 'doc.update') Y.applyUpdate(watcher, fromBase64(e.update));
  assert.equal(richTextToPlain(watcher.getXmlFragment('rich:notes')), 'Buses stop at 6pm\nResidents want a lunch club');
  // Other windows hear of a change once the turn of the event loop that made it ends.
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(other.events().some((e) => e.name === 'record.changed' && e.id === session.id && e.source === 'editor'));

  // The editor is sent what the service added to its edit (who, when), not its own edit back.
  const applyEvents = (doc: Y.Doc, list: ServiceEvent[]) => {
    for (const e of list) if (e.name === 'doc.update') Y.applyUpdate(doc, fromBase64(e.update));
  };
  const echoed = events().filter((e) => e.name === 'doc.update');
  assert.equal(echoed.length, 1);
  assert.ok(echoed.every((e) => e.name === 'doc.update' && !Buffer.from(fromBase64(e.update)).includes('lunch club')));
  applyEvents(editor, echoed);
  assert.deepEqual(Y.encodeStateVector(editor), Y.encodeStateVector(watcher), 'both replicas hold the same state');

  // So later changes made by the service itself reach the editor too.
  await client.call('record.update', { kind: 'session', id: session.id, patch: { title: 'Coffee morning (March)' } });
  applyEvents(editor, events().filter((e) => e.name === 'doc.update').slice(1));
  assert.equal(editor.getMap('fields').get('title'), 'Coffee morning (March)');
  assert.equal(editor.store.pendingStructs, null, 'nothing waits on a missing update');

  // After doc.close no more updates are sent to that connection.
  await other.client.call('doc.close', { id: session.id });
  const seen = other.events().length;
  await client.call('doc.update', { id: session.id, update: toBase64(insertParagraph(editor, 'More')) });
  assert.equal(other.events().filter((e, i) => i >= seen && e.name === 'doc.update').length, 0);
});

test('a window that closed with a doc open is sent nothing more', async (t) => {
  const { service, client } = await readyService(t);
  const closing = connect(t, service);
  const session = await client.call('record.create', { kind: 'session', data: { title: 'Talk', type: 'workshop', startsAt: '2026-03-01T10:00' } });
  const editor = new Y.Doc();
  Y.applyUpdate(editor, fromBase64((await client.call('doc.open', { id: session.id })).state));
  await closing.client.call('doc.open', { id: session.id });

  closing.close();
  const seen = closing.events().length;
  await client.call('doc.update', { id: session.id, update: toBase64(insertParagraph(editor, 'After the window closed')) });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(closing.events().slice(seen), []);
});

test('doc.update is refused before doc.open, and for bytes that are not a Yjs update', async (t) => {
  const { service, client } = await readyService(t);
  const session = await client.call('record.create', { kind: 'session', data: { title: 'Talk', type: 'workshop', startsAt: '2026-03-01T10:00', notes: 'Keep me' } });
  const editor = new Y.Doc();
  Y.applyUpdate(editor, service.workspace.docState(session.id));
  const update = toBase64(insertParagraph(editor, 'Early'));
  await assert.rejects(client.call('doc.update', { id: session.id, update }), (e: unknown) => e instanceof RpcError && /doc\.open/.test(e.message));

  await client.call('doc.open', { id: session.id });
  const before = storedCounts(service);
  await refusedNaming(client.call('doc.update', { id: session.id, update: 'not base64!' }), 'update');
  await assert.rejects(
    client.call('doc.update', { id: session.id, update: toBase64(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02])) }),
    (e: unknown) => e instanceof RpcError && e.code === 'invalid',
  );
  assert.deepEqual(storedCounts(service), before);
  assert.equal(fieldOf(await client.call('record.get', { kind: 'session', id: session.id }), 'notes'), 'Keep me');
  await assert.rejects(client.call('doc.open', { id: randomUUID() }), (e: unknown) => e instanceof RpcError && e.code === 'not_found');
});

test('a duplicate scan runs beside other requests, and a newer scan of the same kind stops the older one', async (t) => {
  const { service, client } = await readyService(t);
  service.workspace.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
  service.workspace.create('contact', { name: 'Robert Smith', phone: '+44 7700900123' });
  const answered: string[] = [];
  const older = client.call('duplicates.find', { kind: 'contact' }).then(
    () => answered.push('older scan'),
    (error: RpcError) => answered.push(`older scan stopped: ${error.message}`),
  );
  const newer = client.call('duplicates.find', { kind: 'contact' }).then((pairs) => {
    answered.push('newer scan');
    return pairs;
  });
  await client.call('record.create', { kind: 'contact', data: { name: 'Ana Lima' } }).then(() => answered.push('create'));
  const [pairs] = await Promise.all([newer, older]);
  assert.ok(answered.includes('older scan stopped: the duplicate scan was stopped: a newer one replaced it'), answered.join(', '));
  assert.ok(answered.indexOf('create') < answered.indexOf('newer scan'), `the create waited for the scan: ${answered.join(', ')}`);
  assert.deepEqual(pairs.map((p) => [p.a.title, p.b.title].sort()), [['Bob Smith', 'Robert Smith']]);
});

test('a burst of changes arrives as one records.changed event, a few as one record.changed each', async (t) => {
  const { service, client, events } = await readyService(t);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  await settle();
  const before = events().length;
  service.workspace.create('contact', { name: 'Ana Lima' });
  await settle();
  const single = events().slice(before);
  assert.deepEqual(single.map((e) => e.name), ['record.changed']);

  const from = events().length;
  service.workspace.createMany('contact', Array.from({ length: 300 }, (_, i) => ({ data: { name: `Resident ${i}` } })));
  await settle();
  const burst = events().slice(from).filter((e) => e.name === 'record.changed' || e.name === 'records.changed');
  assert.deepEqual(burst, [{ type: 'event', name: 'records.changed', kinds: ['contact'], source: 'local' }]);
  assert.equal((await client.call('record.list', { kind: 'contact' })).total, 301);
});

test('duplicates.cancel stops a running scan, whose caller is told so', async (t) => {
  const { service, client } = await readyService(t);
  service.workspace.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
  service.workspace.create('contact', { name: 'Robert Smith', phone: '+44 7700900123' });
  const scan = client.call('duplicates.find', { kind: 'contact' });
  assert.equal(await client.call('duplicates.cancel', { kind: 'contact' }), null);
  await assert.rejects(scan, (e: unknown) => e instanceof RpcError && e.message === 'the duplicate scan was stopped');
  assert.equal((await client.call('duplicates.find', { kind: 'contact' })).length, 1, 'a new scan runs as before');
});
