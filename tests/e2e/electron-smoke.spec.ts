// The real desktop app under Playwright's Electron driver: first run, the main
// navigation, the security policy seen from inside the page, single instance, a data
// service crash, and data surviving a restart. Skipped, with the reason printed, where
// the Electron binary is not installed (npm install downloads it from GitHub releases).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const binary = findElectronBinary();
const skipReason =
  binary.path === null
    ? `Electron binary not installed on this machine: ${binary.reason}`
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'no display for the Electron window: run the tests under xvfb-run'
      : null;
if (skipReason) console.log(`electron-smoke.spec.ts is skipped: ${skipReason}`);

test.describe('the desktop app', () => {
  test.skip(skipReason !== null, skipReason ?? '');
  test.describe.configure({ mode: 'serial' });

  let userData = '';
  const args = () => ['dist/main/electron/main.cjs', `--user-data-dir=${userData}`];
  const launch = () => electron.launch({ executablePath: binary.path!, args: args() });
  const navigation = (page: Page) => page.getByRole('navigation', { name: 'Main' });

  test.beforeAll(() => {
    // Main, preload and data service from the current sources; test:e2e builds the renderer.
    const build = spawnSync(process.execPath, ['scripts/build-main.mjs'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    userData = mkdtempSync(join(tmpdir(), 'fieldbook-electron-'));
  });

  test('starts, passes first run and shows the main navigation, with the page locked down', async () => {
    const app = await launch();
    try {
      const page = await app.firstWindow();
      await expect(page).toHaveURL(/^app:\/\/fieldbook\//);
      await page.getByLabel('Your name').fill('Asha Patel');
      await page.getByLabel('Workspace name').fill('Moss Side Community Hub');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await expect(navigation(page)).toBeVisible();

      // No Node in the page, only the two-function bridge, and no way out to the network.
      expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
        'undefined',
        'undefined',
      ]);
      expect(await page.evaluate(() => Object.keys(window.fieldbookDesktop ?? {}).sort())).toEqual(['openExternal', 'requestDataServicePort']);
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
      await expect(navigation(page)).toBeVisible();
      await expect(page.getByLabel('Your name')).toHaveCount(0);

      const second = spawn(binary.path!, args(), { stdio: 'ignore' });
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
      await expect(navigation(page)).toBeVisible();
      expect(await app.evaluate(() => (globalThis as unknown as { shownDialogs: string[] }).shownDialogs)).toEqual(['The data service stopped unexpectedly.']);
    } finally {
      await app.close();
    }
  });
});
