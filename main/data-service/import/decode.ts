// An imported file's bytes as text. A byte-order mark names the encoding outright (Excel's
// "Unicode text" is UTF-16 LE with one; its "CSV UTF-8" is UTF-8 with one); otherwise
// chardet judges from the bytes. ISO-8859-1 is read as Windows-1252, its superset, which is
// what a spreadsheet saved as plain "CSV" on Windows is (£, curly quotes and dashes).
import chardet from 'chardet';

export interface DecodedText {
  text: string;
  /** The encoding read, as a person would name it. */
  encoding: 'UTF-8' | 'UTF-16 LE' | 'UTF-16 BE' | 'Windows-1252' | string;
}

const BOMS: { bytes: number[]; label: string; name: DecodedText['encoding'] }[] = [
  { bytes: [0xef, 0xbb, 0xbf], label: 'utf-8', name: 'UTF-8' },
  { bytes: [0xff, 0xfe], label: 'utf-16le', name: 'UTF-16 LE' },
  { bytes: [0xfe, 0xff], label: 'utf-16be', name: 'UTF-16 BE' },
];

// Windows-1252's bytes 0x80–0x9F (curly quotes, dashes, the euro sign). Node's TextDecoder
// reads these as C1 control characters or drops them (ICU's "windows-1252" here is Latin-1),
// so they are mapped from the code page's own table; every other byte is its Latin-1 code point.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    text += String.fromCharCode(...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)));
  }
  return text;
}

const decode = (label: string, bytes: Uint8Array) => (label === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(label).decode(bytes));

/** chardet's names to TextDecoder's labels and the name shown. */
const DETECTED: Record<string, { label: string; name: string }> = {
  'UTF-8': { label: 'utf-8', name: 'UTF-8' },
  'UTF-16LE': { label: 'utf-16le', name: 'UTF-16 LE' },
  'UTF-16BE': { label: 'utf-16be', name: 'UTF-16 BE' },
  'ISO-8859-1': { label: 'windows-1252', name: 'Windows-1252' },
  'windows-1252': { label: 'windows-1252', name: 'Windows-1252' },
};

/** Bytes chardet judges an encoding from. */
const SAMPLE_BYTES = 256 * 1024;

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => bytes[i] === b)) {
      return { text: decode(bom.label, bytes.subarray(bom.bytes.length)), encoding: bom.name };
    }
  }
  // Plain ASCII reads the same in every encoding offered; it is named as UTF-8, what it is
  // valid as. So is any text that is valid UTF-8 throughout: its multi-byte sequences almost
  // never occur by chance in a single-byte code page's text, and checking costs far less than
  // chardet's statistics over a large file. (Zero bytes are UTF-16's, without its mark.)
  if (!bytes.includes(0)) {
    const utf8 = strictUtf8(bytes);
    if (utf8 !== null) return { text: utf8, encoding: 'UTF-8' };
  }
  // chardet ranks every encoding it knows, judging from a sample that starts a little before
  // the first byte outside ASCII (its statistics settle within a few thousand characters; a
  // sample of plain ASCII would say nothing); the best of those this app reads wins. Another
  // single-byte code page (ISO-8859-2 for a short French-looking text) is far less likely in
  // an English team's files than Windows-1252, which reads every byte.
  const from = Math.max(0, bytes.findIndex((b) => b >= 0x80) - 1024);
  const best = chardet.analyse(bytes.subarray(from, from + SAMPLE_BYTES)).find((match) => DETECTED[match.name]);
  const known = DETECTED[best?.name ?? 'windows-1252']!;
  return { text: decode(known.label, bytes), encoding: known.name };
}
