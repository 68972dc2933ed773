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

/** chardet's names to TextDecoder's labels and the name shown. */
const DETECTED: Record<string, { label: string; name: string }> = {
  'UTF-8': { label: 'utf-8', name: 'UTF-8' },
  'UTF-16LE': { label: 'utf-16le', name: 'UTF-16 LE' },
  'UTF-16BE': { label: 'utf-16be', name: 'UTF-16 BE' },
  'ISO-8859-1': { label: 'windows-1252', name: 'Windows-1252' },
  'windows-1252': { label: 'windows-1252', name: 'Windows-1252' },
};

export function decodeBytes(bytes: Uint8Array): DecodedText {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => bytes[i] === b)) {
      return { text: new TextDecoder(bom.label).decode(bytes.subarray(bom.bytes.length)), encoding: bom.name };
    }
  }
  // chardet ranks every encoding it knows; the best of those this app reads wins. Another
  // single-byte code page (ISO-8859-2 for a short French-looking text) is far less likely in
  // an English team's files than Windows-1252, which reads every byte and reads ASCII as UTF-8 does.
  const best = chardet.analyse(bytes).find((match) => DETECTED[match.name]);
  const known = DETECTED[best?.name ?? 'windows-1252']!;
  return { text: new TextDecoder(known.label).decode(bytes), encoding: known.name };
}
