// The real desktop app under Playwright's Electron driver: first run, the main
// navigation, the security policy seen from inside the page, single instance, a data
// service crash, and data surviving a restart. Skipped, with the reason printed, where
// the Electron binary is not installed (npm install downloads it from GitHub releases).
// Launched as `npm start` launches it: with the SQLite driver built for Electron, and
// without Chromium's setuid sandbox on Linux; on a machine with no display, in Xvfb.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { ensureElectronBinding } from '../../scripts/electron-native.mjs';
import { SQLITE_BINDING_ENV } from '../../shared/sqlite-binding';
import { firstRunInPage, unlockInPage } from './fixtures';

const binary = findElectronBinary();
const needsVirtualDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const hasXvfb = spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' }).status === 0;
const skipReason =
  binary.path === null
    ? `Electron binary not installed on this machine: ${binary.reason}`
    : needsVirtualDisplay && !hasXvfb
      ? 'no display for the Electron window and no Xvfb to make one (apt-get install xvfb)'
      : null;
if (skipReason) console.log(`electron-smoke.spec.ts is skipped: ${skipReason}`);

/** Starts Xvfb on a free display; resolves to its name (`:99`). */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with code ${code}`)));
    xvfb.stdout!.once('data', (data: Buffer) => resolve({ display: `:${data.toString().trim()}`, process: xvfb }));
  });
}

test.describe('the desktop app', () => {
  test.skip(skipReason !== null, skipReason ?? '');
  test.describe.configure({ mode: 'serial' });

  let userData = '';
  let env: Record<string, string> = {};
  let xvfb: ChildProcess | null = null;
  const sandboxArgs = process.platform === 'linux' ? ['--no-sandbox'] : [];
  const args = () => [...sandboxArgs, 'dist/main/electron/main.cjs', `--user-data-dir=${userData}`];
  const launch = () => electron.launch({ executablePath: binary.path!, args: args(), env });
  const navigation = (page: Page) => page.getByRole('navigation', { name: 'Main' });

  test.beforeAll(async () => {
    test.setTimeout(10 * 60_000); // the first run builds the SQLite driver for Electron
    // Main, preload and data service from the current sources; test:e2e builds the renderer.
    const build = spawnSync(process.execPath, ['scripts/build-main.mjs'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    userData = mkdtempSync(join(tmpdir(), 'fieldbook-electron-'));
    env = { ...(process.env as Record<string, string>), [SQLITE_BINDING_ENV]: await ensureElectronBinding() };
    if (needsVirtualDisplay) {
      const virtual = await startXvfb();
      xvfb = virtual.process;
      env.DISPLAY = virtual.display;
    }
  });

  test.afterAll(() => {
    xvfb?.kill();
  });

  test('starts, passes first run and shows the main navigation, with the page locked down', async () => {
    const app = await launch();
    try {
      const page = await app.firstWindow();
      await expect(page).toHaveURL(/^app:\/\/fieldbook\//);
      // Under Xvfb there is no secret service: safeStorage is basic_text, so a passphrase protects the key.
      await firstRunInPage(page, { workspaceName: 'Moss Side Community Hub' });
      await expect(navigation(page)).toBeVisible();

      // No Node in the page, only the two-function bridge, and no way out to the network.
      expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
        'undefined',
        'undefined',
      ]);
      expect(await page.evaluate(() => Object.keys(window.fieldbookDesktop ?? {}).sort())).toEqual(['openExternal', 'requestDataServicePort', 'saveFile']);
      expect(await page.evaluate(() => fetch('https://example.org/').then(() => 'fetched', () => 'blocked'))).toBe('blocked');
      expect(await page.evaluate(() => window.open('file:///etc/passwd') === null)).toBe(true);
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
    }
    // before-quit let the data service close its database: the WAL was checkpointed away.
    expect(existsSync(join(userData, 'fieldbook', 'workspace.sqlite-wal'))).toBe(false);
  });

  test('a second launch hands over to the running app; the workspace survives; a crashed service restarts', async () => {
    const app: ElectronApplication = await launch();
    try {
      const page = await app.firstWindow();
      await unlockInPage(page);
      await expect(navigation(page)).toBeVisible();
      await expect(page.getByLabel('Your name')).toHaveCount(0);

      const second = spawn(binary.path!, args(), { stdio: 'ignore', env });
      const code = await new Promise<number | null>((done) => second.on('exit', done));
      expect(code).toBe(0);
      expect(app.windows()).toHaveLength(1);

      // A native dialog cannot be clicked from here: record what it would have said instead.
      await app.evaluate(({ dialog }) => {
        const shown: string[] = [];
        Object.assign(globalThis, { shownDialogs: shown });
        dialog.showMessageBox = async (...args: unknown[]) => {
          shown.push((args.at(-1) as { message: string }).message);
          return { response: 0, checkboxChecked: false };
        };
      });
      const servicePid = await app.evaluate(({ app }) => app.getAppMetrics().find((m) => m.name === 'Community Fieldbook data service')?.pid);
      expect(servicePid).toBeGreaterThan(0);
      const reloaded = page.waitForEvent('load');
      process.kill(servicePid!, 'SIGKILL');
      await reloaded;
      // The restarted service holds no key until the passphrase is typed again.
      await unlockInPage(page);
      await expect(navigation(page)).toBeVisible();
      expect(await app.evaluate(() => (globalThis as unknown as { shownDialogs: string[] }).shownDialogs)).toEqual(['The data service stopped unexpectedly.']);
    } finally {
      await app.close();
    }
  });
});
