// Export files: GeoJSON valid against RFC 7946 with [lng, lat] points, KML that parses
// back with its text escaped, CSV safe from formula injection with unplaced assets kept,
// and the consent rules deciding whether a contact person's details go out at all (the rules
// themselves: consent-rules.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '@placemarkio/check-geojson';
import { kml as kmlToGeoJSON } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import Papa from 'papaparse';
import { DEFAULT_POLICY, POLICY_ID, type Consent } from '../../shared/domain';
import type { ExportAsset } from '../../shared/rpc-network';
import { exportAssets } from '../../main/data-service/network/export';
import { toCSV, toGeoJSON, toKML } from '../../renderer/src/export/formats';
import { openTemp } from './helpers';
import { markMerged } from './network-fixtures';

const hall: ExportAsset = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'St Mary’s <Hall> & "Garden"',
  category: 'physical',
  themes: ['food', 'older people'],
  tags: ['step-free'],
  address: "1 O'Brien St",
  postcode: 'M14 5TQ',
  location: { lat: 53.45, lon: -2.22 },
  contactPerson: { name: '=HYPERLINK("http://x")', phone: '+44 7700 900123', email: 'ann@example.org' },
};
const unplaced: ExportAsset = { ...hall, id: '22222222-2222-4222-8222-222222222222', name: '@risk\nsecond line', location: null, contactPerson: null };

test('GeoJSON is a valid FeatureCollection with longitude first; unplaced assets are left out', () => {
  const text = toGeoJSON([hall, unplaced]);
  const collection = check(text); // throws on anything RFC 7946 forbids
  assert.ok(collection.type === 'FeatureCollection');
  assert.equal(collection.features.length, 1);
  const feature = collection.features[0]!;
  assert.deepEqual(feature.geometry, { type: 'Point', coordinates: [-2.22, 53.45] });
  assert.equal(feature.properties!.name, hall.name);
  assert.deepEqual(feature.properties!.themes, ['food', 'older people']);
  assert.equal(feature.properties!.contact_phone, '+44 7700 900123');
});

test('KML is well-formed with every special character escaped, and parses back to the same fields', () => {
  const text = toKML([hall, unplaced], 'Assets & places\u0007');
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => level !== 'warning' && errors.push(message) }).parseFromString(text, 'text/xml');
  assert.deepEqual(errors, []);
  assert.ok(!text.includes('<Hall>'), 'markup in a name is escaped');
  const parsed = kmlToGeoJSON(doc as unknown as Document);
  assert.equal(parsed.features.length, 1);
  const feature = parsed.features[0]!;
  assert.deepEqual(feature.geometry, { type: 'Point', coordinates: [-2.22, 53.45] });
  assert.equal(feature.properties!.name, hall.name);
  assert.equal(feature.properties!.address, "1 O'Brien St");
  assert.equal(feature.properties!.themes, 'food; older people');
  assert.equal(feature.properties!.contact_name, hall.contactPerson!.name);
});

test('CSV keeps unplaced assets with empty coordinates and defuses formulas, multi-line ones too', () => {
  const parsed = Papa.parse<Record<string, string>>(toCSV([hall, unplaced]), { header: true });
  assert.deepEqual(parsed.errors, []);
  const [first, second] = parsed.data;
  assert.equal(first!.longitude, '-2.22', 'numbers are not prefixed');
  assert.equal(first!.contact_name, `'=HYPERLINK("http://x")`);
  assert.equal(first!.contact_phone, "'+44 7700 900123");
  assert.equal(first!.name, hall.name);
  assert.equal(second!.name, "'@risk\nsecond line");
  assert.equal(second!.latitude, '');
  assert.equal(second!.contact_email, '');
});

const purposeNamed = (name: string) => DEFAULT_POLICY.purposes.find((p) => p.name === name)!;
const consent = (purposeName: string, givenAt: string, withdrawnAt: string | null = null): Consent => ({
  id: crypto.randomUUID(),
  purpose: purposeName,
  purposeId: purposeNamed(purposeName).id,
  wordingVersion: 'v1',
  givenAt,
  method: 'written',
  withdrawnAt,
});
const SHARING = 'Share details with partner organisations';
const CONTACTING = 'Contact about local events and activities';

test('the export page resolves a merged contact person and applies the consent rule and list filters', (t) => {
  const { ws } = openTemp(t);
  const sharing = consent(SHARING, '2025-01-01');
  const ann = ws.create('contact', { name: 'Ann Shares', phone: '07700 900001', consents: [sharing] });
  const bob = ws.create('contact', { name: 'Bob Private', phone: '07700 900002', consents: [consent(CONTACTING, '2025-01-01')] });
  const annBefore = ws.create('contact', { name: 'A. Shares' });
  ws.create('asset', { name: 'Allotments', category: 'physical', themes: ['food'], contactPersonId: annBefore.id });
  markMerged(ws, annBefore.id, ann.id);
  ws.create('asset', { name: 'Book club', category: 'association', themes: ['arts'], contactPersonId: bob.id });
  const all = exportAssets(ws, {}, '2025-06-01');
  assert.equal(all.total, 2);
  assert.deepEqual(all.rows.map((r) => [r.name, r.contactPerson?.name ?? null]), [['Allotments', 'Ann Shares'], ['Book club', null]]);
  assert.deepEqual(exportAssets(ws, { theme: 'arts' }, '2025-06-01').rows.map((r) => r.name), ['Book club']);
  assert.deepEqual(exportAssets(ws, { category: 'physical', offset: 1 }, '2025-06-01').rows, []);
  ws.update('contact', ann.id, { consents: [{ ...sharing, withdrawnAt: '2025-05-01', withdrawnBy: 'Asha Patel', withdrawalMethod: 'phone' }] });
  assert.equal(exportAssets(ws, {}, '2025-06-01').rows[0]!.contactPerson, null, 'withdrawing consent takes the details out');
});

test('a purpose a lead no longer lets share details takes every consent to it out of exports', (t) => {
  const { ws } = openTemp(t);
  const ann = ws.create('contact', { name: 'Ann Shares', consents: [consent(SHARING, '2025-01-01')] });
  ws.create('asset', { name: 'Allotments', category: 'physical', contactPersonId: ann.id });
  assert.equal(exportAssets(ws, {}, '2025-06-01').rows[0]!.contactPerson?.name, 'Ann Shares');
  const purposes = DEFAULT_POLICY.purposes.map((p) => (p.name === SHARING ? { ...p, uses: [] } : p));
  ws.create('policy', { ...DEFAULT_POLICY, purposes }, { id: POLICY_ID });
  assert.equal(exportAssets(ws, {}, '2025-06-01').rows[0]!.contactPerson, null);
});
