// FEBRL dataset 1 (bench/data/febrl-dataset1.csv, see README "Data we ship") as contacts: a
// labelled set the duplicate finder was not tuned on. 500 people and one corrupted copy of
// each (typos, names swapped or missing, address parts changed or missing), keyed
// rec-12-org / rec-12-dup-0. Only the name and the address are entered: the postcode field
// takes UK postcodes, so the Australian one ends the address, as Australians write it
// ("St James WA 4011"). Dates of birth and social security numbers are left out.
import { readFileSync } from 'node:fs';
import type { CreateInput } from '../shared/domain';
import { pairKey } from './duplicates-dataset';

export const FEBRL_1 = new URL('./data/febrl-dataset1.csv', import.meta.url);

const COLUMNS = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

export interface FebrlSet {
  contacts: { id: string; data: CreateInput<'contact'> }[];
  /** The pairs of contact ids that are one person (pairKey). */
  duplicates: Set<string>;
}

/** The file's rows: comma and space separated, no quoting (checked: every row has every column). */
function readRows(path: URL): Row[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim());
  const names = header!.split(',').map((h) => h.trim());
  if (names.join() !== COLUMNS.join()) throw new Error(`${path.pathname}: expected the columns ${COLUMNS.join(', ')}, found ${names.join(', ')}`);
  return lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== COLUMNS.length) throw new Error(`${path.pathname} line ${i + 2}: ${cells.length} cells, expected ${COLUMNS.length}`);
    return Object.fromEntries(COLUMNS.map((c, j) => [c, cells[j]!])) as Row;
  });
}

const joined = (separator: string, ...parts: string[]) => parts.filter(Boolean).join(separator);

/** The contacts of a FEBRL file, with the true pairs from their rec_ids. */
export function loadFebrl(path: URL = FEBRL_1): FebrlSet {
  const contacts: FebrlSet['contacts'] = [];
  const byPerson = new Map<string, string[]>();
  for (const row of readRows(path)) {
    const person = /^rec-(\d+)-/.exec(row.rec_id)?.[1];
    if (!person) throw new Error(`${path.pathname}: rec_id ${row.rec_id} is not rec-<n>-org or rec-<n>-dup-<k>`);
    const name = joined(' ', row.given_name, row.surname);
    if (!name) continue; // a contact needs a name (none of dataset 1's rows lacks both)
    const id = `00000000-0000-4000-8000-${String(contacts.length).padStart(12, '0')}`; // the same ids every run
    const address = joined(', ', joined(' ', row.street_number, row.address_1), row.address_2, joined(' ', row.suburb, row.state.toUpperCase(), row.postcode));
    contacts.push({ id, data: { type: 'person', name, address } });
    byPerson.set(person, [...(byPerson.get(person) ?? []), id]);
  }
  const duplicates = new Set<string>();
  for (const ids of byPerson.values()) for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) duplicates.add(pairKey(ids[i]!, ids[j]!));
  return { contacts, duplicates };
}
