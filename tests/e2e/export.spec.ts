// Exports through the UI: assets round-trip as GeoJSON (checked against RFC 7946), KML and
// CSV with unplaced assets in every format; a contacts export from a filtered list downloads
// only the filtered people, leaves out those whose consent does not allow the chosen use and
// says how many, before and after; sessions and actions export from their lists.
import type { Locator, Page } from '@playwright/test';
import { check } from '@placemarkio/check-geojson';
import { kml as kmlToGeoJSON } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Consent } from '../../shared/domain';
import { readContactsCsv, readVcards } from '../unit/export-readback';
import { expect, expectNoSeriousViolations, exportAs, openExport, test } from './fixtures';

const consent = (purpose: string, withdrawnAt: string | null = null): Consent => ({
  id: randomUUID(),
  purpose,
  wordingVersion: 'v1',
  givenAt: '2025-01-10',
  method: 'written',
  withdrawnAt,
});
// Purposes named as the default privacy settings name them (a consent recorded before they were settings is matched by name).
const SHARING = 'Share details with partner organisations';
const EVALUATION = 'Include in evaluation of our work';

/** What each asset should carry in every file. */
const expected = [
  { name: 'Allotments', category: 'physical', themes: ['food'], lon: -2.2301, lat: 53.4502, contact: 'Ann Shares' },
  { name: 'Book club', category: 'association', themes: ['arts', 'older people'], lon: -2.2404, lat: 53.4611, contact: null },
  { name: 'Tom & Jerry’s <Hall> "Annexe"', category: 'physical', themes: [], lon: -2.25, lat: 53.47, contact: null },
  { name: '=HYPERLINK("http://evil")', category: 'cultural', themes: [], lon: null, lat: null, contact: null },
];

test.beforeAll(async ({ harness }) => {
  const ws = harness.service.workspace;
  const ann = ws.create('contact', { name: 'Ann Shares', roles: ['volunteer'], phone: '07700 900001', email: 'ann@example.org', consents: [consent(SHARING), consent(EVALUATION)] });
  const bob = ws.create('contact', { name: 'Bob Private', roles: ['volunteer'], phone: '07700 900002', consents: [consent('Contact about local events and activities')] });
  const cara = ws.create('contact', { name: 'Cara Withdrawn', roles: ['volunteer'], phone: '07700 900003', consents: [consent(SHARING, '2025-02-01')] });
  ws.create('contact', { name: 'Dev Resident', roles: ['resident'], phone: '07700 900004', consents: [consent(SHARING)] });
  ws.create('contact', { name: 'Eve Champion', roles: ['volunteer', 'champion'], email: 'eve@example.org', themes: ['food'], consents: [consent(SHARING)] });
  const contactOf = { 'Ann Shares': ann.id, 'Book club': bob.id, [expected[2]!.name]: cara.id } as Record<string, string>;
  let hall = '';
  for (const e of expected) {
    const asset = ws.create('asset', {
      name: e.name,
      category: e.category as 'physical',
      themes: e.themes,
      description: e.name === 'Allotments' ? 'Twelve plots, a shed and a kettle.' : '',
      availability: e.name === 'Allotments' ? 'Saturdays 10:00–12:00' : '',
      address: e.name === 'Allotments' ? '12 Platt Lane' : '',
      postcode: e.name === 'Allotments' ? 'M14 5TQ' : '',
      location: e.lat === null ? null : { lat: e.lat, lon: e.lon! },
      contactPersonId: e.contact ? contactOf[e.contact]! : (contactOf[e.name] ?? null),
    });
    if (e.name === 'Allotments') hall = asset.id;
  }
  ws.create('connection', { fromId: ann.id, toId: hall, kind: 'volunteers-at', note: 'Saturdays' });
  ws.create('connection', { fromId: ann.id, toId: bob.id, kind: 'knows' });
  ws.create('session', {
    title: 'Coffee morning',
    type: 'community-conversation',
    startsAt: '2025-03-01T10:00',
    venueId: hall,
    facilitatorIds: [ann.id, bob.id],
    attendeeIds: [cara.id],
    anonymousHeadCount: 3,
    actions: [{ id: randomUUID(), text: 'Ask the council for benches', ownerId: bob.id, dueDate: '2099-04-01', status: 'open' }],
  });
});

const PRIVATE = ['Bob Private', '07700 900002', 'Cara Withdrawn', '07700 900003'];

test('GeoJSON, KML and CSV round-trip with unplaced assets, with contact details only where consent allows sharing', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/assets`);
  const dialog = await openExport(page, 'Export assets');
  await expectNoSeriousViolations(page, 'export dialog');
  await expect(dialog.getByText(/^The file will hold 4 assets\. 2 contact persons’ details left out: their consent does not allow sharing/)).toBeVisible();

  const geojson = await exportAs(page, dialog, /GeoJSON/);
  expect(geojson.fileName).toMatch(/^assets-\d{4}-\d{2}-\d{2}\.geojson$/);
  const collection = check(geojson.text);
  expect(collection.type).toBe('FeatureCollection');
  if (collection.type !== 'FeatureCollection') return;
  expect(
    collection.features.map((f) => ({
      name: f.properties!.name,
      category: f.properties!.category,
      themes: f.properties!.themes,
      coordinates: f.geometry?.type === 'Point' ? f.geometry.coordinates : null,
      contact: f.properties!.contact_name,
    })),
  ).toEqual(
    // In the list's order, by name; the unplaced asset has null geometry.
    [expected[3]!, expected[0]!, expected[1]!, expected[2]!].map((e) => ({ name: e.name, category: e.category, themes: e.themes, coordinates: e.lat === null ? null : [e.lon, e.lat], contact: e.contact })),
  );
  const allotments = collection.features.find((f) => f.properties!.name === 'Allotments')!;
  expect(allotments.properties).toMatchObject({
    contact_phone: '07700 900001',
    contact_email: 'ann@example.org',
    address: '12 Platt Lane',
    postcode: 'M14 5TQ',
    description: 'Twelve plots, a shed and a kettle.',
    opening_times: 'Saturdays 10:00–12:00',
  });
  for (const secret of PRIVATE) expect(geojson.text).not.toContain(secret);
  await expect(dialog.getByRole('status')).toContainText('4 assets. 2 contact persons’ details left out');

  const kml = await exportAs(page, dialog, /KML/);
  const errors: string[] = [];
  const xml = new DOMParser({ onError: (level, message) => level !== 'warning' && errors.push(message) }).parseFromString(kml.text, 'text/xml');
  expect(errors).toEqual([]);
  const parsed = kmlToGeoJSON(xml as unknown as Document);
  expect(
    parsed.features.map((f) => ({
      name: f.properties!.name,
      category: f.properties!.category,
      coordinates: f.geometry?.type === 'Point' ? f.geometry.coordinates : null,
      contact: f.properties!.contact_name || null,
    })),
  ).toEqual(
    // A folder per category in order of first appearance, then "Not on the map".
    [expected[0]!, expected[2]!, expected[1]!, expected[3]!].map((e) => ({ name: e.name, category: e.category, coordinates: e.lat === null ? null : [e.lon, e.lat], contact: e.contact })),
  );
  expect(kml.text).toContain('<name>Not on the map</name>');
  for (const secret of PRIVATE) expect(kml.text).not.toContain(secret);

  const csv = await exportAs(page, dialog, /CSV/);
  const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true });
  expect(rows.errors).toEqual([]);
  expect(rows.data.map((r) => [r.name, r.category, r.latitude, r.longitude, r.contact_name])).toEqual([
    ["'=HYPERLINK(\"http://evil\")", 'cultural', '', '', ''],
    ['Allotments', 'physical', '53.4502', '-2.2301', 'Ann Shares'],
    ['Book club', 'association', '53.4611', '-2.2404', ''],
    [expected[2]!.name, 'physical', '53.47', '-2.25', ''],
  ]);
  expect(rows.data[2]!.themes).toBe('arts; older people');
  expect(rows.data[1]!.opening_times).toBe('Saturdays 10:00–12:00');
  for (const secret of PRIVATE) expect(csv.text).not.toContain(secret);
});

test('the export holds what the filtered Assets list shows', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/assets`);
  await page.getByLabel('Category').selectOption({ label: 'Physical' });
  await expect(page.getByText('2 assets')).toBeVisible();
  const dialog = await openExport(page, 'Export assets');
  await expect(dialog.getByText('Only the assets the list shows with its filters: Category: Physical.')).toBeVisible();
  const csv = await exportAs(page, dialog, /CSV/);
  const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true });
  expect(rows.data.map((r) => r.name)).toEqual(['Allotments', expected[2]!.name]);
});

test('a contacts export from a filtered list holds only those people, and says how many were left out for consent', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/contacts`);
  await page.getByRole('region', { name: 'Filters' }).getByLabel('Role').selectOption({ label: 'Volunteer' });
  await expect(page.getByText('4 contacts')).toBeVisible();
  const dialog = await openExport(page, 'Export contacts');
  await expect(dialog.getByText('Only the contacts the list shows with its filters: Role: Volunteer.')).toBeVisible();
  const before = 'The file will hold 2 contacts. 2 people left out: their consent does not allow sharing with partners (never given, withdrawn or not yet in force).';
  await expect(dialog.getByText(before)).toBeVisible();
  await expectNoSeriousViolations(page, 'contacts export dialog');
  await page.screenshot({ path: '/tmp/export-contacts-dialog.png' });

  const csv = await exportAs(page, dialog, /Contacts as CSV/);
  expect(csv.fileName).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const { contacts } = readContactsCsv(csv.text);
  expect(contacts.map((c) => [c.name, c.phone, c.email, [...c.roles].sort()])).toEqual([
    ['Ann Shares', '07700 900001', 'ann@example.org', ['volunteer']],
    ['Eve Champion', '', 'eve@example.org', ['champion', 'volunteer']],
  ]);
  await expect(dialog.getByRole('status')).toContainText(': 2 contacts. 2 people left out: their consent does not allow sharing with partners');

  // For the organisation's own copy, Bob's consent to be contacted is in force; Cara withdrew hers.
  await dialog.getByRole('radio', { name: /Our own backup/ }).check();
  await expect(dialog.getByText(/^The file will hold 3 contacts\. 1 person left out: they have no consent in force/)).toBeVisible();
  const vcard = await exportAs(page, dialog, /Contacts as vCard/);
  expect(readVcards(vcard.text).map((c) => c.name)).toEqual(['Ann Shares', 'Bob Private', 'Eve Champion']);
  await page.screenshot({ path: '/tmp/export-contacts-done.png' });
});

test('sessions, actions and connections export from their lists, naming only people who consented', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/sessions`);
  let dialog = await openExport(page, 'Export sessions');
  const sessions = await exportAs(page, dialog, /Sessions as CSV/);
  const [session] = Papa.parse<Record<string, string>>(sessions.text, { header: true, skipEmptyLines: true }).data;
  // Ann agreed to be counted in evaluation; Bob and Cara did not, so they are only a number beside the figure.
  expect(session).toMatchObject({
    Date: '2025-03-01',
    Title: 'Coffee morning',
    Venue: 'Allotments',
    'Named and counted': '1',
    'Head-count': '3',
    'Named, not counted (no consent to evaluation)': '2',
    Facilitators: 'Ann Shares',
  });
  await expect(dialog.getByRole('status')).toContainText('1 session. 1 facilitator’s name left out');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.goto(`${harness.url}#/actions`);
  dialog = await openExport(page, 'Export actions');
  await expect(dialog.getByText('The open actions the list shows.')).toBeVisible();
  const actions = await exportAs(page, dialog, /Actions as CSV/);
  const [action] = Papa.parse<Record<string, string>>(actions.text, { header: true, skipEmptyLines: true }).data;
  expect(action).toMatchObject({ Action: 'Ask the council for benches', Owner: '', Status: 'Open', Session: 'Coffee morning' });
  expect(actions.text).not.toContain('Bob Private');
  await page.keyboard.press('Escape');

  await page.goto(`${harness.url}#/connections`);
  dialog = await openExport(page, 'Export connections');
  const connections = await exportAs(page, dialog, /Connections as CSV/);
  const rows = Papa.parse<Record<string, string>>(connections.text, { header: true, skipEmptyLines: true }).data;
  expect(rows.map((r) => [r.From, r.Connection, r.To, r['To is'], r.Note])).toEqual([['Ann Shares', 'Volunteers at', 'Allotments', 'Asset', 'Saturdays']]);
  await expect(dialog.getByRole('status')).toContainText('1 connection. 1 connection left out: their consent does not allow sharing');
});

test('an export shows its progress, and Cancel saves nothing even when the data service had already finished', async ({ page, harness }) => {
  // Hold the data service's messages once the file's first piece has arrived, as a slow
  // export would, until the user has pressed Cancel.
  let holding = false;
  const held: (string | Buffer)[] = [];
  let release = () => {};
  await page.routeWebSocket(/\/rpc/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (holding) return void held.push(message);
      ws.send(message);
      const event = JSON.parse(String(message)) as { name?: string; progress?: { chunk?: string } };
      if (event.name === 'export.progress' && event.progress?.chunk) holding = true;
    });
    release = () => {
      holding = false;
      for (const message of held.splice(0)) ws.send(message);
    };
  });
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.goto(`${harness.url}#/contacts`);
  const dialog = await openExport(page, 'Export contacts');
  await expect(dialog.getByText(/^The file will hold/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText(/^Written 0 of \d+ contacts$/);
  await dialog.getByRole('button', { name: 'Cancel export' }).click();
  release();
  await expect(dialog.getByRole('status')).toHaveText('Export cancelled: nothing was saved.');
  await expect(dialog.getByRole('button', { name: 'Export', exact: true })).toBeEnabled();
  expect(downloads).toEqual([]);
});
