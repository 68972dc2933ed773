// The asset map, offline: the bundled basemap with assets by category and nothing fetched
// from the internet; a map pack made here imported through the UI and drawn; an asset
// placed by clicking the map; zoomed in with no map pack, the map says why it is empty and
// how to add one; the screen passes axe.
import type { BrowserContext, Page } from '@playwright/test';
import { decode } from 'fast-png';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMbtiles } from '../unit/map-fixtures';
import { expect, expectNoSeriousViolations, test, type TestHarness } from './fixtures';

const ids: Record<string, string> = {};

/** Moss Side, Manchester, and what the workers there have mapped. */
const PLACED = [
  { name: 'St Mary’s Church Hall', category: 'physical', themes: ['loneliness'], location: { lat: 53.4631, lon: -2.229 } },
  { name: 'Knit and Natter', category: 'association', themes: ['loneliness', 'crafts'], location: { lat: 53.4612, lon: -2.2321 } },
  { name: 'Claremont GP Surgery', category: 'institution', themes: ['health'], location: { lat: 53.4655, lon: -2.2255 } },
  { name: 'Alexandra Park', category: 'physical', themes: ['green space'], location: { lat: 53.4555, lon: -2.2443 } },
  { name: 'Moss Side Time Bank', category: 'economic', themes: [], location: { lat: 53.4668, lon: -2.2345 } },
  { name: 'Carnival Archive', category: 'cultural', themes: ['heritage'], location: { lat: 53.4598, lon: -2.2262 } },
] as const;
const UNPLACED = { name: 'Old Library Community Room', category: 'physical', postcode: 'M14 4PX' } as const;

/** The app's colours, as the map draws them (map-style.ts). */
const LAND: Rgb = [0xf4, 0xf2, 0xea];
const SEA: Rgb = [0xcf, 0xe3, 0xec];
const PACK_COLOUR: Rgb = [255, 0, 200];
type Rgb = readonly [number, number, number];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ harness }) => {
  for (const asset of PLACED) ids[asset.name] = harness.service.workspace.create('asset', { ...asset, themes: [...asset.themes] }).id;
  ids[UNPLACED.name] = harness.service.workspace.create('asset', UNPLACED).id;
});

/** Every request leaving this machine is refused and remembered. */
async function blockTheInternet(context: BrowserContext): Promise<string[]> {
  const attempted: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    attempted.push(url.href);
    return route.abort();
  });
  return attempted;
}

async function openMap(page: Page, harness: TestHarness, param = ''): Promise<void> {
  await page.goto(`${harness.url}#/map${param}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Map' })).toBeVisible();
  await expect(page.locator('[data-map-state="ready"]')).toBeVisible({ timeout: 30_000 });
}

/** Share of the map's pixels within a few levels of `colour`. */
async function shareOfColour(page: Page, colour: Rgb): Promise<number> {
  const image = decode(await page.getByRole('region', { name: 'Map of assets' }).screenshot());
  const { width, height, data, channels } = image;
  let matching = 0;
  for (let i = 0; i < width * height * channels; i += channels) {
    if (Math.abs(data[i]! - colour[0]) <= 6 && Math.abs(data[i + 1]! - colour[1]) <= 6 && Math.abs(data[i + 2]! - colour[2]) <= 6) matching++;
  }
  return matching / (width * height);
}

test('the map is drawn offline from the bundled basemap, with the assets near here and those not yet placed', async ({ page, context, harness }) => {
  const attempted = await blockTheInternet(context);
  const cspViolations: string[] = [];
  page.on('console', (message) => /Content Security Policy/i.test(message.text()) && cspViolations.push(message.text()));
  await page.goto(harness.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map', exact: true }).click();
  await expect(page.locator('[data-map-state="ready"]')).toBeVisible({ timeout: 30_000 });

  const near = page.getByRole('list', { name: 'Assets near here' });
  for (const asset of PLACED) await expect(near.getByRole('link', { name: asset.name })).toBeVisible();
  await expect(page.getByText('6 assets in view')).toBeVisible();
  await page.getByText('Not yet placed (1)').click();
  await expect(page.getByRole('link', { name: `Place ${UNPLACED.name} on the map` })).toBeVisible();

  // Reviewed by eye; docs/screenshot-map.png is a copy of it.
  await page.screenshot({ path: test.info().outputPath('map.png') });

  // Zoomed out: land and sea of the bundled basemap fill the map.
  const zoomOut = page.getByRole('button', { name: 'Zoom out' });
  await expect
    .poll(async () => {
      await zoomOut.click();
      return shareOfColour(page, SEA);
    }, { timeout: 20_000 })
    .toBeGreaterThan(0.1);
  expect(await shareOfColour(page, LAND)).toBeGreaterThan(0.1);

  // Filtering by category takes assets off the map and out of the list.
  await page.getByRole('checkbox', { name: /^Physical/ }).uncheck();
  await expect(near.getByRole('link', { name: 'Alexandra Park' })).toHaveCount(0);
  await page.getByRole('checkbox', { name: /^Physical/ }).check();
  await page.getByLabel('Theme').selectOption({ label: 'Loneliness' });
  await expect(near.getByRole('link')).toHaveCount(2);
  await expect(near.getByRole('link', { name: 'Knit and Natter' })).toBeVisible();
  await page.getByLabel('Theme').selectOption({ label: 'All themes' });

  await expectNoSeriousViolations(page, 'map');
  expect(attempted, 'requests that tried to leave the machine').toEqual([]);
  expect(cspViolations, 'the map (its worker, WebGL, tiles) needs nothing the CSP forbids').toEqual([]);
});

test('a map pack made here is imported through the UI, drawn, kept across a restart and removed', async ({ page, context, harness }) => {
  const attempted = await blockTheInternet(context);
  const packFile = join(harness.dataDir, 'moss-side.mbtiles');
  writeMbtiles(packFile, { name: 'Moss Side test pack', colour: PACK_COLOUR, minZoom: 0, maxZoom: 4 });
  const badFile = join(harness.dataDir, 'holiday.mbtiles');
  writeFileSync(badFile, 'not a map at all');

  await openMap(page, harness);
  expect(await shareOfColour(page, PACK_COLOUR)).toBeLessThan(0.01);
  await page.getByLabel('Import a map pack').setInputFiles(packFile);
  await expect(page.getByRole('status').filter({ hasText: 'Imported “Moss Side test pack”: zoom 0–4' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Map packs on this device' }).getByText('Moss Side test pack')).toBeVisible();
  await expect.poll(() => shareOfColour(page, PACK_COLOUR), { timeout: 15_000 }).toBeGreaterThan(0.5);

  await page.getByLabel('Import a map pack').setInputFiles(badFile);
  await expect(page.getByRole('alert')).toHaveText('holiday.mbtiles was not imported: it is not an MBTiles file: it is not an SQLite database');
  await expect(page.getByRole('list', { name: 'Map packs on this device' }).getByRole('listitem')).toHaveCount(1);

  // The data service starts again on the same data directory: the pack is still there and used.
  await harness.restart();
  await openMap(page, harness);
  await expect(page.getByRole('list', { name: 'Map packs on this device' }).getByText('Moss Side test pack')).toBeVisible();
  await expect.poll(() => shareOfColour(page, PACK_COLOUR), { timeout: 15_000 }).toBeGreaterThan(0.5);

  await page.getByRole('button', { name: 'Remove map pack Moss Side test pack' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Removed “Moss Side test pack”.' })).toBeVisible();
  await expect.poll(() => shareOfColour(page, PACK_COLOUR)).toBeLessThan(0.01);
  expect(attempted).toEqual([]);
});

test('an asset not yet placed is placed by clicking the map, and its pin can be dragged', async ({ page, harness }) => {
  const id = ids[UNPLACED.name]!;
  await page.goto(`${harness.url}#/assets/${id}`);
  await page.getByRole('link', { name: 'Place on map' }).click();
  await expect(page.getByRole('region', { name: 'Placing an asset' })).toContainText(`Placing ${UNPLACED.name}: click the map where it is. Not yet placed.`);
  await expect(page.locator('[data-map-state="ready"]')).toBeVisible({ timeout: 30_000 });

  const map = page.getByRole('region', { name: 'Map of assets' });
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.6);
  const status = page.getByRole('status').filter({ hasText: 'placed at' });
  await expect(status).toHaveText(new RegExp(`^“${UNPLACED.name}” placed at 53\\.\\d+, -2\\.\\d+\\.$`));
  const [lat, lon] = (await status.innerText()).match(/-?\d+\.\d+/g)!.map(Number);
  expect(harness.service.workspace.get('asset', id).data.location).toEqual({ lat, lon });

  // Dragging the pin moves it.
  const pin = page.getByLabel(`Pin of ${UNPLACED.name}: drag to move it`);
  const pinBox = (await pin.boundingBox())!;
  await page.mouse.move(pinBox.x + pinBox.width / 2, pinBox.y + pinBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(pinBox.x + 120, pinBox.y - 60, { steps: 8 });
  await page.mouse.up();
  await expect(status).not.toHaveText(`“${UNPLACED.name}” placed at ${lat!.toFixed(5)}, ${lon!.toFixed(5)}.`);
  const moved = harness.service.workspace.get('asset', id).data.location!;
  expect(moved.lon).toBeGreaterThan(lon!);
  expect(moved.lat).toBeGreaterThan(lat!);

  // The asset's page shows where it now is, and the map no longer lists it as not yet placed.
  await page.getByRole('link', { name: 'Open asset' }).click();
  await expect(page.getByLabel('Latitude')).toHaveValue(String(moved.lat));
  await openMap(page, harness);
  await expect(page.getByText('Not yet placed (0)')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Assets near here' }).getByRole('link', { name: UNPLACED.name })).toBeVisible();
});

test('zoomed in past the bundled basemap, the map says a map pack is needed, where to get one and how to add it', async ({ page, context, harness }) => {
  const attempted = await blockTheInternet(context);
  // The map opens on the Moss Side assets, at street level, with no map pack yet.
  await openMap(page, harness);
  const map = page.getByRole('region', { name: 'Map of assets' });
  const notice = page.getByRole('region', { name: 'No street map here yet' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('A map pack, a map of your area in one PMTiles or MBTiles file kept on this device, adds streets and buildings, offline.');
  await notice.getByText('Where to get one').click();
  await expect(notice.getByRole('link', { name: 'Protomaps daily build' })).toHaveAttribute('href', 'https://maps.protomaps.com/builds/');
  await expect(notice.getByRole('link', { name: 'pmtiles tool' })).toHaveAttribute('href', /github\.com\/protomaps\/go-pmtiles/);
  // The extract command is for the area on screen.
  await expect(notice.getByText(/^pmtiles extract https:\/\/build\.protomaps\.com\/YYYYMMDD\.pmtiles my-area\.pmtiles --bbox=-2\.\d+,53\.\d+,-2\.\d+,53\.\d+$/)).toBeVisible();
  // On the map itself, not somewhere beside it.
  const mapBox = (await map.boundingBox())!;
  const noticeBox = (await notice.boundingBox())!;
  expect(noticeBox.x).toBeGreaterThanOrEqual(mapBox.x);
  expect(noticeBox.y).toBeGreaterThanOrEqual(mapBox.y);
  expect(noticeBox.x + noticeBox.width).toBeLessThanOrEqual(mapBox.x + mapBox.width);
  expect(noticeBox.y + noticeBox.height).toBeLessThanOrEqual(mapBox.y + mapBox.height);
  await page.screenshot({ path: test.info().outputPath('map-no-street-map.png') });
  await expectNoSeriousViolations(page, 'map, zoomed in with no map pack');

  // It folds to its heading, so it need hide no assets, and opens again.
  await notice.getByRole('button', { name: 'Hide' }).click();
  await expect(notice.getByRole('button', { name: 'Add a map pack' })).toBeHidden();
  await expect(notice.getByRole('heading', { name: 'No street map here yet' })).toBeVisible();
  await notice.getByRole('button', { name: 'Why?' }).click();
  await notice.getByRole('button', { name: 'Add a map pack' }).click();
  const packInput = page.getByLabel('Import a map pack');
  await expect(packInput).toBeFocused();

  // A pack covering the area: the map has detail there, and says nothing.
  const packFile = join(harness.dataDir, 'greater-manchester.mbtiles');
  writeMbtiles(packFile, { name: 'Greater Manchester', colour: PACK_COLOUR, minZoom: 0, maxZoom: 4 });
  await packInput.setInputFiles(packFile);
  await expect(page.getByRole('status').filter({ hasText: 'Imported “Greater Manchester”' })).toBeVisible();
  await expect(notice).toHaveCount(0);

  // Without it again, zoomed out to where the bundled basemap has detail of its own: nothing to say either.
  await page.getByRole('button', { name: 'Remove map pack Greater Manchester' }).click();
  await expect(notice).toBeVisible();
  const zoomOut = page.getByRole('button', { name: 'Zoom out' });
  await expect
    .poll(async () => {
      await zoomOut.click();
      return notice.count();
    }, { timeout: 20_000 })
    .toBe(0);
  expect(attempted).toEqual([]);
});
