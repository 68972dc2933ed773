// From a table's columns to contact drafts: which column holds what (guessed from the
// header names, recognising Google Contacts' current and older exports, Outlook's, and
// this app's vCard table), and each row as the contact it would store, checked by the
// contact schema, with every problem named in words by row and field. Nothing in a row is
// dropped: a value the contact cannot hold where it was mapped (a second email, a postcode
// outside the UK, a number too short to be a phone) is kept in the contact's notes.
import { validatePhoneNumberLength } from 'libphonenumber-js';
import { CREATE_INPUT, type CreateInput } from '../../../shared/domain';
import { CONTACT_ROLES } from '../../../shared/kinds/contact';
import type { ContactTarget, HeaderSet } from '../../../shared/rpc-import';
import { checkDraft, guessTargets, headerWords as norm, splitMulti, type RowResult } from './row-rules';
import { VCARD_COLUMNS } from './vcard';

/** Which known export a header row is, from headers only that export writes. */
export function recogniseHeaders(headers: string[]): HeaderSet {
  const set = new Set(headers.map(norm));
  if (VCARD_COLUMNS.every((c, i) => headers[i] === c) && headers.length === VCARD_COLUMNS.length) return 'vcard';
  if (set.has('e mail 1 label') || set.has('organization name')) return 'google';
  if (set.has('given name') && set.has('group membership')) return 'google-older';
  if (set.has('e mail address') && (set.has('mobile phone') || set.has('home postal code') || set.has('business phone'))) return 'outlook';
  return 'spreadsheet';
}

// Header words, in order: the first rule whose pattern matches names the column's target.
const RULES: [RegExp, ContactTarget][] = [
  // Companion columns that say what kind of value the next one is, and phonetic readings.
  [/\b(label|type|display name|yomi|phonetic)\b/, 'skip'],
  [/\bformatted\b|\bcountry\b|\bphoto\b|\bfax\b|\bpager\b/, 'skip'],
  [/^(full name|name|display name|contact name|contact)$/, 'name'],
  [/\b(first name|given name|forename|first)\b/, 'givenName'],
  [/\b(middle name|additional name|middle)\b/, 'middleName'],
  [/\b(last name|family name|surname|last)\b/, 'familyName'],
  [/\b(organi[sz]ation( \d+)? name|organi[sz]ation|company|organi[sz]ation name)$/, 'organisation'],
  [/\be ?mail\b/, 'email'],
  [/\b(phone|mobile|telephone|tel|cell)\b/, 'phone'],
  [/\b(postal code|post code|postcode|zip)\b/, 'postcode'],
  [/\b(street|city|town|region|county|state|po box|extended address|address|locality)\b/, 'address'],
  [/^(notes?|comments?)$/, 'notes'],
  // A vCard's CATEGORIES: this app's export writes a contact's themes there.
  [/^(themes?|interests?|categories)$/, 'themes'],
  [/^roles?$/, 'roles'],
];

/** A target for every column, guessed from its header; one column is the name. */
export const guessContactMapping = (headers: string[]) => guessTargets<ContactTarget>(headers, RULES, 'skip', ['name']);

/**
 * Columns of one address share a prefix: Google's "Address 1 - Street" and "Address 1 -
 * City", Outlook's "Home Street" and "Home Postal Code". The first address with any value is
 * the contact's; the others go to the notes.
 */
function addressGroup(header: string): string {
  return norm(header)
    .replace(/\b(street( \d)?|city|town|region|county|state|po box|extended address|postal code|post code|postcode|zip|address( line)?( \d)?|locality)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Each column's address group, worked out once per file's headers (every row asks). */
const addressGroups = new WeakMap<string[], string[]>();
function addressGroupsOf(headers: string[]): string[] {
  let groups = addressGroups.get(headers);
  if (!groups) {
    groups = headers.map(addressGroup);
    addressGroups.set(headers, groups);
  }
  return groups;
}

export type ContactRowResult = RowResult<'contact'>;

/** Why a phone number cannot be one, in words, or null. */
function phoneProblem(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  if (!/^[0-9+() .-]*$/.test(phone)) return 'may contain only digits, spaces and + ( ) . -';
  // A UK number written in full (0 and ten digits, not 00) is never too short or too long;
  // libphonenumber, at a fraction of a millisecond a number, judges the others.
  if (/^0[1-9]\d{9}$/.test(digits)) return null;
  const length = validatePhoneNumberLength(phone, 'GB');
  if (length === 'TOO_SHORT' || digits.length < 6) return 'is too short';
  if (length === 'TOO_LONG') return 'is too long';
  return null;
}

/** One row as a contact draft with its problems. */
export function contactFromRow(headers: string[], targets: ContactTarget[], cells: string[], line: number): ContactRowResult {
  const problems: string[] = [];
  // Each mapped cell's values, by target, read once (a 50,000-row file has half a million cells).
  const byTarget = new Map<ContactTarget, string[]>();
  targets.forEach((t, i) => {
    const cell = cells[i];
    if (t === 'skip' || !cell) return;
    const read = splitMulti(cell.replace(/\r\n?/g, '\n'));
    const known = byTarget.get(t);
    if (known) known.push(...read);
    else byTarget.set(t, read);
  });
  const values = (target: ContactTarget) => byTarget.get(target) ?? [];
  const kept: string[] = [];
  const first = (target: ContactTarget, word: string) => {
    const [one = '', ...more] = values(target);
    for (const other of more) kept.push(`Other ${word}: ${other}`);
    return one;
  };

  const given = values('givenName').join(' ');
  const middle = values('middleName').join(' ');
  const family = values('familyName').join(' ');
  const organisation = values('organisation').join(', ');
  const personName = [given, middle, family].filter(Boolean).join(' ');
  const name = values('name')[0] || personName || organisation;
  // No person's name, or the name is the organisation's (a company card from macOS or an iPhone).
  const type = organisation && !personName && (!values('name')[0] || values('name')[0] === organisation) ? 'organisation' : 'person';
  if (organisation && type === 'person' && name !== organisation) kept.push(`Organisation: ${organisation}`);

  const email = first('email', 'email');
  let phone = first('phone', 'phone');

  // Addresses, group by group; within a group, the k-th value of each column makes the k-th
  // address (a vCard's several addresses arrive as parallel lists in its two cells).
  const groups = new Map<string, { target: ContactTarget; values: string[] }[]>();
  targets.forEach((t, i) => {
    if (t !== 'address' && t !== 'postcode') return;
    const key = addressGroupsOf(headers)[i]!;
    groups.set(key, [...(groups.get(key) ?? []), { target: t, values: splitMulti(cells[i] ?? '').map((v) => v.replace(/\n/g, ', ')) }]);
  });
  const addresses = [...groups.values()].flatMap((columns) => {
    const count = Math.max(0, ...columns.map((c) => c.values.length));
    return Array.from({ length: count }, (_, k) => ({
      address: columns.filter((c) => c.target === 'address').map((c) => c.values[k] ?? '').filter(Boolean).join(', '),
      postcode: columns.find((c) => c.target === 'postcode' && c.values[k])?.values[k] ?? '',
    }));
  });
  const address = addresses[0]?.address ?? '';
  const postcode = addresses[0]?.postcode ?? '';
  for (const other of addresses.slice(1)) kept.push(`Other address: ${[other.address, other.postcode].filter(Boolean).join(', ')}`);

  // Google's own groups ("* myContacts" in its CSV, "myContacts" in its vCards) say nothing about the person.
  const themes = values('themes')
    .flatMap((v) => v.split(/[;,]/))
    .map((v) => v.trim())
    .filter((v) => v && !/^(\* .*|mycontacts|starred)$/i.test(v))
    .map((v) => v.toLowerCase());
  const roleWords = values('roles').flatMap((v) => v.split(/[;,]/)).map((v) => v.trim().toLowerCase()).filter(Boolean);
  const roles = roleWords.filter((r): r is (typeof CONTACT_ROLES)[number] => (CONTACT_ROLES as readonly string[]).includes(r));
  for (const word of roleWords) {
    if (!roles.includes(word as never)) {
      problems.push(`role "${word}" is not one of ${CONTACT_ROLES.join(', ')} (kept in the notes)`);
      kept.push(`Role: ${word}`);
    }
  }

  if (phone) {
    const why = phoneProblem(phone);
    if (why) {
      problems.push(`phone ${phone} ${why} (kept in the notes)`);
      kept.push(`Phone as written: ${phone}`);
      phone = '';
    }
  }

  if (!name) {
    return { line, data: null, problems: ['has no name: map a column to Name, or to first and last name', ...problems] };
  }

  const notes = [...values('notes'), ...(kept.length ? [kept.join('\n')] : [])].join('\n\n');
  const draft: CreateInput<'contact'> = { name, type, email, phone, address, postcode, notes, themes: [...new Set(themes)], roles: [...new Set(roles)] };
  return checkDraft(CREATE_INPUT.contact, draft, line, problems, 'notes');
}
