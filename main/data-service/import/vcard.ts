// vCard files (2.1, 3.0, 4.0) as rows of one fixed table, so they are mapped and checked
// like a CSV. ical.js reads 3.0 and 4.0; what phones and mail clients write that it cannot
// read is rewritten first by `normaliseVcard`, a small pre-pass: vCard 2.1's bare types
// (`TEL;CELL`) and encodings, QUOTED-PRINTABLE values with a CHARSET and soft line breaks
// (Android, Outlook), folded lines, blank lines between cards, and embedded photos, which
// are left out (and counted, so the preview can say so).
import ICAL from 'ical.js';

/** The columns a vCard becomes; several values in one cell are joined with ` ::: ` as Google Contacts does. */
export const VCARD_COLUMNS = ['Name', 'Given name', 'Middle name', 'Family name', 'Organisation', 'Email', 'Phone', 'Address', 'Postcode', 'Notes', 'Categories', 'Roles'] as const;
export type VcardColumn = (typeof VCARD_COLUMNS)[number];

export interface VcardTable {
  headers: string[];
  rows: { line: number; cells: string[] }[];
  /** vCard versions found, e.g. ['2.1']. */
  versions: string[];
  /** Cards that carried a photo, which is not imported. */
  photos: number;
}

const MULTI = ' ::: ';
/** Properties left out: pictures and sounds are bytes the app has nowhere to keep. */
const DROPPED = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

interface ContentLine {
  group: string;
  name: string;
  params: string[];
  value: string;
}

/** Split `a;b="c;d";e` on the semicolons outside quotes. */
function splitParams(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseLine(line: string): ContentLine | null {
  // The first colon outside a quoted parameter ends the name and parameters.
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  const [head = '', ...params] = splitParams(line.slice(0, colon));
  const dot = head.lastIndexOf('.');
  return { group: dot >= 0 ? head.slice(0, dot) : '', name: head.slice(dot + 1).toUpperCase(), params, value: line.slice(colon + 1) };
}

/** QUOTED-PRINTABLE bytes (after soft breaks are joined) decoded in the card's charset. */
export function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...new TextEncoder().encode(value[i]!));
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** Whether a parameter list says QUOTED-PRINTABLE, as `ENCODING=QUOTED-PRINTABLE` or bare. */
const isQuotedPrintable = (params: string[]) => params.some((p) => /^(ENCODING=)?QUOTED-PRINTABLE$/i.test(p.trim()));

/**
 * Rewrite a vCard file as vCard 3.0 / 4.0 that ical.js reads. Returns the text and how many
 * cards had a photo.
 */
export function normaliseVcard(text: string): { text: string; photos: number } {
  const raw = text.replace(/\r\n?/g, '\n').split('\n');
  // Join continuation lines: RFC folding (a line starting with a space or tab) and
  // quoted-printable soft breaks (a QP line ending in "=": the next line carries on, unindented).
  const logical: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    if ((line.startsWith(' ') || line.startsWith('\t')) && logical.length) {
      logical[logical.length - 1] += line.slice(1);
      continue;
    }
    const head = line.slice(0, line.indexOf(':'));
    if (isQuotedPrintable(splitParams(head))) {
      while (line.endsWith('=') && i + 1 < raw.length) line = line.slice(0, -1) + raw[++i]!;
    }
    logical.push(line);
  }
  const out: string[] = [];
  let photos = 0;
  let cardHasPhoto = false;
  let version = '';
  // The card being read: its number and name, so a card without its END can be named.
  let open: { number: number; name: string } | null = null;
  let cards = 0;
  const unfinished = (card: { number: number; name: string }, why: string) =>
    new Error(`card ${card.number}${card.name ? ` (${card.name})` : ''} has no END:VCARD line ${why}; the file may have been cut off — export it again`);
  for (const line of logical) {
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    if (!parsed) continue; // a stray line (the tail of a 2.1 base64 photo): nothing to read
    const { group, name } = parsed;
    if (name === 'BEGIN') {
      if (open) throw unfinished(open, 'before the next card begins');
      open = { number: ++cards, name: '' };
      cardHasPhoto = false;
    }
    if (name === 'END') open = null;
    if (name === 'FN' && open) open.name = parsed.value.trim();
    if (name === 'VERSION') version = parsed.value.trim();
    if (DROPPED.has(name)) {
      if (name === 'PHOTO' && !cardHasPhoto) photos++;
      cardHasPhoto = true;
      continue;
    }
    let value = parsed.value;
    let charset = 'utf-8';
    let quotedPrintable = false;
    const params: string[] = [];
    for (const param of parsed.params) {
      const [key, ...rest] = param.split('=');
      const upperKey = key!.trim().toUpperCase();
      if (rest.length === 0) {
        // vCard 2.1 names a type or an encoding bare: TEL;CELL;VOICE, NOTE;QUOTED-PRINTABLE.
        if (ENCODINGS.has(upperKey)) quotedPrintable ||= upperKey === 'QUOTED-PRINTABLE';
        else if (upperKey) params.push(`TYPE=${upperKey}`);
        continue;
      }
      const paramValue = rest.join('=');
      if (upperKey === 'CHARSET') charset = paramValue.replace(/"/g, '');
      else if (upperKey === 'ENCODING') quotedPrintable ||= paramValue.toUpperCase() === 'QUOTED-PRINTABLE';
      else params.push(`${upperKey}=${paramValue}`);
    }
    // An 8-bit value in another charset was already decoded with the whole file.
    if (quotedPrintable) value = decodeQuotedPrintable(value, charset).replace(/\r\n?/g, '\n');
    if (version === '2.1' && name !== 'VERSION' && name !== 'BEGIN' && name !== 'END') {
      // 2.1 escapes nothing but ";" in structured values; 3.0 also wants "," and "\" escaped
      // and line breaks written as \n.
      value = value.replace(/\\(?!;)/g, '\\\\').replace(/,/g, '\\,').replace(/\n/g, '\\n');
    } else if (quotedPrintable) value = value.replace(/\n/g, '\\n');
    if (name === 'VERSION' && value.trim() === '2.1') value = '3.0';
    out.push(`${group ? `${group}.` : ''}${name}${params.map((p) => `;${p}`).join('')}:${value}`);
  }
  if (open) throw unfinished(open, 'at the end of the file');
  return { text: out.join('\r\n') + '\r\n', photos };
}

// ical.js unescapes a backslash, a comma and a line break in text, but leaves an escaped semicolon (an escape of structured values) escaped.
const str = (value: unknown): string => (Array.isArray(value) ? value.map(str).join(' ') : value == null ? '' : String(value).replace(/\\;/g, ';')).trim();
const join = (values: string[]) => values.filter(Boolean).join(MULTI);

/** Read a vCard file (already decoded to text) into rows of VCARD_COLUMNS, one per card. */
export function parseVcards(text: string): VcardTable {
  const normalised = normaliseVcard(text);
  const versions = new Set<string>();
  for (const m of text.matchAll(/^VERSION:\s*([0-9.]+)/gim)) versions.add(m[1]!);
  const parsed = ICAL.parse(normalised.text) as unknown;
  // One card parses to a component; several to a list of them.
  const jcards = (Array.isArray(parsed) && parsed[0] === 'vcard' ? [parsed] : (parsed as unknown[])) as unknown[];
  const rows = jcards.map((jcard, index) => {
    const card = new ICAL.Component(jcard as never);
    const all = (name: string) => card.getAllProperties(name);
    const n = (card.getFirstPropertyValue('n') as unknown as string[] | null) ?? [];
    const structured = (index: number) => str(n[index]);
    const addresses = all('adr').map((p) => p.getValues()[0] as unknown as string[]);
    const addressText = (adr: string[]) => [adr[0], adr[1], adr[2], adr[3], adr[4], adr[6]].map(str).filter(Boolean).join(', ');
    const cells: Record<VcardColumn, string> = {
      Name: str(card.getFirstPropertyValue('fn')),
      'Given name': structured(1),
      'Middle name': structured(2),
      'Family name': structured(0),
      Organisation: str(card.getFirstPropertyValue('org')),
      Email: join(all('email').map((p) => str(p.getFirstValue()))),
      Phone: join(all('tel').map((p) => str(p.getFirstValue()).replace(/^tel:/i, ''))),
      Address: join(addresses.map(addressText)),
      Postcode: join(addresses.map((adr) => str(adr[5]))),
      Notes: all('note').map((p) => str(p.getFirstValue())).join('\n'),
      Categories: join(all('categories').flatMap((p) => p.getValues().map(str))),
      Roles: join(all('role').map((p) => str(p.getFirstValue()))),
    };
    return { line: index + 1, cells: VCARD_COLUMNS.map((c) => cells[c]) };
  });
  return { headers: [...VCARD_COLUMNS], rows, versions: [...versions].sort(), photos: normalised.photos };
}
