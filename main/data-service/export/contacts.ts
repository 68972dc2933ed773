// Contacts as files other address books read back: a CSV with Google Contacts' current
// header set (which Google Contacts and Outlook.com import), and vCard 3.0 (phones, Gmail,
// Outlook, macOS Contacts, Thunderbird); and a contact's capacity inventory as CSV rows.
import type { RecordOf } from '../../../shared/domain';
import { yesNo } from './csv';
import { escapeVcardText, vcard } from './vcard';

type Contact = RecordOf<'contact'>;

/** Google Contacts and this app put several values in one cell joined so. */
export const MULTI_VALUE = ' ::: ';

/**
 * Google Contacts' current export header set (First Name … Address 1 - Extended Address), then
 * this app's own Roles and Themes, which address books leave aside and this app's import reads.
 */
export const CONTACT_CSV_COLUMNS = [
  'First Name',
  'Middle Name',
  'Last Name',
  'Phonetic First Name',
  'Phonetic Middle Name',
  'Phonetic Last Name',
  'Name Prefix',
  'Name Suffix',
  'Nickname',
  'File As',
  'Organization Name',
  'Organization Title',
  'Organization Department',
  'Birthday',
  'Notes',
  'Photo',
  'Labels',
  'E-mail 1 - Label',
  'E-mail 1 - Value',
  'Phone 1 - Label',
  'Phone 1 - Value',
  'Address 1 - Label',
  'Address 1 - Formatted',
  'Address 1 - Street',
  'Address 1 - City',
  'Address 1 - PO Box',
  'Address 1 - Region',
  'Address 1 - Postal Code',
  'Address 1 - Country',
  'Address 1 - Extended Address',
  'Roles',
  'Themes',
] as const;
type ContactColumn = (typeof CONTACT_CSV_COLUMNS)[number];

/**
 * A person's one name as given and family name: the last word is the family name. Joined
 * with a space, the two give the name back, which is how address books and this app's import
 * put a name together again.
 */
export function splitPersonName(name: string): { given: string; family: string } {
  const space = name.lastIndexOf(' ');
  return space < 0 ? { given: name, family: '' } : { given: name.slice(0, space), family: name.slice(space + 1) };
}

/** An organisation is named as one (Organization Name); a person by given and family name. */
function nameParts(contact: Contact) {
  return contact.data.type === 'organisation' ? { given: '', family: '', organisation: contact.data.name } : { ...splitPersonName(contact.data.name), organisation: '' };
}

export function contactCsvRow(contact: Contact): string[] {
  const d = contact.data;
  const { given, family, organisation } = nameParts(contact);
  const cells: Partial<Record<ContactColumn, string>> = {
    'First Name': given,
    'Last Name': family,
    'Organization Name': organisation,
    Notes: d.notes,
    'E-mail 1 - Value': d.email,
    'Phone 1 - Value': d.phone,
    'Address 1 - Formatted': [d.address, d.postcode].filter(Boolean).join('\n'),
    'Address 1 - Street': d.address,
    'Address 1 - Postal Code': d.postcode,
    Roles: d.roles.join(MULTI_VALUE),
    Themes: d.themes.join(MULTI_VALUE),
  };
  return CONTACT_CSV_COLUMNS.map((column) => cells[column] ?? '');
}

/**
 * One vCard 3.0 card. An organisation has an empty N and its name as ORG (with Apple's
 * X-ABShowAs, so iPhones and Macs list it by that name); roles are ROLE properties and themes
 * the CATEGORIES list. Skills and consents have no vCard property: skills are in the capacity
 * inventory export.
 */
export function contactVcard(contact: Contact): string {
  const d = contact.data;
  const { given, family, organisation } = nameParts(contact);
  const lines = [`UID:${contact.id}`, `FN:${escapeVcardText(d.name)}`, `N:${escapeVcardText(family)};${escapeVcardText(given)};;;`];
  if (organisation) lines.push(`ORG:${escapeVcardText(organisation)}`, 'X-ABShowAs:COMPANY');
  if (d.email) lines.push(`EMAIL;TYPE=INTERNET:${escapeVcardText(d.email)}`);
  if (d.phone) lines.push(`TEL;TYPE=VOICE:${escapeVcardText(d.phone)}`);
  // ADR: post office box; extended address; street; locality; region; postal code; country.
  if (d.address || d.postcode) lines.push(`ADR;TYPE=HOME:;;${escapeVcardText(d.address)};;;${escapeVcardText(d.postcode)};`);
  for (const role of d.roles) lines.push(`ROLE:${escapeVcardText(role)}`);
  if (d.themes.length > 0) lines.push(`CATEGORIES:${d.themes.map(escapeVcardText).join(',')}`);
  if (d.notes) lines.push(`NOTE:${escapeVcardText(d.notes)}`);
  return vcard(lines);
}

export const CAPACITY_CSV_COLUMNS = ['Person', 'Domain', 'Skill', 'Has', 'Wants to learn', 'Willing to share'] as const;

/** A contact's capacity inventory, a row per skill. */
export function capacityCsvRows(contact: Contact): string[][] {
  return contact.data.skills.map((s) => [contact.data.name, s.domain, s.skill, yesNo(s.has), yesNo(s.wantsToLearn), yesNo(s.willingToShare)]);
}
