// A CSV file's text as a header row and data rows, read by papaparse: its delimiter guessed
// among comma, semicolon and tab (a spreadsheet saved in a locale with a decimal comma uses
// semicolons), quoted fields may hold line breaks, blank rows are dropped and ragged rows
// kept as they are (a missing cell reads as empty).
import Papa from 'papaparse';
import { FORMULA_START } from '../export/csv';

/**
 * A cell as it was before an export kept a spreadsheet from running it as a formula: this
 * app's exports (and spreadsheets' own "text" cells) put an apostrophe before = + - @, tab or
 * carriage return; any other leading apostrophe is the cell's own (O'Brien's 'Hut').
 */
const unneutralise = (cell: string) => (cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell);

export interface CsvTable {
  headers: string[];
  /** Data rows, each cell trimmed; `line` is the row's number as a spreadsheet shows it (the header is row 1). */
  rows: { line: number; cells: string[] }[];
  delimiter: ',' | ';' | '\t';
}

export function parseCsv(text: string): CsvTable {
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [',', ';', '\t'], skipEmptyLines: false });
  const delimiter = (parsed.meta.delimiter === ';' || parsed.meta.delimiter === '\t' ? parsed.meta.delimiter : ',') as CsvTable['delimiter'];
  const all = parsed.data;
  const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');
  const headerIndex = all.findIndex((cells) => !isBlank(cells));
  if (headerIndex < 0) return { headers: [], rows: [], delimiter };
  const headers = all[headerIndex]!.map((h) => h.trim());
  const rows: CsvTable['rows'] = [];
  // A spreadsheet numbers rows from 1 and counts the header; a quoted line break is still one row.
  all.forEach((cells, index) => {
    if (index <= headerIndex || isBlank(cells)) return;
    rows.push({ line: index + 1, cells: cells.map((c) => unneutralise(c).trim()) });
  });
  return { headers, rows, delimiter };
}
