// Asset exports round-trip through the UI: GeoJSON (checked against RFC 7946), KML and CSV
// are downloaded, parsed back and compared with the records; a contact person's details
// appear only where they consented to sharing; the Assets list's filters carry over.
import { check } from '@placemarkio/check-geojson';
import { kml as kmlToGeoJSON } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import type { Consent } from '../../shared/domain';
import { expect, expectNoSeriousViolations, exportAs, test } from './fixtures';

const consent = (purpose: string, withdrawnAt: string | null = null): Consent => ({
  id: randomUUID(),
  purpose,
  wordingVersion: 'v1',
  // Recently, so it has not lapsed (consents are renewed every 24 months by default).
  givenAt: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
  method: 'written',
  withdrawnAt,
});

/** What each asset should carry in every file. */
const expected = [
  { name: 'Allotments', category: 'physical', themes: ['food'], lon: -2.2301, lat: 53.4502, contact: 'Ann Shares' },
  { name: 'Book club', category: 'association', themes: ['arts', 'older people'], lon: -2.2404, lat: 53.4611, contact: null },
  { name: 'Tom & Jerry’s <Hall> "Annexe"', category: 'physical', themes: [], lon: -2.25, lat: 53.47, contact: null },
  { name: '=HYPERLINK("http://evil")', category: 'cultural', themes: [], lon: null, lat: null, contact: null },
];

test.beforeAll(async ({ harness }) => {
  const ws = harness.service.workspace;
  // Purposes named as the default privacy settings name them (as a consent recorded before they were settings is matched).
  const ann = ws.create('contact', { name: 'Ann Shares', phone: '07700 900001', email: 'ann@example.org', consents: [consent('Share details with partner organisations')] });
  const bob = ws.create('contact', { name: 'Bob Private', phone: '07700 900002', consents: [consent('Contact about local events and activities')] });
  const cara = ws.create('contact', { name: 'Cara Withdrawn', phone: '07700 900003', consents: [consent('Share details with partner organisations', new Date().toISOString().slice(0, 10))] });
  const contactOf = { 'Ann Shares': ann.id, 'Book club': bob.id, [expected[2]!.name]: cara.id } as Record<string, string>;
  for (const e of expected) {
    ws.create('asset', {
      name: e.name,
      category: e.category as 'physical',
      themes: e.themes,
      address: e.name === 'Allotments' ? '12 Platt Lane' : '',
      postcode: e.name === 'Allotments' ? 'M14 5TQ' : '',
      location: e.lat === null ? null : { lat: e.lat, lon: e.lon! },
      contactPersonId: e.contact ? contactOf[e.contact]! : (contactOf[e.name] ?? null),
    });
  }
});

const PRIVATE = ['Bob Private', '07700 900002', 'Cara Withdrawn', '07700 900003'];

test('GeoJSON, KML and CSV round-trip, with contact details only where consent allows sharing', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/assets`);
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(page.getByRole('dialog', { name: 'Export assets' })).toBeVisible();
  await expectNoSeriousViolations(page, 'export dialog');
  const placed = expected.filter((e) => e.lat !== null);

  const geojson = await exportAs(page, /GeoJSON/);
  expect(geojson.fileName).toMatch(/^assets-\d{4}-\d{2}-\d{2}\.geojson$/);
  const collection = check(geojson.text);
  expect(collection.type).toBe('FeatureCollection');
  if (collection.type !== 'FeatureCollection') return;
  expect(
    collection.features.map((f) => ({
      name: f.properties!.name,
      category: f.properties!.category,
      themes: f.properties!.themes,
      coordinates: f.geometry!.type === 'Point' ? f.geometry.coordinates : null,
      contact: f.properties!.contact_name,
    })),
  ).toEqual(placed.map((e) => ({ name: e.name, category: e.category, themes: e.themes, coordinates: [e.lon, e.lat], contact: e.contact })));
  const allotments = collection.features.find((f) => f.properties!.name === 'Allotments')!;
  expect(allotments.properties).toMatchObject({ contact_phone: '07700 900001', contact_email: 'ann@example.org', address: '12 Platt Lane', postcode: 'M14 5TQ' });
  for (const secret of PRIVATE) expect(geojson.text).not.toContain(secret);
  await expect(page.getByText('1 asset not yet placed on the map is only in CSV exports.')).toBeVisible();

  const kml = await exportAs(page, /KML/);
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
    // KML groups placemarks in one folder per category, in order of first appearance.
    [placed[0]!, placed[2]!, placed[1]!].map((e) => ({ name: e.name, category: e.category, coordinates: [e.lon, e.lat], contact: e.contact })),
  );
  for (const secret of PRIVATE) expect(kml.text).not.toContain(secret);

  const csv = await exportAs(page, /CSV/);
  const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true });
  expect(rows.errors).toEqual([]);
  expect(rows.data.map((r) => [r.name, r.category, r.latitude, r.longitude, r.contact_name])).toEqual([
    ["'=HYPERLINK(\"http://evil\")", 'cultural', '', '', ''],
    ['Allotments', 'physical', '53.4502', '-2.2301', 'Ann Shares'],
    ['Book club', 'association', '53.4611', '-2.2404', ''],
    [expected[2]!.name, 'physical', '53.47', '-2.25', ''],
  ]);
  expect(rows.data[2]!.themes).toBe('arts; older people');
  for (const secret of PRIVATE) expect(csv.text).not.toContain(secret);
});

test('the export holds what the filtered Assets list shows', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/assets`);
  await page.getByLabel('Category').selectOption({ label: 'Physical' });
  await expect(page.getByText('2 assets')).toBeVisible();
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(page.getByRole('dialog', { name: 'Export assets' }).getByLabel('Category')).toHaveValue('physical');
  const csv = await exportAs(page, /CSV/);
  const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true });
  expect(rows.data.map((r) => r.name)).toEqual(['Allotments', expected[2]!.name]);
});
