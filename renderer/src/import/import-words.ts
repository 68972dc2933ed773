// The words the import screens use for what the data service reports: targets, header sets,
// formats, a batch's state.
import { IMPORT_TARGETS, type HeaderSet, type ImportBatch, type ImportFile, type ImportKind, type ImportTarget } from '../../../shared/rpc-import';
import { formatCount, formatList } from '../../../shared/format';

const TARGET_LABEL: Record<ImportTarget, string> = {
  skip: 'Leave out',
  name: 'Name (whole)',
  givenName: 'First name',
  middleName: 'Middle name',
  familyName: 'Last name',
  organisation: 'Organisation',
  email: 'Email',
  phone: 'Phone',
  address: 'Address (part)',
  postcode: 'Postcode',
  notes: 'Notes',
  themes: 'Themes',
  roles: 'Roles',
  category: 'Category',
  description: 'Description',
  latitude: 'Latitude',
  longitude: 'Longitude',
  availability: 'Opening times',
  date: 'Date',
  time: 'Start time',
  title: 'Session title',
  type: 'Session type',
  venue: 'Venue',
  attendee: 'Attendee’s name',
  present: 'Came (a column per date)',
};
export const targetOptions = (kind: ImportKind) => IMPORT_TARGETS[kind].map((t) => ({ value: t, label: TARGET_LABEL[t] }));

const HEADER_SET_LABEL: Record<HeaderSet, string> = {
  google: 'a Google Contacts export',
  'google-older': 'a Google Contacts export (older format)',
  outlook: 'an Outlook export',
  vcard: 'vCards',
  spreadsheet: 'a spreadsheet: columns matched by their names',
};

const DELIMITER_LABEL = { ',': 'comma-separated', ';': 'semicolon-separated', '\t': 'tab-separated' } as const;

/** "A Google Contacts export, UTF-8, comma-separated: 5 rows." */
export function describeImportFile(file: ImportFile): string {
  const what =
    file.format === 'vcard'
      ? `vCard ${formatList(file.versions)}, ${file.encoding}: ${formatCount(file.rows, 'card')}`
      : `${HEADER_SET_LABEL[file.headerSet]}, ${file.encoding}, ${DELIMITER_LABEL[file.delimiter ?? ',']}: ${formatCount(file.rows, 'row')}`;
  // "vCard" keeps its small v at the start of a sentence.
  return `${file.format === 'vcard' ? what : `${what[0]!.toUpperCase()}${what.slice(1)}`}.`;
}

/** "Row 14" in a CSV (the header is row 1), "Card 3" in a vCard file. */
export const rowWord = (format: ImportFile['format'], line: number) => `${format === 'vcard' ? 'Card' : 'Row'} ${line}`;

export function describeBatch(batch: ImportBatch): string {
  if (batch.kind === 'register') {
    const state = batch.status === 'partial' ? `stopped after ${batch.done.toLocaleString('en-GB')} of ${formatCount(batch.total, 'session')}` : batch.status;
    return `${state}: ${batch.created.toLocaleString('en-GB')} sessions and new contacts created`;
  }
  const parts = [`${batch.created.toLocaleString('en-GB')} created`, `${batch.merged.toLocaleString('en-GB')} merged into existing ${batch.kind}s`, `${batch.skipped.toLocaleString('en-GB')} skipped`];
  const state = batch.status === 'partial' ? `stopped after ${batch.done.toLocaleString('en-GB')} of ${formatCount(batch.total, 'row')}` : batch.status === 'undone' ? 'undone' : 'complete';
  return `${state}: ${parts.join(', ')}`;
}
