// The import's part of the RPC contract: a file of contacts or assets read and mapped, previewed, checked for
// duplicates, and imported as one batch (which can be resumed after a stop, or undone).
// Listed in RPC_AREAS by shared/rpc.ts.
import { z } from 'zod';
import { ASSET_CATEGORIES } from './kinds/asset';
import { CONSENT_METHODS } from './kinds/contact';
import { SESSION_TYPES } from './kinds/session';
import { isoDate, recordId, requiredText, text } from './kinds/field-types';
import type { DuplicateRecordRef } from './rpc-duplicates';
import { returns } from './rpc-area';

/** What a column of a contacts file can become. Several columns may share one (emails, address parts). */
export const CONTACT_TARGETS = [
  'skip',
  'name',
  'givenName',
  'middleName',
  'familyName',
  'organisation',
  'email',
  'phone',
  'address',
  'postcode',
  'notes',
  'themes',
  'roles',
] as const;
export type ContactTarget = (typeof CONTACT_TARGETS)[number];

/** What a column of an assets file can become. */
export const ASSET_TARGETS = ['skip', 'name', 'category', 'description', 'address', 'postcode', 'latitude', 'longitude', 'themes', 'availability'] as const;
export type AssetTarget = (typeof ASSET_TARGETS)[number];

/**
 * What a column of an attendance register can become: one row per attendee (date, session,
 * attendee), or one row per person with a column per date (`present`: its header is the date,
 * a mark in the cell says they came).
 */
export const REGISTER_TARGETS = ['skip', 'date', 'time', 'title', 'type', 'venue', 'attendee', 'phone', 'email', 'present'] as const;
export type RegisterTarget = (typeof REGISTER_TARGETS)[number];

/** What a file can be imported as: contacts, assets, or an attendance register (sessions, and contacts for attendees not yet here). */
export const IMPORT_KINDS = ['contact', 'asset', 'register'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_TARGETS = { contact: CONTACT_TARGETS, asset: ASSET_TARGETS, register: REGISTER_TARGETS } as const satisfies Record<ImportKind, readonly string[]>;
export type ImportTarget = ContactTarget | AssetTarget | RegisterTarget;

/** A register's sessions where its columns do not say: their title, type, venue (an asset's name) and start time. */
export const RegisterDefaults = z.strictObject({
  title: text(200),
  type: z.enum(SESSION_TYPES),
  venue: text(200),
  time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time as HH:mm'),
});
export type RegisterDefaults = z.infer<typeof RegisterDefaults>;

/** Known header sets, recognised from their headers. */
export const HEADER_SETS = ['google', 'google-older', 'outlook', 'vcard', 'spreadsheet'] as const;
export type HeaderSet = (typeof HEADER_SETS)[number];

/** A file's bytes are at most this many: held in memory while it is mapped and imported, with its rows (about 250,000 contacts from Google; 50,000 are about 10 MB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Bytes per upload chunk before base64: a file travels in these, each one message well under the connection's 8 MB limit. */
export const IMPORT_CHUNK_BYTES = 1024 * 1024;

export interface ImportFile {
  fileId: string;
  kind: ImportKind;
  fileName: string;
  format: 'csv' | 'vcard';
  /** The text encoding read, as a person names it ("UTF-8", "Windows-1252"). */
  encoding: string;
  /** CSV only: the delimiter found. */
  delimiter: ',' | ';' | '\t' | null;
  /** vCard only: versions found. */
  versions: string[];
  headerSet: HeaderSet;
  headers: string[];
  /** Per column, its first value in the file (shortened), '' where every row leaves it empty. */
  samples: string[];
  /** A target per column: the saved mapping for these headers if there is one, else a guess. */
  targets: ImportTarget[];
  savedMapping: boolean;
  /** Data rows (CSV) or cards (vCard). */
  rows: number;
  /** Cards whose photo is not imported. */
  photos: number;
  /** A batch stopped part-way through this same file (same bytes), which can be resumed. */
  resumable: ImportBatch | null;
}

const Targets = z.array(z.enum([...new Set<ImportTarget>([...CONTACT_TARGETS, ...ASSET_TARGETS, ...REGISTER_TARGETS])] as [ImportTarget, ...ImportTarget[]])).max(500);

/** A field's value as a line of text (a preview cell, a note of a value a merge could not put in place): a location as its coordinates. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  const location = value as { lat?: number; lon?: number } | null;
  return location?.lat !== undefined ? `${location.lat}, ${location.lon}` : String(value ?? '');
}

export interface PreviewRow {
  line: number;
  /** The record as it will be stored; null if the row cannot become one. */
  data: Record<string, unknown> | null;
  problems: string[];
}

export interface ImportPreview {
  /** The first rows as they will be stored. */
  rows: PreviewRow[];
  /** Every row with a problem (up to 1,000), in file order. */
  problems: PreviewRow[];
  problemRows: number;
  /** Rows that become records, and rows that cannot (no name). */
  importable: number;
  unreadable: number;
}

export const DUPLICATE_DECISIONS = ['skip', 'merge', 'create'] as const;
export type DuplicateDecision = (typeof DUPLICATE_DECISIONS)[number];

/** A row of the file that looks like an existing record or an earlier row of the same file. */
export interface ImportDuplicate {
  line: number;
  title: string;
  match: { existing: DuplicateRecordRef } | { row: number; title: string };
  score: number;
  reasons: string[];
}

/** The batch's own account of how these people's details were collected: "consent on paper form v2, collected at events in 2025". */
const statement = text(200).min(1, 'is required: say on what basis these people are recorded');

/**
 * What covers everyone in the batch, as the workspace's privacy settings define it: consent
 * to one or more of its purposes (each in the wording version shown), or one of its lawful
 * bases. Kept with the batch and added to each contact it creates or adds to.
 */
export const ImportBasis = z.discriminatedUnion('ground', [
  z.strictObject({
    ground: z.literal('consent'),
    statement,
    purposes: z
      .array(z.strictObject({ purposeId: recordId, wordingVersion: requiredText(40) }))
      .min(1, 'is required: choose at least one purpose')
      .max(50),
    method: z.enum(CONSENT_METHODS),
    givenAt: isoDate,
  }),
  z.strictObject({ ground: z.literal('lawful-basis'), statement, basisId: recordId, since: isoDate }),
]);
export type ImportBasis = z.infer<typeof ImportBasis>;

/** A batch's basis as it was applied: with each purpose's or the lawful basis's name as the settings read when the batch began. */
type ConsentBasis = Extract<ImportBasis, { ground: 'consent' }>;
export type BatchBasis =
  | (Omit<ConsentBasis, 'purposes'> & { purposes: (ConsentBasis['purposes'][number] & { purpose: string })[] })
  | (Extract<ImportBasis, { ground: 'lawful-basis' }> & { basis: string });

export const IMPORT_STATUSES = ['partial', 'complete', 'undone'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportBatch {
  id: string;
  kind: ImportKind;
  fileName: string;
  startedAt: string;
  /** `partial`: stopped before the end (cancelled, or the app closed): resume or undo. */
  status: ImportStatus;
  /** Rows gone through, of all rows. */
  done: number;
  total: number;
  created: number;
  merged: number;
  skipped: number;
  /** Contacts and registers: the consent or lawful basis that covers everyone they add. */
  basis: BatchBasis | null;
}

export interface UndoResult {
  removed: number;
  reverted: number;
  /** Changes made since the import that the undo left as they are, in words. */
  kept: string[];
}

const FileRef = { fileId: z.uuid() };
/** A mapping of the file's columns; for assets, also the category of rows without one of their own; for registers, the sessions' defaults. */
const Mapping = {
  ...FileRef,
  targets: Targets,
  category: z.enum(ASSET_CATEGORIES).nullable().default(null),
  /** Registers: what the sessions are where the columns do not say. */
  register: RegisterDefaults.nullable().default(null),
};

const uploadId = z.uuid('must be the id import.upload returned');

export const IMPORT_RPC_METHODS = {
  /** Announce a file to import as contacts, assets or a register; its bytes follow with import.uploadChunk, in order. */
  'import.upload': {
    params: z.strictObject({
      kind: z.enum(IMPORT_KINDS),
      fileName: z.string().min(1).max(260),
      bytes: z.number().int().min(1, 'the file is empty').max(MAX_IMPORT_BYTES, `the file is larger than ${MAX_IMPORT_BYTES / 1024 ** 2} MB: split it into smaller files`),
    }),
    result: returns<{ uploadId: string }>(),
  },
  'import.uploadChunk': {
    params: z.strictObject({
      uploadId,
      /** Where this chunk starts in the file. */
      offset: z.number().int().min(0),
      data: z.base64('must be base64-encoded bytes').max(Math.ceil(IMPORT_CHUNK_BYTES / 3) * 4, 'chunk is too large'),
    }),
    result: returns<{ received: number }>(),
  },
  /** Read the uploaded file: its format, encoding, columns and their mapping. */
  'import.open': { params: z.strictObject({ uploadId }), result: returns<ImportFile>() },
  /** The rows as they will be stored under a mapping, and every row's problems. */
  'import.preview': { params: z.strictObject(Mapping), result: returns<ImportPreview>() },
  /** Keep a mapping for files with these headers. */
  'import.saveMapping': { params: z.strictObject({ ...FileRef, targets: Targets }), result: returns<null>() },
  /** Rows that look like existing records or earlier rows, by the duplicate finder. */
  'import.duplicates': { params: z.strictObject(Mapping), result: returns<ImportDuplicate[]>() },
  /** Start a batch (nothing is written until `import.step`). */
  'import.start': {
    params: z.strictObject({
      ...Mapping,
      /** Required for contacts: the consent or lawful basis that covers everyone in the file. */
      basis: ImportBasis.nullable(),
      defaultDecision: z.enum(DUPLICATE_DECISIONS),
      /** Per row (its line) where it differs from the default. */
      decisions: z.record(z.string().regex(/^\d+$/), z.enum(DUPLICATE_DECISIONS)),
    }),
    result: returns<ImportBatch>(),
  },
  /** Carry on a partial batch from the same file, opened again. */
  'import.resume': { params: z.strictObject({ ...FileRef, batchId: z.uuid() }), result: returns<ImportBatch>() },
  /** Import the next rows of a batch, in one transaction; the caller repeats until `status` is not `partial`, and stops (Cancel) by not asking again. */
  'import.step': { params: z.strictObject({ ...FileRef, batchId: z.uuid() }), result: returns<ImportBatch>() },
  /** Every import batch of this workspace, newest first. */
  'import.batches': { params: z.strictObject({}), result: returns<ImportBatch[]>() },
  /** Remove the records a batch created and revert the merges it made. */
  'import.undo': { params: z.strictObject({ batchId: z.uuid() }), result: returns<UndoResult>() },
} as const;
