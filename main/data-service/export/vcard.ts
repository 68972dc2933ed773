// vCard 3.0 (RFC 2426 over the directory profile of RFC 2425) as phones, Gmail, Outlook and
// macOS Contacts read it: UTF-8, CRLF line ends, text values escaped, lines folded at 75 octets.

// Control characters have no escape in a text value; they are dropped (line breaks are escaped as \n).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** A text value (or one component of a structured one) with `\`, `,`, `;` and line breaks escaped (RFC 2426 §4). */
export function escapeVcardText(value: string): string {
  return value
    .replace(CONTROL, '')
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const octets = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/**
 * One content line folded so no line is longer than 75 octets (RFC 2425 §5.8.1): each
 * continuation starts with a space, and a break never falls inside a UTF-8 character.
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const width = octets(ch.codePointAt(0)!);
    // The first line holds 75 octets; a continuation 74 after its leading space.
    if (size + width > (lines.length === 0 ? 75 : 74)) {
      lines.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += width;
  }
  lines.push(current);
  return `${lines.join('\r\n ')}\r\n`;
}

/** A card from its content lines (name, parameters and an already escaped value), folded. */
export function vcard(lines: readonly string[]): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD'].map(foldLine).join('');
}
