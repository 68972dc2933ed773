// A file to import travels in chunks (one message is limited to 8 MB; a 50,000-row export is
// about 10 MB): it is opened once every byte has arrived in order, and a chunk out of place,
// too many bytes or a file not all sent are refused with what was wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { importHandlers } from '../../main/data-service/import/handlers';
import { BackgroundScans } from '../../main/data-service/duplicates/background';
import type { DataService } from '../../main/data-service/data-service';
import { IMPORT_CHUNK_BYTES, IMPORT_RPC_METHODS, type ImportDuplicate, type ImportTarget } from '../../shared/rpc-import';
import { describeFile, findImportDuplicates, findImportDuplicatesInBackground, readImportFile } from '../../main/data-service/import/record-import';
import { RpcError } from '../../shared/rpc';
import { openTemp } from './helpers';

function connect(t: Parameters<typeof openTemp>[0]) {
  const { ws } = openTemp(t);
  const handlers = importHandlers({ service: { workspace: ws, duplicateScans: new BackgroundScans() } as unknown as DataService, connection: { emit: () => {}, onClose: () => {} } });
  // Each message checked by the contract, as the connection does.
  return async <M extends keyof typeof IMPORT_RPC_METHODS>(method: M, params: unknown) =>
    (await (handlers[method] as (p: unknown) => unknown)(IMPORT_RPC_METHODS[method].params.parse(params))) as Awaited<ReturnType<(typeof handlers)[M]>>;
}

/** A spreadsheet of `rows` people, larger than one chunk. */
const spreadsheet = (rows: number) =>
  Buffer.from(['Name,Phone,Notes', ...Array.from({ length: rows }, (_, i) => `Person ${i} Chunked,07700 9${String(i).padStart(5, '0')},"${'a long note about them. '.repeat(20)}"`)].join('\r\n'));

test('a file larger than a chunk is sent in chunks and opened whole', async (t) => {
  const call = connect(t);
  const bytes = spreadsheet(6_000);
  assert.ok(bytes.length > 2 * IMPORT_CHUNK_BYTES);
  const { uploadId } = await call('import.upload', { kind: 'contact', fileName: 'people.csv', bytes: bytes.length });
  let received = 0;
  for (let offset = 0; offset < bytes.length; offset += IMPORT_CHUNK_BYTES) {
    ({ received } = await call('import.uploadChunk', { uploadId, offset, data: bytes.subarray(offset, offset + IMPORT_CHUNK_BYTES).toString('base64') }));
  }
  assert.equal(received, bytes.length);
  const file = await call('import.open', { uploadId });
  assert.equal(file.fileName, 'people.csv');
  assert.equal(file.rows, 6_000);
  const preview = await call('import.preview', { fileId: file.fileId, targets: file.targets });
  assert.equal(preview.importable, 6_000);
  assert.equal(preview.rows[0]!.data!.name, 'Person 0 Chunked');
  await assert.rejects(call('import.open', { uploadId }), /no longer being received: choose it again/, 'an upload is opened once');
});

test('a chunk out of order, more bytes than announced, and a file not all sent are refused, naming what was wrong', async (t) => {
  const call = connect(t);
  const bytes = spreadsheet(10);
  const chunk = (from: number, to: number) => bytes.subarray(from, to).toString('base64');
  const { uploadId } = await call('import.upload', { kind: 'contact', fileName: 'people.csv', bytes: bytes.length });
  await assert.rejects(call('import.uploadChunk', { uploadId, offset: 10, data: chunk(10, 20) }), (e: RpcError) => e.issues?.[0]?.field === 'offset' && /expected the chunk at byte 0, got one at 10/.test(e.issues[0].message));
  await call('import.uploadChunk', { uploadId, offset: 0, data: chunk(0, 100) });
  await assert.rejects(call('import.uploadChunk', { uploadId, offset: 100, data: Buffer.alloc(bytes.length).toString('base64') }), (e: RpcError) => /more bytes than the \d+ announced/.test(e.issues?.[0]?.message ?? ''));
  await assert.rejects(call('import.open', { uploadId }), new RegExp(`people.csv: only 100 of ${bytes.length} bytes arrived; choose the file again`));
  assert.throws(() => IMPORT_RPC_METHODS['import.upload'].params.parse({ kind: 'contact', fileName: 'huge.csv', bytes: 200 * 1024 ** 2 }), /larger than 50 MB/);
  assert.throws(() => IMPORT_RPC_METHODS['import.upload'].params.parse({ kind: 'contact', fileName: 'empty.csv', bytes: 0 }), /the file is empty/);
});

test('the duplicate check begun when a file is opened lists what a check on this thread lists, and sees a contact stored after the opening', async (t) => {
  const { ws } = openTemp(t);
  ws.create('contact', { name: 'Grace Obi', phone: '07700 900123' });
  const csv = Buffer.from('Name,Phone\r\nGrace Obi,07700 900123\r\nSamir Patel,07700 900456\r\nSamir Patel,07700 900456\r\nNew Person,07700 900789\r\n');
  const scans = new BackgroundScans();
  const opened = () => {
    const file = readImportFile('contact', 'people.csv', csv);
    file.scan = scans.beginImport(ws, 'contact') ?? undefined;
    return { file, mapping: { targets: describeFile(ws, file).targets as ImportTarget[] } };
  };
  const matches = (found: ImportDuplicate[]) => found.map((d) => [d.line, 'existing' in d.match ? d.match.existing.title : `line ${d.match.row}`]);

  const first = opened();
  assert.ok(first.file.scan, 'a workspace file gets its check begun on another thread');
  const inBackground = await findImportDuplicatesInBackground(ws, first.file, first.mapping, scans);
  const here = opened();
  here.file.scan?.cancel();
  assert.deepEqual(inBackground, findImportDuplicates(ws, here.file, here.mapping));
  assert.deepEqual(matches(inBackground), [[2, 'Grace Obi'], [4, 'line 3']]);

  // The check begun at the opening read the workspace before Samir was stored; he is found all the same.
  const second = opened();
  await second.file.scan!.loaded;
  ws.create('contact', { name: 'Samir Patel', phone: '07700 900456' });
  assert.deepEqual(matches(await findImportDuplicatesInBackground(ws, second.file, second.mapping, scans)), [[2, 'Grace Obi'], [3, 'Samir Patel'], [4, 'Samir Patel']]);
});

test('a duplicate check whose thread cannot run finds the same list on the data service’s own thread', async (t) => {
  const { ws } = openTemp(t);
  ws.create('contact', { name: 'Grace Obi', phone: '07700 900123' });
  ws.create('contact', { name: 'Grace Obi', phone: '07700 900123', email: 'grace@example.org' });
  const csv = Buffer.from('Name,Phone\r\nGrace Obi,07700 900123\r\nSamir Patel,07700 900456\r\nSamir Patel,07700 900456\r\n');
  // As a packaged app whose worker module fails to load: the thread throws before any scan.
  const broken = new BackgroundScans(() => new Worker('throw new Error("Cannot find module scan-worker.cjs")', { eval: true }));
  const working = new BackgroundScans();
  t.mock.method(console, 'error', () => {});

  const open = (scans: BackgroundScans) => {
    const file = readImportFile('contact', 'people.csv', csv);
    file.scan = scans.beginImport(ws, 'contact') ?? undefined;
    return { file, mapping: { targets: describeFile(ws, file).targets as ImportTarget[] } };
  };
  const [failing, sound] = [open(broken), open(working)];
  const found = await findImportDuplicatesInBackground(ws, failing.file, failing.mapping, broken);
  assert.deepEqual(found, await findImportDuplicatesInBackground(ws, sound.file, sound.mapping, working));
  assert.deepEqual(found.map((d) => d.line), [2, 4]);

  const query = { kind: 'contact' as const, threshold: 0.6 };
  const pairs = await broken.find(ws, query);
  assert.deepEqual(pairs, await working.find(ws, query));
  assert.equal(pairs.length, 1, 'the two Grace Obis');
});
