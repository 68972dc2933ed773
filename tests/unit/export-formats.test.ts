// Export files on their own: GeoJSON valid against RFC 7946 with [lng, lat] points and
// unplaced assets as `null` geometry, KML that parses back with unplaced assets in a folder of
// their own, CSV safe from formula injection, vCard 3.0 escaped and folded as RFC 2426 and
// 2425 say, contacts in Google Contacts' columns, each read back field by field; and the
// consent rule for sharing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '@placemarkio/check-geojson';
import { kml as kmlToGeoJSON } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import Papa from 'papaparse';
import { DEFAULT_POLICY, type Consent, type RecordOf } from '../../shared/domain';
import { assetCsvRow, ASSET_CSV_COLUMNS, GEOJSON_HEAD, GEOJSON_TAIL, geoJsonFeatures, KmlFolders, type ExportAsset } from '../../main/data-service/export/assets';
import { CONTACT_CSV_COLUMNS, contactCsvRow, contactVcard, splitPersonName } from '../../main/data-service/export/contacts';
import { csvLines } from '../../main/data-service/export/csv';
import { escapeVcardText, foldLine } from '../../main/data-service/export/vcard';
import { personMayLeave } from '../../main/data-service/export/consent-gate';
import { readContactsCsv, readVcards, type ContactReadBack } from './export-readback';

const hall: ExportAsset = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'St Mary’s <Hall> & "Garden"',
  category: 'physical',
  description: 'A hall with a kitchen & garden.\nStep-free entrance.',
  availability: 'Mon–Fri 9:00–17:00; Sat by arrangement',
  themes: ['food', 'older people'],
  tags: ['step-free'],
  address: "1 O'Brien St",
  postcode: 'M14 5TQ',
  location: { lat: 53.45, lon: -2.22 },
  contactPerson: { name: '=HYPERLINK("http://x")', phone: '+44 7700 900123', email: 'ann@example.org' },
};
const unplaced: ExportAsset = { ...hall, id: '22222222-2222-4222-8222-222222222222', name: '@risk\nsecond line', category: 'cultural', location: null, contactPerson: null };

test('GeoJSON is a valid FeatureCollection with longitude first, and an unplaced asset is a feature with null geometry', () => {
  const text = GEOJSON_HEAD + geoJsonFeatures([hall], true) + geoJsonFeatures([unplaced], false) + GEOJSON_TAIL;
  const collection = check(text); // throws on anything RFC 7946 forbids
  assert.ok(collection.type === 'FeatureCollection');
  assert.equal(collection.features.length, 2);
  const [placed, notPlaced] = collection.features;
  assert.deepEqual(placed!.geometry, { type: 'Point', coordinates: [-2.22, 53.45] });
  assert.equal(placed!.properties!.name, hall.name);
  assert.equal(placed!.properties!.description, hall.description);
  assert.equal(placed!.properties!.opening_times, hall.availability);
  assert.deepEqual(placed!.properties!.themes, ['food', 'older people']);
  assert.equal(placed!.properties!.contact_phone, '+44 7700 900123');
  assert.equal(notPlaced!.geometry, null);
  assert.equal(notPlaced!.properties!.contact_name, null);
});

test('an export with no assets is still a valid FeatureCollection', () => {
  const collection = check(GEOJSON_HEAD + geoJsonFeatures([], true) + GEOJSON_TAIL);
  assert.ok(collection.type === 'FeatureCollection' && collection.features.length === 0);
});

test('KML is well-formed with every special character escaped; unplaced assets are placemarks without a point in "Not on the map"', () => {
  const folders = new KmlFolders();
  folders.add([unplaced]);
  folders.add([hall]);
  const text = folders.document('Assets & places\u0007');
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => level !== 'warning' && errors.push(message) }).parseFromString(text, 'text/xml');
  assert.deepEqual(errors, []);
  assert.ok(!text.includes('<Hall>'), 'markup in a name is escaped');
  const folderNames = Array.from(doc.getElementsByTagName('Folder')).map((f) => f.getElementsByTagName('name')[0]!.textContent);
  assert.deepEqual(folderNames, ['Physical', 'Not on the map'], 'the unplaced folder comes last');
  const parsed = kmlToGeoJSON(doc as unknown as Document);
  const byName = new Map(parsed.features.map((f) => [f.properties!.name, f]));
  const feature = byName.get(hall.name)!;
  assert.deepEqual(feature.geometry, { type: 'Point', coordinates: [-2.22, 53.45] });
  assert.equal(feature.properties!.description, hall.description);
  assert.equal(feature.properties!.opening_times, hall.availability);
  assert.equal(feature.properties!.address, "1 O'Brien St");
  assert.equal(feature.properties!.themes, 'food; older people');
  assert.equal(feature.properties!.contact_name, hall.contactPerson!.name);
  const notPlaced = doc.getElementsByTagName('Folder')[1]!.getElementsByTagName('Placemark');
  assert.equal(notPlaced.length, 1);
  assert.equal(notPlaced[0]!.getElementsByTagName('Point').length, 0);
  assert.equal(notPlaced[0]!.getElementsByTagName('name')[0]!.textContent, unplaced.name);
});

test('asset CSV keeps unplaced assets with empty coordinates and defuses formulas, multi-line ones too', () => {
  const parsed = Papa.parse<Record<string, string>>(csvLines([ASSET_CSV_COLUMNS, assetCsvRow(hall), assetCsvRow(unplaced)]), { header: true, skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  const [first, second] = parsed.data;
  assert.equal(first!.longitude, '-2.22', 'numbers are not prefixed');
  assert.equal(first!.contact_name, `'=HYPERLINK("http://x")`);
  assert.equal(first!.contact_phone, "'+44 7700 900123");
  assert.equal(first!.name, hall.name);
  assert.equal(first!.description, hall.description);
  assert.equal(first!.opening_times, hall.availability);
  assert.equal(second!.name, "'@risk\nsecond line");
  assert.equal(second!.latitude, '');
  assert.equal(second!.contact_email, '');
});

test('every CSV cell that starts with = + - @, a tab or a carriage return is turned into text', () => {
  const cells = ['=1+1', '+44 7700', '-2', '@SUM(A1)', '\t=cmd', '\r=cmd', 'ok = fine', 'Ann'];
  const [row] = Papa.parse<string[]>(csvLines([cells])).data;
  assert.deepEqual(row, ["'=1+1", "'+44 7700", "'-2", "'@SUM(A1)", "'\t=cmd", "'\r=cmd", 'ok = fine', 'Ann']);
});

test('vCard text escapes backslash, comma, semicolon and line breaks (RFC 2426 §4) and drops control characters', () => {
  assert.equal(escapeVcardText('a,b;c\\d\ne\r\nf\u0007'), 'a\\,b\\;c\\\\d\\ne\\nf');
});

test('vCard lines fold at 75 octets, never inside a UTF-8 character, and unfold to the line as it was', () => {
  const line = `NOTE:${'Zoë’s café — 東京 🎉 '.repeat(12)}`;
  const folded = foldLine(line);
  assert.ok(folded.endsWith('\r\n'));
  const physical = folded.slice(0, -2).split('\r\n');
  assert.ok(physical.length > 3);
  physical.forEach((l, i) => {
    const bytes = Buffer.from(l, 'utf8');
    assert.ok(bytes.length <= 75, `line ${i} is ${bytes.length} octets`);
    if (i > 0) assert.ok(l.startsWith(' '), `line ${i} starts with the space that marks a continuation`);
    // A line cut inside a character would not decode on its own.
    assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(bytes), l);
  });
  assert.equal(folded.slice(0, -2).replace(/\r\n /g, ''), line);
  assert.equal(foldLine('FN:Ann'), 'FN:Ann\r\n', 'short lines are left alone');
});

const contact = (data: Partial<RecordOf<'contact'>['data']>): RecordOf<'contact'> =>
  ({
    id: crypto.randomUUID(),
    kind: 'contact',
    data: { type: 'person', name: 'Ann', roles: [], email: '', phone: '', address: '', postcode: '', themes: [], notes: '', skills: [], consents: [], ...data },
  }) as RecordOf<'contact'>;

const people = [
  contact({
    name: 'Zoë O’Brien-Smith',
    roles: ['volunteer', 'champion'],
    email: 'zoe@example.org',
    phone: '+44 7700 900123',
    address: 'Flat 2, 1 High St',
    postcode: 'M14 5TQ',
    themes: ['food', 'older people'],
    notes: 'Met at the café, 3 May.\nPrefers texts; not calls — ask for “Zo”. Path: C:\\share\\notes. '.repeat(3),
  }),
  contact({ name: 'Mary Ann de la Cruz', phone: '0161 496 0000', notes: '=cmd|/c calc' }),
  contact({ name: 'Cher' }),
  contact({ type: 'organisation', name: 'Platt Lane Allotments, Ltd; est. 1920', email: 'hello@platt.example', roles: ['partner'] }),
];

const readBack = (c: RecordOf<'contact'>): ContactReadBack => {
  const { type, name, email, phone, address, postcode, notes, roles, themes } = c.data;
  return { type, name, email, phone, address, postcode, notes, roles, themes };
};

test('contacts as vCard 3.0 parse back with ical.js to the same people, field by field', () => {
  const file = people.map(contactVcard).join('');
  assert.match(file, /^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
  assert.ok(file.split('\r\n').every((l) => Buffer.byteLength(l) <= 75));
  assert.deepEqual(readVcards(file), people.map(readBack));
  assert.match(file, /ORG:Platt Lane Allotments\\, Ltd\\; est\. 1920\r\n/, 'an organisation is named by ORG');
  assert.match(file, /\r\nN:Cruz;Mary Ann de la;;;\r\n/, 'the last word is the family name');
});

test('contacts CSV has Google Contacts’ header set and reads back to the same people, formula cells neutralised', () => {
  const text = csvLines([CONTACT_CSV_COLUMNS, ...people.map(contactCsvRow)]);
  const { headers, contacts } = readContactsCsv(text);
  assert.deepEqual(headers.slice(0, 3), ['First Name', 'Middle Name', 'Last Name']);
  for (const column of ['E-mail 1 - Value', 'Phone 1 - Value', 'Address 1 - Formatted', 'Address 1 - Postal Code', 'Organization Name', 'Labels', 'Notes']) {
    assert.ok(headers.includes(column), `has ${column}`);
  }
  assert.deepEqual(contacts, people.map(readBack));
  const raw = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  assert.equal(raw[0]!['Phone 1 - Value'], "'+44 7700 900123", 'a phone starting with + is not run as a formula');
  assert.equal(raw[1]!.Notes, "'=cmd|/c calc");
  assert.equal(raw[0]!['Address 1 - Formatted'], 'Flat 2, 1 High St\nM14 5TQ');
});

test('a person’s name splits at its last space into given and family name, and joins back', () => {
  assert.deepEqual(splitPersonName('Mary Ann Smith'), { given: 'Mary Ann', family: 'Smith' });
  assert.deepEqual(splitPersonName('Cher'), { given: 'Cher', family: '' });
});

const consent = (purpose: string, givenAt: string, withdrawnAt: string | null = null): Consent => ({
  id: crypto.randomUUID(),
  purpose,
  wordingVersion: 'v1',
  givenAt,
  method: 'written',
  withdrawnAt,
});

test('a person’s details leave for partners only under a consent that allows sharing; for the own backup, under any lawful ground', () => {
  const today = '2025-06-01';
  // Purposes named as the default privacy settings name them (shared/kinds/policy.ts).
  const SHARING = 'Share details with partner organisations';
  const CONTACTING = 'Contact about local events and activities';
  const may = (use: 'share' | 'backup', consents: Consent[], type: 'person' | 'organisation' = 'person') => personMayLeave(contact({ type, consents }), use, DEFAULT_POLICY, today);
  assert.equal(may('share', [consent(SHARING, '2025-01-01')]), true);
  assert.equal(may('share', [consent(SHARING, '2025-01-01', '2025-03-01')]), false, 'withdrawn');
  assert.equal(may('share', [consent(SHARING, '2025-07-01')]), false, 'not given yet');
  assert.equal(may('share', [consent(CONTACTING, '2025-01-01')]), false, 'consent to be contacted is not consent to sharing');
  assert.equal(may('backup', [consent(CONTACTING, '2025-01-01')]), true, 'the own backup needs some lawful ground');
  assert.equal(may('backup', []), false);
  assert.equal(may('share', [], 'organisation'), true, 'an organisation is not a person');
});
