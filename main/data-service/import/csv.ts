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

/** Excel's hint on a file's first line naming its delimiter ("sep=;"): not a row of the table. */
const SEPARATOR_LINE = /^sep=([,;\t])[ \t]*\r?\n/i;

/** Read CSV text; an Error names a quoted cell that never closes (it would swallow every row after it). */
export function parseCsv(text: string): CsvTable {
  const hint = SEPARATOR_LINE.exec(text);
  const body = hint ? text.slice(hint[0].length) : text;
  const parsed = Papa.parse<string[]>(body, hint ? { delimiter: hint[1], skipEmptyLines: false } : { delimitersToGuess: [',', ';', '\t'], skipEmptyLines: false });
  const unclosed = parsed.errors.find((e) => e.code === 'MissingQuotes');
  if (unclosed) {
    throw new Error(`row ${(unclosed.row ?? 0) + 1} has a quoted cell whose closing quote (") is missing, so every row after it would be read into that one cell`);
  }
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
