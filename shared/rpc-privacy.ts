// The privacy part of the RPC contract: answering a subject access request ("everything we
// hold about this person") and the log of those answers. The export's JSON file is the
// `SubjectAccessReport` below, documented here field by field: it is what the person (or
// another system) may read by machine, so its shape changes only with a new `version`.
import { z } from 'zod';
import type { Author, RecordKind } from './domain';
import { recordId } from './domain';
import { returns } from './rpc-area';

/** The JSON file's `format`; `version` goes up when a field changes meaning or goes away. */
export const SUBJECT_ACCESS_FORMAT = 'community-fieldbook/subject-access';
export const SUBJECT_ACCESS_VERSION = 1;

/** A record as the export shows it. All dates and times are ISO 8601 (dates `YYYY-MM-DD`, moments UTC `…Z`, session times as the wall-clock time entered). */
export interface SubjectAccessRecord {
  id: string;
  kind: RecordKind;
  title: string;
  /** `active`, `deleted` (still stored on this device) or `merged` (into `mergedInto`). */
  status: 'active' | 'deleted' | 'merged';
  createdAt: string;
  createdBy: Author;
  updatedAt: string;
  updatedBy: Author;
  deletedAt: string | null;
  mergedInto: string | null;
  /** Every field of its kind, in the kind's order: its label, the value as stored and the value in words. */
  fields: { field: string; label: string; value: unknown; text: string }[];
}

/** One change to a record, in the words the history panel uses. */
export interface SubjectAccessChange {
  at: string;
  by: Author;
  recordId: string;
  field: string;
  description: string;
  before: unknown;
  after: unknown;
  /** False for a change sync did not keep (another device's edit won). */
  kept: boolean;
}

export interface SubjectAccessConsent {
  /** The contact record it is held on (the person's own, or one merged into it). */
  recordId: string;
  /** Every property the consent holds, as stored (purpose, wording version, given, withdrawn…). */
  consent: Record<string, unknown>;
  /** The same properties with their labels and values in words. */
  properties: { label: string; text: string }[];
  /** `given on 3 May 2026` or `given on …, withdrawn on …`. */
  state: string;
}

export interface SubjectAccessSession {
  id: string;
  title: string;
  type: string;
  startsAt: string;
  endsAt: string | null;
  venue: string | null;
  status: SubjectAccessRecord['status'];
  /** How they took part. */
  roles: ('attended' | 'facilitated')[];
  /** The session's notes as plain text, whole: they may name other people, whom the lead redacts. */
  notes: string;
}

export interface SubjectAccessAction {
  sessionId: string;
  sessionTitle: string;
  text: string;
  dueDate: string | null;
  status: string;
}

export interface SubjectAccessConnection {
  id: string;
  /** The kind of connection in words (`Knows`, `Member of`). */
  kind: string;
  /** `from`: the person is the connection's first end (they know / are a member of the other party). */
  direction: 'from' | 'to';
  other: { id: string; kind: RecordKind | null; title: string };
  date: string | null;
  note: string;
  status: SubjectAccessRecord['status'];
}

/** A record that names the person in one of its references (a place's contact person; any future kind's reference too). */
export interface SubjectAccessReference {
  id: string;
  kind: RecordKind;
  title: string;
  status: SubjectAccessRecord['status'];
  /** Labels of the fields that name them. */
  fields: string[];
}

/** Their name found in the free text of a record that is not otherwise in the export. */
export interface SubjectAccessMention {
  recordId: string;
  kind: RecordKind;
  title: string;
  field: string;
  excerpt: string;
}

/**
 * A row of an imported file that created their record or was merged into it, as this device
 * keeps it so the import can be undone: a merge keeps the values it replaced.
 */
export interface SubjectAccessImport {
  recordId: string;
  fileName: string;
  importedAt: string;
  /** The row's line in the file. */
  line: number;
  /** `created` their record; `merged` into it; `folded` into an earlier row of the same file about them. */
  action: 'created' | 'merged' | 'folded';
  /** What a merge changed, field by field: the change as stored and in words. */
  changes: { field: string; label: string; change: unknown; text: string }[];
}

/** Where copies of the workspace, and so of the person's data, are held. */
export interface SubjectAccessCopies {
  thisDevice: { deviceId: string; workspaceName: string };
  /** The sync server's address, null if the workspace does not sync. */
  syncServer: string | null;
  /** Every author whose changes this device holds: each is a device (a worker's second device writes as its own author). */
  devices: { authorId: string; name: string; lastChangeAt: string }[];
  /** What the list can and cannot know, in words. */
  notes: string[];
}

export interface SubjectAccessReport {
  format: typeof SUBJECT_ACCESS_FORMAT;
  version: typeof SUBJECT_ACCESS_VERSION;
  /** The export's id, as its log entry holds it. */
  exportId: string;
  generatedAt: string;
  generatedBy: Author;
  workspace: { id: string; name: string };
  /** For the lead before sending: what to redact. */
  notice: string;
  person: SubjectAccessRecord;
  history: SubjectAccessChange[];
  consents: SubjectAccessConsent[];
  sessions: SubjectAccessSession[];
  actions: SubjectAccessAction[];
  connections: SubjectAccessConnection[];
  /** Records merged into the person's, each with its own history. */
  mergedIn: { record: SubjectAccessRecord; history: SubjectAccessChange[] }[];
  referredToBy: SubjectAccessReference[];
  mentions: SubjectAccessMention[];
  /** Rows of imported files that created their record or were merged into it. */
  imports: SubjectAccessImport[];
  copies: SubjectAccessCopies;
}

/** How many of each the export holds, for the dialog's summary. */
export type SubjectAccessCounts = Record<
  'history' | 'consents' | 'sessions' | 'actions' | 'connections' | 'mergedIn' | 'referredToBy' | 'mentions' | 'imports' | 'devices',
  number
>;

export interface SubjectAccessFiles {
  exportId: string;
  /** A zip of `<base>.html`, `<base>.pdf` and `<base>.json`, base64. */
  fileName: string;
  zipBase64: string;
  counts: SubjectAccessCounts;
}

/** Sent while an export runs: `done` of `total` records and history entries looked at. */
export interface SubjectAccessProgress {
  jobId: string;
  done: number;
  total: number;
  step: string;
}

/** One line of the export log: who made an export and when — never whom it was about. */
export interface SubjectAccessLogEntry {
  exportId: string;
  at: string;
  by: Author;
}

const jobId = z.uuid('must be a job id (UUID)');

export const PRIVACY_RPC_METHODS = {
  /**
   * Everything held about a contact as one zip (HTML, PDF, JSON), logged once made. Team
   * leads only. Sends `privacy.subjectAccessProgress` events with `jobId`, the caller's own
   * id for this run, which `privacy.subjectAccessCancel` stops (answered `conflict`: stopped).
   */
  'privacy.subjectAccess': { params: z.strictObject({ contactId: recordId, jobId }), result: returns<SubjectAccessFiles>() },
  'privacy.subjectAccessCancel': { params: z.strictObject({ jobId }), result: returns<null>() },
  /** The subject access export log, newest first. Team leads only. */
  'privacy.subjectAccessLog': { params: z.strictObject({}), result: returns<SubjectAccessLogEntry[]>() },
} as const;
