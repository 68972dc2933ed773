// CSV lines for export files: RFC 4180 quoting by papaparse, CRLF line ends, and cells a
// spreadsheet would run as a formula turned into text.
import Papa from 'papaparse';

/**
 * Cells a spreadsheet would run as a formula (= + - @, and tab or carriage return, which some
 * strip first). papaparse's own pattern ends in `.*$`, which misses a multi-line cell, so the
 * check is on the first character alone. Such a cell gets a leading apostrophe, which
 * spreadsheets show as text; numbers (coordinates) are written as numbers and never changed.
 * The import takes that apostrophe off again (import/csv.ts).
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A byte-order mark: spreadsheet programs then read the file as UTF-8 (names with accents). */
export const CSV_BOM = '\uFEFF';

/** Rows as CSV text, each line ended by CRLF; nothing for no rows. */
export function csvLines(rows: readonly (readonly (string | number)[])[]): string {
  if (rows.length === 0) return '';
  return `${Papa.unparse(rows as (string | number)[][], { escapeFormulae: FORMULA_START, newline: '\r\n' })}\r\n`;
}

/** `Yes` / `No` for a spreadsheet reader. */
export const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
