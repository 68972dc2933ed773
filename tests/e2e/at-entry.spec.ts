// At entry: a new contact that looks like an existing one shows the likely match, with
// the reasons, before it is saved; the user can open the existing record or create anyway.
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousViolations, openSection, test, type TestHarness } from './fixtures';

let robertId: string;

test.beforeAll(async ({ harness }) => {
  const ws = harness.service.workspace;
  robertId = ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123', postcode: 'M14 5TQ' }).id;
  ws.create('contact', { name: 'Amina Yusuf', phone: '0161 496 0000' });
});

async function newContactDialog(page: Page, harness: TestHarness) {
  await page.goto(harness.url);
  await openSection(page, 'Contacts');
  await page.getByRole('button', { name: 'New contact' }).first().click();
  return page.getByRole('dialog', { name: 'New contact' });
}

test('typing a contact who is already there shows the likely match with its reasons; Open it goes to that record', async ({ page, harness }) => {
  const dialog = await newContactDialog(page, harness);
  const create = dialog.getByRole('button', { name: /^Create contact/ });
  const createBox = await create.boundingBox();

  await dialog.getByLabel('Name').fill('Bob Smith');
  await dialog.getByLabel('Phone (optional)').fill('07700 900123');
  const warning = dialog.getByRole('region', { name: 'Possible duplicates' });
  await expect(warning).toContainText('This may already be in your workspace:');
  await expect(warning).toContainText('Robert Smith');
  await expect(warning).toContainText(/same phone/);
  await expect(warning).toContainText(/names \d+% alike/);
  // Announced politely, from a live region that was there before the text.
  await expect(dialog.locator('[aria-live="polite"]')).toContainText('Robert Smith');
  await expect(create).toHaveText('Create contact anyway');
  // Its label grows to the left; where the pointer was, the button still is.
  const grown = (await create.boundingBox())!;
  expect(grown.y, 'the warning does not move the Create button').toBe(createBox!.y);
  expect(grown.x + grown.width).toBe(createBox!.x + createBox!.width);
  expect(grown.x).toBeLessThanOrEqual(createBox!.x);
  await expectNoSeriousViolations(page, 'new contact dialog with a likely duplicate');
  // Reviewed by eye; docs/screenshot-at-entry.png is a copy of it.
  await page.screenshot({ path: test.info().outputPath('at-entry.png') });

  // Keyboard: from the Create button, Tab reaches Open it.
  await create.focus();
  await page.keyboard.press('Tab');
  const open = warning.getByRole('button', { name: 'Open it: Robert Smith' });
  await expect(open).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'New contact' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Robert Smith' })).toBeVisible();
  expect(page.url()).toContain(`#/contacts/${robertId}`);
});

test('an unrelated name shows nothing, and Create anyway still creates the new contact', async ({ page, harness }) => {
  const dialog = await newContactDialog(page, harness);
  await dialog.getByLabel('Name').fill('Zainab Okafor');
  await dialog.getByLabel('Phone (optional)').fill('0113 496 0555');
  // Once the check of what was typed has answered, there is nothing to warn about.
  await expect(dialog.locator('[aria-live="polite"]')).toHaveAttribute('aria-busy', 'false');
  await expect(dialog.getByRole('region', { name: 'Possible duplicates' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Create contact', exact: true })).toBeVisible();

  // The user knows better than the warning: Rob Smith on this phone is someone else, and is created.
  await dialog.getByLabel('Name').fill('Rob Smith');
  await dialog.getByLabel('Phone (optional)').fill('07700900123');
  await expect(dialog.getByRole('region', { name: 'Possible duplicates' })).toContainText('Robert Smith');
  await dialog.getByRole('button', { name: 'Create contact anyway' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rob Smith' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Phone' })).toHaveValue('07700900123');
});
