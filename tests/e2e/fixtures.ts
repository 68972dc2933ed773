// Shared by the e2e specs: the `test` they import, whose fixtures start harnesses (the real
// renderer and data service) on fresh data directories and close them, a lead's and a
// worker's device synced through a real sync server, and the checks most screens need.
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../../main/harness/server';
import { createInvite, createWorkspace } from '../../server/admin';
import { sqliteStoreFor, startServer, tempDir } from '../integration/sync-helpers';
import { TEST_KDF, TEST_PASSPHRASE } from '../unit/helpers';

/** The data service of every test harness: a passphrase protects its key (as where the OS has no keychain), at the tests' KDF cost. */
const SERVICE_OPTIONS = { kdf: TEST_KDF };

export { expect };

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'fieldbook-e2e-'));
}

/** A harness on a data directory of its own, which a test may restart on the same directory. */
export class TestHarness implements Harness {
  private closed = false;

  private constructor(
    readonly dataDir: string,
    private running: Harness,
  ) {}

  /** Started on a fresh data directory; first run done as `firstRunAs` (with TEST_PASSPHRASE) unless it is null. */
  static async start(firstRunAs: string | null): Promise<TestHarness> {
    const dataDir = freshDataDir();
    const harness = new TestHarness(dataDir, await startHarness({ dataDir, port: 0, service: SERVICE_OPTIONS }));
    if (firstRunAs !== null) await harness.service.setup(firstRunAs, 'Moss Side Connections', TEST_PASSPHRASE);
    return harness;
  }

  /** Changes on restart: the harness comes back on another port. */
  get url(): string {
    return this.running.url;
  }

  get service(): Harness['service'] {
    return this.running.service;
  }

  /**
   * Close the data service and start it again on the same data directory, as quitting and
   * reopening the app would; `meanwhile` runs while it is shut. The workspace is unlocked with
   * TEST_PASSPHRASE, as the user would at start, unless `locked` leaves that to the test.
   */
  async restart(meanwhile: (dataDir: string) => void = () => {}, { locked = false } = {}): Promise<void> {
    await this.running.close();
    meanwhile(this.dataDir);
    this.running = await startHarness({ dataDir: this.dataDir, port: 0, service: SERVICE_OPTIONS });
    if (!locked && this.service.profile().state === 'locked') await this.service.unlock({ passphrase: TEST_PASSPHRASE });
  }

  /** Safe to call again: a test that takes the service away closes it itself. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.running.close();
  }
}

type End = () => Promise<void>;

/**
 * What the tests and hooks of one spec file share, as beforeAll/afterAll would give it: made
 * when first asked for and ended once the worker moves on to another file, or stops.
 * Playwright has no file scope, and a worker-scoped fixture on its own would carry one file's
 * workspace into the next file the same worker runs.
 */
class SharedByFile {
  private file: string | undefined;
  private readonly named = new Map<string, Promise<unknown>>();
  private readonly ends: End[] = [];

  async enter(file: string): Promise<void> {
    if (file === this.file) return;
    await this.end();
    this.file = file;
  }

  /** Made now, ended with the file; `onEnd` registers each part's ending as soon as the part exists. */
  make<T>(make: (onEnd: (end: End) => void) => Promise<T>): Promise<T> {
    return make((end) => this.ends.push(end));
  }

  /** Made the first time `name` is asked for, the same thing after. */
  get<T>(name: string, make: (onEnd: (end: End) => void) => Promise<T>): Promise<T> {
    if (!this.named.has(name)) this.named.set(name, this.make(make));
    return this.named.get(name) as Promise<T>;
  }

  /** Ends everything, the last made first. */
  async end(): Promise<void> {
    this.named.clear();
    for (const end of this.ends.splice(0).reverse()) await end();
  }
}

/** Starts a harness that ends with what `onEnd` ends. */
function harnessAs(firstRunAs: string | null) {
  return async (onEnd: (end: End) => void): Promise<TestHarness> => {
    const harness = await TestHarness.start(firstRunAs);
    onEnd(() => harness.close());
    return harness;
  };
}

/** A sync server with one workspace, a lead's device and a worker's, each connected with an invite code. */
async function startTeam(onEnd: (end: End) => void): Promise<{ lead: TestHarness; worker: TestHarness }> {
  const db = join(tempDir('e2e-team'), 'sync.sqlite');
  const server = await startServer(['--db', db]);
  onEnd(() => server.stop());
  const admin = await sqliteStoreFor(db);
  onEnd(() => admin.close());
  const workspaceId = await createWorkspace(admin, 'Moss Side Connections');
  const lead = await harnessAs('Asha Patel')(onEnd);
  const worker = await harnessAs('Sam Jones')(onEnd);
  await lead.service.sync.connect(server.url, await createInvite(admin, workspaceId, { role: 'lead' }));
  await worker.service.sync.connect(server.url, await createInvite(admin, workspaceId, { role: 'worker' }));
  return { lead, worker };
}

interface Fixtures {
  /** Who first run is done as on a harness's new workspace; null leaves first run to the test. */
  firstRunAs: string | null;
  /** A harness shared by the tests and hooks of the spec file, closed after the last of them. */
  harness: TestHarness;
  /** A harness of this test's own, closed when the test ends. */
  freshHarness: TestHarness;
  /** Starts a device (a harness, first run done as `name`) that lasts as long as the spec file. */
  startDevice: (name: string) => Promise<TestHarness>;
  /** A team lead's device (Asha Patel), synced with the worker's through a sync server; shared by the spec file. */
  lead: TestHarness;
  /** A worker's device (Sam Jones), synced with the lead's; shared by the spec file. */
  worker: TestHarness;
  /** What this spec file shares; entering it ends what the previous file shared. */
  fileScope: SharedByFile;
}

export const test = base.extend<Fixtures, { sharedByFile: SharedByFile }>({
  firstRunAs: ['Asha Patel', { option: true }],

  sharedByFile: [
    async ({}, use) => {
      const shared = new SharedByFile();
      await use(shared);
      await shared.end();
    },
    { scope: 'worker' },
  ],

  // Automatic, so a file that shares nothing still ends what the file before it shared.
  fileScope: [
    async ({ sharedByFile }, use, testInfo) => {
      await sharedByFile.enter(testInfo.file);
      await use(sharedByFile);
    },
    { auto: true },
  ],

  harness: async ({ fileScope, firstRunAs }, use) => {
    await use(await fileScope.get('harness', harnessAs(firstRunAs)));
  },

  freshHarness: async ({ firstRunAs }, use) => {
    const harness = await TestHarness.start(firstRunAs);
    try {
      await use(harness);
    } finally {
      await harness.close();
    }
  },

  startDevice: async ({ fileScope }, use) => {
    await use((name) => fileScope.make(harnessAs(name)));
  },

  lead: async ({ fileScope }, use) => {
    await use((await fileScope.get('team', startTeam)).lead);
  },

  worker: async ({ fileScope }, use) => {
    await use((await fileScope.get('team', startTeam)).worker);
  },
});

/** The record page's save status has settled on "Saved". */
export async function expectSaved(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
}

/** Open a section from the sidebar. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

/** The export dialog of the screen open now, titled `title` (opened with its Export… button if it is not open yet). */
export async function openExport(page: Page, title: string): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: title });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Export through the open dialog in `format` and return the downloaded file's text. */
export async function exportAs(page: Page, dialog: Locator, format: RegExp): Promise<{ text: string; fileName: string }> {
  await dialog.getByRole('radio', { name: format }).check();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  await expect(dialog.getByRole('status').filter({ hasText: /^Your browser is saving / })).toBeVisible();
  return { text: await readFile((await file.path())!, 'utf8'), fileName: file.suggestedFilename() };
}

/** axe finds no serious or critical WCAG 2.2 A/AA (or best-practice) violation on the page as it is. */
export async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/**
 * First run in the page, as a user goes through it: name, workspace, the passphrase twice
 * where the computer has no keychain, then the recovery code, stored and acknowledged.
 * Returns the recovery code.
 */
export async function firstRunInPage(page: Page, { name = 'Asha Patel', workspaceName = 'Moss Side Connections', passphrase = TEST_PASSPHRASE } = {}): Promise<string> {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Workspace name').fill(workspaceName);
  const passphraseField = page.getByLabel('Passphrase', { exact: true });
  if (await passphraseField.count()) {
    await passphraseField.fill(passphrase);
    await page.getByLabel('Type the passphrase again').fill(passphrase);
  }
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery code' })).toBeVisible();
  const code = (await page.locator('.recovery-code code').textContent())!;
  await page.getByLabel('I have stored it safely').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  return code;
}

/** Unlock the workspace at start with its passphrase, as a user types it. */
export async function unlockInPage(page: Page, passphrase = TEST_PASSPHRASE): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}
