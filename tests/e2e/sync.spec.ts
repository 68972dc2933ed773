// Sync as a team sees it: a real sync server on loopback, devices (each a harness with its
// own data directory and its own page) connected through the sync dialog with invite codes
// from the server's admin API; a contact made on one appears on the other; the status says
// synced, offline, paused and how far a long first sync has got, only as the data service says.
import type { Browser, Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { createInvite, createWorkspace } from '../../server/admin';
import type { SqliteStore } from '../../server/store-sqlite';
import { decodeMessage } from '../../shared/sync-protocol';
import { type ServerProcess, sqliteStoreFor, startServer, tempDir } from '../integration/sync-helpers';
import { expect, expectNoSeriousViolations, openSection, test, type TestHarness } from './fixtures';

const dir = tempDir('e2e-sync');
const db = join(dir, 'sync.sqlite');
let server: ServerProcess;
let admin: SqliteStore;
let workspaceId: string;
const devices: { harness: TestHarness; page: Page }[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startServer(['--db', db]);
  admin = await sqliteStoreFor(db);
  workspaceId = await createWorkspace(admin, 'Moss Side Connections');
});

test.afterAll(async () => {
  for (const { page } of devices) await page.context().close();
  await admin.close();
  await server.stop();
});

async function device(browser: Browser, startDevice: (name: string) => Promise<TestHarness>, name: string): Promise<Page> {
  const harness = await startDevice(name);
  // A context of its own for each device, with the configured viewport (axe needs a context it made).
  const context = await browser.newContext({ viewport: test.info().project.use.viewport ?? null });
  const page = await context.newPage();
  devices.push({ harness, page });
  await page.goto(harness.url);
  return page;
}

/** The sidebar's sync status, whose accessible name is everything it says. */
const indicator = (page: Page) => page.getByRole('banner').getByRole('button', { name: /^(Not connected|Sync|Synced|Syncing|Connecting|Offline)/ });
const syncDialog = (page: Page) => page.getByRole('dialog', { name: 'Sync' });
const SYNCED = /^Synced at \d\d:\d\d — up to date with the server$/;

async function connect(page: Page, url: string, code: string): Promise<void> {
  await indicator(page).click();
  const dialog = syncDialog(page);
  await dialog.getByLabel('Server address').fill(url);
  await dialog.getByLabel('Invite code').fill(code);
  await dialog.getByRole('button', { name: 'Connect' }).click();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

test('two devices connect with invite codes; a contact made on one appears on the other and both say synced', async ({ browser, startDevice }) => {
  const code = await createInvite(admin, workspaceId, { role: 'worker', uses: 2 });
  const a = await device(browser, startDevice, 'Asha Patel');

  await expect(indicator(a)).toHaveAccessibleName('Not connected — all changes saved on this device');
  await indicator(a).click();
  const dialog = syncDialog(a);
  await expect(dialog.getByLabel('Server address')).toBeFocused();
  await expectNoSeriousViolations(a, 'sync dialog, not connected');

  // What is missing or wrong is said under the field, before anything is sent.
  await dialog.getByLabel('Server address').fill('192.168.1.20');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByLabel('Server address')).toHaveAccessibleDescription(/Server address must be a web address, such as https:\/\/192\.168\.1\.20:8787/);
  await expect(dialog.getByLabel('Invite code')).toHaveAccessibleDescription(/Invite code is required/);
  await expectNoSeriousViolations(a, 'sync dialog with field errors');
  // Across a network, only an encrypted address: anyone on a hall's Wi-Fi could read plain http.
  await dialog.getByLabel('Server address').fill('http://192.168.1.20:8787');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByLabel('Server address')).toHaveAccessibleDescription(/Server address is not encrypted \(http:\/\/\): anyone on the network could read what is synced/);

  // A code the server does not know is refused in words.
  await dialog.getByLabel('Server address').fill(server.url);
  await dialog.getByLabel('Invite code').fill('AAAA-BBBB-CCCC');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'This invite code is not valid, has expired or has been used up. Check the server address and the invite code with your team lead.',
  );
  await shot(a, 'sync-dialog-refused-code');

  await dialog.getByLabel('Invite code').fill(code.toLowerCase());
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^Synced at \d\d:\d\d$/);
  await expect(dialog.getByRole('status')).toBeFocused();
  await expect(dialog.getByRole('definition').first()).toHaveText(server.url);
  await expect(dialog.getByRole('definition').nth(1)).toHaveText('On this computer');
  await expectNoSeriousViolations(a, 'sync dialog, synced');
  await shot(a, 'sync-dialog-synced');
  await a.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(indicator(a)).toHaveAccessibleName(SYNCED);

  const b = await device(browser, startDevice, 'Ben Okafor');
  await connect(b, server.url, code);
  await expect(syncDialog(b).getByRole('status')).toHaveText(/^Synced at/);
  await syncDialog(b).getByRole('button', { name: 'Close' }).click();
  await openSection(b, 'Contacts');
  await expect(b.getByText('0 contacts')).toBeVisible();

  await openSection(a, 'Contacts');
  await a.getByRole('button', { name: 'New contact' }).first().click();
  await a.getByRole('dialog', { name: 'New contact' }).getByLabel('Name').fill('Zoë Brown');
  await a.getByRole('dialog', { name: 'New contact' }).getByRole('button', { name: 'Create contact' }).click();
  await expect(a.getByRole('heading', { level: 1, name: 'Zoë Brown' })).toBeVisible();

  // B's open list shows it without B doing anything.
  await expect(b.getByRole('link', { name: /Zoë Brown/ })).toBeVisible();
  await expect(b.getByText('1 contact')).toBeVisible();
  await expect(indicator(a)).toHaveAccessibleName(SYNCED);
  await expect(indicator(b)).toHaveAccessibleName(SYNCED);
  await shot(b, 'sync-indicator-synced');
});

test('offline: changes wait on the device, the status says so, and Sync now sends them once the server is back', async () => {
  const [a, b] = devices.map((d) => d.page) as [Page, Page];
  await server.stop();
  await expect(indicator(a)).toHaveAccessibleName('Offline, will retry — all changes saved on this device');
  // Screen readers hear the change too, once it has settled.
  await expect(a.getByRole('banner').getByRole('status')).toHaveText('Offline, will retry');
  // The change is made while offline: it is kept here and counted as waiting.
  await openSection(a, 'Contacts');
  await a.getByRole('button', { name: 'New contact' }).first().click();
  await a.getByRole('dialog', { name: 'New contact' }).getByLabel('Name').fill('Kwame Mensah');
  await a.getByRole('dialog', { name: 'New contact' }).getByRole('button', { name: 'Create contact' }).click();
  await expect(a.getByRole('heading', { level: 1, name: 'Kwame Mensah' })).toBeVisible();
  await expect(indicator(a)).toHaveAccessibleName('Offline, will retry — changes to 1 record waiting to sync');
  await shot(a, 'sync-indicator-offline');
  // Until the server has it, the change is only this device's word for who made it.
  const created = a.getByRole('region', { name: 'History' }).getByRole('listitem').filter({ hasText: 'created this contact' });
  await expect(created).toContainText('You created this contact · not yet synced');

  await indicator(a).click();
  const dialog = syncDialog(a);
  await expect(dialog.getByText('Your changes are kept on this device and sent once the server can be reached.')).toBeVisible();
  await expectNoSeriousViolations(a, 'sync dialog, offline');
  await shot(a, 'sync-dialog-offline');

  server = await startServer(['--db', db], server.port);
  await dialog.getByRole('button', { name: 'Sync now' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^Synced at/);
  await a.keyboard.press('Escape');
  await expect(indicator(a)).toHaveAccessibleName(SYNCED);
  await expect(created).toContainText('You created this contact');
  await expect(created).not.toContainText('not yet synced');

  // B was offline too; Sync now instead of waiting for its next attempt.
  await indicator(b).click();
  await syncDialog(b).getByRole('button', { name: 'Sync now' }).click();
  await expect(syncDialog(b).getByRole('status')).toHaveText(/^Synced at/);
  await b.keyboard.press('Escape');
  await expect(b.getByRole('link', { name: /Kwame Mensah/ })).toBeVisible();
  await expect(indicator(b)).toHaveAccessibleName(SYNCED);
});

test('a long first sync shows how far it has got, can be stopped and picked up again; a device can disconnect', async ({ browser, startDevice }) => {
  test.setTimeout(120_000);
  const [a] = devices as [{ harness: TestHarness; page: Page }];
  // Written through the workspace's own write path: typing 3,000 contacts would take hours.
  const before = await admin.head(workspaceId);
  a.harness.service.workspace.createMany('contact', Array.from({ length: 3_000 }, (_, i) => ({ data: { name: `Resident ${i}` } })));
  await expect.poll(() => admin.head(workspaceId), { timeout: 60_000 }).toBe(before + 3_000);
  await expect(indicator(a.page)).toHaveAccessibleName(SYNCED);

  // A new device's first sync, through a link that stalls after the first batch.
  const relay = await startRelay(server.url);
  try {
    const c = await device(browser, startDevice, 'Chloe Evans');
    await connect(c, relay.url, await createInvite(admin, workspaceId, { role: 'worker' }));
    const firstBatch = await relay.stalled;
    const total = await admin.head(workspaceId);
    const dialog = syncDialog(c);
    const progress = `${firstBatch.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} changes received`;
    await expect(dialog.getByRole('progressbar', { name: 'Sync progress' })).toHaveAttribute('aria-valuetext', progress);
    await expect(dialog.getByRole('status')).toHaveText('Syncing…');
    await expect(dialog.getByText(`${progress[0]!.toUpperCase()}${progress.slice(1)}`)).toBeVisible();
    await expectNoSeriousViolations(c, 'sync dialog, first sync in progress');
    await shot(c, 'sync-dialog-progress');
    await c.keyboard.press('Escape');
    await expect(indicator(c)).toHaveAccessibleName(`Syncing… — ${progress}`);
    await expect(c.getByRole('banner').getByRole('progressbar', { name: 'Sync progress' })).toBeVisible();
    await shot(c, 'sync-indicator-progress');

    await indicator(c).click();
    await dialog.getByRole('button', { name: 'Stop syncing' }).click();
    await expect(dialog.getByRole('status')).toHaveText('Sync paused');
    await expect(dialog.getByRole('progressbar')).toHaveCount(0);
    await c.keyboard.press('Escape');
    await expect(indicator(c)).toHaveAccessibleName('Sync paused — all changes saved on this device');
    // What arrived before the stop is kept.
    const kept = devices.at(-1)!.harness.service.workspace.list({ kind: 'contact', limit: 1 }).total;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3_002);
    await openSection(c, 'Contacts');
    await expect(c.getByText(`${kept.toLocaleString('en-GB')} contacts`)).toBeVisible();

    relay.stallNoMore();
    await indicator(c).click();
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await expect(dialog.getByRole('status')).toHaveText(/^Synced at/, { timeout: 30_000 });
    await c.keyboard.press('Escape');
    await expect(c.getByText('3,002 contacts')).toBeVisible();

    // Disconnecting asks first, then forgets the server; the records stay.
    await indicator(c).click();
    await dialog.getByRole('button', { name: 'Disconnect…' }).click();
    await expect(dialog.getByRole('group', { name: /^Disconnect this device from/ })).toContainText('you will need a new invite code');
    await expect(dialog.getByRole('button', { name: 'Stay connected' })).toBeFocused();
    await shot(c, 'sync-dialog-disconnect');
    await dialog.getByRole('button', { name: 'Stay connected' }).click();
    await expect(dialog.getByRole('button', { name: 'Disconnect…' })).toBeFocused();
    await expect(dialog.getByRole('status')).toHaveText(/^Synced at/);
    await dialog.getByRole('button', { name: 'Disconnect…' }).click();
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect(dialog.getByRole('status')).toHaveText('Not connected');
    await expect(dialog.getByLabel('Invite code')).toBeVisible();
    await c.keyboard.press('Escape');
    await expect(indicator(c)).toHaveAccessibleName('Not connected — all changes saved on this device');
    await expect(c.getByText('3,002 contacts')).toBeVisible();
  } finally {
    await relay.close();
  }
});

test('a change the server refuses is listed by name with the reason; "Discard this change" puts back what the server has and sync goes on', async ({ browser, startDevice }) => {
  const page = await device(browser, startDevice, 'Wendy Worker');
  await connect(page, server.url, await createInvite(admin, workspaceId, { role: 'worker' }));
  const dialog = syncDialog(page);
  await expect(dialog.getByRole('status')).toHaveText(/^Synced at/);
  const { harness } = devices.at(-1)!;
  const ws = harness.service.workspace;
  const bob = ws.create('contact', { name: 'Bob Refused' });
  const robert = ws.create('contact', { name: 'Robert Kept' });
  await harness.service.sync.syncNow();
  // A merge made on this device while it led its own copy: a worker's merge, which the server refuses.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, ws.docState(bob.id));
  const sv = Y.encodeStateVector(doc);
  doc.getMap('meta').set('mergedInto', robert.id);
  ws.applyUpdate(bob.id, Y.encodeStateAsUpdate(doc, sv), 'editor');

  const refused = dialog.getByRole('region', { name: 'Changes the server refused' });
  await expect(refused.getByText('Bob Refused')).toBeVisible();
  await expect(refused.getByText(/only team leads may merge or unmerge records/)).toBeVisible();
  await expect(dialog.getByLabel('Invite code')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'sync dialog with a refused change');
  await shot(page, 'sync-dialog-refused-change');

  await refused.getByRole('button', { name: 'Discard this change to Bob Refused' }).click();
  await expect(refused).toBeHidden();
  await expect(dialog.getByRole('status')).toHaveText(/^Synced at/);
  expect(ws.get('contact', bob.id).mergedInto).toBeNull();
});

test("a lead lists the team's devices and withdraws one's access: that device stops syncing at once and says why", async ({ browser, startDevice }) => {
  // The device of the test before, still connected with its sync dialog open.
  const wendy = devices.at(-1)!.page;
  const lead = await device(browser, startDevice, 'Lena Lead');
  await connect(lead, server.url, await createInvite(admin, workspaceId, { role: 'lead' }));
  const dialog = syncDialog(lead);
  await expect(dialog.getByRole('status')).toHaveText(/^Synced at/);
  const section = dialog.getByRole('region', { name: 'Team devices' });
  await section.getByRole('button', { name: 'Show team devices' }).click();
  const table = section.getByRole('table', { name: /devices in this workspace/ });
  for (const name of ['This device', 'Asha Patel’s device', 'Ben Okafor’s device', 'Wendy Worker’s device']) {
    await expect(table.getByRole('rowheader', { name })).toBeVisible();
  }
  const wendyRow = table.getByRole('row', { name: /Wendy Worker’s device/ });
  await expect(wendyRow).toContainText('Worker');
  await expect(wendyRow).toContainText('Syncing now');
  // A lead cannot lock themselves out from here.
  await expect(table.getByRole('row', { name: /This device/ }).getByRole('button')).toHaveCount(0);
  await expectNoSeriousViolations(lead, 'sync dialog, team devices');

  await wendyRow.getByRole('button', { name: 'Withdraw access for Wendy Worker’s device' }).click();
  await expect(wendyRow.getByRole('button', { name: 'Keep access' })).toBeFocused();
  await shot(lead, 'sync-dialog-withdraw-device');
  await wendyRow.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await expect(wendyRow).toContainText('Access withdrawn');
  await expect(section.getByTestId('team-devices-announcement')).toHaveText('Wendy Worker’s device can no longer sync.');
  await shot(lead, 'sync-dialog-device-withdrawn');

  // On Wendy's device: sync stops at once, and it says why and what to do.
  await wendy.bringToFront();
  await expect(syncDialog(wendy).getByRole('status')).toHaveText('Sync needs attention');
  await expect(syncDialog(wendy).getByText("The sync server refused this device (a team lead withdrew this device's access to the workspace); ask your team lead for a new invite code.")).toBeVisible();
});

test("a lead makes an invite code in the sync dialog for two colleagues; a new device joins the team with it", async ({ browser, startDevice }) => {
  // The lead's device of the test before, its sync dialog still open.
  const lead = devices.at(-1)!.page;
  await lead.bringToFront();
  const section = syncDialog(lead).getByRole('region', { name: 'Invite colleagues' });
  await expect(section.getByRole('radio', { name: /Worker/ })).toBeChecked();
  await section.getByLabel('Devices it may join').fill('0');
  await section.getByRole('button', { name: 'Make invite code' }).click();
  await expect(section.getByText('Devices it may join must be at least 1')).toBeVisible();
  await shot(lead, 'sync-dialog-invite-form');
  await section.getByLabel('Devices it may join').fill('2');
  await section.getByRole('button', { name: 'Make invite code' }).click();
  const code = section.locator('code');
  await expect(code).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
  await expect(section).toContainText(`For 2 devices joining as worker`);
  await expect(section).toContainText(server.url);
  await expectNoSeriousViolations(lead, 'sync dialog, an invite code made');
  await shot(lead, 'sync-dialog-invite-code');

  const nia = await device(browser, startDevice, 'Nia New');
  await connect(nia, server.url, (await code.textContent())!);
  await expect(syncDialog(nia).getByRole('status')).toHaveText(/^Synced at/);
  await expect(syncDialog(nia).locator('.sync-facts')).toContainText('Joined asWorker');
});

test('a server that no longer knows the device: the status says so and what to do; a new invite code connects again', async () => {
  const b = devices[1]!.page;
  await b.bringToFront();
  await indicator(b).click();
  const dialog = syncDialog(b);
  await dialog.getByRole('button', { name: 'Pause sync' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Sync paused');
  await expect(dialog.getByRole('button', { name: 'Pause sync' })).toHaveCount(0);

  // The team lead starts the server afresh, on a new database: the tokens it gave out mean nothing to it now.
  await server.stop();
  const freshDb = join(tempDir('e2e-sync-reset'), 'sync.sqlite');
  server = await startServer(['--db', freshDb], server.port);
  await dialog.getByRole('button', { name: 'Sync now' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Sync needs attention');
  await expect(dialog.getByText('The sync server refused this device (the token is not valid for this server); ask your team lead for a new invite code.')).toBeVisible();
  await expectNoSeriousViolations(b, 'sync dialog, device refused');
  await shot(b, 'sync-dialog-device-refused');
  await b.keyboard.press('Escape');
  await expect(indicator(b)).toHaveAccessibleName('Sync needs attention — all changes saved on this device');

  const freshAdmin = await sqliteStoreFor(freshDb);
  try {
    const code = await createInvite(freshAdmin, await createWorkspace(freshAdmin, 'Moss Side Connections'), { role: 'worker' });
    await indicator(b).click();
    await expect(dialog.getByLabel('Server address')).toHaveValue(server.url);
    await expect(dialog.getByLabel('Invite code')).toBeFocused();
    await dialog.getByLabel('Invite code').fill(code);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    // B sends every record again (3,000 of them); those Asha wrote only Asha or a lead may send: they are listed, not lost.
    await expect(dialog.getByRole('status')).toHaveText('Sync needs attention', { timeout: 60_000 });
    const refused = dialog.getByRole('region', { name: 'Changes the server refused' });
    await expect(refused.getByText('Zoë Brown')).toBeVisible();
    await expect(refused.getByText(/names Asha Patel, not this device's user Ben Okafor/).first()).toBeVisible();
  } finally {
    await freshAdmin.close();
  }
});

test("a server on the team's own network: a wrong check code is refused before anything is sent; the right one connects over TLS", async ({ browser, startDevice }) => {
  const tlsDir = tempDir('e2e-tls');
  const tlsDb = join(tlsDir, 'sync.sqlite');
  const tlsServer = await startServer(['--db', tlsDb, '--tls', '--tls-cert', join(tlsDir, 'tls.crt'), '--tls-key', join(tlsDir, 'tls.key')]);
  const tlsStore = await sqliteStoreFor(tlsDb);
  try {
    const checkCode = /check code (\S+):/.exec(tlsServer.output())![1]!;
    const invite = await createInvite(tlsStore, await createWorkspace(tlsStore, 'Hall laptop'), { role: 'worker' });
    const page = await device(browser, startDevice, 'Tomi Trainee');
    await indicator(page).click();
    const dialog = syncDialog(page);
    await dialog.getByLabel('Server address').fill(tlsServer.url);
    await dialog.getByLabel('Invite code').fill(invite);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByText(/has a certificate this computer does not trust.*check code/)).toBeVisible();
    await dialog.getByLabel('Check code (optional)').fill(`${checkCode[0] === '0' ? '1' : '0'}${checkCode.slice(1)}`);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByText(/is not the one the check code names, so nothing was sent to it/)).toBeVisible();
    await expect(dialog.getByText(/Check the server address and its check code with your team lead\./)).toBeVisible();
    await expectNoSeriousViolations(page, 'sync dialog, a wrong check code');
    await shot(page, 'sync-dialog-wrong-check-code');
    await dialog.getByLabel('Check code (optional)').fill(checkCode);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByRole('status')).toHaveText(/^Synced at/);
    await expect(dialog.locator('.sync-facts')).toContainText(`ConnectionEncrypted, to the server whose check code is ${checkCode}`);
  } finally {
    await tlsStore.close();
    await tlsServer.stop();
  }
});

interface Relay {
  url: string;
  /** Resolves with the sequence number the first batch of a pull reached, once the link stalls after it. */
  stalled: Promise<number>;
  stallNoMore(): void;
  close(): Promise<void>;
}

/**
 * A link between a device and the sync server that, like a slow connection, stops
 * delivering the server's messages after the first batch of a long pull, so a first sync
 * stays in progress for as long as the test needs.
 */
async function startRelay(upstream: string): Promise<Relay> {
  let stall = true;
  let onStalled: (upTo: number) => void = () => {};
  const stalled = new Promise<number>((resolve) => (onStalled = resolve));
  const http: Server = createServer((req, res) => {
    // Redeeming an invite code is plain HTTP: passed through.
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', async () => {
      const answer = await fetch(new URL(req.url ?? '/', upstream), { method: req.method, headers: { 'content-type': 'application/json' }, body: Buffer.concat(body) });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  const sockets = new WebSocketServer({ server: http });
  sockets.on('connection', (device, req) => {
    const upstreamSocket = new WebSocket(new URL(req.url ?? '/', upstream.replace(/^http/, 'ws')));
    const early: Buffer[] = [];
    let stalledHere = false;
    upstreamSocket.on('open', () => early.splice(0).forEach((frame) => upstreamSocket.send(frame)));
    device.on('message', (frame: Buffer) => (upstreamSocket.readyState === WebSocket.OPEN ? upstreamSocket.send(frame) : early.push(frame)));
    upstreamSocket.on('message', (frame: Buffer) => {
      if (stalledHere) return;
      device.send(frame);
      const message = decodeMessage(new Uint8Array(frame));
      if (stall && message.type === 'updates' && !message.live && message.more) {
        stalledHere = true;
        onStalled(message.upTo);
      }
    });
    const closeBoth = () => {
      device.terminate();
      upstreamSocket.terminate();
    };
    device.on('close', closeBoth);
    upstreamSocket.on('close', closeBoth);
    upstreamSocket.on('error', closeBoth);
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const address = http.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    stalled,
    stallNoMore: () => (stall = false),
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((done) => sockets.close(() => done()));
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}
