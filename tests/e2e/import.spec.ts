// Contacts and Assets → "Import…" end to end over fixture files (tests/fixtures/import/): a
// Google Contacts CSV mapped, previewed with its problems, a duplicate merged into a contact
// already here, the batch's consent to the privacy settings' purposes recorded, imported with progress, and undone; a vCard
// file from an iPhone with its photo left out (and said so); an assets spreadsheet with a
// category chosen for the rows that have none.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { guessContactMapping } from '../../main/data-service/import/contact-mapping';
import { readImportFile, RecordImports } from '../../main/data-service/import/record-import';
import { DEFAULT_POLICY } from '../../shared/domain';
import { expect, expectNoSeriousViolations, test } from './fixtures';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');

test.beforeAll(async ({ harness }) => {
  harness.service.workspace.create('contact', { name: 'Margaret Okafor', phone: '07700 900123', notes: 'Tuesday group' });
});

async function openImport(page: Page, url: string, section: 'contacts' | 'assets' = 'contacts') {
  await page.goto(`${url}#/${section}`);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: `Import ${section}` });
  await expect(dialog.getByRole('heading', { name: 'Choose a file' })).toBeVisible();
  return dialog;
}

const STATEMENT = 'consent on paper form v2, collected at events in 2025';

/** Consent to the privacy settings' (default) purpose of contacting people, in its wording in force. */
async function recordConsent(dialog: ReturnType<Page['getByRole']>) {
  await dialog.getByRole('textbox', { name: 'The basis in your words' }).fill(STATEMENT);
  await dialog.getByRole('checkbox', { name: /^Contact about local events and activities/ }).check();
}

test('a Google Contacts CSV: mapping shown, problems named by row, a duplicate merged, the consent recorded, then undone', async ({ page, harness }) => {
  const dialog = await openImport(page, harness.url);
  await expectNoSeriousViolations(page, 'import: choose a file');
  await dialog.getByLabel('Contacts file').setInputFiles(join(FIXTURES, 'google-contacts.csv'));

  await expect(dialog.getByRole('heading', { name: 'Match the columns' })).toBeFocused();
  await expect(dialog.getByText('A Google Contacts export, UTF-8, comma-separated: 4 rows.')).toBeVisible();
  await expect(dialog.getByRole('combobox', { name: 'E-mail 1 - Value becomes' })).toHaveValue('email');
  await expect(dialog.getByRole('combobox', { name: 'Photo becomes' })).toHaveValue('skip');
  await expect(dialog.getByText('11 columns empty in every row are not shown.')).toBeVisible();
  // Changeable: Labels become themes.
  await dialog.getByRole('combobox', { name: 'Labels becomes' }).selectOption('themes');
  await page.screenshot({ path: '/tmp/import-map.png' });
  await expectNoSeriousViolations(page, 'import: mapping');
  await dialog.getByRole('button', { name: 'Next' }).click();

  await expect(dialog.getByRole('heading', { name: 'Check the rows' })).toBeFocused();
  await expect(dialog.getByText('4 rows will become contacts. 1 row has a problem.')).toBeVisible();
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Row 3: phone 0770 is too short (kept in the notes)' })).toBeVisible();
  const preview = dialog.getByRole('table', { name: 'The first rows as they will be stored' });
  await expect(preview.getByRole('row', { name: /Longsight Library/ })).toContainText('M13 0RG');
  await page.screenshot({ path: '/tmp/import-preview.png' });
  await expectNoSeriousViolations(page, 'import: preview');
  await dialog.getByRole('button', { name: 'Next' }).click();

  await expect(dialog.getByRole('heading', { name: 'Already here?' })).toBeFocused();
  await expect(dialog.getByText(/Row 2: Margaret Okafor looks like Margaret Okafor, already here/)).toBeVisible();
  await dialog.getByRole('combobox', { name: 'Row 2, Margaret Okafor' }).selectOption('merge');
  await page.screenshot({ path: '/tmp/import-duplicates.png' });
  await expectNoSeriousViolations(page, 'import: duplicates');
  await dialog.getByRole('button', { name: 'Next' }).click();

  // The basis is required: the batch's words, and a purpose of the privacy settings.
  await expect(dialog.getByRole('heading', { name: 'Lawful basis for this import' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Import 4 contacts' }).click();
  await expect(dialog.getByText(/The basis in your words is required/)).toBeVisible();
  await dialog.getByRole('textbox', { name: 'The basis in your words' }).fill(STATEMENT);
  await dialog.getByRole('button', { name: 'Import 4 contacts' }).click();
  await expect(dialog.getByText(/They consented to is required: choose at least one purpose/)).toBeVisible();
  await recordConsent(dialog);
  await dialog.getByRole('checkbox', { name: /^Share details with partner organisations \(allows: share their details with partners\)/ }).check();
  // Each purpose's wording is the one in force on the day given, changeable.
  await expect(dialog.getByRole('combobox', { name: 'Wording shown for “Share details with partner organisations”' })).toHaveValue('v1');
  await page.screenshot({ path: '/tmp/import-basis.png' });
  await expectNoSeriousViolations(page, 'import: basis');
  await dialog.getByRole('button', { name: 'Import 4 contacts' }).click();

  await expect(dialog.getByRole('heading', { name: 'Import finished' })).toBeFocused();
  await expect(dialog.getByRole('status').filter({ hasText: 'google-contacts.csv: complete: 3 created, 1 merged into existing contacts, 0 skipped.' })).toBeVisible();
  await page.screenshot({ path: '/tmp/import-summary.png' });
  await expectNoSeriousViolations(page, 'import: summary');
  await dialog.getByRole('button', { name: 'Done' }).click();

  const list = page.getByRole('list', { name: 'Contacts' });
  for (const name of ['Dev Patel', 'Longsight Library', 'Siobhán O\'Brien']) await expect(list.getByText(name, { exact: true })).toBeVisible();
  await expect(list.getByText('Margaret Okafor', { exact: true })).toHaveCount(1);
  const margaret = harness.service.workspace.list({ kind: 'contact', limit: 50 }).rows.find((r) => r.title === 'Margaret Okafor')!;
  const merged = harness.service.workspace.get('contact', margaret.id).data;
  expect(merged.email).toBe('margaret.okafor@example.org');
  expect(merged.consents.map((c) => [c.purpose, c.wordingVersion, c.method])).toEqual([
    ['Contact about local events and activities', 'v1', 'written'],
    ['Share details with partner organisations', 'v1', 'written'],
  ]);

  // Undo from the list of earlier imports.
  const again = await openImport(page, harness.url);
  const batch = again.getByRole('listitem').filter({ hasText: 'google-contacts.csv' });
  await expect(batch).toContainText('complete: 3 created, 1 merged into existing contacts, 0 skipped');
  await page.screenshot({ path: '/tmp/import-earlier.png' });
  await batch.getByRole('button', { name: 'Undo this import' }).click();
  await expect(again.getByText('Import undone: 3 contacts removed, 1 merged contact put back as it was.')).toBeVisible();
  await expectNoSeriousViolations(page, 'import: undone');
  await page.screenshot({ path: '/tmp/import-undone.png' });
  await again.getByRole('button', { name: 'Done' }).click();
  await expect(list.getByText('Dev Patel', { exact: true })).toHaveCount(0);
  expect(harness.service.workspace.get('contact', margaret.id).data.email).toBe('');
});

test('an iPhone vCard: its photo is not imported and the screen says so', async ({ page, harness }) => {
  const dialog = await openImport(page, harness.url);
  await dialog.getByLabel('Contacts file').setInputFiles(join(FIXTURES, 'iphone.vcf'));
  await expect(dialog.getByText('vCard 3.0, UTF-8: 2 cards.')).toBeVisible();
  await expect(dialog.getByText('1 card had a photo. Photos are not imported.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('2 cards will become contacts. No problems found.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('No row looks like a contact already here, or like another row of the file.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('textbox', { name: 'The basis in your words' }).fill('members of the tenants’ association');
  await dialog.getByRole('radio', { name: /A lawful basis besides consent/ }).check();
  await dialog.getByRole('combobox', { name: 'Lawful basis' }).selectOption({ label: 'Public task (allows: contact the person; include in evaluation)' });
  await dialog.getByRole('textbox', { name: 'Since' }).fill('01/03/2025');
  await expectNoSeriousViolations(page, 'import: lawful basis');
  await page.screenshot({ path: '/tmp/import-basis-lawful.png' });
  await dialog.getByRole('button', { name: 'Import 2 contacts' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'iphone.vcf: complete: 2 created' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const grace = harness.service.workspace.list({ kind: 'contact', limit: 50 }).rows.find((r) => r.title === 'Grace Okafor')!;
  expect(harness.service.workspace.get('contact', grace.id).data.email).toBe('grace@example.org');
  expect(harness.service.workspace.get('contact', grace.id).data.lawfulBasis).toEqual({ basis: 'Public task', since: '2025-03-01', note: 'members of the tenants’ association' });
});

test('an assets spreadsheet: a category chosen for rows without one, locations read, no consent asked', async ({ page, harness }) => {
  const dialog = await openImport(page, harness.url, 'assets');
  await dialog.getByLabel('Assets file').setInputFiles(join(FIXTURES, 'assets.csv'));
  await expect(dialog.getByRole('combobox', { name: 'Opening times becomes' })).toHaveValue('availability');
  await dialog.getByRole('combobox', { name: 'Category for rows without one' }).selectOption('economic');
  await expectNoSeriousViolations(page, 'asset import: mapping');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('4 rows will become assets. 1 row has a problem.')).toBeVisible();
  await expect(dialog.getByText('Row 4: category "something else" is not one the app knows: economic, chosen for this import, is used')).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Moss Side Allotments/ })).toContainText('53.4502, -2.2301');
  await page.screenshot({ path: '/tmp/import-assets-preview.png' });
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Import 4 assets' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'assets.csv: complete: 4 created' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const cafe = harness.service.workspace.list({ kind: 'asset', limit: 50 }).rows.find((r) => r.title === 'Reading Café')!;
  expect(harness.service.workspace.get('asset', cafe.id).data.category).toBe('economic');
});

test('an attendance register with a column per date: sessions created, people here linked, the others created once', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/sessions`);
  await page.getByRole('button', { name: 'Import register…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import an attendance register' });
  await dialog.getByLabel('Register file').setInputFiles(join(FIXTURES, 'register-columns.csv'));
  await expect(dialog.getByRole('combobox', { name: '03/02/2025 becomes' })).toHaveValue('present');
  await dialog.getByRole('textbox', { name: 'Session title' }).fill('Knit and natter');
  await dialog.getByRole('combobox', { name: 'Session type' }).selectOption('drop-in');
  await expectNoSeriousViolations(page, 'register import: mapping');
  await page.screenshot({ path: '/tmp/import-register-map.png' });
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('3 sessions will be created. No problems found.')).toBeVisible();
  await expect(dialog.getByRole('row').nth(3)).toContainText(/17.*Feb.*2025.*Margaret Okafor, Bo Chan/);
  await page.screenshot({ path: '/tmp/import-register-preview.png' });
  await dialog.getByRole('button', { name: 'Next' }).click();
  await recordConsent(dialog);
  await dialog.getByRole('button', { name: 'Import 3 sessions' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'register-columns.csv: complete' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const ws = harness.service.workspace;
  const sessions = ws.list({ kind: 'session', limit: 50 }).rows.map((r) => ws.get('session', r.id));
  expect(sessions.map((s) => s.data.startsAt).sort()).toEqual(['2025-02-03T10:00', '2025-02-10T10:00', '2025-02-17T10:00']);
  const margarets = ws.list({ kind: 'contact', limit: 50 }).rows.filter((r) => r.title === 'Margaret Okafor');
  expect(margarets).toHaveLength(1);
});

test('an import stopped part-way is carried on from the same file', async ({ page, harness }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'fieldbook-import-')), 'volunteers.csv');
  writeFileSync(path, ['Name,Phone', ...Array.from({ length: 450 }, (_, i) => `Volunteer ${String(i).padStart(3, '0')} Resumed,07700 91${String(i).padStart(4, '0')}`)].join('\n'));
  // A batch stopped after its first chunk, as Cancel or a crash leaves it.
  const ws = harness.service.workspace;
  const file = readImportFile('contact', 'volunteers.csv', readFileSync(path));
  const imports = new RecordImports(ws, 200);
  const basis = { ground: 'lawful-basis' as const, statement: 'volunteers, on the volunteer agreement', basisId: DEFAULT_POLICY.lawfulBases[0]!.id, since: '2025-01-01' };
  const started = imports.start(file, { targets: guessContactMapping(file.headers), category: null, basis, defaultDecision: 'create', decisions: {} });
  expect(imports.step(file, started.id).status).toBe('partial');

  const dialog = await openImport(page, harness.url);
  const batch = dialog.getByRole('listitem').filter({ hasText: 'volunteers.csv' });
  await expect(batch).toContainText('stopped after 200 of 450 rows: 200 created');
  await batch.getByRole('button', { name: 'Carry on with volunteers.csv' }).click();
  await dialog.getByLabel('Choose volunteers.csv again to carry on').setInputFiles(path);
  await expect(dialog.getByRole('status').filter({ hasText: 'volunteers.csv: complete: 450 created' })).toBeVisible();
  expect(ws.imports.summary(started.id)!.created).toBe(450);
});

test('a spreadsheet over 5 MB is sent in pieces and imported with progress; Cancel stops it after whole steps', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const path = join(mkdtempSync(join(tmpdir(), 'fieldbook-import-')), 'members-export.csv');
  const notes = 'Came to the lunch club and asked about the walking group and the Thursday computer help. '.repeat(8);
  const names = Array.from({ length: 10_000 }, (_, i) => `Member ${String(i).padStart(5, '0')} Large`);
  writeFileSync(path, ['Name,Phone,Notes', ...names.map((name, i) => `${name},07700 9${String(i).padStart(5, '0')},"${notes}"`)].join('\r\n'));
  expect(statSync(path).size).toBeGreaterThan(5 * 1024 ** 2);
  const ws = harness.service.workspace;
  const before = ws.info().counts.contact;
  // The answer to the second step is held until Cancel is pressed, as a slower machine would be still writing it.
  const steps = new Set<number>();
  let answered = 0;
  let release = () => {};
  await page.routeWebSocket(/\/rpc/, (socket) => {
    const server = socket.connectToServer();
    const held: (string | Buffer)[] = [];
    socket.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id?: number; method?: string };
      if (request.method === 'import.step') steps.add(request.id!);
      server.send(message);
    });
    server.onMessage((message) => {
      const response = JSON.parse(String(message)) as { id?: number };
      if (response.id !== undefined && steps.has(response.id) && ++answered === 2) return void held.push(message);
      socket.send(message);
    });
    release = () => held.splice(0).forEach((message) => socket.send(message));
  });

  const dialog = await openImport(page, harness.url);
  await dialog.getByLabel('Contacts file').setInputFiles(path);
  // Sending 7.5 MB and reading 10,000 rows takes seconds on a busy machine.
  await expect(dialog.getByText('A spreadsheet: columns matched by their names, UTF-8, comma-separated: 10,000 rows.')).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('10,000 rows will become contacts.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('heading', { name: 'Already here?' })).toBeFocused({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Next' }).click();
  await recordConsent(dialog);
  await dialog.getByRole('button', { name: 'Import 10,000 contacts' }).click();

  // Progress after each step; Cancel is heard between steps, each stored whole.
  await expect(dialog.getByRole('status')).toHaveText('Imported 2,000 of 10,000 rows…', { timeout: 60_000 });
  await expect(dialog.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('value', '2000');
  await page.screenshot({ path: '/tmp/s5-import-large-progress.png' });
  await dialog.getByRole('button', { name: 'Cancel import' }).click();
  release();
  await expect(dialog.getByRole('status').filter({ hasText: 'members-export.csv: stopped after 4,000 of 10,000 rows: 4,000 created' })).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByText(/The import was stopped/)).toBeVisible();
  await page.screenshot({ path: '/tmp/s5-import-large-stopped.png' });
  const [batch] = ws.imports.list().filter((b) => b.fileName === 'members-export.csv');
  expect(batch!.status).toBe('partial');
  expect(ws.info().counts.contact - before).toBe(4_000);
  for (const entry of ws.imports.records(batch!.id)) {
    const stored = ws.get('contact', entry.recordId).data;
    expect(stored.name).toBe(names[entry.line - 2]);
    expect(stored.notes).toBe(notes.trim());
  }
});

/** Each exporter's file: the format the screen names, and someone from it in the preview. */
const SOURCES: [file: string, detected: string, willBecome: string, someone: string][] = [
  ['google-contacts-older.csv', 'A Google Contacts export (older format), UTF-8, comma-separated: 2 rows.', '2 rows', 'Thomas Reid'],
  ['outlook-contacts.csv', 'An Outlook export, Windows-1252, comma-separated: 2 rows.', '2 rows', 'Rosa Díaz'],
  ['spreadsheet-semicolon-1252.csv', 'A spreadsheet: columns matched by their names, Windows-1252, semicolon-separated: 3 rows.', '3 rows', 'Zoë Brontë'],
  ['spreadsheet-utf16.txt', 'A spreadsheet: columns matched by their names, UTF-16 LE, tab-separated: 2 rows.', '2 rows', 'Łukasz Nowak'],
  ['android.vcf', 'vCard 2.1, UTF-8: 2 cards.', '2 cards', 'Zoë Brontë'],
  ['gmail.vcf', 'vCard 3.0, UTF-8: 1 card.', '1 card', 'Peter Walsh'],
  ['outlook.vcf', 'vCard 2.1, Windows-1252: 1 card.', '1 card', 'Rosa Díaz'],
  ['macos.vcf', 'vCard 3.0, UTF-8: 2 cards.', '2 cards', 'Hulme Garden Centre'],
  ['thunderbird.vcf', 'vCard 4.0, UTF-8: 1 card.', '1 card', 'Linh Nguyen'],
];

test('every exporter’s file is read and previewed: Google (older), Outlook, spreadsheets, and vCards from Android, Gmail, Outlook, macOS, Thunderbird', async ({ page, harness }) => {
  for (const [name, detected, willBecome, someone] of SOURCES) {
    const dialog = await openImport(page, harness.url);
    await dialog.getByLabel('Contacts file').setInputFiles(join(FIXTURES, name));
    await expect(dialog.getByText(detected), name).toBeVisible();
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: `${willBecome} will become contacts` }), name).toBeVisible();
    await expect(dialog.getByRole('table', { name: 'The first rows as they will be stored' }).getByRole('cell', { name: someone, exact: true }).first(), name).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
  }
});
