// Everything this device holds about one contact, for a subject access request (UK GDPR
// Art. 15): their record and every record merged into it, with full history in words; their
// consents; the sessions they attended or facilitated, with those sessions' notes; the
// actions they own; their connections; every other record that names them in a reference
// (walked through each kind's `references`, so a new kind is included without a change
// here) or in its free text; the rows of imported files that created or were merged into
// their record (with the values a merge replaced); and where copies are held. It reads every stored record once,
// deleted ones too (they are still held), a page at a time, yielding between pages so a
// large workspace reports progress and can be stopped; it writes nothing.
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  FIELD_STORAGE,
  FREE_TEXT_FIELDS,
  referencesOf,
  type AnyRecord,
  type Author,
  type ConnectionData,
  type Consent,
  type SessionData,
} from '../../../shared/domain';
import { consentState } from '../../../shared/consent-state';
import { ASSET_REFS, CONTACT_REFS, MERGE_ENTRIES, describeChange, describeValue, referencedIds, type Names } from '../../../shared/describe-change';
import { formatDate, formatDateTime, humanize } from '../../../shared/format';
import { fieldLabel } from '../../../shared/labels';
import { RpcError, type HistoryEntry } from '../../../shared/rpc';
import {
  SUBJECT_ACCESS_FORMAT,
  SUBJECT_ACCESS_VERSION,
  type SubjectAccessChange,
  type SubjectAccessImport,
  type SubjectAccessRecord,
  type SubjectAccessReport,
} from '../../../shared/rpc-privacy';
import type { MergeChange } from '../import/batches';
import type { Workspace } from '../workspace';

/** Records read, and history entries, per step between two yields. */
const PAGE = 2000;
/** Characters of text either side of a mention of their name. */
const EXCERPT_CONTEXT = 120;

export const REDACTION_NOTICE =
  'Before sending: this export holds everything this device stores about the person, including the whole notes of sessions they were part of and records that mention them. Those notes and records may name or describe other people: redact other people’s details before you send it.';

export interface GatherOptions {
  exportId: string;
  by: Author;
  /** The sync server's address, if the workspace syncs. */
  syncServer: string | null;
  signal: AbortSignal;
  onProgress: (progress: { done: number; total: number; step: string }) => void;
}

const statusOf = (r: AnyRecord): SubjectAccessRecord['status'] => (r.mergedInto ? 'merged' : r.deletedAt ? 'deleted' : 'active');

/** Texts of a record that are someone's own words: free-text fields and rich text (a session's notes). */
function freeTexts(record: AnyRecord): { field: string; text: string }[] {
  const storage = FIELD_STORAGE[record.kind] as Record<string, string>;
  const fields = new Set([...(FREE_TEXT_FIELDS[record.kind] as readonly string[]), ...Object.keys(storage).filter((f) => storage[f] === 'richtext')]);
  const data = record.data as Record<string, unknown>;
  return [...fields].flatMap((field) => (typeof data[field] === 'string' && data[field] ? [{ field, text: data[field] as string }] : []));
}

function excerptAround(text: string, at: number, length: number): string {
  const start = Math.max(0, at - EXCERPT_CONTEXT);
  const end = Math.min(text.length, at + length + EXCERPT_CONTEXT);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

export async function gatherSubjectAccess(ws: Workspace, contactId: string, options: GatherOptions): Promise<SubjectAccessReport> {
  const { signal, onProgress } = options;
  const stopIfCancelled = () => {
    if (signal.aborted) throw new RpcError('conflict', 'the export was stopped: nothing was saved or logged');
  };
  const person = ws.get('contact', ws.resolveId(contactId));
  const aliases = new Set(ws.aliasesOf(person.id));
  const names = new Map<string, string>();
  const titleOf = (id: string) => {
    if (!names.has(id)) names.set(id, ws.titleOf(ws.resolveId(id)));
    return names.get(id)!;
  };
  const namesFor = (ids: string[]): Names => Object.fromEntries(ids.map((id) => [id, titleOf(id)]));

  const recordView = (r: AnyRecord): SubjectAccessRecord => {
    const data = r.data as Record<string, unknown>;
    const refs = namesFor(referencesOf(r.kind, r.data as never).map((ref) => ref.id));
    return {
      id: r.id,
      kind: r.kind,
      title: ws.titleOf(r.id),
      status: statusOf(r),
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      updatedAt: r.updatedAt,
      updatedBy: r.updatedBy,
      deletedAt: r.deletedAt,
      mergedInto: r.mergedInto,
      fields: Object.keys(FIELD_STORAGE[r.kind]).map((field) => ({
        field,
        label: fieldLabel(r.kind, field),
        value: data[field] ?? null,
        text: describeValue(field, data[field], refs),
      })),
    };
  };

  const historyTotal = ws.historyLog.count([...aliases]);
  const total = ws.records.storedCount() + historyTotal;
  let done = 0;
  const report = (step: string) => onProgress({ done, total, step });

  // Step 1: every stored record, once, for the ones that name them.
  const found: Pick<SubjectAccessReport, 'consents' | 'sessions' | 'actions' | 'connections' | 'referredToBy' | 'mentions'> = {
    consents: [],
    sessions: [],
    actions: [],
    connections: [],
    referredToBy: [],
    mentions: [],
  };
  const merged: AnyRecord[] = [];
  // Their name as each of their records gives it (a merged-in duplicate may spell it otherwise); a name too short to tell apart is not looked for.
  const namesToFind = [...new Set([...aliases].map((id) => ws.titleOf(id).trim().toLocaleLowerCase('en-GB')))].filter((name) => name.length >= 3);
  const STEP_RECORDS = 'Looking through every record for ones that name them';
  report(STEP_RECORDS);
  for (let after: number | null = 0; after !== null; ) {
    const page = ws.records.page(after, PAGE);
    after = page.next;
    for (const { record } of page.records) collect(record);
    done += page.records.length;
    report(STEP_RECORDS);
    await nextTurn();
    stopIfCancelled();
  }

  function collect(record: AnyRecord): void {
    if (aliases.has(record.id)) {
      if (record.kind === 'contact') {
        for (const consent of record.data.consents) found.consents.push(consentView(record.id, consent));
        if (record.id !== person.id) merged.push(record);
      }
      return;
    }
    const refs = referencesOf(record.kind, record.data as never).filter((ref) => aliases.has(ref.id));
    // References a section below shows in its own way; any other goes to "refers to them".
    const shown = new Set<string>();
    const status = statusOf(record);
    if (record.kind === 'session') {
      const session = record.data as SessionData;
      const roles = (['attended', 'facilitated'] as const).filter((role) =>
        refs.some((ref) => ref.field.startsWith(role === 'attended' ? 'attendeeIds.' : 'facilitatorIds.')),
      );
      if (roles.length) {
        found.sessions.push({
          id: record.id,
          title: session.title,
          type: humanize(session.type),
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          venue: session.venueId ? titleOf(session.venueId) : null,
          status,
          roles,
          notes: session.notes,
        });
      }
      for (const action of session.actions) {
        if (action.ownerId && aliases.has(action.ownerId)) {
          found.actions.push({ sessionId: record.id, sessionTitle: session.title, text: action.text, dueDate: action.dueDate, status: humanize(action.status) });
        }
      }
      for (const ref of refs) if (/^(attendeeIds|facilitatorIds|actions)\./.test(ref.field)) shown.add(ref.field);
    } else if (record.kind === 'connection' && refs.length) {
      const connection = record.data as ConnectionData;
      const direction = aliases.has(connection.fromId) ? 'from' : 'to';
      const otherId = ws.resolveId(direction === 'from' ? connection.toId : connection.fromId);
      found.connections.push({
        id: record.id,
        kind: humanize(connection.kind),
        direction,
        other: { id: otherId, kind: ws.docKind(otherId), title: titleOf(otherId) },
        date: connection.date,
        note: connection.note,
        status,
      });
      for (const ref of refs) shown.add(ref.field);
    }
    const others = refs.filter((ref) => !shown.has(ref.field));
    if (others.length) {
      found.referredToBy.push({
        id: record.id,
        kind: record.kind,
        title: ws.titleOf(record.id),
        status,
        fields: [...new Set(others.map((ref) => fieldLabel(record.kind, ref.field.split('.')[0]!)))],
      });
    }
    // Named nowhere in its references: their name may still be in someone's notes.
    if (refs.length > 0) return;
    for (const { field, text } of freeTexts(record)) {
      const lower = text.toLocaleLowerCase('en-GB');
      const name = namesToFind.find((n) => lower.includes(n));
      if (name) {
        found.mentions.push({
          recordId: record.id,
          kind: record.kind,
          title: ws.titleOf(record.id),
          field: fieldLabel(record.kind, field),
          excerpt: excerptAround(text, lower.indexOf(name), name.length),
        });
      }
    }
  }

  function consentView(recordId: string, consent: Consent) {
    const stored = consent as unknown as Record<string, unknown>;
    return {
      recordId,
      consent: stored,
      properties: Object.entries(stored)
        .filter(([property]) => property !== 'id')
        .map(([property, value]) => ({ label: fieldLabel('contact', property), text: propertyText(value) })),
      state: consentState(consent),
    };
  }

  // Step 2: the history of their record and of every record merged into it.
  const STEP_HISTORY = 'Reading the history of their record';
  const history: HistoryEntry[] = [];
  for (let after = 0; ; ) {
    const page = ws.historyLog.page([...aliases], after, PAGE);
    if (page.length === 0) break;
    history.push(...page);
    after = page.at(-1)!.id;
    done += page.length;
    report(STEP_HISTORY);
    await nextTurn();
    stopIfCancelled();
  }
  history.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id - b.id));
  // People and places by who they are now; merged records by their own names.
  const historyNames: Names = {
    ...namesFor([CONTACT_REFS, ASSET_REFS].flatMap((refs) => referencedIds(history, refs))),
    ...Object.fromEntries(referencedIds(history, MERGE_ENTRIES).map((id) => [id, ws.titleOf(id)])),
  };
  const changes = (recordId: string): SubjectAccessChange[] =>
    history
      .filter((entry) => entry.recordId === recordId)
      .map((entry) => ({
        at: entry.at,
        by: entry.author,
        recordId: entry.recordId,
        field: entry.field,
        description: describeChange('contact', entry, historyNames),
        before: entry.before,
        after: entry.after,
        kept: entry.kept,
      }));

  const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
  found.sessions.sort(byKey((s) => s.startsAt));
  found.actions.sort(byKey((a) => a.dueDate ?? ''));
  return {
    format: SUBJECT_ACCESS_FORMAT,
    version: SUBJECT_ACCESS_VERSION,
    exportId: options.exportId,
    generatedAt: new Date().toISOString(),
    generatedBy: options.by,
    workspace: { id: ws.id, name: ws.name },
    notice: REDACTION_NOTICE,
    ...found,
    person: recordView(person),
    history: changes(person.id),
    mergedIn: merged.map((record) => ({ record: recordView(record), history: changes(record.id) })),
    imports: importsOf(ws, [...aliases]),
    copies: copiesOf(ws, options.syncServer),
  };
}

/** A stored value in words where it is not a plain one (an author who withdrew a consent). */
function propertyText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object' && 'name' in value) return String((value as { name: unknown }).name);
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value);
    return /^[a-z]+(-[a-z]+)*$/.test(value) ? humanize(value) : value;
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The rows of imported files that created or were merged into these contact records, with what each merge changed in words. */
function importsOf(ws: Workspace, recordIds: string[]): SubjectAccessImport[] {
  const changeText = (change: MergeChange) =>
    change.kind === 'value'
      ? `${propertyText(change.before)} → ${propertyText(change.after)}`
      : change.kind === 'set'
        ? `added ${change.added.map(propertyText).join(', ')}`
        : 'added an entry';
  return ws.imports.rowsOf(recordIds).map((row) => ({
    recordId: row.recordId,
    fileName: row.fileName,
    importedAt: row.importedAt,
    line: row.line,
    action: row.action,
    changes: (row.changes ?? []).map((change) => ({ field: change.field, label: fieldLabel('contact', change.field), change, text: changeText(change) })),
  }));
}

function copiesOf(ws: Workspace, syncServer: string | null) {
  return {
    thisDevice: { deviceId: ws.deviceId, workspaceName: ws.name },
    syncServer,
    devices: ws.historyLog.authors().map((a) => ({ authorId: a.id, name: a.name, lastChangeAt: a.lastChangeAt })),
    notes: [
      'Every device that syncs this workspace holds a full copy of it, and so of everything in this export; so does the sync server.',
      'The devices are those whose changes this device has received: each worker’s device writes under its own name, so a person with two devices is listed twice.',
      'A device that has only read the workspace, or whose changes have not reached this device yet, is not listed; a device that was lost, replaced or reset is still listed.',
      'Copies made outside the app — backups of a laptop, files exported and emailed, printouts — cannot be known here: the organisation’s own records must say where those are.',
    ],
  };
}
