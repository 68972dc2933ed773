// The network view: the focus record's neighbours ring by ring (in the panel and drawn),
// filters that change what is shown, the person who bridges two groups named as the top
// connector, a key to the colours, names that never cover each other, and focusing a
// record by typing its name.
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
  // Her notes make her indexed text long: bm25 alone ranked the bakery above her for "marg".
  ids['Margaret'] = ws.create('contact', { name: 'Margaret', notes: 'Runs the baking club on Thursdays with her neighbours, her sister and two friends from church' }).id;
  ids['Margaret’s baking'] = ws.create('asset', { name: 'Margaret’s baking', category: 'economic' }).id;
  connect('Margaret', 'Margaret’s baking', 'runs');
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
  await expect(page.getByText('12 records, 18 links')).toBeVisible();
  await expect(drawn(page)).toHaveAttribute('data-drawn-nodes', '12');
  const connectors = panel(page).getByRole('region', { name: 'Connectors' }).getByRole('listitem');
  await expect(connectors.first()).toContainText('Bridget Okoro');
  await expect(connectors.first()).toContainText('links 2 groups that are otherwise apart');
  await expectNoSeriousViolations(page, 'network view, whole');
});

/** `#rrggbb` as CSS computes it, `rgb(r, g, b)`. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

test('the key lists every colour drawn, with its meaning', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/network`);
  await expect(drawn(page)).toHaveAttribute('data-drawn-colours', /#/);
  const key = page.getByRole('region', { name: 'Key' });
  const drawnColours = ((await drawn(page).getAttribute('data-drawn-colours')) ?? '').split(' ').map(rgb);
  const swatches = await key.getByRole('listitem').evaluateAll((items) =>
    items.map((item) => [getComputedStyle(item.querySelector('.network-swatch')!).backgroundColor, item.textContent]),
  );
  expect(swatches.map(([colour]) => colour).sort()).toEqual([...drawnColours].sort());
  // People, the café and the bakery, and Bridget drawn as the connector.
  expect(swatches.map(([, meaning]) => meaning)).toEqual(['Person', 'Economic asset', 'Connector: bridges groups']);
  await page.screenshot({ path: '/tmp/views-network-whole.png' });
});

test('typing a name and Enter focuses the closest match, and the list closes', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/network`);
  const field = page.getByRole('combobox', { name: 'Focus on' });
  // As a user types: Enter straight after the last letter, before the matches are listed.
  await field.pressSequentially('marg');
  await field.press('Enter');
  await expect(panel(page).getByRole('heading', { level: 2, name: 'Margaret', exact: true })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/network/${ids['Margaret']}$`));
  await expect(field).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('listbox', { name: 'Matching records' })).toBeHidden();
  await expect(field).toHaveValue('');
  await expect(ring(page, /^Directly connected/).getByRole('link')).toHaveText(['Margaret’s baking']);
});

test.describe('a busy focus', () => {
  const neighbours = Array.from({ length: 24 }, (_, i) => `Neighbour ${String.fromCharCode(65 + i)} Featherstonehaugh-Wright`);

  test('names drawn at the default zoom never overlap, and the focus is named', async ({ page, freshHarness }) => {
    const ws = freshHarness.service.workspace;
    const hub = ws.create('contact', { name: 'Grace Adeyemi' }).id;
    for (const name of neighbours) ws.create('connection', { fromId: hub, toId: ws.create('contact', { name }).id, kind: 'knows' });
    await page.goto(`${freshHarness.url}#/network/${hub}`);
    await expect(page.getByRole('status').filter({ hasText: 'Arranged' })).toBeVisible();
    const labels = JSON.parse((await drawn(page).getAttribute('data-drawn-labels')) ?? '[]') as { label: string; left: number; top: number; right: number; bottom: number }[];
    expect(labels.map((l) => l.label)).toContain('Grace Adeyemi');
    // Many names fit around her; the rest are left out rather than drawn over each other.
    expect(labels.length).toBeGreaterThan(5);
    const overlapping = labels.flatMap((a, i) =>
      labels.slice(i + 1).filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).map((b) => `${a.label} / ${b.label}`),
    );
    expect(overlapping).toEqual([]);
  });
});
