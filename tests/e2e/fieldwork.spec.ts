// One community conversation recorded end to end: the hall it happened in, a resident
// with her skills and consent, who came, what they said, what happens next — then found
// again by search, and all still there after the data service is closed and reopened.
import type { Page } from '@playwright/test';
import { expect, expectSaved, openSection, test, type TestHarness } from './fixtures';

test.describe.configure({ mode: 'serial' });

const HALL = 'St Mary’s Church Hall';
const SESSION = 'Coffee morning conversation';

async function openRecord(page: Page, harness: TestHarness, section: string, name: string) {
  await page.goto(harness.url);
  await openSection(page, section);
  await page.getByRole('link', { name: new RegExp(name) }).first().click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

test('an asset is mapped: its category explained, themes, where and when, and a contact person', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Assets');
  await page.getByRole('button', { name: 'New asset' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New asset' });
  await expect(dialog.getByText('A place: a building, hall, green space, allotment or piece of land.')).toBeVisible();
  await dialog.getByLabel('Name').fill(HALL);
  await dialog.getByRole('radio', { name: /^Physical/ }).check();
  await dialog.getByRole('button', { name: 'Create asset' }).click();
  await expect(page.getByRole('heading', { level: 1, name: HALL })).toBeVisible();

  await page.getByLabel('Description').fill('Warm hall with a kitchen; free on weekday mornings.');
  await page.getByRole('button', { name: 'Add theme loneliness' }).click();
  await page.getByRole('textbox', { name: 'Themes' }).fill('food');
  await page.getByRole('textbox', { name: 'Themes' }).press('Enter');
  await page.getByLabel('Address').fill('Claremont Road');
  await page.getByLabel('Postcode').fill('M14 5TQ');
  await page.getByLabel('Latitude').fill('53.4631');
  await page.getByLabel('Longitude').fill('-2.2290');
  await page.getByLabel('Opening times / availability').fill('Tuesdays 10–12, term time');

  // The contact person does not exist yet: added from the picker with just a name.
  await page.getByRole('combobox', { name: 'Contact person' }).fill('Grace Obi');
  await page.getByRole('option', { name: 'Add “Grace Obi” as a new contact' }).click();
  await expect(page.getByRole('link', { name: 'Grace Obi' })).toBeVisible();
  await expectSaved(page);

  await openSection(page, 'Assets');
  const row = page.getByRole('listitem').filter({ hasText: HALL });
  await expect(row).toContainText('Physical · M14 5TQ');
  await expect(row).toContainText('loneliness');
  await page.getByLabel('Category').selectOption('cultural');
  await expect(page.getByText('No assets match these filters')).toBeVisible();
  await page.getByLabel('Category').selectOption('physical');
  await expect(page.getByText('1 asset')).toBeVisible();
});

test('a contact with a capacity inventory and consent records, connected to the hall', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Contacts');
  await page.getByRole('button', { name: 'New contact' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Zoë Brown');
  await page.getByRole('dialog').getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Zoë Brown' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Resident' }).check();
  await page.getByRole('checkbox', { name: 'Champion' }).check();

  // Capacity inventory: an incomplete row is explained, complete ones join the grid.
  const addSkill = page.getByRole('group', { name: 'Add a skill' });
  await addSkill.getByLabel('Domain').fill('Food');
  await addSkill.getByRole('button', { name: 'Add skill' }).click();
  await expect(addSkill.getByText('Skill is required')).toBeVisible();
  await addSkill.getByLabel('Skill').fill('Baking bread');
  await addSkill.getByRole('checkbox', { name: 'Willing to share' }).check();
  await addSkill.getByRole('button', { name: 'Add skill' }).click();
  await addSkill.getByLabel('Domain').fill('Food');
  await addSkill.getByLabel('Skill').fill('Running a kitchen');
  await addSkill.getByRole('checkbox', { name: 'Has' }).uncheck();
  await addSkill.getByRole('checkbox', { name: 'Wants to learn' }).check();
  await addSkill.getByLabel('Skill').press('Enter');
  await page.getByRole('checkbox', { name: 'Running a kitchen: willing to share' }).check();
  await expect(page.getByRole('checkbox', { name: 'Baking bread: has' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Baking bread: willing to share' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Running a kitchen: has' })).not.toBeChecked();

  // Consent: recorded to one of the workspace's purposes, with its wording and method; withdrawn consent stays, struck through.
  const addConsent = page.getByRole('group', { name: 'Record consent' });
  await addConsent.getByLabel('Purpose').selectOption({ label: 'Contact about local events and activities' });
  await expect(addConsent.getByLabel('Wording version')).toHaveValue('v1');
  await addConsent.getByLabel('How given').selectOption('written');
  await addConsent.getByRole('button', { name: 'Record consent' }).click();
  await addConsent.getByLabel('Purpose').selectOption({ label: 'Photos at community sessions' });
  await addConsent.getByRole('button', { name: 'Record consent' }).click();
  await page.getByRole('button', { name: 'Withdraw consent for Photos at community sessions' }).click();
  await page.getByRole('dialog', { name: 'Withdraw consent for Photos at community sessions?' }).getByRole('button', { name: 'Withdraw consent' }).click();
  const consents = page.getByRole('region', { name: 'Consent' });
  await expect(consents.getByText(/Written consent given .* wording v1/)).toBeVisible();
  await expect(consents.locator('s', { hasText: 'Photos at community sessions' })).toBeVisible();
  await expect(consents.getByText(/withdrawn on \d+ \w+ \d{4}/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Withdraw consent for Photos at community sessions' })).toHaveCount(0);
  await expectSaved(page);

  // Connect to… from the contact; the connection shows on both ends and in its own list.
  await page.getByRole('button', { name: 'Connect to…' }).click();
  const connect = page.getByRole('dialog', { name: 'Connect Zoë Brown to…' });
  await connect.getByRole('combobox', { name: 'Contact or asset' }).fill('church');
  await connect.getByRole('option', { name: new RegExp(HALL) }).click();
  await connect.getByLabel('How is Zoë Brown connected to them?').selectOption('volunteers-at');
  await connect.getByLabel('Date (optional)').fill('10/01/2026');
  await connect.getByRole('button', { name: 'Connect', exact: true }).click();
  const connections = page.getByRole('region', { name: /Connections/ });
  await expect(connections.getByRole('listitem')).toContainText(`volunteers at ${HALL}`);

  await connections.getByRole('link', { name: HALL, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: HALL })).toBeVisible();
  await expect(page.getByRole('region', { name: /Connections/ }).getByRole('listitem')).toContainText(`Zoë Brown volunteers at ${HALL}`);

  await openSection(page, 'Connections');
  await expect(page.getByRole('listitem').filter({ hasText: `Zoë Brown — volunteers at — ${HALL}` })).toBeVisible();
});

test('a session: venue, facilitator, attendees (one added on the spot), head-count, notes, priorities, actions', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Sessions');
  await page.getByRole('button', { name: 'New session' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await dialog.getByLabel('Title').fill(SESSION);
  await dialog.getByLabel('Type').selectOption('community-conversation');
  await dialog.getByLabel('Starts').fill('15/01/2026 10:00');
  await dialog.getByRole('button', { name: 'Create session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: SESSION })).toBeVisible();

  await page.getByRole('combobox', { name: 'Venue' }).fill('St Mary');
  await page.getByRole('option', { name: HALL }).click();
  await page.getByRole('combobox', { name: 'Facilitators' }).fill('Grace');
  await page.getByRole('option', { name: 'Grace Obi' }).click();
  const attendees = page.getByRole('combobox', { name: /Attendees/ });
  await attendees.fill('zoe');
  await page.getByRole('option', { name: 'Zoë Brown' }).click();
  await attendees.fill('Ben Okafor');
  await page.getByRole('option', { name: 'Add “Ben Okafor” as a new contact' }).click();
  await expect(page.getByRole('list', { name: 'Attendees' }).getByRole('listitem')).toHaveText([/Ben Okafor/, /Zoë Brown/]);
  await page.getByLabel('Anonymous head-count').fill('7');
  await expect(page.getByText('10 people in total.')).toBeVisible();

  const notes = page.getByRole('textbox', { name: 'Notes', exact: true });
  await notes.click();
  await page.keyboard.type('People want somewhere warm to meet in winter.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('The last bus leaves at six, so evening sessions are hard.');

  const addPriority = page.getByRole('group', { name: 'Add a priority' });
  await addPriority.getByLabel('What matters').fill('Somewhere warm to meet');
  await addPriority.getByLabel('Theme (optional)').fill('loneliness');
  await addPriority.getByRole('button', { name: 'Add priority' }).click();
  await addPriority.getByLabel('What matters').fill('A weekly lunch club');
  await addPriority.getByLabel('Theme (optional)').fill('food');
  await addPriority.getByLabel('Theme (optional)').press('Enter');
  await expect(page.getByRole('textbox', { name: 'Priority 2', exact: true })).toHaveValue('A weekly lunch club');

  const addAction = page.getByRole('group', { name: 'Add an action' });
  await addAction.getByLabel('What will happen').fill('Ask the library about the back room');
  await addAction.getByLabel('Due (optional)').fill('31/01/2020');
  await addAction.getByRole('button', { name: 'Add action' }).click();
  await addAction.getByLabel('What will happen').fill('Print flyers for the lunch club');
  await addAction.getByLabel('What will happen').press('Enter');
  await addAction.getByLabel('What will happen').fill('Book the hall for March');
  await addAction.getByLabel('What will happen').press('Enter');
  const firstAction = page.getByRole('listitem').filter({ has: page.getByRole('textbox', { name: 'Action 1', exact: true }) });
  await firstAction.getByRole('combobox', { name: 'Owner' }).fill('Ben');
  await page.getByRole('option', { name: 'Ben Okafor' }).click();
  await page.getByRole('listitem').filter({ has: page.getByRole('textbox', { name: 'Action 3', exact: true }) }).getByLabel('Status').selectOption('done');
  await expectSaved(page);
  await expect(page.getByRole('region', { name: 'History' }).getByText('You edited the notes')).toBeVisible();

  await openSection(page, 'Sessions');
  const row = page.getByRole('listitem').filter({ hasText: SESSION });
  await expect(row).toContainText('Community conversation');
  await expect(row).toContainText('15 Jan 2026');
});

test('the actions view lists open, overdue and done actions with links to their session', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Actions');
  const tabs = page.getByRole('tablist', { name: 'Which actions' });
  const panel = page.getByRole('tabpanel');
  await expect(tabs.getByRole('tab', { name: /Open/ })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('row')).toHaveCount(3);
  await expect(panel.getByRole('row').nth(1)).toContainText('Ask the library about the back room');
  await expect(panel.getByRole('row').nth(1)).toContainText('Ben Okafor');
  await expect(panel.getByRole('row').nth(2)).toContainText('Print flyers for the lunch club');

  // Arrow keys move between tabs.
  await tabs.getByRole('tab', { name: /Open/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: /Overdue/ })).toBeFocused();
  await expect(panel.getByRole('row')).toHaveCount(2);
  await expect(panel.getByRole('row').nth(1)).toContainText('Ask the library about the back room');
  await expect(panel.getByRole('row').nth(1)).toContainText('Overdue');

  await tabs.getByRole('tab', { name: /Done/ }).click();
  await expect(panel.getByRole('row').nth(1)).toContainText('Book the hall for March');
  await panel.getByRole('link', { name: SESSION }).click();
  await expect(page.getByRole('heading', { level: 1, name: SESSION })).toBeVisible();
});

async function search(page: Page, text: string) {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Search' });
  await expect(palette).toBeVisible();
  await palette.getByRole('combobox').fill(text);
  return palette;
}

test('Ctrl+K finds every record by what is in it, grouped by kind, and opens it with Enter', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  let palette = await search(page, 'claremont');
  await expect(palette.getByRole('group', { name: 'Assets' }).getByRole('option', { name: new RegExp(HALL) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: HALL })).toBeVisible();

  palette = await search(page, 'baking');
  await expect(palette.getByRole('group', { name: 'Contacts' }).getByRole('option', { name: /Zoë Brown/ })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Zoë Brown' })).toBeVisible();

  // Words from the rich-text notes, priorities and actions find the session.
  for (const words of ['last bus', 'lunch club', 'library back room']) {
    palette = await search(page, words);
    await expect(palette.getByRole('group', { name: 'Sessions' }).getByRole('option', { name: new RegExp(SESSION) })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();
  }

  // Results of several kinds: arrow keys walk through them in the order shown.
  palette = await search(page, 'kitchen');
  await expect(palette.getByRole('option')).toHaveCount(2);
  await expect(palette.getByRole('group', { name: 'Contacts' }).getByRole('option', { name: /Zoë Brown/ })).toBeVisible();
  await expect(palette.getByRole('group', { name: 'Assets' }).getByRole('option', { name: new RegExp(HALL) })).toBeVisible();
  await expect(palette.getByRole('option', { selected: true })).toContainText('Zoë Brown');
  await page.keyboard.press('ArrowDown');
  await expect(palette.getByRole('option', { selected: true })).toContainText(HALL);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: HALL })).toBeVisible();

  palette = await search(page, 'zzyzx');
  await expect(palette.getByText('Nothing found for “zzyzx”.')).toBeVisible();
});

test('everything is still there after the data service is closed and opened again', async ({ page, harness }) => {
  await harness.restart();

  await openRecord(page, harness, 'Assets', HALL);
  await expect(page.getByLabel('Description')).toHaveValue('Warm hall with a kitchen; free on weekday mornings.');
  await expect(page.getByRole('list', { name: 'Themes chosen' }).getByRole('listitem')).toHaveText([/food/, /loneliness/]);
  await expect(page.getByLabel('Latitude')).toHaveValue('53.4631');
  await expect(page.getByLabel('Longitude')).toHaveValue('-2.229');
  await expect(page.getByRole('link', { name: 'Grace Obi' })).toBeVisible();
  await expect(page.getByRole('region', { name: /Connections/ })).toContainText(`Zoë Brown volunteers at ${HALL}`);

  await openRecord(page, harness, 'Contacts', 'Zoë Brown');
  await expect(page.getByRole('checkbox', { name: 'Champion' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Baking bread: willing to share' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Running a kitchen: wants to learn' })).toBeChecked();
  await expect(page.getByRole('region', { name: 'Consent' }).locator('s', { hasText: 'Photos at community sessions' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Consent' })).toContainText('Contact about local events and activities');

  await openRecord(page, harness, 'Sessions', SESSION);
  await expect(page.getByRole('textbox', { name: 'Notes', exact: true })).toContainText('People want somewhere warm to meet in winter.');
  await expect(page.getByRole('textbox', { name: 'Notes', exact: true })).toContainText('The last bus leaves at six');
  await expect(page.getByRole('list', { name: 'Attendees' }).getByRole('listitem')).toHaveText([/Ben Okafor/, /Zoë Brown/]);
  await expect(page.getByRole('link', { name: HALL })).toBeVisible();
  await expect(page.getByLabel('Anonymous head-count')).toHaveValue('7');
  await expect(page.getByRole('textbox', { name: 'Priority 1', exact: true })).toHaveValue('Somewhere warm to meet');
  await expect(page.getByRole('textbox', { name: 'Action 1', exact: true })).toHaveValue('Ask the library about the back room');
  await expect(page.getByRole('listitem').filter({ has: page.getByRole('textbox', { name: 'Action 3', exact: true }) }).getByLabel('Status')).toHaveValue('done');

  const palette = await search(page, 'warm');
  await expect(palette.getByRole('option', { name: new RegExp(SESSION) })).toBeVisible();
});
