// `npm run bench:network` (= build the renderer, then `node --import tsx bench/network.ts
// [--scale 0.1] [--runs 5] [--loads 3]`): the network view's figures as one JSON object,
// on a workspace made by the seeded generator (at 0.1: 5,000 contacts, 1,000 assets,
// 10,000 connections, of which the best-connected 5,000 records are shown):
// - layout: the view's whole ForceAtlas2 run (renderer/src/network/layout.ts, the code its
//   worker runs) for 5,000 nodes, median over --runs; the baseline is the same run for the
//   500 best-connected nodes, measured in the same process, and the ratio between them;
// - graph: building the graph in the data service (network.graph), median;
// - first paint in Chromium: from navigation to #/network to sigma's first drawn frame of
//   all 5,000 nodes, and to the layout finishing, median over --loads fresh pages.
import { chromium } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import config from '../playwright.config';
import { startHarness } from '../main/harness/server';
import { buildNetwork } from '../main/data-service/network/graph';
import { ForceLayout, iterationBudget } from '../renderer/src/network/layout';
import type { NetworkGraph } from '../shared/rpc-network';
import { BENCH_PASSPHRASE, countsAt, generateWorkspace } from './generate';
import { check, median, round } from './stats';

const { values: args } = parseArgs({
  options: { scale: { type: 'string', default: '0.1' }, runs: { type: 'string', default: '5' }, loads: { type: 'string', default: '3' } },
});
const scale = Number(args.scale);
const runs = Number(args.runs);
const loads = Number(args.loads);
if (!(scale > 0) || !(runs >= 1) || !(loads >= 1)) throw new Error('usage: bench/network.ts [--scale 0.1] [--runs 5] [--loads 3]');

const ROOT = resolve(import.meta.dirname, '..');
if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) throw new Error('the renderer is not built: run `npm run build:renderer` first');
const NODES = 5_000;
const BASELINE_NODES = 500;

function time<T>(work: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

/** The view's whole layout run for one graph, in ms. */
function layoutMs(graph: NetworkGraph): number {
  return time(() => new ForceLayout(graph).step(iterationBudget(graph.ids.length))).ms;
}

const dataDir = mkdtempSync(join(tmpdir(), 'fieldbook-bench-network-'));
const harness = await startHarness({ dataDir, port: 0, rendererDir: join(ROOT, 'dist/renderer') });
try {
  await harness.service.setup('Bench', 'Bench network', BENCH_PASSPHRASE);
  const ws = harness.service.workspace;
  generateWorkspace(ws, { scale });

  const builds = Array.from({ length: runs }, () => time(() => buildNetwork(ws, { limit: NODES })));
  const graph = builds[0]!.result;
  const baseline = buildNetwork(ws, { limit: BASELINE_NODES });
  // Interleaved, so load on this shared machine weighs on both alike.
  const layout: number[] = [];
  const baselineLayout: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineLayout.push(layoutMs(baseline));
    layout.push(layoutMs(graph));
  }

  const browser = await chromium.launch(config.use?.launchOptions);
  const firstDraw: number[] = [];
  const arranged: number[] = [];
  try {
    for (let i = 0; i < loads; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const started = performance.now();
      await page.goto(`${harness.url}#/network`);
      await page.locator(`.network-canvas[data-drawn-nodes="${graph.ids.length}"]`).waitFor({ timeout: 120_000 });
      firstDraw.push(performance.now() - started);
      await page.getByRole('status').filter({ hasText: /^Arranged$/ }).waitFor({ timeout: 120_000 });
      arranged.push(performance.now() - started);
      await page.close();
    }
  } finally {
    await browser.close();
  }

  const layoutMedian = median(layout);
  console.log(
    JSON.stringify(
      {
        scale,
        counts: countsAt(scale),
        nodes: graph.ids.length,
        edges: graph.sources.length,
        iterations: iterationBudget(graph.ids.length),
        graphBuildMs: { median: round(median(builds.map((b) => b.ms))), runs: builds.map((b) => round(b.ms)) },
        layoutMs: { median: round(layoutMedian), runs: layout.map((ms) => round(ms)) },
        baseline: {
          nodes: baseline.ids.length,
          edges: baseline.sources.length,
          iterations: iterationBudget(baseline.ids.length),
          layoutMs: round(median(baselineLayout)),
          ratio: round(layoutMedian / median(baselineLayout)),
        },
        chromium: { firstDrawMs: round(median(firstDraw)), arrangedMs: round(median(arranged)), loads: firstDraw.map((ms) => round(ms)) },
        targets: { layout5000: check(layoutMedian, '<=', 2000, 'ms') },
      },
      null,
      2,
    ),
  );
} finally {
  await harness.close();
  rmSync(dataDir, { recursive: true, force: true });
}
