// The renderer as the desktop app runs it, in Chromium where Electron cannot run: every
// file served by the shell's app:// handler (with the desktop CSP header, which allows no
// network at all), the real preload bundle, and the data service over a MessageChannel.
// Only Electron's IPC is stood in for, in the shape preload.ts uses; main's answers to
// `invoke` (the save dialog) are given by each test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { DataService } from '../../main/data-service/data-service';
import { ServiceConnection } from '../../main/data-service/service-connection';
import { serveAppRequest } from '../../main/electron/app-protocol';
import { APP_HOST, APP_SCHEME } from '../../main/electron/security';
import { IPC, type SaveFileResult } from '../../shared/bridge';
import { TEST_KDF, TEST_PASSPHRASE } from '../unit/helpers';
import { firstRunInPage, freshDataDir } from './fixtures';

// app:// cannot be registered in a browser; this origin is mapped onto it request by request.
const ORIGIN = 'http://fieldbook.localhost';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Runs the bundled preload with a stand-in `electron` module: port requests and openExternal calls go to Node. */
function preloadScript(): string {
  const preload = readFileSync('dist/main/electron/preload.cjs', 'utf8');
  return `(() => {
    const listeners = {};
    const electron = {
      contextBridge: { exposeInMainWorld: (key, api) => { window[key] = Object.freeze(api); } },
      ipcRenderer: {
        on: (channel, listener) => { listeners[channel] = listener; },
        send: (channel, ...args) => {
          if (channel === ${JSON.stringify(IPC.requestPort)}) {
            const { port1, port2 } = new MessageChannel();
            port1.onmessage = (event) => window.__toService(event.data);
            window.__fromService = (text) => port1.postMessage(text);
            listeners[channel]({ ports: [port2] });
          } else window.__ipc(channel, ...args);
        },
        invoke: (channel, ...args) => window.__invoke(channel, ...args),
      },
    };
    const require = (name) => { if (name !== 'electron') throw new Error('the preload may require only electron, not ' + name); return electron; };
    ${preload}
  })();`;
}

test.beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build-main.mjs'], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
});

/**
 * The desktop page over the bridge, on a data service `prepare` may fill first; `invoke`
 * stands in for main's answers to ipcRenderer.invoke.
 */
async function openDesktopPage(
  page: Page,
  { invoke = async () => undefined, prepare = () => {} }: { invoke?: (channel: string, ...args: unknown[]) => Promise<unknown>; prepare?: (service: DataService) => void | Promise<void> } = {},
) {
  const service = new DataService(freshDataDir(), { kdf: TEST_KDF });
  await prepare(service);
  const cspViolations: string[] = [];
  const ipc: unknown[][] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const response = await serveAppRequest('dist/renderer', route.request().url().replace(ORIGIN, APP_ORIGIN));
    await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
  });
  // Events the service sends before the page has asked for its port reach nobody, as in the app.
  const toPage = (text: string) => page.evaluate((t) => (window as unknown as { __fromService?(t: string): void }).__fromService?.(t), text).catch(() => {});
  const connection = new ServiceConnection(service, (text) => void toPage(text));
  await page.exposeFunction('__toService', (text: string) => connection.receive(text));
  await page.exposeFunction('__ipc', (...args: unknown[]) => ipc.push(args));
  await page.exposeFunction('__invoke', invoke);
  await page.addInitScript({ content: preloadScript() });
  await page.goto(`${ORIGIN}/index.html`);
  const close = () => {
    connection.close();
    service.close();
  };
  return { service, cspViolations, ipc, close };
}

test('first run and the main navigation work over the desktop bridge, under the desktop CSP', async ({ page }) => {
  const { service, cspViolations, ipc, close } = await openDesktopPage(page);
  try {
    await firstRunInPage(page);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect(service.profile()).toMatchObject({ author: { name: 'Asha Patel' }, workspaceName: 'Moss Side Connections' });

    // The page got the bridge and nothing else; it reaches main only through it.
    expect(await page.evaluate(() => Object.keys(window.fieldbookDesktop ?? {}).sort())).toEqual(['openExternal', 'requestDataServicePort', 'saveFile']);
    await page.evaluate(() => window.fieldbookDesktop!.openExternal('https://example.org/abcd'));
    await expect.poll(() => ipc).toEqual([[IPC.openExternal, 'https://example.org/abcd']]);

    // The map (a web worker, WebGL, the bundled basemap file) needs nothing this CSP forbids.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map', exact: true }).click();
    await expect(page.locator('[data-map-state="ready"]')).toBeVisible({ timeout: 30_000 });

    expect(cspViolations).toEqual([]);

    // The desktop CSP allows no network: not even the harness's loopback address.
    const violated = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), { once: true });
          void fetch('http://127.0.0.1:5174/').catch(() => {});
        }),
    );
    expect(violated).toBe('connect-src');
  } finally {
    close();
  }
});

test('an export says it was saved only once the save dialog has been answered, and says so when it was closed', async ({ page }) => {
  const requests: unknown[] = [];
  let answer: (result: SaveFileResult) => void = () => {};
  const { close } = await openDesktopPage(page, {
    prepare: async (service) => {
      await service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
      service.workspace.create('asset', { name: 'Claremont Road allotments', category: 'physical', location: { lat: 53.45, lon: -2.23 } });
    },
    invoke: (channel, request) => {
      requests.push([channel, request]);
      return new Promise<SaveFileResult>((resolve) => (answer = resolve));
    },
  });
  try {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assets', exact: true }).click();
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export assets' });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();

    // The save dialog is open (main has not answered): nothing says it was saved.
    await expect(dialog.getByRole('status')).toHaveText('Choose where to save the file…');
    await expect.poll(() => requests.length).toBe(1);
    const [channel, request] = requests[0] as [string, { suggestedName: string; formatName: string; content: string }];
    expect(channel).toBe(IPC.saveFile);
    expect(request.suggestedName).toMatch(/^assets-\d{4}-\d{2}-\d{2}\.geojson$/);
    expect(JSON.parse(request.content).features[0].properties.name).toBe('Claremont Road allotments');
    answer({ state: 'cancelled' });
    await expect(dialog.getByRole('status')).toHaveText(/^Not saved: the save dialog was closed/);
    await expect(dialog.getByText(/^Saved/)).toHaveCount(0);

    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => requests.length).toBe(2);
    answer({ state: 'saved', path: '/home/asha/Documents/allotments.geojson' });
    await expect(dialog.getByRole('status')).toHaveText('Saved /home/asha/Documents/allotments.geojson: 1 asset.');
  } finally {
    close();
  }
});
