// Backups as a user meets them: Settings › Backups lists them with what each holds and
// restores one after saying what follows; a workspace file damaged while the app was closed
// opens on a screen that says what happened and restores the backup, never on first run.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeBackup } from '../../main/data-service/db/backups';
import { openSqlite } from '../../main/data-service/db/sqlite';
import { expect, expectNoSeriousViolations, openSection, test } from './fixtures';

test('a backup is restored from Settings, after the dialog says what follows', async ({ page, freshHarness: harness }) => {
  const ws = harness.service.workspace;
  ws.create('contact', { name: 'Margaret Okafor' });
  writeBackup(ws.db, ws.path!, 'daily', new Date(Date.now() + 60_000));
  ws.create('contact', { name: 'Grace Obi' });

  await page.goto(harness.url);
  await openSection(page, 'Settings');
  const section = page.getByRole('region', { name: 'Backups' });
  await expect(section).toContainText('kept for 14 days');
  // Newest first: the backup taken after Margaret was added, before Grace.
  const row = section.getByRole('row').nth(1);
  await expect(row).toContainText('0 assets, 1 contact, 0 connections and 0 sessions');
  await expectNoSeriousViolations(page, 'Settings › Backups');

  await row.getByRole('button', { name: /^Restore the backup from/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
  await expect(dialog).toContainText('0 assets, 1 contact, 0 connections and 0 sessions');
  await expect(dialog).toContainText('This workspace does not sync, so changes made since then are lost.');
  await expect(dialog).toContainText('The workspace as it is now is kept as a backup first');
  await expectNoSeriousViolations(page, 'the restore dialog');
  await page.screenshot({ path: '/tmp/backups-restore-dialog.png' });
  await dialog.getByRole('button', { name: 'Restore this backup' }).click();

  // The window reloads onto the restored workspace.
  await expect(page.getByRole('status').filter({ hasText: 'The workspace was restored from the backup of' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Backups' }).getByRole('row').filter({ hasText: 'The workspace as it was before a restore' })).toContainText(
    '2 contacts',
  );
  await openSection(page, 'Contacts');
  await expect(page.getByRole('link', { name: 'Margaret Okafor' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Grace Obi' })).toHaveCount(0);
});

test('a workspace file damaged while the app was closed opens on a screen that says so, and its backup restores the data', async ({ page, freshHarness: harness }) => {
  const ws = harness.service.workspace;
  ws.create('contact', { name: 'Margaret Okafor' });
  ws.create('asset', { name: 'St Mary’s Hall', category: 'physical' });
  writeBackup(ws.db, ws.path!, 'daily', new Date(Date.now() + 60_000));
  await harness.restart((dataDir) => {
    // An interrupted copy stops mid-page. (The file is encrypted, header and all, so one cut
    // on a page boundary can only be told apart as damage: damaged-workspace.test.ts.)
    const file = join(dataDir, 'workspace.sqlite');
    truncateSync(file, Math.floor(statSync(file).size / 2) + 1000);
  });

  await page.goto(harness.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Your workspace could not be opened' })).toBeVisible();
  await expect(page.getByText('shorter than it should be')).toBeVisible();
  await expect(page.getByText(/moved aside, unchanged, to .*workspace\.damaged-.*\.sqlite/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Community Fieldbook' })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'the damaged workspace screen');
  await page.screenshot({ path: '/tmp/backups-damaged.png' });

  await page.getByRole('button', { name: /^Restore the backup from .* \(1 asset, 1 contact, 0 connections and 0 sessions\)$/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
  await expect(dialog).toContainText('If this workspace syncs');
  await dialog.getByRole('button', { name: 'Restore this backup' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'The workspace was restored from the backup of' })).toBeVisible();
  await openSection(page, 'Contacts');
  await expect(page.getByRole('link', { name: 'Margaret Okafor' })).toBeVisible();
  await openSection(page, 'Assets');
  await expect(page.getByRole('link', { name: 'St Mary’s Hall' })).toBeVisible();
});

test('what can be read of a damaged workspace file is recovered from the start-up screen', async ({ page, freshHarness: harness }) => {
  const ws = harness.service.workspace;
  ws.create('contact', { name: 'Margaret Okafor' });
  const key = ws.key ?? undefined;
  await harness.restart((dataDir) => {
    // Garbage over the page of the contacts list's index: the records themselves can still be read.
    const file = join(dataDir, 'workspace.sqlite');
    const db = openSqlite(file, { readonly: true, key });
    const page = db.prepare("SELECT pageno FROM dbstat WHERE name = 'records_by_title'").pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
  });

  await page.goto(harness.url);
  await expect(page.getByText('Parts of the workspace file on this device cannot be read')).toBeVisible();
  await page.getByRole('button', { name: 'Recover what can be read' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Recovered what could be read' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('The new workspace holds 0 assets, 1 contact, 0 connections and 0 sessions.');
  await expectNoSeriousViolations(page, 'the recovery result');
  await page.getByRole('button', { name: 'Open the workspace' }).click();
  await openSection(page, 'Contacts');
  await expect(page.getByRole('link', { name: 'Margaret Okafor' })).toBeVisible();
});

test('with the workspace file gone and no backup, an empty workspace starts only once the user has read what it means', async ({ page, freshHarness: harness }) => {
  await harness.service.backupRunning;
  await harness.restart((dataDir) => {
    rmSync(join(dataDir, 'workspace.sqlite'));
    rmSync(join(dataDir, 'backups'), { recursive: true });
  });

  await page.goto(harness.url);
  await expect(page.getByText('The workspace file is not in its folder on this device.')).toBeVisible();
  await expect(page.getByText('There is no backup of this workspace on this device.')).toBeVisible();
  await page.getByRole('button', { name: 'Start again with an empty workspace…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start again with an empty workspace?' });
  await expect(dialog).toContainText('connect this device again with an invite code');
  await expectNoSeriousViolations(page, 'the start-empty dialog');
  await dialog.getByRole('button', { name: 'Start an empty workspace' }).click();
  await openSection(page, 'Contacts');
  await expect(page.getByText('0 contacts')).toBeVisible();
});
