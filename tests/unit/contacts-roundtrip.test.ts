// Contacts exported (CSV in Google Contacts' columns, vCard 3.0) and the file imported into an
// empty workspace give the same people back, field by field — through the app's own export
// and import code, with values that test each format's escapes: formula-like cells the CSV
// neutralises, semicolons, commas, backslashes and line breaks a vCard escapes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import type { CreateInput } from '../../shared/domain';
import { DEFAULT_POLICY } from '../../shared/domain';
import type { ExportRequest } from '../../shared/rpc-export';
import { runExport } from '../../main/data-service/export/run-export';
import { guessContactMapping } from '../../main/data-service/import/contact-mapping';
import { readImportFile, RecordImports } from '../../main/data-service/import/record-import';
import type { Workspace } from '../../main/data-service/workspace';
import { openTemp } from './helpers';

const TODAY = '2026-03-01';
const basis = { basis: 'Legitimate interests', since: '2025-01-01', note: 'members' };

/** People whose every field is in both files, chosen to need each escape. */
const PEOPLE: CreateInput<'contact'>[] = [
  {
    name: 'Siobhán O’Brien',
    email: 'siobhan@example.org',
    phone: '+44 7700 900123', // a CSV cell starting with + is neutralised
    address: 'Flat 2; 14 Oak Road, Levenshulme',
    postcode: 'M19 3PQ',
    notes: '=1+1 is her favourite joke\nComes on Tuesdays; brings cake, sometimes',
    roles: ['volunteer', 'champion'],
    themes: ['food', 'older people'],
  },
  {
    type: 'organisation',
    name: 'Longsight Library',
    email: 'library@example.org',
    phone: '0161 227 3700',
    address: '519 Stockport Road',
    postcode: 'M12 4NE',
    notes: '@library on the socials\\ask for Jo',
    roles: ['partner'],
    themes: ['reading'],
  },
  { name: 'Mary Ann Jones', phone: '07700 900456', notes: '-3 degrees at the last walk', roles: ['resident'], themes: [] },
  { name: 'Cher', email: 'cher@example.org', roles: [], themes: ['music', 'young people'] },
];

const FIELDS = ['type', 'name', 'email', 'phone', 'address', 'postcode', 'notes', 'roles', 'themes'] as const;

function seed(t: TestContext): Workspace {
  const { ws } = openTemp(t);
  for (const person of PEOPLE) ws.create('contact', { ...person, lawfulBasis: person.type === 'organisation' ? null : basis });
  return ws;
}

async function exportContacts(ws: Workspace, format: 'csv' | 'vcard') {
  const parts: string[] = [];
  const request: ExportRequest = { jobId: randomUUID(), use: 'backup', today: TODAY, subject: 'contacts', format, filter: {}, sort: { field: 'title', direction: 'asc' } };
  const file = await runExport(ws, request, new AbortController().signal, (text) => parts.push(text));
  return { fileName: file.fileName, bytes: Buffer.from(parts.join(''), 'utf8') };
}

/** The file imported into an empty workspace with the columns as guessed; each person's fields by name. */
function importInto(t: TestContext, fileName: string, bytes: Buffer) {
  const { ws } = openTemp(t);
  const file = readImportFile('contact', fileName, bytes);
  const imports = new RecordImports(ws);
  const lawful = { ground: 'lawful-basis' as const, statement: 'read back from our own export', basisId: DEFAULT_POLICY.lawfulBases[0]!.id, since: TODAY };
  const start = imports.start(file, { targets: guessContactMapping(file.headers), category: null, basis: lawful, defaultDecision: 'create', decisions: {} });
  let batch = imports.step(file, start.id);
  while (batch.status === 'partial') batch = imports.step(file, start.id);
  assert.equal(batch.created, PEOPLE.length, 'every person exported is imported');
  return new Map(ws.list({ kind: 'contact', limit: 50 }).rows.map((row) => [row.title, ws.get('contact', row.id).data]));
}

for (const format of ['csv', 'vcard'] as const) {
  test(`contacts exported as ${format === 'csv' ? 'CSV' : 'vCard'} and imported into an empty workspace are the same people, field by field`, async (t) => {
    const source = seed(t);
    const { fileName, bytes } = await exportContacts(source, format);
    const imported = importInto(t, fileName, bytes);
    for (const row of source.list({ kind: 'contact', limit: 50 }).rows) {
      const before = source.get('contact', row.id).data;
      const after = imported.get(before.name);
      assert.ok(after, `${before.name} is imported under the same name`);
      for (const field of FIELDS) assert.deepEqual(after[field], before[field], `${before.name}: ${field}`);
    }
  });
}
