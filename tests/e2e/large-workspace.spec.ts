// A programme-sized workspace: 50,000 contacts list, scroll, filter and search smoothly,
// because the list reads only the pages in view.
import { Workspace } from '../../main/data-service/workspace';
import { TEST_PASSPHRASE } from '../unit/helpers';
import { expect, openSection, test, type TestHarness } from './fixtures';

const TOTAL = 50_000;
const BATCH = 5_000;
const FIRST = ['Amara', 'Ben', 'Chloe', 'Dev', 'Eilidh', 'Farah', 'Gareth', 'Hana', 'Idris', 'Jude', 'Kemi', 'Liam', 'Maya', 'Noor', 'Owen', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq'];
const LAST = ['Adeyemi', 'Brown', 'Chowdhury', 'Davies', 'Evans', 'Fischer', 'Green', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Murphy', 'Nowak', 'Okafor', 'Patel', 'Roberts', 'Smith', 'Taylor', 'Walsh'];
/** One contact no other shares a word with, to search for. */
const NEEDLE = 'Marguerite Oyelaran';
const NEEDLE_INDEX = 31_337;

test.use({ firstRunAs: null });

test.beforeAll(async ({ harness }) => {
  // Written straight through the workspace's own write path (Workspace.createMany) while
  // the data service is shut: 50,000 typed contacts would take hours. First run goes
  // through the data service, so the profile is exactly what the app writes.
  test.setTimeout(240_000);
  await harness.service.setup('Asha Patel', 'Greater Manchester champions', TEST_PASSPHRASE);
  // The day's backup, of the empty workspace: none is then due while the large one is used.
  await harness.service.backupRunning;
  const { db, author, key } = harness.service.workspace;
  await harness.restart(() => {
    const workspace = Workspace.open({ path: db.name, author, durability: 'normal', key: key! });
    for (let start = 0; start < TOTAL; start += BATCH) {
      workspace.createMany(
        'contact',
        Array.from({ length: BATCH }, (_, j) => {
          const i = start + j;
          const name = i === NEEDLE_INDEX ? NEEDLE : `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`;
          return { data: { name, roles: i % 10 === 0 ? ['champion' as const] : ['resident' as const] } };
        }),
      );
    }
    workspace.close();
  });
});

const titleAt = (harness: TestHarness, offset: number) => harness.service.workspace.list({ kind: 'contact', offset, limit: 1 }).rows[0]!.title;

test('50,000 contacts: the total, scrolling to any point, keyboard to the end, filters and search', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Contacts');
  await expect(page.getByText('50,000 contacts')).toBeVisible();
  const list = page.getByRole('list', { name: 'Contacts' });
  await expect(list.locator('[aria-posinset="1"]').getByText(titleAt(harness, 0), { exact: true })).toBeVisible();
  // Only the rows in view are in the page.
  expect(await list.getByRole('listitem').count()).toBeLessThan(100);

  // Drag the scrollbar to the middle: the rows there load and show.
  await page.locator('.list-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  const middle = list.locator('[aria-posinset="25001"]');
  await expect(middle.getByText(titleAt(harness, 25_000), { exact: true })).toBeVisible();

  // Keyboard: End jumps to the last contact, Up moves back one.
  await middle.getByRole('link').focus();
  await page.keyboard.press('End');
  await expect(page.locator(':focus .row-title')).toHaveText(titleAt(harness, TOTAL - 1));
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(':focus .row-title')).toHaveText(titleAt(harness, TOTAL - 2));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: titleAt(harness, TOTAL - 2), exact: true })).toBeVisible();

  await openSection(page, 'Contacts');
  await page.getByLabel('Role').selectOption('champion');
  await expect(page.getByText('5,000 contacts')).toBeVisible();
  await page.getByLabel('Role').selectOption('');
  await page.getByLabel('Name starts with').fill('Quinn Walsh');
  const quinns = harness.service.workspace.list({ kind: 'contact', filter: { titlePrefix: 'Quinn Walsh' } }).total;
  await expect(page.getByText(`${quinns} contacts`, { exact: true })).toBeVisible();
  await expect(list.getByRole('listitem').first()).toContainText('Quinn Walsh');

  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Search' }).getByRole('combobox').fill('oyelaran');
  await expect(page.getByRole('option', { name: NEEDLE })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: NEEDLE })).toBeVisible();
});
