// Reading exported contacts back as an importer would, to test that an export round-trips:
// the CSV through papaparse (Google Contacts' columns; a cell that was neutralised against
// formula injection loses its apostrophe again), the vCard through ical.js.
import ICAL from 'ical.js';
import Papa from 'papaparse';

/** What a contact file carries of a person: everything but skills and consents. */
export interface ContactReadBack {
  type: 'person' | 'organisation';
  name: string;
  email: string;
  phone: string;
  address: string;
  postcode: string;
  notes: string;
  roles: string[];
  themes: string[];
}

const MULTI_VALUE = ' ::: ';
const splitMulti = (cell: string) => (cell ? cell.split(MULTI_VALUE) : []);
/** The export put an apostrophe before a cell a spreadsheet would run as a formula. */
const unneutralise = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

export function readContactsCsv(text: string): { headers: string[]; contacts: ContactReadBack[] } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`CSV errors: ${JSON.stringify(parsed.errors)}`);
  const contacts = parsed.data.map((raw) => {
    const row = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, unneutralise(v)]));
    const person = [row['First Name'], row['Middle Name'], row['Last Name']].filter(Boolean).join(' ');
    return {
      type: person ? 'person' : 'organisation',
      name: person || row['Organization Name']!,
      email: row['E-mail 1 - Value']!,
      phone: row['Phone 1 - Value']!,
      address: row['Address 1 - Street']!,
      postcode: row['Address 1 - Postal Code']!,
      notes: row.Notes!,
      roles: splitMulti(row.Roles!),
      themes: splitMulti(row.Themes!),
    } satisfies ContactReadBack;
  });
  return { headers: parsed.meta.fields ?? [], contacts };
}

/**
 * ical.js 2.2 reads a vCard 3.0 text value as RFC 6350 (4.0) does, where a `;` outside a
 * compound value needs no escape, so it leaves RFC 2426's `\;` as it is: an importer takes it out.
 */
const text = (value: unknown) => String(value ?? '').replace(/\\;/g, ';');

export function readVcards(file: string): ContactReadBack[] {
  const parsed = ICAL.parse(file) as unknown[];
  const cards = (parsed[0] === 'vcard' ? [parsed] : parsed) as unknown[];
  return cards.map((jcard) => {
    const card = new ICAL.Component(jcard as never);
    const adr = (card.getFirstPropertyValue('adr') as unknown as string[] | null) ?? [];
    return {
      type: card.getFirstPropertyValue('x-abshowas') === 'COMPANY' ? 'organisation' : 'person',
      name: text(card.getFirstPropertyValue('fn')),
      email: text(card.getFirstPropertyValue('email')),
      phone: text(card.getFirstPropertyValue('tel')),
      address: adr[2] ?? '',
      postcode: adr[5] ?? '',
      notes: text(card.getFirstPropertyValue('note')),
      roles: card.getAllProperties('role').map((p) => text(p.getFirstValue())),
      themes: card.getFirstProperty('categories')?.getValues().map(String) ?? [],
    } satisfies ContactReadBack;
  });
}
