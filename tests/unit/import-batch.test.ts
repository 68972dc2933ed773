// Importing contacts as one batch: written through the workspace's write path with the
// batch's consent, duplicates decided per row, a stop leaving a partial batch that can be
// resumed, and "Undo this import" removing exactly what it created and reverting its merges
// while edits made since stay and are reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFile, findImportDuplicates, readImportFile, RecordImports, saveMapping, type OpenedFile } from '../../main/data-service/import/record-import';
import { guessAssetMapping } from '../../main/data-service/import/asset-mapping';
import { ERASED_FILE_NAME } from '../../main/data-service/import/batches';
import { eraseContact } from '../../main/data-service/privacy/erasure';
import { guessContactMapping } from '../../main/data-service/import/contact-mapping';
import { DEFAULT_POLICY } from '../../shared/domain';
import { lacksLawfulGround, mayUse } from '../../shared/privacy/consent-rules';
import type { ImportBasis } from '../../shared/rpc-import';
import { openTemp, projectionRows, recordFromDoc } from './helpers';

const [contactPurpose, sharePurpose] = DEFAULT_POLICY.purposes;
const publicTask = DEFAULT_POLICY.lawfulBases.find((b) => b.name === 'Public task')!;
const statement = 'consent on paper form v2, collected at events in 2025';
const basis: ImportBasis = { ground: 'consent', statement, purposes: [{ purposeId: contactPurpose!.id, wordingVersion: 'v1' }], method: 'written', givenAt: '2025-06-01' };

const csvFile = (rows: string[]): OpenedFile => readImportFile('contact', 'people.csv', Buffer.from(['Name,Phone,Email,Postcode,Notes', ...rows].join('\r\n'), 'utf8'));
const targetsOf = (file: OpenedFile) => guessContactMapping(file.headers);

/** Run a batch to its end, step by step as the screen does. */
function runAll(imports: RecordImports, file: OpenedFile, batchId: string) {
  let batch = imports.step(file, batchId);
  while (batch.status === 'partial') batch = imports.step(file, batchId);
  return batch;
}

const activeNames = (ws: ReturnType<typeof openTemp>['ws']) =>
  ws.list({ kind: 'contact', limit: 500 }).rows.map((r) => r.title).sort();

test('an import stores each row as a whole contact with the batch consent, through the write path (doc, projection, history, outbox)', (t) => {
  const { ws } = openTemp(t);
  const file = csvFile(['Ann Lee,07700 900001,ann@example.org,M14 5TQ,Knits', 'Bo Chan,0770,,,']);
  const imports = new RecordImports(ws);
  const batch = runAll(imports, file, imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'skip', decisions: {} }).id);
  assert.equal(batch.status, 'complete');
  assert.equal(batch.created, 2);
  const ids = ws.imports.records(batch.id).map((r) => r.recordId);
  for (const id of ids) {
    const stored = ws.get('contact', id);
    assert.deepEqual(stored.data, recordFromDoc(ws, 'contact', id).data, 'the projection says what the doc holds');
    assert.equal(stored.data.consents.length, 1);
    assert.equal(stored.data.consents[0]!.purposeId, contactPurpose!.id);
    assert.equal(stored.data.consents[0]!.purpose, contactPurpose!.name);
    assert.equal(stored.data.consents[0]!.method, 'written');
    assert.ok(ws.history(id).some((h) => h.field === '(created)'));
  }
  assert.equal(ws.outbox.pending(), 2, 'both new contacts wait to sync');
  const bo = ws.get('contact', ids[1]!);
  assert.equal(bo.data.phone, '', 'a phone too short is not stored as a phone…');
  assert.match(bo.data.notes, /Phone as written: 0770/, '…but kept in the notes');
});

test('people imported under consent to sharing may be shared by the consent rules; under consent to contact only, they may not', (t) => {
  const { ws } = openTemp(t);
  const file = csvFile(['Ann Lee,07700 900001,ann@example.org,M14 5TQ,']);
  const imports = new RecordImports(ws);
  const sharing: ImportBasis = { ...basis, purposes: [{ purposeId: contactPurpose!.id, wordingVersion: 'v1' }, { purposeId: sharePurpose!.id, wordingVersion: 'v1' }] };
  const shared = runAll(imports, file, imports.start(file, { targets: targetsOf(file), category: null, basis: sharing, defaultDecision: 'create', decisions: {} }).id);
  const ann = ws.get('contact', ws.imports.records(shared.id)[0]!.recordId).data;
  assert.deepEqual(
    ann.consents.map((c) => [c.purposeId, c.purpose, c.wordingVersion, c.givenAt, c.method]),
    [
      [contactPurpose!.id, contactPurpose!.name, 'v1', '2025-06-01', 'written'],
      [sharePurpose!.id, sharePurpose!.name, 'v1', '2025-06-01', 'written'],
    ],
  );
  const policy = ws.records.policy();
  assert.equal(mayUse(ann, 'share', policy, '2025-07-01'), true);
  assert.equal(mayUse(ann, 'contact', policy, '2025-07-01'), true);
  assert.equal(shared.basis?.ground === 'consent' && shared.basis.statement, statement, 'the batch keeps its own words');

  const contactOnly = runAll(imports, file, imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'create', decisions: {} }).id);
  const other = ws.get('contact', ws.imports.records(contactOnly.id)[0]!.recordId).data;
  assert.equal(mayUse(other, 'share', policy, '2025-07-01'), false);
});

test('people imported under a lawful basis have it, since the batch’s date with its words as the note, and are not listed as without ground', (t) => {
  const { ws } = openTemp(t);
  const kept = ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123', lawfulBasis: { basis: 'Legitimate interests', since: '2024-01-01', note: 'tenant' } });
  const without = ws.create('contact', { name: 'Dev Patel', phone: '07700 900777' });
  const file = csvFile(['Ann Lee,07700 900001,,,', 'Margaret Okafor,07700 900123,maggie@example.org,,', 'Dev Patel,07700 900777,,,']);
  const imports = new RecordImports(ws);
  const lawful: ImportBasis = { ground: 'lawful-basis', statement: 'tenants of the estate, from the housing association', basisId: publicTask.id, since: '2025-03-01' };
  const batch = runAll(imports, file, imports.start(file, { targets: targetsOf(file), category: null, basis: lawful, defaultDecision: 'merge', decisions: {} }).id);
  const ann = ws.get('contact', ws.imports.records(batch.id).find((r) => r.action === 'created')!.recordId).data;
  assert.deepEqual(ann.lawfulBasis, { basis: 'Public task', since: '2025-03-01', note: lawful.statement });
  assert.deepEqual(ann.consents, []);
  const policy = ws.records.policy();
  assert.equal(lacksLawfulGround(ann, policy, '2025-07-01'), false);
  assert.equal(mayUse(ann, 'evaluate', policy, '2025-07-01'), true, 'public task allows evaluation');
  assert.deepEqual(ws.get('contact', kept.id).data.lawfulBasis, { basis: 'Legitimate interests', since: '2024-01-01', note: 'tenant' }, 'a basis already recorded stays');
  assert.equal(ws.get('contact', without.id).data.lawfulBasis?.basis, 'Public task', 'a contact merged into without one takes the batch’s');
  imports.undo(batch.id);
  assert.equal(ws.get('contact', without.id).data.lawfulBasis, null, 'undo takes it off again');
});

test('a basis the privacy settings do not know is refused, naming the field', (t) => {
  const { ws } = openTemp(t);
  const file = csvFile(['Ann Lee,07700 900001,,,']);
  const imports = new RecordImports(ws);
  const start = (b: ImportBasis) => imports.start(file, { targets: targetsOf(file), category: null, basis: b, defaultDecision: 'create', decisions: {} });
  assert.throws(() => start({ ...basis, purposes: [{ purposeId: publicTask.id, wordingVersion: 'v1' }] }), /basis\.purposes\.0\.purposeId: is not one of the consent purposes/);
  assert.throws(() => start({ ...basis, purposes: [{ purposeId: sharePurpose!.id, wordingVersion: 'form v2' }] }), /basis\.purposes\.0\.wordingVersion: is not a wording of “Share details with partner organisations”: choose one of v1/);
  assert.throws(() => start({ ...basis, givenAt: '2023-12-01' }), /wordingVersion: was first shown on 2024-01-01, after the day consent was given/);
  assert.throws(() => start({ ground: 'lawful-basis', statement, basisId: sharePurpose!.id, since: '2025-01-01' }), /basis\.basisId: is not one of the lawful bases/);
  assert.equal(ws.imports.list().length, 0, 'no batch is recorded');
});

test('duplicates: against the workspace and within the file, each skipped, merged or created as chosen', (t) => {
  const { ws } = openTemp(t);
  const existing = ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123', postcode: 'M14 5TQ' });
  const file = csvFile([
    'Margaret Okafor,07700 900123,maggie@example.org,,Has a key', // like the existing contact
    'Robert Smith,07700 900200,,,', //
    'Bob Smith,07700 900200,bob@example.org,,', // like row 3
    'Sam Jones,07700 900300,,,',
  ]);
  const duplicates = findImportDuplicates(ws, file, { targets: targetsOf(file) });
  assert.deepEqual(
    duplicates.map((d) => [d.line, 'existing' in d.match ? d.match.existing.id : d.match.row]),
    [
      [2, existing.id],
      [4, 3],
    ],
  );
  const imports = new RecordImports(ws);
  const start = imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'skip', decisions: { '2': 'merge', '4': 'merge' } });
  const batch = runAll(imports, file, start.id);
  assert.equal(batch.created, 2, 'Robert (with Bob folded in) and Sam');
  assert.equal(batch.merged, 2);
  assert.deepEqual(activeNames(ws), ['Margaret Okafor', 'Robert Smith', 'Sam Jones']);
  const margaret = ws.get('contact', existing.id).data;
  assert.equal(margaret.email, 'maggie@example.org', 'an empty field takes the row’s value');
  assert.equal(margaret.phone, '07700 900123');
  assert.match(margaret.notes, /Has a key/);
  assert.equal(margaret.consents[0]!.purposeId, contactPurpose!.id, 'the batch consent reaches the merged contact too');
  const robert = ws.list({ kind: 'contact', limit: 10 }).rows.find((r) => r.title === 'Robert Smith')!;
  assert.equal(ws.get('contact', robert.id).data.email, 'bob@example.org', 'row 4 folded into row 3');

  // Skip for all: nothing of the duplicate rows is written.
  const again = imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'skip', decisions: {} });
  const skipped = runAll(imports, file, again.id);
  assert.equal(skipped.created, 0, 'every row now matches a stored contact or an earlier row');
  assert.equal(skipped.skipped, 4);
});

test('undo removes exactly what the batch created and reverts its merges; edits made since stay and are reported', (t) => {
  const { ws } = openTemp(t);
  const before = ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123', notes: 'Tuesday group' });
  const other = ws.create('contact', { name: 'Unrelated Person', phone: '07700 900999' });
  const file = csvFile(['Margaret Okafor,07700 900123,maggie@example.org,M14 5TQ,Has a key', 'Ann Lee,07700 900001,,,', 'Bo Chan,07700 900002,,,']);
  const imports = new RecordImports(ws);
  const batch = runAll(imports, file, imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'merge', decisions: {} }).id);
  const created = ws.imports.records(batch.id).filter((r) => r.action === 'created').map((r) => r.recordId);
  assert.equal(created.length, 2);

  // Later edits: to the merged contact's postcode (which the merge filled in), to an unrelated contact, to a created one.
  ws.update('contact', before.id, { postcode: 'M13 9PL' });
  ws.update('contact', other.id, { notes: 'met at the fair' });
  ws.update('contact', created[0]!, { notes: 'called back' });

  const result = imports.undo(batch.id);
  assert.equal(result.removed, 2);
  assert.equal(result.reverted, 1);
  assert.deepEqual(activeNames(ws), ['Margaret Okafor', 'Unrelated Person']);
  const margaret = ws.get('contact', before.id).data;
  assert.equal(margaret.email, '', 'the email the merge filled in is taken back');
  assert.equal(margaret.notes, 'Tuesday group', 'the notes as they were');
  assert.deepEqual(margaret.consents, [], 'the batch consent is taken back');
  assert.equal(margaret.postcode, 'M13 9PL', 'the edit made since stays');
  assert.equal(ws.get('contact', other.id).data.notes, 'met at the fair', 'edits elsewhere stay');
  assert.ok(result.kept.some((k) => /Margaret Okafor: postcode was changed after the import/.test(k)), result.kept.join('; '));
  assert.ok(result.kept.some((k) => /Ann Lee was edited after the import/.test(k)), result.kept.join('; '));
  assert.equal(ws.imports.summary(batch.id)!.status, 'undone');
  assert.throws(() => imports.undo(batch.id), /already been undone/);
  // The projection is still a function of the docs.
  const rows = projectionRows(ws);
  ws.rebuildProjections();
  assert.deepEqual(projectionRows(ws), rows);
});

test('a stopped import is partial: the rows before the stop are stored whole; it resumes from the same file only, or is undone', (t) => {
  const { ws } = openTemp(t);
  const rows = Array.from({ length: 450 }, (_, i) => `Person ${String(i).padStart(3, '0')} Tester,07700 9${String(i).padStart(5, '0')},,,`);
  const file = csvFile(rows);
  const imports = new RecordImports(ws, 200);
  const start = imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'create', decisions: {} });
  const first = imports.step(file, start.id); // Cancel after one step
  assert.equal(first.status, 'partial');
  assert.equal(first.done, 200);
  assert.equal(ws.info().counts.contact, 200);

  const otherFile = csvFile(rows.slice(1));
  assert.throws(() => imports.resume(otherFile, start.id), /not the file this import was started from/);
  const reopened = readImportFile('contact', 'people.csv', Buffer.from(['Name,Phone,Email,Postcode,Notes', ...rows].join('\r\n'), 'utf8'));
  assert.equal(imports.resume(reopened, start.id).done, 200);
  const done = runAll(imports, reopened, start.id);
  assert.equal(done.status, 'complete');
  assert.equal(done.created, 450);
  assert.equal(ws.info().counts.contact, 450, 'no row written twice');
});

test('an assets import: the batch’s category where rows have none, a row merged into an asset already here, and undone', (t) => {
  const { ws } = openTemp(t);
  const hall = ws.create('asset', { name: 'St Mary’s Hall', category: 'physical', postcode: 'M14 4HR', location: { lat: 53.455, lon: -2.228 } });
  const file = readImportFile('asset', 'assets.csv', Buffer.from(['Name,Postcode,Latitude,Longitude,Opening times', 'St Mary’s Hall,M14 4HR,53.455,-2.228,Mon-Fri 9-5', 'Green Street Garden,M14 5TQ,,,'].join('\n'), 'utf8'));
  const targets = guessAssetMapping(file.headers);
  const duplicates = findImportDuplicates(ws, file, { targets, category: 'physical' });
  assert.deepEqual(duplicates.map((d) => d.line), [2]);
  const imports = new RecordImports(ws);
  const contacts = readImportFile('contact', 'people.csv', Buffer.from('Name\nAnn Lee\n'));
  assert.throws(() => imports.start(contacts, { targets: ['name'], category: null, basis: null, defaultDecision: 'skip', decisions: {} }), /basis\.statement: is required/, 'contacts need a lawful basis; assets do not');
  const batch = runAll(imports, file, imports.start(file, { targets, category: 'physical', basis: null, defaultDecision: 'merge', decisions: {} }).id);
  assert.equal(batch.kind, 'asset');
  assert.equal(batch.created, 1);
  assert.equal(batch.merged, 1);
  assert.equal(ws.get('asset', hall.id).data.availability, 'Mon-Fri 9-5', 'the empty opening times filled in');
  const garden = ws.imports.records(batch.id).find((r) => r.action === 'created')!;
  assert.equal(ws.get('asset', garden.recordId).data.category, 'physical');
  imports.undo(batch.id);
  assert.equal(ws.get('asset', hall.id).data.availability, '');
  assert.notEqual(ws.get('asset', garden.recordId).deletedAt, null);
});

test('a mapping saved for a header set is used the next time a file with those headers is opened', (t) => {
  const { ws } = openTemp(t);
  const first = csvFile(['Ann Lee,07700 900001,,,']);
  const guessed = describeFile(ws, first);
  assert.equal(guessed.savedMapping, false);
  assert.deepEqual(guessed.targets, ['name', 'phone', 'email', 'postcode', 'notes']);
  saveMapping(ws, first, ['name', 'phone', 'email', 'postcode', 'skip']);
  const again = describeFile(ws, csvFile(['Bo Chan,07700 900002,,,']));
  assert.equal(again.savedMapping, true);
  assert.deepEqual(again.targets, ['name', 'phone', 'email', 'postcode', 'skip']);
  const otherHeaders = readImportFile('contact', 'other.csv', Buffer.from('Name,Mobile\nCy Dee,07700 900003\n'));
  assert.equal(describeFile(ws, otherHeaders).savedMapping, false, 'other headers, another mapping');
  assert.throws(() => saveMapping(ws, first, ['name', 'category', 'email', 'postcode', 'skip']), /contacts have no field category/);
});

test('a row to be merged into a contact deleted since the import began is created instead, and the import goes on', (t) => {
  const { ws } = openTemp(t);
  const existing = ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123' });
  const file = csvFile(['Margaret Okafor,07700 900123,maggie@example.org,,']);
  const imports = new RecordImports(ws);
  const start = imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'merge', decisions: {} });
  ws.delete('contact', existing.id);
  const batch = runAll(imports, file, start.id);
  assert.equal(batch.status, 'complete');
  assert.equal(batch.created, 1);
  assert.deepEqual(activeNames(ws), ['Margaret Okafor']);
});

test("erasing a person takes their name out of the name of a file that brought them in ('Peggy Jones.vcf' from a phone); other files keep theirs", (t) => {
  const { ws } = openTemp(t);
  const card = readImportFile('contact', 'Peggy Jones.vcf', Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Peggy Jones\r\nTEL:07700 900777\r\nEND:VCARD\r\n'));
  const sheet = readImportFile('contact', 'jones family.csv', Buffer.from('Name,Phone\r\nDev Jones,07700 900888\r\n'));
  const other = csvFile(['Ann Lee,07700 900001,,,']);
  const imports = new RecordImports(ws);
  const run = (file: OpenedFile) => runAll(imports, file, imports.start(file, { targets: targetsOf(file), category: null, basis, defaultDecision: 'skip', decisions: {} }).id);
  const [peggyBatch, sheetBatch, otherBatch] = [run(card), run(sheet), run(other)];
  const peggy = ws.imports.records(peggyBatch.id)[0]!.recordId;
  eraseContact(ws, { id: peggy, confirmName: 'Peggy Jones' });
  const names = new Map((ws.db.prepare('SELECT id, file_name AS name FROM import_batches').all() as { id: string; name: string }[]).map((b) => [b.id, b.name]));
  assert.equal(names.get(peggyBatch.id), ERASED_FILE_NAME);
  assert.equal(names.get(sheetBatch.id), 'jones family.csv', 'a shared surname in a file that did not bring her in is not her name');
  assert.equal(names.get(otherBatch.id), 'people.csv');
  assert.equal(ws.db.prepare("SELECT count(*) FROM import_batches WHERE file_name LIKE '%Peggy%'").pluck().get(), 0);
});
