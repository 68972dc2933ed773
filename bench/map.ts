// `npm run build:renderer && node --import tsx bench/map.ts [--assets 10000] [--loads 7] [--seed 1]`:
// the asset map's first paint as one JSON object: from navigation start of a fresh page
// load of #/map to the first frame after the map has drawn everything it first shows
// (basemap, clusters; maplibre's first `idle`), median over --loads loads, each in a fresh
// browser context. Measured twice in the same run: with --assets placed assets (around
// English towns, as the reference workspace places them) and, as the baseline, the same
// map with none, so the ratio is what the assets cost. For scale, the same for the app's
// shell alone: a fresh load of the (empty) assets list to its heading painted; what the
// map adds to the app's own start is the difference. Chromium is the e2e tests'.
import { chromium, type Browser } from '@playwright/test';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import config from '../playwright.config';
import { ASSET_CATEGORIES, type CreateInput } from '../shared/domain';
import { startHarness, type Harness } from '../main/harness/server';
import { prng } from '../tests/integration/sync-helpers';
import { BENCH_PASSPHRASE } from './generate';
import { check, median, round } from './stats';

const { values: args } = parseArgs({
  options: { assets: { type: 'string', default: '10000' }, loads: { type: 'string', default: '7' }, seed: { type: 'string', default: '1' } },
});
const assetCount = Number(args.assets);
const loads = Number(args.loads);
const seed = Number(args.seed);
if (!(assetCount >= 1) || !(loads >= 1) || !Number.isInteger(seed)) throw new Error('usage: bench/map.ts [--assets 10000] [--loads 7] [--seed 1]');

const ROOT = resolve(import.meta.dirname, '..');
if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) throw new Error('the renderer is not built: run `npm run build:renderer` first');

const TOWNS = [
  [53.4808, -2.2426],
  [53.8008, -1.5491],
  [52.4862, -1.8904],
  [51.4545, -2.5879],
  [53.3811, -1.4701],
  [54.9783, -1.6178],
  [53.4084, -2.9916],
  [52.6369, -1.1398],
] as const;
const THEMES = ['loneliness', 'food', 'health', 'green space', 'heritage', 'young people', 'crafts'];

function placedAssets(count: number): { id?: string; data: CreateInput<'asset'> }[] {
  const next = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const [lat, lon] = pick(TOWNS);
    return {
      data: {
        name: `Asset ${i + 1}`,
        category: pick(ASSET_CATEGORIES),
        themes: [pick(THEMES)],
        // Within about 8 km of the town centre.
        location: { lat: +(lat + (next() - 0.5) * 0.14).toFixed(5), lon: +(lon + (next() - 0.5) * 0.24).toFixed(5) },
      },
    };
  });
}

/**
 * Runs in the page before the app: marks `painted` at the first frame after the map reports
 * it is ready (on #/map), or after the screen's heading shows (elsewhere).
 */
function instrument(): void {
  const ready = window.location.hash.startsWith('#/map') ? '[data-map-state="ready"]' : '#page-heading';
  const observer = new MutationObserver(() => {
    if (!document.querySelector(ready)) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => performance.mark('painted');
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-map-state'] });
}

async function firstPaints(browser: Browser, harness: Harness, route: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: config.use?.viewport ?? null });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    await page.goto(`${harness.url}${route}`);
    await page.waitForFunction(() => performance.getEntriesByName('painted').length > 0, null, { polling: 100, timeout: 60_000 });
    samples.push(await page.evaluate(() => performance.getEntriesByName('painted')[0]!.startTime));
    await context.close();
  }
  return samples;
}

interface Figures {
  samplesMs: number[];
  medianMs: number;
}

const figures = (samples: number[]): Figures => ({ samplesMs: samples.map((ms) => round(ms, 1)), medianMs: round(median(samples), 1) });

async function measure(browser: Browser, count: number): Promise<{ map: Figures; appShell: Figures }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldbook-bench-map-'));
  const harness = await startHarness({ dataDir, port: 0 });
  try {
    await harness.service.setup('Bench Runner', 'Map benchmark', BENCH_PASSPHRASE);
    if (count > 0) harness.service.workspace.createMany('asset', placedAssets(count));
    const map = figures(await firstPaints(browser, harness, '#/map'));
    return { map, appShell: count === 0 ? figures(await firstPaints(browser, harness, '#/assets')) : map };
  } finally {
    await harness.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const browser = await chromium.launch(config.use?.launchOptions);
try {
  const baseline = await measure(browser, 0);
  const withAssets = await measure(browser, assetCount);
  console.log(
    JSON.stringify(
      {
        assets: assetCount,
        loads,
        seed,
        mapFirstPaint: {
          withAssets: withAssets.map,
          baselineNoAssets: baseline.map,
          ratioToBaseline: round(withAssets.map.medianMs / baseline.map.medianMs),
          appShellAlone: baseline.appShell,
          mapBeyondAppShellMs: round(withAssets.map.medianMs - baseline.appShell.medianMs, 1),
          target: check(withAssets.map.medianMs, '<=', 1000, 'ms'),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
}
