// The network view: the focus record's neighbours ring by ring (in the panel and drawn),
// filters that change what is shown, and the person who bridges two groups named as the
// top connector.
import type { Page } from '@playwright/test';
import type { ConnectionKind } from '../../shared/domain';
import { expect, expectNoSeriousViolations, test } from './fixtures';

const ids: Record<string, string> = {};

test.beforeAll(async ({ harness }) => {
  const ws = harness.service.workspace;
  const person = (name: string) => (ids[name] = ws.create('contact', { name }).id);
  const connect = (a: string, b: string, kind: ConnectionKind = 'knows') => ws.create('connection', { fromId: ids[a]!, toId: ids[b]!, kind });
  // Two close groups that know nothing of each other but through Bridget.
  const left = ['Lena Ashworth', 'Liam Barker', 'Lucy Carter', 'Leo Dunn'];
  const right = ['Rosa Evans', 'Ravi Fenton', 'Ruth Green', 'Rhys Hughes'];
  for (const group of [left, right]) {
    group.forEach(person);
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) connect(group[i]!, group[j]!);
  }
  person('Bridget Okoro');
  connect('Bridget Okoro', 'Lena Ashworth');
  connect('Bridget Okoro', 'Liam Barker');
  connect('Bridget Okoro', 'Rosa Evans', 'introduced-by');
  connect('Bridget Okoro', 'Ravi Fenton', 'introduced-by');
  ids['Corner Café'] = ws.create('asset', { name: 'Corner Café', category: 'economic' }).id;
  connect('Lena Ashworth', 'Corner Café', 'works-at');
});

const panel = (page: Page) => page.getByRole('complementary', { name: 'Network details' });
const ring = (page: Page, name: RegExp) => panel(page).getByRole('region', { name });
const drawn = (page: Page) => page.locator('.network-canvas');

test('the focus record’s neighbours, to depth 1 and 2, in the panel and drawn', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/network/${ids['Lena Ashworth']}`);
  await expect(panel(page).getByRole('heading', { level: 2, name: 'Lena Ashworth' })).toBeVisible();
  await expect(panel(page).getByRole('link', { name: 'Open' })).toHaveAttribute('href', `#/contacts/${ids['Lena Ashworth']}`);
  const direct = ring(page, /^Directly connected/);
  // Order follows the data service; what matters is who is there.
  await expect
    .poll(async () => (await direct.getByRole('link').allInnerTexts()).sort())
    .toEqual(['Bridget Okoro', 'Corner Café', 'Leo Dunn', 'Liam Barker', 'Lucy Carter']);
  await expect(direct.getByRole('link', { name: 'Corner Café' })).toHaveAttribute('href', `#/assets/${ids['Corner Café']}`);
  await expect(ring(page, /^Two steps away/)).toHaveCount(0);
  await expect(drawn(page)).toHaveAttribute('data-drawn-nodes', '6');
  await expectNoSeriousViolations(page, 'network view, focused');

  await page.getByLabel('Show').selectOption({ label: 'Up to 2 steps' });
  await expect.poll(async () => (await ring(page, /^Two steps away \(2\)/).getByRole('link').allInnerTexts()).sort()).toEqual(['Ravi Fenton', 'Rosa Evans']);
  await expect(drawn(page)).toHaveAttribute('data-drawn-nodes', '8');

  // Focusing a neighbour from the panel moves the focus there.
  await ring(page, /^Two steps away/).getByRole('button', { name: 'Focus on Rosa Evans' }).click();
  await expect(panel(page).getByRole('heading', { level: 2, name: 'Rosa Evans' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/network/${ids['Rosa Evans']}$`));
});

test('filters change what is shown', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/network/${ids['Lena Ashworth']}`);
  const direct = ring(page, /^Directly connected/);
  await expect(direct.getByRole('link', { name: 'Corner Café' })).toBeVisible();
  await page.getByText('Filters').click();
  await page.getByRole('group', { name: 'Assets' }).getByLabel('Economic asset').uncheck();
  await expect(direct.getByRole('link', { name: 'Corner Café' })).toHaveCount(0);
  await expect(drawn(page)).toHaveAttribute('data-drawn-nodes', '5');
  await page.getByRole('group', { name: 'Connections' }).getByLabel('Knows').uncheck();
  await expect(direct.getByRole('link')).toHaveCount(0);
  await expect(panel(page).getByText('No connections match the filters.')).toBeVisible();
  await expectNoSeriousViolations(page, 'network view, filtered');
});

test('the person who bridges two groups is the top connector', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/network`);
  await expect(page.getByText('10 records, 17 links')).toBeVisible();
  await expect(drawn(page)).toHaveAttribute('data-drawn-nodes', '10');
  const connectors = panel(page).getByRole('region', { name: 'Connectors' }).getByRole('listitem');
  await expect(connectors.first()).toContainText('Bridget Okoro');
  await expect(connectors.first()).toContainText('links 2 groups that are otherwise apart');
  await expectNoSeriousViolations(page, 'network view, whole');
});
