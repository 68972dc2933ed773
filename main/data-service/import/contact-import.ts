// Importing contacts from a file, as one batch: the file read (vCard or CSV, whatever its
// encoding), its rows mapped to contacts, duplicates found by the duplicate finder, and the
// rows written through the workspace's own write path (docs, projection, history, sync
// outbox) a chunk per transaction, with the batch's bookkeeping in the same transaction.
// A stop between chunks (Cancel, a crash) leaves a partial batch of whole records that can
// be resumed from the same file or undone.
import { createHash, randomUUID } from 'node:crypto';
import type { ContactData, CreateInput } from '../../../shared/domain';
import { RpcError } from '../../../shared/rpc';
import type { ContactTarget, DuplicateDecision, ImportBasis, ImportBatch, ImportDuplicate, ImportFile, ImportPreview, UndoResult } from '../../../shared/rpc-import';
import { findDuplicatesAmong, findLikelyMatches } from '../duplicates';
import type { Workspace } from '../workspace';
import type { BatchSettings, MergeChange } from './batches';
import { contactFromRow, guessContactMapping, recogniseHeaders, type ContactRowResult } from './contact-mapping';
import { parseCsv } from './csv';
import { decodeBytes } from './decode';
import { parseVcards } from './vcard';

/** A file read into memory, waiting to be mapped and imported. */
export interface OpenedFile {
  id: string;
  fileName: string;
  sha256: string;
  format: 'csv' | 'vcard';
  encoding: string;
  delimiter: ImportFile['delimiter'];
  versions: string[];
  headers: string[];
  rows: { line: number; cells: string[] }[];
  photos: number;
}

export function readImportFile(fileName: string, bytes: Uint8Array): OpenedFile {
  const { text, encoding } = decodeBytes(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base = { id: randomUUID(), fileName, sha256, encoding };
  if (/^\s*BEGIN:VCARD/i.test(text)) {
    let table;
    try {
      table = parseVcards(text);
    } catch (error) {
      throw new RpcError('invalid', `${fileName} is a vCard file that could not be read: ${(error as Error).message}`);
    }
    return { ...base, format: 'vcard', delimiter: null, versions: table.versions, headers: table.headers, rows: table.rows, photos: table.photos };
  }
  const table = parseCsv(text);
  if (table.headers.length < 1 || table.rows.length === 0) {
    throw new RpcError('invalid', `${fileName} has no rows to import: it should be a CSV file with a header row, or a vCard (.vcf) file`);
  }
  return { ...base, format: 'csv', delimiter: table.delimiter, versions: [], headers: table.headers, rows: table.rows, photos: 0 };
}

/** A mapping is saved per header set: the same headers in the same order. */
const mappingKey = (headers: string[]) => `import_mapping:${createHash('sha256').update(JSON.stringify(headers)).digest('hex').slice(0, 32)}`;

const SAMPLE_CHARS = 60;

export function describeFile(ws: Workspace, file: OpenedFile): ImportFile {
  const saved = ws.meta.get(mappingKey(file.headers));
  const targets = saved ? (JSON.parse(saved) as ContactTarget[]) : guessContactMapping(file.headers);
  return {
    fileId: file.id,
    fileName: file.fileName,
    format: file.format,
    encoding: file.encoding,
    delimiter: file.delimiter,
    versions: file.versions,
    headerSet: recogniseHeaders(file.headers),
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

export function saveMapping(ws: Workspace, file: OpenedFile, targets: ContactTarget[]): void {
  checkTargets(file, targets);
  ws.meta.set(mappingKey(file.headers), JSON.stringify(targets));
}

function checkTargets(file: OpenedFile, targets: ContactTarget[]): void {
  if (targets.length !== file.headers.length) {
    throw new RpcError('invalid', `the mapping has ${targets.length} columns; the file has ${file.headers.length}`, [{ field: 'targets', message: 'must name a target for every column' }]);
  }
}

/** Every row of the file as a contact draft, with its problems. */
export function contactRows(file: OpenedFile, targets: ContactTarget[]): ContactRowResult[] {
  checkTargets(file, targets);
  return file.rows.map((row) => contactFromRow(file.headers, targets, row.cells, row.line));
}

const PREVIEW_ROWS = 20;
const PROBLEMS_LISTED = 1000;

export function previewContacts(file: OpenedFile, targets: ContactTarget[]): ImportPreview {
  const rows = contactRows(file, targets);
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
 * Rows that look like a contact already in the workspace (the finder's check at entry, per
 * row) or like an earlier row of the same file (the finder's scan, over the rows). A row is
 * listed once, with its likeliest match; an existing contact comes before a row.
 */
export function findImportDuplicates(ws: Workspace, file: OpenedFile, targets: ContactTarget[]): ImportDuplicate[] {
  const rows = contactRows(file, targets).filter((r): r is ContactRowResult & { data: CreateInput<'contact'> } => r.data !== null);
  const byLine = new Map(rows.map((r) => [r.line, r]));
  const found = new Map<number, ImportDuplicate>();
  for (const row of rows) {
    const [match] = findLikelyMatches(ws, 'contact', row.data, { limit: 1 });
    if (match) found.set(row.line, { line: row.line, title: row.data.name, match: { existing: match.record }, score: match.score, reasons: match.reasons });
  }
  const key = (line: number) => String(line).padStart(10, '0');
  const pairs = findDuplicatesAmong(
    'contact',
    rows.map((r) => ({ ref: { id: key(r.line), title: r.data.name, subtitle: '' }, data: r.data })),
    { limit: 100_000 },
  );
  for (const pair of pairs) {
    // The later row is the duplicate of the earlier one (ids are zero-padded lines: a sorts first).
    const [earlier, later] = [Number(pair.a.id), Number(pair.b.id)];
    if (found.has(later)) continue;
    found.set(later, { line: later, title: byLine.get(later)!.data.name, match: { row: earlier, title: byLine.get(earlier)!.data.name }, score: pair.score, reasons: pair.reasons });
  }
  return [...found.values()].sort((a, b) => a.line - b.line);
}

/**
 * The batch's lawful basis applied to one contact: the one place it is written, so the rule
 * can change in one place. Today it is a consent entry in the batch's words.
 */
export function withBatchBasis(data: CreateInput<'contact'>, basis: ImportBasis, consentId: string): CreateInput<'contact'> {
  const consent = { id: consentId, purpose: basis.statement, wordingVersion: basis.wordingVersion, givenAt: basis.givenAt, method: basis.method, withdrawnAt: null };
  return { ...data, consents: [...(data.consents ?? []), consent] };
}

const MERGED_VALUES = ['email', 'phone', 'address', 'postcode'] as const;

/**
 * What a row adds to an existing contact: an empty field takes the row's value, a different
 * value goes to the notes, themes and roles are added, the row's notes are appended; the name
 * and type stay. Returns the patch and each change as undo needs it.
 */
export function mergePatch(existing: ContactData, row: CreateInput<'contact'>): { patch: Partial<ContactData>; changes: MergeChange[] } {
  const patch: Partial<ContactData> = {};
  const changes: MergeChange[] = [];
  const notes: string[] = [];
  for (const field of MERGED_VALUES) {
    const value = row[field] ?? '';
    if (!value || value === existing[field]) continue;
    if (!existing[field]) {
      patch[field] = value;
      changes.push({ field, kind: 'value', before: existing[field], after: value });
    } else notes.push(`Other ${field}: ${value}`);
  }
  if (row.notes) notes.unshift(row.notes);
  if (notes.length) {
    const after = [existing.notes, notes.join('\n')].filter(Boolean).join('\n\n');
    patch.notes = after;
    changes.push({ field: 'notes', kind: 'value', before: existing.notes, after });
  }
  for (const field of ['themes', 'roles'] as const) {
    const added = (row[field] ?? []).filter((v) => !(existing[field] as string[]).includes(v));
    if (!added.length) continue;
    (patch as Record<string, unknown>)[field] = [...existing[field], ...added];
    changes.push({ field, kind: 'set', added });
  }
  const consents = row.consents ?? [];
  if (consents.length) {
    patch.consents = [...existing.consents, ...consents];
    for (const c of consents) changes.push({ field: 'consents', kind: 'item', id: c.id });
  }
  return { patch, changes };
}

/** Fold a later row of the file into an earlier one: the same rule as a merge into a stored contact. */
function fold(into: CreateInput<'contact'>, row: CreateInput<'contact'>): CreateInput<'contact'> {
  const existing = { type: 'person', roles: [], themes: [], skills: [], consents: [], email: '', phone: '', address: '', postcode: '', notes: '', ...into } as ContactData;
  return { ...into, ...mergePatch(existing, row).patch };
}

export interface StartImport {
  targets: ContactTarget[];
  basis: ImportBasis;
  defaultDecision: DuplicateDecision;
  decisions: Record<string, DuplicateDecision>;
}

/** Rows written per transaction: each chunk is stored whole or not at all. */
export const CHUNK_ROWS = 200;

export class ContactImports {
  constructor(private readonly ws: Workspace) {}

  /** Record a new batch and its plan: what each duplicate row will do, decided now from the duplicates now found. */
  start(file: OpenedFile, options: StartImport): ImportBatch {
    const plan: BatchSettings['plan'] = {};
    for (const duplicate of findImportDuplicates(this.ws, file, options.targets)) {
      const decision = options.decisions[String(duplicate.line)] ?? options.defaultDecision;
      if (decision === 'create') continue;
      if (decision === 'skip') plan[duplicate.line] = { skip: true };
      else plan[duplicate.line] = 'existing' in duplicate.match ? { mergeInto: duplicate.match.existing.id } : { foldInto: duplicate.match.row };
    }
    const id = randomUUID();
    this.ws.imports.create({
      id,
      fileName: file.fileName,
      sha256: file.sha256,
      settings: { targets: options.targets, basis: options.basis, plan },
      total: file.rows.length,
      startedAt: new Date().toISOString(),
    });
    return this.summary(id);
  }

  private summary(id: string): ImportBatch {
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

  private resumable(file: OpenedFile, batchId: string) {
    const batch = this.batch(batchId);
    if (batch.status !== 'partial') throw new RpcError('conflict', `this import is ${batch.status}; only a partial import can be resumed`);
    if (batch.sha256 !== file.sha256) throw new RpcError('invalid', `${file.fileName} is not the file this import was started from (${batch.fileName}): choose that same file`);
    return batch;
  }

  /** Import the next chunk of rows in one transaction; returns the batch as it now stands. */
  step(file: OpenedFile, batchId: string): ImportBatch {
    const batch = this.resumable(file, batchId);
    const { targets, basis, plan } = batch.settings;
    const rows = contactRows(file, targets as ContactTarget[]);
    const byLine = new Map(rows.map((r) => [r.line, r]));
    // Rows folded into an earlier row travel with it.
    const foldedInto = new Map<number, number[]>();
    for (const [line, fate] of Object.entries(plan)) {
      if ('foldInto' in fate) foldedInto.set(fate.foldInto, [...(foldedInto.get(fate.foldInto) ?? []), Number(line)]);
    }
    const chunk = rows.slice(batch.done, batch.done + CHUNK_ROWS);
    const end = batch.done + chunk.length;
    this.ws.transaction(() => {
      const creates: { line: number; id: string; data: CreateInput<'contact'> }[] = [];
      const merges: { line: number; into: string; data: CreateInput<'contact'> }[] = [];
      let skipped = 0;
      for (const row of chunk) {
        const fate = plan[row.line];
        if (!row.data || (fate && 'skip' in fate)) {
          skipped++;
          continue;
        }
        if (fate && 'foldInto' in fate) continue; // written with the row it was folded into
        let data = row.data;
        for (const later of foldedInto.get(row.line) ?? []) {
          const laterData = byLine.get(later)?.data;
          if (laterData) data = fold(data, laterData);
        }
        data = withBatchBasis(data, basis, randomUUID());
        if (fate && 'mergeInto' in fate) merges.push({ line: row.line, into: fate.mergeInto, data });
        else creates.push({ line: row.line, id: randomUUID(), data });
      }
      this.ws.createMany('contact', creates.map(({ id, data }) => ({ id, data })));
      for (const c of creates) {
        this.ws.imports.addRecord(batchId, c.line, c.id, 'created');
        for (const later of foldedInto.get(c.line) ?? []) this.ws.imports.addRecord(batchId, later, c.id, 'folded');
      }
      for (const m of merges) {
        const into = this.ws.resolveId(m.into);
        const existing = this.ws.get('contact', into);
        const { patch, changes } = mergePatch(existing.data, m.data);
        if (Object.keys(patch).length) this.ws.update('contact', into, patch);
        this.ws.imports.addRecord(batchId, m.line, into, 'merged', changes);
        for (const later of foldedInto.get(m.line) ?? []) this.ws.imports.addRecord(batchId, later, into, 'folded');
      }
      this.ws.imports.progress(batchId, end, skipped, end >= rows.length ? 'complete' : 'partial');
    });
    return this.summary(batchId);
  }

  /**
   * Undo a batch: soft-delete the contacts it created and put back what its merges changed
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
        if (!brief) continue;
        if (entry.action === 'created') {
          const record = this.ws.get('contact', entry.recordId);
          if (record.updatedAt !== record.createdAt) kept.push(`${brief.title} was edited after the import; it is removed with those edits (restore it from its page if needed)`);
          if (brief.status === 'merged') kept.push(`${brief.title} had been merged into ${this.ws.titleOf(brief.mergedInto!)}; that merge stays`);
          if (!record.deletedAt) {
            this.ws.delete('contact', entry.recordId);
            removed++;
          }
          continue;
        }
        const current = this.ws.get('contact', entry.recordId);
        if (current.deletedAt) {
          kept.push(`${brief.title} was deleted after the import; nothing was put back`);
          continue;
        }
        const patch: Record<string, unknown> = {};
        for (const change of entry.changes ?? []) {
          const now = (current.data as Record<string, unknown>)[change.field];
          if (change.kind === 'value') {
            if (now === change.after) patch[change.field] = change.before;
            else kept.push(`${brief.title}: ${change.field} was changed after the import; the new value stays`);
          } else if (change.kind === 'set') {
            patch[change.field] = (now as string[]).filter((v) => !change.added.includes(v));
          } else {
            patch[change.field] = ((patch[change.field] ?? now) as { id: string }[]).filter((item) => item.id !== change.id);
          }
        }
        if (Object.keys(patch).length) {
          this.ws.update('contact', entry.recordId, patch);
          reverted++;
        }
      }
      this.ws.imports.setStatus(batchId, 'undone');
    });
    return { removed, reverted, kept };
  }
}
