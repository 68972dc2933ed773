// The exports' part of the RPC contract: a list's records written as a file by the data
// service (CSV, vCard, GeoJSON, KML), streamed to the caller a page at a time with progress,
// stoppable, and gated by each person's consent for the use the user picks. Listed in
// RPC_AREAS by shared/rpc.ts.
import { z } from 'zod';
import { formatCount } from './format';
import { returns } from './rpc-area';
import { ActionQuery } from './rpc-actions';
import { isoDate, ListQuery } from './rpc-records';

/** What the file is for; a person's details go into it only where their consent allows that use. */
export const EXPORT_USES = ['share', 'backup'] as const;
export type ExportUse = (typeof EXPORT_USES)[number];

export const USE_LABEL: Record<ExportUse, string> = {
  share: 'To share with partners',
  backup: 'Our own backup',
};

/** The words a left-out count closes with: why those people's details are not in the file. */
const WHY_LEFT_OUT: Record<ExportUse, string> = {
  share: 'their consent does not allow sharing with partners (never given, withdrawn or not yet in force)',
  backup: 'they have no consent in force (never given, withdrawn or not yet in force)',
};

/**
 * Each export: its formats, and its words (singular, plural) for the records the list
 * matched, the rows the file holds, and what consent kept out (each person once).
 */
export const EXPORT_SUBJECTS = {
  contacts: { formats: ['csv', 'vcard'], records: ['contact', 'contacts'], rows: ['contact', 'contacts'], leftOut: ['person left out', 'people left out'] },
  capacity: { formats: ['csv'], records: ['contact', 'contacts'], rows: ['skill', 'skills'], leftOut: ['person’s skills left out', 'people’s skills left out'] },
  sessions: { formats: ['csv'], records: ['session', 'sessions'], rows: ['session', 'sessions'], leftOut: ['facilitator’s name left out', 'facilitators’ names left out'] },
  actions: { formats: ['csv'], records: ['action', 'actions'], rows: ['action', 'actions'], leftOut: ['owner’s name left out', 'owners’ names left out'] },
  connections: { formats: ['csv'], records: ['connection', 'connections'], rows: ['connection', 'connections'], leftOut: ['connection left out', 'connections left out'] },
  assets: {
    formats: ['geojson', 'kml', 'csv'],
    records: ['asset', 'assets'],
    rows: ['asset', 'assets'],
    leftOut: ['contact person’s details left out', 'contact persons’ details left out'],
  },
} as const;
export type ExportSubject = keyof typeof EXPORT_SUBJECTS;
export type ExportFormat = (typeof EXPORT_SUBJECTS)[ExportSubject]['formats'][number];

/** A list screen's own query (its filters and order), so the file holds what the list shows. */
const listSelection = { filter: ListQuery.shape.filter, sort: ListQuery.shape.sort };

const common = {
  /** The caller's own id for this run: progress events carry it, `export.cancel` stops it. */
  jobId: z.uuid('must be a job id (UUID)'),
  use: z.enum(EXPORT_USES),
  /** Today on the user's device decides which consents are in force. */
  today: isoDate,
};

export const ExportRequest = z.discriminatedUnion('subject', [
  z.strictObject({ ...common, subject: z.literal('contacts'), format: z.enum(EXPORT_SUBJECTS.contacts.formats), ...listSelection }),
  z.strictObject({ ...common, subject: z.literal('capacity'), format: z.enum(EXPORT_SUBJECTS.capacity.formats), ...listSelection }),
  z.strictObject({ ...common, subject: z.literal('sessions'), format: z.enum(EXPORT_SUBJECTS.sessions.formats), ...listSelection }),
  z.strictObject({ ...common, subject: z.literal('connections'), format: z.enum(EXPORT_SUBJECTS.connections.formats), ...listSelection }),
  z.strictObject({ ...common, subject: z.literal('assets'), format: z.enum(EXPORT_SUBJECTS.assets.formats), ...listSelection }),
  z.strictObject({ ...common, subject: z.literal('actions'), format: z.enum(EXPORT_SUBJECTS.actions.formats), status: ActionQuery.shape.status }),
]);
export type ExportRequest = z.input<typeof ExportRequest>;
export type ParsedExportRequest = z.output<typeof ExportRequest>;

export interface ExportCounts {
  /** Records the list's filters matched. */
  matched: number;
  /** Rows (or cards, features) the file holds. */
  written: number;
  /** What consent kept out, counted as EXPORT_SUBJECTS[subject].leftOut says (each person once). */
  leftOut: number;
}

export interface ExportFile {
  fileName: string;
  mime: string;
  counts: ExportCounts;
}

/** Sent while an export runs; `chunk` is the file's next text (none while only counting). */
export interface ExportProgress {
  jobId: string;
  done: number;
  total: number;
  chunk?: string;
}

const count = (n: number, [one, many]: readonly [string, string]) => formatCount(n, one, many);

/** `3 people left out: their consent does not allow sharing with partners (…).`, or null when nobody was. */
export function describeLeftOut(subject: ExportSubject, use: ExportUse, leftOut: number): string | null {
  return leftOut === 0 ? null : `${count(leftOut, EXPORT_SUBJECTS[subject].leftOut)}: ${WHY_LEFT_OUT[use]}.`;
}

/** What a file holds in words: `9 contacts` or `14 skills of 12 contacts`, then what was left out and why. */
export function describeExport(subject: ExportSubject, use: ExportUse, counts: ExportCounts): string {
  const words = EXPORT_SUBJECTS[subject];
  const held = words.rows[1] === words.records[1] ? count(counts.written, words.rows) : `${count(counts.written, words.rows)} of ${count(counts.matched, words.records)}`;
  return [`${held}.`, describeLeftOut(subject, use, counts.leftOut)].filter(Boolean).join(' ');
}

const jobId = z.strictObject({ jobId: common.jobId });

export const EXPORT_RPC_METHODS = {
  /** What an export would hold and leave out, without writing it (the dialog says so before). */
  'export.count': { params: ExportRequest, result: returns<ExportCounts>() },
  /**
   * Writes the file, sending its text in `export.progress` events in order; the answer comes
   * after the last chunk. Stopped by `export.cancel` (answered `conflict`: stopped).
   */
  'export.file': { params: ExportRequest, result: returns<ExportFile>() },
  'export.cancel': { params: jobId, result: returns<null>() },
} as const;
