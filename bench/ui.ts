// `npm run build:renderer && node --import tsx bench/ui.ts [--scale 0.1] [--seed 1] [--loads 7]`:
// the desktop app's UI figures as one JSON object, on the reference workspace built with
// the seeded generator in a temp dir:
// - first contacts page: from navigation start of a fresh page load of #/contacts to the
//   first rows painted (median over --loads loads, each in a fresh browser context);
// - typing in a session's rich-text notes: keydown to the frame that shows it, p50/p95;
// - memory: the renderer's JS heap (after a GC) and the data service's RSS and peak RSS.
// The harness (the same UI and data service as the app) runs in its own process, so the
// data service's memory is that process's alone. Chromium is the e2e tests' (playwright.config.ts).
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import config from '../playwright.config';
import { DataService } from '../main/data-service/data-service';
import { BENCH_PASSPHRASE, countsAt, generateWorkspace } from './generate';
import { check, median, quantile, round } from './stats';

const { values: args } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' }, loads: { type: 'string', default: '7' } },
});
const scale = Number(args.scale);
const seed = Number(args.seed);
const loads = Number(args.loads);
if (!(scale > 0) || !Number.isInteger(seed) || !(loads >= 1)) throw new Error('usage: bench/ui.ts [--scale 0.1] [--seed 1] [--loads 7]');

const ROOT = resolve(import.meta.dirname, '..');
if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) throw new Error('the renderer is not built: run `npm run build:renderer` first');

/** About 75 words a minute: each key held for this long, then this long until the next. */
const KEY_DELAY_MS = 70;
/** A pause at the end of each sentence, longer than the notes' send delay, so updates go out as they do for a person. */
const SENTENCE_PAUSE_MS = 600;
const SENTENCES = [
  'Residents said the bus to the health centre stops at six, so evening sessions are hard to reach.',
  'Three people offered to run a lunch club in the church hall on Tuesdays.',
  'Next time we will ask the library about the back room and bring the map of local groups.',
];
const MB = 2 ** 20;

/**
 * Runs in the page before the app's scripts. Marks `contacts-painted` once the contacts
 * list first shows a row with its text, and measures `keystroke` from each keydown in the
 * notes editor (its event time, so input queueing counts) to the frame that shows it.
 * No named inner functions: tsx's keepNames would wrap them in an __name() the page lacks.
 */
function instrument(): void {
  const frame = {
    // A message posted from a requestAnimationFrame callback is handled once that frame's
    // style, layout and paint are done: the closest a page can see to "on screen".
    afterNextPaint(then: () => void): void {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => then();
        channel.port2.postMessage(null);
      });
    },
  };
  const rows = new MutationObserver(() => {
    if (!document.querySelector('[role="list"][aria-label="Contacts"] .row-title')) return;
    rows.disconnect();
    frame.afterNextPaint(() => performance.mark('contacts-painted'));
  });
  rows.observe(document, { childList: true, subtree: true });
  document.addEventListener(
    'keydown',
    (event) => {
      if (!(event.target instanceof Element) || !event.target.closest('.rich-editor')) return;
      frame.afterNextPaint(() => performance.measure('keystroke', { start: event.timeStamp, end: performance.now() }));
    },
    { capture: true },
  );
}

/** The harness's own entry point in a child process; resolves with the URL it prints. */
async function startHarnessProcess(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const passphraseFile = join(mkdtempSync(join(tmpdir(), 'fieldbook-bench-ui-key-')), 'passphrase');
  writeFileSync(passphraseFile, BENCH_PASSPHRASE);
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/harness/server.ts', '--data-dir', dataDir, '--port', '0', '--passphrase-file', passphraseFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ready, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /open (http:\S+)/.exec(out);
      if (found) ready(found[1]!);
    });
    child.once('exit', (code) => fail(new Error(`the harness exited (${code}) before it was ready`)));
  });
  return { url, child };
}

/** Resident and peak resident memory of a process, in MB, from /proc (Linux). */
function processMemoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: round((kb('VmRSS') * 1024) / MB, 1), peak: round((kb('VmHWM') * 1024) / MB, 1) };
}

/** CDP's performance metrics of a page (durations in seconds); after a full GC when `gc`, so the JS heap is what is live. */
async function pageMetrics(cdp: CDPSession, gc = false): Promise<Record<string, number>> {
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

const heapMb = (metrics: Record<string, number>) => round(metrics.JSHeapUsedSize! / MB, 1);

async function freshPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({ viewport: config.use?.viewport ?? null });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { context, page, cdp };
}

/** One fresh load of the contacts list: from navigation start to the app's script run and to the first rows painted, in ms. */
async function contactsLoad(page: Page, url: string): Promise<{ scriptsMs: number; paintedMs: number }> {
  await page.goto(`${url}#/contacts`);
  // Polled rarely: the time itself is taken inside the page.
  await page.waitForFunction(() => performance.getEntriesByName('contacts-painted').length > 0, null, { polling: 100, timeout: 60_000 });
  return page.evaluate(() => ({
    // The bundle is a module script, so it has run by DOMContentLoaded.
    scriptsMs: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
    paintedMs: performance.getEntriesByName('contacts-painted')[0]!.startTime,
  }));
}

/** Types the sentences at the end of a session's notes: each keystroke's latency, and the main thread's work per keystroke (ms). */
async function typeNotes(page: Page, cdp: CDPSession, url: string, sessionId: string) {
  await page.goto(`${url}#/sessions/${encodeURIComponent(sessionId)}`);
  const notes = page.getByRole('textbox', { name: 'Notes', exact: true });
  await notes.click();
  await page.keyboard.press('Control+End');
  // Only the typing counts: forget the click and Control+End once their frames are out.
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.clearMeasures('keystroke'))))));
  const before = await pageMetrics(cdp);
  for (const sentence of SENTENCES) {
    await page.keyboard.press('Enter', { delay: KEY_DELAY_MS });
    await page.keyboard.type(sentence, { delay: KEY_DELAY_MS });
    await page.waitForTimeout(SENTENCE_PAUSE_MS);
  }
  await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor();
  const after = await pageMetrics(cdp);
  if (!(await notes.innerText()).includes(SENTENCES.at(-1)!)) throw new Error('the typed notes did not all reach the editor');
  const latencies = await page.evaluate(() => performance.getEntriesByName('keystroke').map((e) => e.duration));
  // Sending the notes to the data service and showing "Saved" are included, spread over the keystrokes.
  const perKey = (metric: string) => round(((after[metric]! - before[metric]!) * 1000) / latencies.length);
  return { latencies, work: { scriptMs: perKey('ScriptDuration'), layoutMs: perKey('LayoutDuration'), styleMs: perKey('RecalcStyleDuration') } };
}

const dataDir = mkdtempSync(join(tmpdir(), 'fieldbook-bench-ui-'));
let harness: { url: string; child: ChildProcess } | undefined;
let browser: Browser | undefined;
try {
  const generateStarted = performance.now();
  const service = new DataService(dataDir);
  await service.setup('Bench Runner', 'Reference workspace', BENCH_PASSPHRASE);
  // The day's backup is taken now, of the empty workspace, not while the harness is measured.
  await service.backupRunning;
  const { ids } = generateWorkspace(service.workspace, { scale, seed });
  service.close();
  const generateSeconds = round((performance.now() - generateStarted) / 1000, 1);

  harness = await startHarnessProcess(dataDir);
  const pid = harness.child.pid!;
  const serviceAtStart = processMemoryMb(pid);
  browser = await chromium.launch(config.use?.launchOptions);

  const loadTimes: { scriptsMs: number; paintedMs: number }[] = [];
  let contactsHeapMb = 0;
  for (let i = 0; i < loads; i++) {
    const { context, page, cdp } = await freshPage(browser);
    loadTimes.push(await contactsLoad(page, harness.url));
    if (i === loads - 1) contactsHeapMb = heapMb(await pageMetrics(cdp, true));
    await context.close();
  }
  const serviceAfterLists = processMemoryMb(pid);

  const { context, page, cdp } = await freshPage(browser);
  const typing = await typeNotes(page, cdp, harness.url, ids.session[0]!);
  const editorHeapMb = heapMb(await pageMetrics(cdp, true));
  await context.close();
  const serviceAfterTyping = processMemoryMb(pid);

  const painted = loadTimes.map((t) => t.paintedMs);
  const keystrokes = typing.latencies;
  const result = {
    scale,
    seed,
    counts: countsAt(scale),
    generateSeconds,
    firstContactsPage: {
      loads,
      samplesMs: painted.map((ms) => round(ms, 1)),
      // The data service's first answers after it starts come from a cold cache.
      firstLoadMs: round(painted[0]!, 1),
      appScriptsRunMedianMs: round(median(loadTimes.map((t) => t.scriptsMs)), 1),
      medianMs: check(median(painted), '<=', 1000, 'ms'),
    },
    notesTyping: {
      keystrokes: keystrokes.length,
      characters: SENTENCES.join('').length + SENTENCES.length,
      keyDelayMs: KEY_DELAY_MS,
      p50Ms: round(quantile(keystrokes, 0.5)),
      p95Ms: check(quantile(keystrokes, 0.95), '<=', 16, 'ms'),
      maxMs: round(Math.max(...keystrokes)),
      mainThreadPerKeystroke: typing.work,
    },
    memory: {
      rendererJsHeapMb: { contactsList: contactsHeapMb, sessionEditorAfterTyping: editorHeapMb },
      dataServiceRssMb: { atStart: serviceAtStart.rss, afterContactLoads: serviceAfterLists.rss, afterTyping: serviceAfterTyping.rss, peak: serviceAfterTyping.peak },
    },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser?.close();
  if (harness && harness.child.exitCode === null) {
    harness.child.kill('SIGTERM');
    await once(harness.child, 'exit');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
