// Where typing went somewhere other than the worker meant: dialogs that opened on their
// close button, a count that read "012", dates the control took and the data service then
// refused, a skill row that kept its last domain, and "Delete" as a record's first Tab stop.
import type { Locator, Page } from '@playwright/test';
import { expect, expectSaved, test, type TestHarness } from './fixtures';

const HALL = 'St Mary’s Church Hall';

async function openContact(page: Page, harness: TestHarness, name: string) {
  const contact = harness.service.workspace.create('contact', { name });
  await page.goto(`${harness.url}#/contacts/${contact.id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return contact;
}

test('Connect to… opens in its search field, and Enter picks the match highlighted for what was typed', async ({ page, harness }) => {
  harness.service.workspace.create('asset', { name: HALL, category: 'physical' });
  // Changed last, so it heads the list offered before anything is typed.
  harness.service.workspace.create('contact', { name: 'Grace Obi' });
  await openContact(page, harness, 'Zoë Brown');

  await page.getByRole('button', { name: 'Connect to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect Zoë Brown to…' });
  const search = dialog.getByRole('combobox', { name: 'Contact or asset' });
  await expect(search).toBeFocused();

  // Typed and Enter pressed at once, before the matches are on screen.
  await page.keyboard.type('church');
  await page.keyboard.press('Enter');
  await expect(dialog.getByText(HALL)).toBeVisible();
  await expect(dialog.getByText('Grace Obi')).toHaveCount(0);

  await dialog.getByText('Change', { exact: true }).click();
  await dialog.getByRole('combobox', { name: 'Contact or asset' }).fill('grace');
  await expect(dialog.getByRole('option', { name: 'Grace Obi', selected: true })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('Grace Obi')).toBeVisible();
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: /Connections/ }).getByRole('listitem')).toContainText('Zoë Brown knows Grace Obi');
});

test('the record picker and the search palette move through their matches alike: arrows round the list, Home and End to its ends, Escape out', async ({ page, harness }) => {
  for (const name of ['Rosa Adeyemi', 'Rosa Brown', 'Rosa Chowdhury']) harness.service.workspace.create('contact', { name });
  await openContact(page, harness, 'Tom Hughes');
  const highlighted = (within: Locator) => within.getByRole('option', { selected: true });
  const highlightedName = async (within: Locator) => (await highlighted(within).innerText()).match(/Rosa \w+/)![0];
  // The text box keeps focus and names the highlighted match as its active descendant.
  const expectHighlighted = async (within: Locator, box: Locator, name: string) => {
    await expect(highlighted(within)).toContainText(name);
    expect(await box.getAttribute('aria-activedescendant')).toBe(await highlighted(within).getAttribute('id'));
    await expect(box).toBeFocused();
  };

  await page.getByRole('button', { name: 'Connect to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect Tom Hughes to…' });
  const picker = dialog.getByRole('combobox', { name: 'Contact or asset' });
  await picker.fill('rosa');
  const matches = dialog.getByRole('listbox', { name: 'Matching records' });
  await expect(matches.getByRole('option')).toHaveCount(3);
  await expectHighlighted(matches, picker, 'Rosa');
  const first = await highlightedName(matches);
  await page.keyboard.press('End');
  const last = await highlightedName(matches);
  expect(last).not.toBe(first);
  await page.keyboard.press('ArrowDown');
  await expectHighlighted(matches, picker, first);
  await page.keyboard.press('ArrowUp');
  await expectHighlighted(matches, picker, last);
  await page.keyboard.press('Home');
  await expectHighlighted(matches, picker, first);
  // Escape closes the list only; the dialog stays until Escape again.
  await page.keyboard.press('Escape');
  await expect(matches).toBeHidden();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Search' });
  const box = palette.getByRole('combobox');
  await box.fill('rosa');
  const results = palette.getByRole('listbox', { name: 'Search results' });
  await expect(results.getByRole('option')).toHaveCount(3);
  await expectHighlighted(results, box, first);
  await page.keyboard.press('End');
  await expectHighlighted(results, box, last);
  await page.keyboard.press('ArrowDown');
  await expectHighlighted(results, box, first);
  await page.keyboard.press('Home');
  await expectHighlighted(results, box, first);
  await page.keyboard.press('ArrowUp');
  await expectHighlighted(results, box, last);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: last })).toBeVisible();
});

test('every dialog opens on what it asks for, never on its close button', async ({ page, harness }) => {
  const firstField: [string, string, RegExp][] = [
    ['contacts', 'contact', /^Name/],
    ['assets', 'asset', /^Name/],
    ['sessions', 'session', /^Title/],
    ['connections', 'connection', /^From/],
  ];
  // Someone a connection's pickers can offer.
  harness.service.workspace.create('contact', { name: 'Grace Obi' });
  for (const [section, kind, label] of firstField) {
    await page.goto(`${harness.url}#/${section}`);
    await page.getByRole('button', { name: `New ${kind}` }).first().click();
    const dialog = page.getByRole('dialog', { name: `New ${kind}` });
    const field = dialog.getByLabel(label);
    await expect(field).toBeFocused();
    if ((await field.getAttribute('role')) === 'combobox') {
      // A picker offers records as soon as it has focus: Escape closes that list first, and the dialog stays.
      await expect(field).toHaveAttribute('aria-expanded', 'true');
      await page.keyboard.press('Escape');
      await expect(field).toHaveAttribute('aria-expanded', 'false');
      await expect(dialog).toBeVisible();
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
});

test('typing 12 into a head-count holding 0 makes 12', async ({ page, harness }) => {
  const session = harness.service.workspace.create('session', { title: 'Coffee morning', type: 'community-conversation', startsAt: '2026-01-15T10:00' });
  await page.goto(`${harness.url}#/sessions/${session.id}`);
  const headCount = page.getByLabel('Anonymous head-count');
  await expect(headCount).toHaveValue('0');
  await headCount.click();
  await page.keyboard.press('End');
  await page.keyboard.type('12');
  await expect(headCount).toHaveValue('12');
  await expect(page.getByText('12 people in total.')).toBeVisible();
  await expectSaved(page);
  await page.reload();
  await expect(page.getByLabel('Anonymous head-count')).toHaveValue('12');
});

test('a date is typed as DD/MM/YYYY, and one that cannot be is refused at once in that format, with nothing saved', async ({ page, harness }) => {
  const session = harness.service.workspace.create('session', { title: 'Lunch club planning', type: 'community-conversation', startsAt: '2026-01-15T10:00' });
  await page.goto(`${harness.url}#/sessions/${session.id}`);
  await expect(page.getByLabel('Starts')).toHaveValue('15/01/2026 10:00');

  const addAction = page.getByRole('group', { name: 'Add an action' });
  const due = addAction.getByLabel('Due (optional)');
  await expect(due).toHaveAttribute('placeholder', 'DD/MM/YYYY');
  await addAction.getByLabel('What will happen').fill('Book the hall');
  // A six-digit year: refused as it is typed, in the format the field shows.
  await due.fill('12/03/202612');
  await expect(due).toHaveAccessibleDescription(/Due \(optional\) must have a four-digit year, written DD\/MM\/YYYY/);
  await due.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Action 1', exact: true })).toHaveCount(0);
  // A day the month does not have.
  await due.fill('31/02/2026');
  await expect(addAction.getByText('Due (optional) must be a real date: there is no 31/02/2026')).toBeVisible();
  await addAction.getByRole('button', { name: 'Add action' }).click();
  await expect(page.getByRole('textbox', { name: 'Action 1', exact: true })).toHaveCount(0);

  await due.fill('28/2/2026');
  await due.press('Enter');
  const action = page.getByRole('listitem').filter({ has: page.getByRole('textbox', { name: 'Action 1', exact: true }) });
  await expect(action.getByLabel('Due')).toHaveValue('28/02/2026');
  await expect(due).toHaveValue('');
  await expectSaved(page);

  // On an action already there: refused at once, and the date it had stays.
  await action.getByLabel('Due').fill('31/02/2026');
  await expect(action.getByText('Due must be a real date: there is no 31/02/2026')).toBeVisible();
  await action.getByLabel('Due').fill('30/02/2026');
  await expect(action.getByText('Due must be a real date: there is no 30/02/2026')).toBeVisible();
  const starts = page.getByLabel('Starts');
  await starts.fill('15/01/202610 10:00');
  await expect(page.getByText('Starts must have a four-digit year, written DD/MM/YYYY HH:MM')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Action 1', exact: true })).toHaveValue('Book the hall');
  await expect(page.getByLabel('Due', { exact: true })).toHaveValue('28/02/2026');
  await expect(page.getByLabel('Starts')).toHaveValue('15/01/2026 10:00');
  const stored = harness.service.workspace.get('session', session.id);
  expect(stored?.data.actions.map((a) => a.dueDate)).toEqual(['2026-02-28']);
  expect(stored?.data.startsAt).toBe('2026-01-15T10:00');
});

test('consent and connection dates are refused the same way', async ({ page, harness }) => {
  harness.service.workspace.create('asset', { name: 'Claremont Community Garden', category: 'physical' });
  const ada = await openContact(page, harness, 'Ada Lovelace');
  const addConsent = page.getByRole('group', { name: 'Record consent' });
  await addConsent.getByLabel('Purpose').selectOption({ label: 'Contact about local events and activities' });
  await addConsent.getByLabel('Date given').fill('10/13/2026');
  await expect(addConsent.getByText('Date given must be a real date, written DD/MM/YYYY')).toBeVisible();
  await addConsent.getByRole('button', { name: 'Record consent' }).click();
  await addConsent.getByLabel('Date given').fill('10/01/2026');
  await addConsent.getByLabel('Date given').press('Enter');
  await expect(page.getByRole('region', { name: 'Consent' })).toContainText('consent given on 10 Jan 2026');
  // Only the consent with a real date is stored (once the form has saved): the refused one never was.
  await expect.poll(() => harness.service.workspace.get('contact', ada.id).data.consents.map((c) => c.givenAt)).toEqual(['2026-01-10']);

  await page.getByRole('button', { name: 'Connect to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect Ada Lovelace to…' });
  await dialog.getByRole('combobox', { name: 'Contact or asset' }).fill('garden');
  await dialog.getByRole('option', { name: /Claremont Community Garden/ }).click();
  await dialog.getByLabel('Date (optional)').fill('29/02/2025');
  await expect(dialog.getByText('Date (optional) must be a real date: there is no 29/02/2025')).toBeVisible();
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog).toBeVisible();
  expect(harness.service.workspace.connectionsOf(ada.id)).toEqual([]);
});

test('skills added in a row keep their own domains, and Enter anywhere in the row adds one', async ({ page, harness }) => {
  await openContact(page, harness, 'Ben Okafor');
  const addSkill = page.getByRole('group', { name: 'Add a skill' });
  await addSkill.getByLabel('Domain').fill('Food');
  await addSkill.getByLabel('Skill').fill('Baking bread');
  await addSkill.getByLabel('Skill').press('Enter');
  await expect(page.getByLabel('Domain of Baking bread')).toHaveValue('Food');

  // The row starts afresh, on its domain, so what is typed there is the next domain alone.
  await expect(addSkill.getByLabel('Domain')).toBeFocused();
  await expect(addSkill.getByLabel('Domain')).toHaveValue('');
  await page.keyboard.type('Digital');
  await addSkill.getByLabel('Skill').fill('Spreadsheets');
  await addSkill.getByRole('checkbox', { name: 'Willing to share' }).check();
  await addSkill.getByRole('checkbox', { name: 'Willing to share' }).press('Enter');
  await expect(page.getByLabel('Domain of Spreadsheets')).toHaveValue('Digital');
  await expect(page.getByLabel('Domain of Baking bread')).toHaveValue('Food');
  await expect(page.getByRole('checkbox', { name: 'Spreadsheets: willing to share' })).toBeChecked();
  await expectSaved(page);
});

test('on a record page the first Tab stop is the record’s first field, and Delete comes after its fields', async ({ page, harness }) => {
  await openContact(page, harness, 'Maggie O’Brien');
  await page.getByRole('heading', { level: 1, name: 'Maggie O’Brien' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();

  // Delete, then (for a lead, as on this device that does not sync) Erase, end the record's own column, before its connections and history.
  await page.getByRole('button', { name: 'Connect to…' }).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Erase this person…' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Delete contact' })).toBeFocused();
});
