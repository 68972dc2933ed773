// Importing contacts or assets from a file, as one batch: the file read (vCard or CSV,
// whatever its encoding), its rows mapped to records, duplicates found by the duplicate finder, and the
// rows written through the workspace's own write path (docs, projection, history, sync
// outbox) a chunk per transaction, with the batch's bookkeeping in the same transaction.
// A stop between chunks (Cancel, a crash) leaves a partial batch of whole records that can
// be resumed from the same file or undone.
import { createHash, randomUUID } from 'node:crypto';
import type { AssetCategory, CreateInput, PolicyData } from '../../../shared/domain';
import { RpcError, type DuplicatePair } from '../../../shared/rpc';
import {
  IMPORT_TARGETS,
  type AssetTarget,
  type BatchBasis,
  type ContactTarget,
  type DuplicateDecision,
  type ImportBasis,
  type ImportBatch,
  type ImportDuplicate,
  type ImportFile,
  type ImportKind,
  type ImportPreview,
  type ImportTarget,
  type UndoResult,
  valueText,
} from '../../../shared/rpc-import';
import { findDuplicatesWith } from '../duplicates';
import type { BackgroundScans, ImportScan } from '../duplicates/background';
import { BULK_BATCH_RECORDS, type Workspace } from '../workspace';
import { assetFromRow, guessAssetMapping } from './asset-mapping';
import type { BatchSettings, MergeChange } from './batches';
import { contactFromRow, guessContactMapping, recogniseHeaders } from './contact-mapping';
import type { RowResult } from './row-rules';
import { parseCsv } from './csv';
import { decodeBytes } from './decode';
import { guessRegisterMapping } from './register-mapping';
import { parseVcards } from './vcard';
import { newRecordId } from '../record-id';

/** A file read into memory, waiting to be mapped and imported. */
export interface OpenedFile {
  id: string;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  format: 'csv' | 'vcard';
  encoding: string;
  delimiter: ImportFile['delimiter'];
  versions: string[];
  headers: string[];
  rows: { line: number; cells: string[] }[];
  photos: number;
  /** The rows as drafts under the last mapping asked for: each step of an import reads them again. */
  drafts?: { mapping: string; rows: RowResult<RowKind>[]; byLine: Map<number, RowResult<RowKind>> };
  /** The duplicates last found, with the mapping and the state of the workspace they were found under. */
  duplicates?: { key: string; found: ImportDuplicate[] };
  /** The duplicate check begun when the file was opened, until its rows are sent to it. */
  scan?: ImportScan;
}

/** Files people pick by mistake, known by their first bytes, and what to do instead. */
const NOT_TEXT: { magic: number[]; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a spreadsheet workbook or other zipped file (.xlsx, .ods, .numbers): save it as CSV first (in Excel: File › Save As › CSV UTF-8)' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel workbook (.xls): save it as CSV first (in Excel: File › Save As › CSV UTF-8)' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document: a list printed to PDF cannot be imported; export it from where it came from as CSV or vCard' },
];

/** Control characters other than tab and line breaks: a text file has (almost) none. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export function readImportFile(kind: ImportKind, fileName: string, bytes: Uint8Array): OpenedFile {
  const known = NOT_TEXT.find((f) => f.magic.every((b, i) => bytes[i] === b));
  if (known) throw new RpcError('invalid', `${fileName} is ${known.what}`);
  const { text, encoding } = decodeBytes(bytes);
  const sample = text.slice(0, 4096);
  if ((sample.match(CONTROL)?.length ?? 0) > sample.length / 100) {
    throw new RpcError('invalid', `${fileName} does not look like a text file (it holds binary data): import a CSV file or a vCard (.vcf) file`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base = { id: randomUUID(), kind, fileName, sha256, encoding };
  if (/^\s*BEGIN:VCARD/i.test(text)) {
    if (kind !== 'contact') throw new RpcError('invalid', `${fileName} is a vCard file, which holds people: import it from Contacts`);
    let table;
    try {
      table = parseVcards(text);
    } catch (error) {
      throw new RpcError('invalid', `${fileName} is a vCard file that could not be read: ${(error as Error).message}`);
    }
    return { ...base, format: 'vcard', delimiter: null, versions: table.versions, headers: table.headers, rows: table.rows, photos: table.photos };
  }
  let table;
  try {
    table = parseCsv(text);
  } catch (error) {
    throw new RpcError('invalid', `${fileName} could not be read as CSV: ${(error as Error).message}`);
  }
  if (table.headers.length < 1 || table.rows.length === 0) {
    throw new RpcError('invalid', `${fileName} has no rows to import: it should be a CSV file with a header row, or a vCard (.vcf) file`);
  }
  return { ...base, format: 'csv', delimiter: table.delimiter, versions: [], headers: table.headers, rows: table.rows, photos: 0 };
}

/** A mapping is saved per kind and header set: the same headers in the same order. */
const mappingKey = (file: OpenedFile) => `import_mapping:${file.kind}:${createHash('sha256').update(JSON.stringify(file.headers)).digest('hex').slice(0, 32)}`;

/** A file's columns mapped: a target per column and, for assets, the batch's category. */
export interface ColumnMapping {
  targets: ImportTarget[];
  category?: AssetCategory | null;
}

/** Kinds imported a row per record (a register's rows make sessions and people: register-import.ts). */
export type RowKind = Exclude<ImportKind, 'register'>;

/** What differs between kinds: guessing columns, reading a row, and how a row merges into a stored record. */
const KIND_RULES: {
  [K in RowKind]: {
    guess: (headers: string[]) => ImportTarget[];
    fromRow: (file: OpenedFile, mapping: ColumnMapping, row: OpenedFile['rows'][number]) => RowResult<K>;
    merge: MergeRules;
  };
} = {
  contact: {
    guess: guessContactMapping,
    fromRow: (file, mapping, row) => contactFromRow(file.headers, mapping.targets as ContactTarget[], row.cells, row.line),
    merge: { values: ['email', 'phone', 'address', 'postcode'], sets: ['themes', 'roles'], items: ['consents'], unlessSet: ['lawfulBasis'], text: 'notes' },
  },
  asset: {
    guess: guessAssetMapping,
    fromRow: (_file, mapping, row) => assetFromRow(mapping.targets as AssetTarget[], row.cells, row.line, mapping.category ?? null),
    merge: { values: ['address', 'postcode', 'availability', 'location'], sets: ['themes'], items: [], unlessSet: [], text: 'description' },
  },
};

const SAMPLE_CHARS = 60;

export function describeFile(ws: Workspace, file: OpenedFile): ImportFile {
  const saved = ws.meta.get(mappingKey(file));
  const targets = saved ? (JSON.parse(saved) as ImportTarget[]) : file.kind === 'register' ? guessRegisterMapping(file.headers) : KIND_RULES[file.kind].guess(file.headers);
  return {
    fileId: file.id,
    kind: file.kind,
    fileName: file.fileName,
    format: file.format,
    encoding: file.encoding,
    delimiter: file.delimiter,
    versions: file.versions,
    headerSet: file.kind === 'contact' ? recogniseHeaders(file.headers) : 'spreadsheet',
    headers: file.headers,
    samples: file.headers.map((_, i) => {
      const value = file.rows.find((row) => row.cells[i])?.cells[i] ?? '';
      return value.length > SAMPLE_CHARS ? `${value.slice(0, SAMPLE_CHARS)}…` : value;
    }),
    targets,
    savedMapping: saved !== null,
    rows: file.rows.length,
    photos: file.photos,
    resumable: ws.imports.partialFor(file.sha256),
  };
}

export function saveMapping(ws: Workspace, file: OpenedFile, targets: ImportTarget[]): void {
  checkTargets(file, targets);
  ws.meta.set(mappingKey(file), JSON.stringify(targets));
}

export function checkTargets(file: OpenedFile, targets: ImportTarget[]): void {
  if (targets.length !== file.headers.length) {
    throw new RpcError('invalid', `the mapping has ${targets.length} columns; the file has ${file.headers.length}`, [{ field: 'targets', message: 'must name a target for every column' }]);
  }
  const known = IMPORT_TARGETS[file.kind] as readonly string[];
  const wrong = targets.findIndex((t) => !known.includes(t));
  if (wrong >= 0) throw RpcError.invalid([{ field: `targets.${wrong}`, message: `${file.kind}s have no field ${targets[wrong]}` }]);
}

/** A row and the record it would become. */
type AnyRow = RowResult<RowKind>;

const rowKind = (file: OpenedFile): RowKind => {
  if (file.kind === 'register') throw new Error('a register is read by register-import.ts');
  return file.kind;
};

/** Every row of the file as a draft of its kind, with its problems. */
export function recordRows(file: OpenedFile, mapping: ColumnMapping): AnyRow[] {
  checkTargets(file, mapping.targets);
  const key = JSON.stringify([mapping.targets, mapping.category ?? null]);
  if (file.drafts?.mapping !== key) {
    const rules = KIND_RULES[rowKind(file)];
    const rows = file.rows.map((row) => rules.fromRow(file, mapping, row) as AnyRow);
    file.drafts = { mapping: key, rows, byLine: new Map(rows.map((r) => [r.line, r])) };
  }
  return file.drafts.rows;
}

/** A row of the file by its line, under the mapping recordRows last read it with. */
const rowAt = (file: OpenedFile, line: number) => file.drafts?.byLine.get(line);

const PREVIEW_ROWS = 20;
const PROBLEMS_LISTED = 1000;

export function previewRows(file: OpenedFile, mapping: ColumnMapping): ImportPreview {
  const rows = recordRows(file, mapping);
  const withProblems = rows.filter((r) => r.problems.length);
  return {
    rows: rows.slice(0, PREVIEW_ROWS),
    problems: withProblems.slice(0, PROBLEMS_LISTED),
    problemRows: withProblems.length,
    importable: rows.filter((r) => r.data).length,
    unreadable: rows.filter((r) => !r.data).length,
  };
}

/**
 * Rows that look like a record already in the workspace or like an earlier row of the same
 * file, by the duplicate finder's scan over the workspace's records and the rows together. A
 * row is listed once, with its likeliest match; an existing record comes before a row.
 * Kept with the file until the workspace or the mapping changes: starting the import reads
 * the same list the user decided on, without finding it again. Found here, on this thread;
 * the dialog asks `findImportDuplicatesInBackground`, which leaves this thread free.
 */
export function findImportDuplicates(ws: Workspace, file: OpenedFile, mapping: ColumnMapping): ImportDuplicate[] {
  const check = duplicateCheck(ws, file, mapping);
  return check.found ?? check.list(findDuplicatesWith(ws, rowKind(file), check.records(), { limit: Number.MAX_SAFE_INTEGER }));
}

/**
 * The same list, found by the scan begun when the file was opened (`file.scan`, which has
 * read the workspace's records meanwhile) if the workspace has not changed since, or else by
 * a new one; in a thread of its own either way where the workspace is a file.
 */
export async function findImportDuplicatesInBackground(ws: Workspace, file: OpenedFile, mapping: ColumnMapping, scans: BackgroundScans): Promise<ImportDuplicate[]> {
  const check = duplicateCheck(ws, file, mapping);
  if (check.found) return check.found;
  const begun = file.scan;
  file.scan = undefined;
  const scan = begun?.usable() && begun.changesAt === ws.changeCount() ? begun : (begun?.cancel(), scans.beginImport(ws, rowKind(file)));
  const options = { limit: Number.MAX_SAFE_INTEGER };
  const records = check.records();
  return check.list(scan ? await scan.compare(records, options) : findDuplicatesWith(ws, rowKind(file), records, options));
}

/** What an import's duplicate check compares, its list if already found, and how pairs become that list (kept with the file). */
function duplicateCheck(ws: Workspace, file: OpenedFile, mapping: ColumnMapping) {
  const rows = recordRows(file, mapping).filter((r): r is AnyRow & { data: CreateInput<RowKind> } => r.data !== null);
  // Every write of the data service goes through this connection, so its change count says whether the workspace changed.
  const key = JSON.stringify([file.drafts!.mapping, ws.changeCount()]);
  const list = (pairs: DuplicatePair[]): ImportDuplicate[] => {
    const byRef = new Map(rows.map((r) => [`row ${r.line}`, r]));
    const found = new Map<number, ImportDuplicate>();
    const describe = (row: (typeof rows)[number], match: ImportDuplicate['match'], pair: DuplicatePair) =>
      found.set(row.line, { line: row.line, title: row.data.name, match, score: pair.score, reasons: pair.reasons });
    // Pairs come most alike first: a row's first pair with a stored record is its likeliest.
    for (const pair of pairs) {
      const [a, b] = [byRef.get(pair.a.id), byRef.get(pair.b.id)];
      const row = a ?? b!;
      if ((a && b) || found.has(row.line)) continue;
      describe(row, { existing: a ? pair.b : pair.a }, pair);
    }
    for (const pair of pairs) {
      const [a, b] = [byRef.get(pair.a.id), byRef.get(pair.b.id)];
      if (!a || !b) continue;
      // The later row is the duplicate of the earlier one.
      const [earlier, later] = a.line < b.line ? [a, b] : [b, a];
      if (!found.has(later.line)) describe(later, { row: earlier.line, title: earlier.data.name }, pair);
    }
    const sorted = [...found.values()].sort((x, y) => x.line - y.line);
    file.duplicates = { key, found: sorted };
    return sorted;
  };
  return {
    found: file.duplicates?.key === key ? file.duplicates.found : null,
    // Made only when the list is to be found (starting an import reads the list kept).
    records: () => rows.map((r) => ({ ref: { id: `row ${r.line}`, title: r.data.name, subtitle: '' }, data: r.data })),
    list,
  };
}

/**
 * The batch's basis checked against the workspace's privacy settings and read as they name
 * it now: each purpose with its name and a wording version it has (shown on or before the day
 * consent was given), or the lawful basis's name. Refused, naming the field, where the
 * settings do not know it (they may have changed since the dialog read them).
 */
export function resolveBasis(basis: ImportBasis, policy: PolicyData): BatchBasis {
  if (basis.ground === 'lawful-basis') {
    const known = policy.lawfulBases.find((b) => b.id === basis.basisId);
    if (!known) throw RpcError.invalid([{ field: 'basis.basisId', message: 'is not one of the lawful bases in the privacy settings (they may have changed): choose one again' }]);
    return { ...basis, basis: known.name };
  }
  const purposes = basis.purposes.map(({ purposeId, wordingVersion }, i) => {
    const purpose = policy.purposes.find((p) => p.id === purposeId);
    if (!purpose) throw RpcError.invalid([{ field: `basis.purposes.${i}.purposeId`, message: 'is not one of the consent purposes in the privacy settings (they may have changed): choose again' }]);
    const wording = purpose.versions.find((v) => v.label === wordingVersion);
    if (!wording) throw RpcError.invalid([{ field: `basis.purposes.${i}.wordingVersion`, message: `is not a wording of “${purpose.name}”: choose one of ${purpose.versions.map((v) => v.label).join(', ')}` }]);
    if (wording.from > basis.givenAt) throw RpcError.invalid([{ field: `basis.purposes.${i}.wordingVersion`, message: `was first shown on ${wording.from}, after the day consent was given (${basis.givenAt})` }]);
    return { purposeId, purpose: purpose.name, wordingVersion };
  });
  return { ...basis, purposes };
}

/**
 * The batch's basis applied to one contact: the one place it is written, so the rule can
 * change in one place. Consent: an entry per purpose, as the contact page records one. A
 * lawful basis: the contact's, since the batch's date, with the batch's statement as its note.
 */
export function withBatchBasis(data: CreateInput<'contact'>, basis: BatchBasis): CreateInput<'contact'> {
  if (basis.ground === 'lawful-basis') return { ...data, lawfulBasis: { basis: basis.basis, since: basis.since, note: basis.statement } };
  const consents = basis.purposes.map(({ purposeId, purpose, wordingVersion }) => ({
    id: randomUUID(),
    purposeId,
    purpose,
    wordingVersion,
    givenAt: basis.givenAt,
    method: basis.method,
    renewedAt: null,
    withdrawnAt: null,
  }));
  return { ...data, consents: [...(data.consents ?? []), ...consents] };
}

/** How a row merges into a stored record of its kind. */
interface MergeRules {
  /** Plain values: an empty one takes the row's; a different one goes to `text`. */
  values: string[];
  /** Sets the row's members are added to. */
  sets: string[];
  /** Collections the row's items are added to (the batch's consents). */
  items: string[];
  /** Values taken only where the record has none: a lawful basis already recorded stays (the batch keeps its own). */
  unlessSet: string[];
  /** The free text the row's own text is appended to. */
  text: string;
}

const isEmpty = (value: unknown) => value === '' || value === null || value === undefined;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a row adds to a stored record: an empty field takes the row's value, a different value
 * goes to its free text, set members and collection items are added, the row's own text is
 * appended; the name, type and category stay. Returns the patch and each change as undo needs it.
 */
export function mergePatch(rules: MergeRules, existing: Record<string, unknown>, row: Record<string, unknown>): { patch: Record<string, unknown>; changes: MergeChange[] } {
  const patch: Record<string, unknown> = {};
  const changes: MergeChange[] = [];
  const others: string[] = [];
  for (const field of rules.values) {
    const value = row[field];
    if (isEmpty(value) || same(value, existing[field])) continue;
    if (isEmpty(existing[field])) {
      patch[field] = value;
      changes.push({ field, kind: 'value', before: existing[field], after: value });
    } else others.push(`Other ${field}: ${valueText(value)}`);
  }
  const text = [row[rules.text], ...others].filter((t) => !isEmpty(t)).join('\n');
  if (text) {
    const after = [existing[rules.text], text].filter((t) => !isEmpty(t)).join('\n\n');
    patch[rules.text] = after;
    changes.push({ field: rules.text, kind: 'value', before: existing[rules.text], after });
  }
  for (const field of rules.unlessSet) {
    if (isEmpty(row[field]) || !isEmpty(existing[field])) continue;
    patch[field] = row[field];
    changes.push({ field, kind: 'value', before: existing[field], after: row[field] });
  }
  for (const field of rules.sets) {
    const have = (existing[field] ?? []) as string[];
    const added = ((row[field] ?? []) as string[]).filter((v) => !have.includes(v));
    if (!added.length) continue;
    patch[field] = [...have, ...added];
    changes.push({ field, kind: 'set', added });
  }
  for (const field of rules.items) {
    const items = (row[field] ?? []) as { id: string }[];
    if (!items.length) continue;
    patch[field] = [...((existing[field] ?? []) as { id: string }[]), ...items];
    for (const item of items) changes.push({ field, kind: 'item', id: item.id });
  }
  return { patch, changes };
}

/** Fold a later row of the file into an earlier one: the same rule as a merge into a stored record. */
function fold(kind: RowKind, into: Record<string, unknown>, row: Record<string, unknown>): Record<string, unknown> {
  return { ...into, ...mergePatch(KIND_RULES[kind].merge, into, row).patch };
}

export interface StartImport extends ColumnMapping {
  basis: ImportBasis | null;
  defaultDecision: DuplicateDecision;
  decisions: Record<string, DuplicateDecision>;
}

export class RecordImports {
  /** `stepRecords`: records created per step, each step one transaction (smaller in tests, to stop between steps). */
  constructor(
    private readonly ws: Workspace,
    private readonly stepRecords = BULK_BATCH_RECORDS,
  ) {}

  /** Record a new batch and its plan: what each duplicate row will do, decided now from the duplicates now found. */
  start(file: OpenedFile, options: StartImport): ImportBatch {
    if (file.kind === 'contact' && !options.basis) {
      throw RpcError.invalid([{ field: 'basis.statement', message: 'is required: say on what basis these people are recorded' }]);
    }
    const plan: BatchSettings['plan'] = {};
    for (const duplicate of findImportDuplicates(this.ws, file, options)) {
      const decision = options.decisions[String(duplicate.line)] ?? options.defaultDecision;
      if (decision === 'create') continue;
      if (decision === 'skip') plan[duplicate.line] = { skip: true };
      else plan[duplicate.line] = 'existing' in duplicate.match ? { mergeInto: duplicate.match.existing.id } : { foldInto: duplicate.match.row };
    }
    const id = randomUUID();
    this.ws.imports.create({
      id,
      kind: file.kind,
      fileName: file.fileName,
      sha256: file.sha256,
      settings: { targets: options.targets, category: options.category ?? null, basis: file.kind === 'contact' && options.basis ? resolveBasis(options.basis, this.ws.records.policy()) : null, plan },
      total: file.rows.length,
      startedAt: new Date().toISOString(),
    });
    return this.summary(id);
  }

  summary(id: string): ImportBatch {
    return this.ws.imports.summary(id) ?? this.batch(id);
  }

  private batch(id: string) {
    const batch = this.ws.imports.get(id);
    if (!batch) throw new RpcError('not_found', `no import batch with id ${id}`);
    return batch;
  }

  /** Check that a partial batch can go on with this file. */
  resume(file: OpenedFile, batchId: string): ImportBatch {
    this.resumable(file, batchId);
    return this.summary(batchId);
  }

  resumable(file: OpenedFile, batchId: string) {
    const batch = this.batch(batchId);
    if (batch.kind !== file.kind) throw new RpcError('invalid', `${file.fileName} was opened to import as ${file.kind}; this import was started from the ${batch.kind === 'contact' ? 'Contacts' : batch.kind === 'asset' ? 'Assets' : 'Sessions'} screen: choose it there`);
    if (batch.status !== 'partial') throw new RpcError('conflict', `this import is ${batch.status}; only a partial import can be resumed`);
    if (batch.sha256 !== file.sha256) throw new RpcError('invalid', `${file.fileName} is not the file this import was started from (${batch.fileName}): choose that same file`);
    return batch;
  }

  /**
   * Import the next rows (those that create up to `stepRecords` records) in one
   * transaction: the records through the bulk write path, and in the same transaction the
   * batch's account of them, the merges into stored records and the batch's progress.
   * Returns the batch as it now stands. One call is one step, so the renderer shows progress
   * and can stop (Cancel) between steps: the data service cannot hear a message mid-call.
   */
  step(file: OpenedFile, batchId: string): ImportBatch {
    const batch = this.resumable(file, batchId);
    const { targets, category, basis, plan } = batch.settings;
    const kind = rowKind(file);
    const rows = recordRows(file, { targets, category });
    // Rows folded into an earlier row travel with it.
    const foldedInto = new Map<number, number[]>();
    for (const [line, fate] of Object.entries(plan)) {
      if ('foldInto' in fate) foldedInto.set(fate.foldInto, [...(foldedInto.get(fate.foldInto) ?? []), Number(line)]);
    }
    const creates: { line: number; id: string; data: CreateInput<RowKind> }[] = [];
    const merges: { line: number; into: string; data: Record<string, unknown> }[] = [];
    let skipped = 0;
    let end = batch.done;
    for (; end < rows.length && creates.length < this.stepRecords; end++) {
      const row = rows[end]!;
      const fate = plan[row.line];
      if (!row.data || (fate && 'skip' in fate)) {
        skipped++;
        continue;
      }
      if (fate && 'foldInto' in fate) continue; // written with the row it was folded into
      let data = row.data as Record<string, unknown>;
      for (const later of foldedInto.get(row.line) ?? []) {
        const laterData = rowAt(file, later)?.data;
        if (laterData) data = fold(kind, data, laterData as Record<string, unknown>);
      }
      if (kind === 'contact' && basis) data = withBatchBasis(data as CreateInput<'contact'>, basis);
      // The record chosen to merge into may have been deleted since the import began: the row is then created.
      const into = fate && 'mergeInto' in fate ? this.ws.resolveId(fate.mergeInto) : null;
      if (into && this.ws.records.brief(into)?.status === 'active') merges.push({ line: row.line, into, data });
      else creates.push({ line: row.line, id: newRecordId(), data: data as CreateInput<RowKind> });
    }
    const account = () => {
      for (const c of creates) {
        this.ws.imports.addRecord(batchId, c.line, c.id, 'created');
        for (const later of foldedInto.get(c.line) ?? []) this.ws.imports.addRecord(batchId, later, c.id, 'folded');
      }
      for (const m of merges) {
        const existing = this.ws.get(kind, m.into);
        const { patch, changes } = mergePatch(KIND_RULES[kind].merge, existing.data as Record<string, unknown>, m.data);
        if (Object.keys(patch).length) this.ws.update(kind, m.into, patch);
        this.ws.imports.addRecord(batchId, m.line, m.into, 'merged', changes);
        for (const later of foldedInto.get(m.line) ?? []) this.ws.imports.addRecord(batchId, later, m.into, 'folded');
      }
      this.ws.imports.progress(batchId, end, skipped, end >= rows.length ? 'complete' : 'partial');
    };
    // The step's records are one batch of createMany; a step with none still records its merges and progress.
    this.ws.transaction(() => (creates.length ? this.ws.createMany(kind, creates, { batchSize: this.stepRecords, inEachBatch: account }) : account()));
    return this.summary(batchId);
  }

  /**
   * Undo a batch: soft-delete the records it created and put back what its merges changed
   * and nobody has changed since. Edits made since stay and are listed.
   */
  undo(batchId: string): UndoResult {
    const batch = this.batch(batchId);
    if (batch.status === 'undone') throw new RpcError('conflict', 'this import has already been undone');
    const kept: string[] = [];
    let removed = 0;
    let reverted = 0;
    this.ws.transaction(() => {
      for (const entry of this.ws.imports.records(batchId)) {
        if (entry.action === 'folded') continue;
        const brief = this.ws.records.brief(entry.recordId);
        const kind = this.ws.docKind(entry.recordId);
        if (!brief || !kind) continue;
        if (entry.action === 'created') {
          const record = this.ws.get(kind, entry.recordId);
          if (record.updatedAt !== record.createdAt) kept.push(`${brief.title} was edited after the import; it is removed with those edits (restore it from its page if needed)`);
          if (brief.status === 'merged') kept.push(`${brief.title} had been merged into ${this.ws.titleOf(brief.mergedInto!)}; that merge stays`);
          if (!record.deletedAt) {
            this.ws.delete(kind, entry.recordId);
            removed++;
          }
          continue;
        }
        const current = this.ws.get(kind, entry.recordId);
        if (current.deletedAt) {
          kept.push(`${brief.title} was deleted after the import; nothing was put back`);
          continue;
        }
        const patch: Record<string, unknown> = {};
        for (const change of entry.changes ?? []) {
          const now = (current.data as Record<string, unknown>)[change.field];
          if (change.kind === 'value') {
            if (same(now, change.after)) patch[change.field] = change.before;
            else kept.push(`${brief.title}: ${change.field} was changed after the import; the new value stays`);
          } else if (change.kind === 'set') {
            patch[change.field] = (now as string[]).filter((v) => !change.added.includes(v));
          } else {
            patch[change.field] = ((patch[change.field] ?? now) as { id: string }[]).filter((item) => item.id !== change.id);
          }
        }
        if (Object.keys(patch).length) {
          this.ws.update(kind, entry.recordId, patch);
          reverted++;
        }
      }
      this.ws.imports.setStatus(batchId, 'undone');
    });
    return { removed, reverted, kept };
  }
}
