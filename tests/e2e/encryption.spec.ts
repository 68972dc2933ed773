// The workspace's lock as a user meets it: first run sets a passphrase (the rule said beside
// it) and shows the recovery code once; each start asks for the passphrase, says plainly when
// it is wrong, and the recovery code opens the workspace when the passphrase is forgotten; a
// workspace from an earlier version is encrypted once; a missing key file is said plainly.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../main/data-service/workspace';
import { TEST_PASSPHRASE } from '../unit/helpers';
import { expect, expectNoSeriousViolations, openSection, test, unlockInPage } from './fixtures';

test.use({ firstRunAs: null });

const NEW_PASSPHRASE = 'kettle lantern orchard pebble';

test('first run sets a passphrase and gives the recovery code once; the next start is locked until the passphrase is typed', async ({ page, freshHarness }) => {
  await page.goto(freshHarness.url);
  await expect(page.getByText(/It must be at least 12 characters/)).toBeVisible();
  await page.getByLabel('Your name').fill('Asha Patel');
  await page.getByLabel('Workspace name').fill('Moss Side Connections');
  await page.getByLabel('Passphrase', { exact: true }).fill('too short');
  await page.getByLabel('Type the passphrase again').fill('too short');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('Passphrase must be at least 12 characters')).toBeVisible();
  await page.getByLabel('Passphrase', { exact: true }).fill(TEST_PASSPHRASE);
  await page.getByLabel('Type the passphrase again').fill(`${TEST_PASSPHRASE}!`);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('Type the passphrase again does not match the passphrase above')).toBeVisible();
  await expectNoSeriousViolations(page, 'first run with a passphrase');
  expect(freshHarness.service.profile().state, 'nothing is set up while the form is refused').toBe('needs-setup');

  await page.getByLabel('Type the passphrase again').fill(TEST_PASSPHRASE);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery code' })).toBeFocused();
  await expect(page.locator('.recovery-code code')).toHaveText(/^([0-9A-Z]{5}-){4}[0-9A-Z]{5}$/);
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();
  await page.getByRole('button', { name: 'Save as file' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'community-fieldbook-recovery-code.txt' })).toBeVisible();
  await expectNoSeriousViolations(page, 'recovery code');
  // From the keyboard, as a screen reader user goes on: the checkbox, then Continue.
  await page.getByLabel('I have stored it safely').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Continue' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  freshHarness.service.workspace.create('contact', { name: 'Zebulon Quartermaine', phone: '07700 900461' });

  await freshHarness.restart(undefined, { locked: true });
  await page.goto(freshHarness.url);
  await expect(page.getByRole('heading', { name: 'Unlock Moss Side Connections' })).toBeVisible();
  await expectNoSeriousViolations(page, 'unlock');
  await unlockInPage(page, 'correct horse battery stable');
  await expect(page.getByText('That passphrase does not open this workspace. Check Caps Lock and try again, or use your recovery code.')).toBeVisible();
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousViolations(page, 'unlock with a wrong passphrase');
  await unlockInPage(page, TEST_PASSPHRASE);
  await openSection(page, 'Contacts');
  await expect(page.getByRole('link', { name: 'Zebulon Quartermaine' })).toBeVisible();
});

test('the recovery code opens the workspace when the passphrase is forgotten, and a new passphrase replaces it', async ({ page, freshHarness }) => {
  const { recoveryCode } = await freshHarness.service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  await freshHarness.restart(undefined, { locked: true });
  await page.goto(freshHarness.url);
  await page.getByRole('button', { name: 'Use my recovery code instead' }).click();
  await expect(page.getByLabel('Recovery code')).toBeFocused();
  const wrongCode = recoveryCode.startsWith('0') ? `1${recoveryCode.slice(1)}` : `0${recoveryCode.slice(1)}`;
  await page.getByLabel('Recovery code').fill(wrongCode);
  await page.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByLabel('Type the passphrase again').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('That recovery code does not open this workspace. Check each group of five against the one you stored.')).toBeVisible();
  await expectNoSeriousViolations(page, 'unlock with the recovery code');

  // Typed as people type it: lower case, spaces for dashes.
  await page.getByLabel('Recovery code').fill(recoveryCode.toLowerCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await freshHarness.restart(undefined, { locked: true });
  await page.goto(freshHarness.url);
  await unlockInPage(page, TEST_PASSPHRASE);
  await expect(page.getByText('That passphrase does not open this workspace.', { exact: false })).toBeVisible();
  await unlockInPage(page, NEW_PASSPHRASE);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test('changing the passphrase asks for the current one, and the next start takes only the new one', async ({ page, freshHarness }) => {
  await freshHarness.service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  await page.goto(freshHarness.url);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change passphrase' });
  await dialog.getByLabel('Current passphrase').fill('not the passphrase at all');
  await dialog.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await dialog.getByLabel('Type the passphrase again').fill(NEW_PASSPHRASE);
  await dialog.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(dialog.getByText('That passphrase does not open this workspace.', { exact: false })).toBeVisible();
  await expectNoSeriousViolations(page, 'change passphrase');
  await dialog.getByLabel('Current passphrase').fill(TEST_PASSPHRASE);
  await dialog.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/Your passphrase is changed/);
  await dialog.getByRole('button', { name: 'Done' }).click();

  await freshHarness.restart(undefined, { locked: true });
  await page.goto(freshHarness.url);
  await unlockInPage(page, NEW_PASSPHRASE);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test('a plaintext workspace from an earlier version is encrypted once its user sets a passphrase, and every record is still there', async ({ page, freshHarness }) => {
  await freshHarness.restart((dataDir) => {
    // What an earlier version left: the workspace in plaintext and its profile, no key file.
    const author = { id: 'worker-asha', name: 'Asha Patel' };
    const old = Workspace.open({ path: join(dataDir, 'workspace.sqlite'), author, name: 'Moss Side Connections' });
    old.create('contact', { name: 'Zebulon Quartermaine' });
    old.close();
    writeFileSync(join(dataDir, 'profile.json'), JSON.stringify({ author, workspaceName: 'Moss Side Connections', workspaceFile: 'workspace.sqlite' }));
  });
  await page.goto(freshHarness.url);
  await expect(page.getByRole('heading', { name: 'Encrypt Moss Side Connections' })).toBeVisible();
  await expectNoSeriousViolations(page, 'encrypt an older workspace');
  await page.getByLabel('Passphrase', { exact: true }).fill(TEST_PASSPHRASE);
  await page.getByLabel('Type the passphrase again').fill(TEST_PASSPHRASE);
  await page.getByRole('button', { name: 'Encrypt my workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery code' })).toBeVisible();
  await page.getByLabel('I have stored it safely').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await openSection(page, 'Contacts');
  await expect(page.getByRole('link', { name: 'Zebulon Quartermaine' })).toBeVisible();
  expect(readFileSync(join(freshHarness.dataDir, 'workspace.sqlite')).includes('Zebulon Quartermaine')).toBe(false);
});

test('a missing key file is said plainly at start, and no new workspace is made', async ({ page, freshHarness }) => {
  await freshHarness.service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  await freshHarness.restart((dataDir) => renameSync(join(dataDir, 'workspace.key.json'), join(dataDir, 'moved-away.json')), { locked: true });
  await page.goto(freshHarness.url);
  await expect(page.getByRole('heading', { name: 'Your workspace cannot be opened' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('its key file');
  await expect(page.getByRole('alert')).toContainText('workspace.key.json is missing');
  await expectNoSeriousViolations(page, 'workspace cannot be opened');
  expect(existsSync(join(freshHarness.dataDir, 'workspace.key.json'))).toBe(false);
});
