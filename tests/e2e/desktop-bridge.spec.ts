// The renderer as the desktop app runs it, in Chromium where Electron cannot run: every
// file served by the shell's app:// handler (with the desktop CSP header, which allows no
// network at all), the real preload bundle, and the data service over a MessageChannel.
// Only Electron's IPC is stood in for, in the shape preload.ts uses.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { DataService } from '../../main/data-service/data-service';
import { ServiceConnection } from '../../main/data-service/service-connection';
import { serveAppRequest } from '../../main/electron/app-protocol';
import { APP_HOST, APP_SCHEME } from '../../main/electron/security';
import { IPC } from '../../shared/bridge';
import { freshDataDir } from './fixtures';

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

test('first run and the main navigation work over the desktop bridge, under the desktop CSP', async ({ page }) => {
  const service = new DataService(freshDataDir());
  const cspViolations: string[] = [];
  const ipc: unknown[][] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const response = await serveAppRequest('dist/renderer', route.request().url().replace(ORIGIN, APP_ORIGIN));
    await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
  });
  const connection = new ServiceConnection(service, (text) => void page.evaluate((t) => (window as unknown as { __fromService(t: string): void }).__fromService(t), text));
  await page.exposeFunction('__toService', (text: string) => connection.receive(text));
  await page.exposeFunction('__ipc', (...args: unknown[]) => ipc.push(args));
  await page.addInitScript({ content: preloadScript() });

  try {
    await page.goto(`${ORIGIN}/index.html`);
    await page.getByLabel('Your name').fill('Asha Patel');
    await page.getByLabel('Workspace name').fill('Moss Side Connections');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect(service.profile()).toMatchObject({ author: { name: 'Asha Patel' }, workspaceName: 'Moss Side Connections' });

    // The page got the bridge and nothing else; it reaches main only through it.
    expect(await page.evaluate(() => Object.keys(window.fieldbookDesktop ?? {}).sort())).toEqual(['openExternal', 'requestDataServicePort']);
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
    connection.close();
    service.close();
  }
});
