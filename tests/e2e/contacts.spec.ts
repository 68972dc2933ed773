// First run, the app shell, and a contact: created from the list, edited in place with
// the data service's validation messages, undone, deleted and restored.
import { expect, expectSaved, firstRunInPage, openSection, test } from './fixtures';

test.use({ firstRunAs: null });
test.describe.configure({ mode: 'serial' });

test('first run asks who is working here and creates the workspace', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Community Fieldbook' })).toBeVisible();
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('Your name is required')).toBeVisible();

  await firstRunInPage(page);

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const section of ['Assets', 'Contacts', 'Sessions', 'Connections', 'Actions']) {
    await expect(nav.getByRole('link', { name: section, exact: true })).toBeVisible();
  }
  await expect(page.getByText('Not connected — all changes saved on this device')).toBeVisible();
  await expect(page.getByText('Moss Side Connections')).toBeVisible();

  // The next visit goes straight to the workspace.
  await page.reload();
  await expect(nav).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveCount(0);
});

test('a new contact is created from the empty list, edited in place and saved as it is typed', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Contacts');
  await expect(page.getByRole('heading', { name: 'No contacts yet' })).toBeVisible();
  await page.getByRole('button', { name: 'New contact' }).first().click();

  const dialog = page.getByRole('dialog', { name: 'New contact' });
  await dialog.getByRole('button', { name: 'Create contact' }).click();
  await expect(dialog.getByText('Name is required')).toBeVisible();
  await dialog.getByLabel('Name').fill('Zoë Brown');
  await dialog.getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Zoë Brown' })).toBeVisible();

  await page.getByRole('checkbox', { name: 'Resident' }).check();
  await page.getByLabel('Phone').fill('0161 496 0000');
  await page.getByLabel('Postcode').fill('m14 5tq');
  await page.getByLabel('Postcode').blur();
  await expectSaved(page);

  // The data service refuses a bad email; its message appears under the field, and the
  // valid changes around it are still saved.
  await page.getByLabel('Email').fill('zoe.example.org');
  await page.getByLabel('Address').fill('12 Claremont Road');
  await expect(page.getByLabel('Email')).toHaveAccessibleDescription(/Email must be an email address/);
  await expect(page.getByRole('alert').getByText('Email must be an email address')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Address')).toHaveValue('12 Claremont Road');
  await expect(page.getByLabel('Postcode')).toHaveValue('M14 5TQ');
  await expect(page.getByLabel('Email')).toHaveValue('');

  await page.getByLabel('Email').fill('zoe@example.org');
  await expectSaved(page);
  await expect(page.getByLabel('Email')).not.toHaveAttribute('aria-invalid');

  // Nothing is lost by leaving straight after typing.
  await page.getByLabel('Notes about this contact').fill('Runs the Tuesday knit-and-natter');
  await openSection(page, 'Contacts');
  await expect(page.getByText('1 contact')).toBeVisible();
  await page.getByRole('link', { name: /Zoë Brown/ }).click();
  await expect(page.getByLabel('Notes about this contact')).toHaveValue('Runs the Tuesday knit-and-natter');

  await expect(page.getByRole('region', { name: 'History' }).getByText('You changed Email from “zoe.example.org”')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'History' }).getByText(/You set Email to “zoe@example.org”/)).toBeVisible();
});

test('the last change can be undone with the button or Ctrl+Z', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Contacts');
  await page.getByRole('link', { name: /Zoë Brown/ }).click();

  await page.getByLabel('Phone').fill('07700 900123');
  await page.getByLabel('Phone').blur();
  await expectSaved(page);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByLabel('Phone')).toHaveValue('0161 496 0000');
  await expectSaved(page);

  await page.getByRole('checkbox', { name: 'Volunteer' }).check();
  await expectSaved(page);
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('checkbox', { name: 'Volunteer' })).not.toBeChecked();
  await expectSaved(page);

  await page.reload();
  await expect(page.getByLabel('Phone')).toHaveValue('0161 496 0000');
  await expect(page.getByRole('checkbox', { name: 'Volunteer' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Resident' })).toBeChecked();
});

test('a deleted contact leaves the list, can be found among deleted ones and restored', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Contacts');
  await page.getByRole('link', { name: /Zoë Brown/ }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(/This contact was deleted by you/)).toBeVisible();
  await expect(page.getByLabel('Phone')).toBeDisabled();

  await openSection(page, 'Contacts');
  await expect(page.getByRole('heading', { name: 'No contacts yet' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Show deleted' }).check();
  await page.getByRole('link', { name: /Zoë Brown/ }).click();
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByLabel('Phone')).toBeEnabled();
  await expect(page.getByRole('region', { name: 'History' }).getByText('You restored this contact')).toBeVisible();

  // The list is as it was left: still showing deleted contacts, and Zoë is no longer one.
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'No deleted contacts' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Show deleted' }).uncheck();
  await expect(page.getByRole('listitem').filter({ hasText: 'Zoë Brown' })).toBeVisible();
  // Filters narrow the list and say so when nothing matches.
  await page.getByLabel('Role').selectOption('champion');
  await expect(page.getByRole('heading', { name: 'No contacts match these filters' })).toBeVisible();
  await page.getByLabel('Role').selectOption('resident');
  await expect(page.getByText('1 contact')).toBeVisible();
});

// A workspace past first run, of this test's own: the test takes its data service away.
test.describe(() => {
  test.use({ firstRunAs: 'Asha Patel' });

  test('losing the data service is said plainly, without losing what is on screen', async ({ page, freshHarness }) => {
    try {
      await page.goto(freshHarness.url);
      await openSection(page, 'Contacts');
    } finally {
      await freshHarness.close();
    }
    await expect(page.getByRole('alert')).toContainText('The connection to the data service was lost.');
    await expect(page.getByRole('button', { name: 'Reload' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  });
});
