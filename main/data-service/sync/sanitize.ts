// Records arriving from peers were never validated by this device: a buggy peer, one
// from before the sync server checked pushes, or two valid concurrent edits merged (two
// devices each adding 300 attendees to a 500-attendee list) can leave a doc holding data
// the schema refuses. The doc keeps it (it is the CRDT truth every replica must converge
// on), and the record stays listed: a record leaves lists only by delete, merge or
// erasure, never because one field is bad. An invalid text field shows what it holds as
// text; any other falls back to its default; each is listed in `problems` for the lead.
// This is a pure function of the doc, so every replica projects the same rows.
import type { z } from 'zod';
import {
  DEFAULTS,
  FIELDS,
  RECORD_KINDS,
  recordId,
  type AnyRecord,
  type Author,
  type FieldProblem,
  type RecordKind,
  type RecordMeta,
} from '../../../shared/domain';

export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && (RECORD_KINDS as readonly string[]).includes(value);
}

const UNKNOWN_AUTHOR: Author = { id: 'unknown', name: 'Unknown' };

function author(value: unknown): Author {
  const a = value as Partial<Author> | null;
  return a && typeof a === 'object' && typeof a.id === 'string' && typeof a.name === 'string' ? { id: a.id, name: a.name } : UNKNOWN_AUTHOR;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const nullableText = (value: unknown) => (typeof value === 'string' ? value : null);

const asJson = (value: unknown) => {
  const json = value === undefined ? 'nothing' : JSON.stringify(value);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
};

/** An invalid value as a text field shows it: a string as it is, anything else as JSON ('' for nothing). */
const shownAsText = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));

/** One field as the projections hold it: its value if the schema takes it, else what it shows instead and the problem. */
function sanitizeField(kind: RecordKind, field: string, value: unknown): { value: unknown; problem?: FieldProblem } {
  const schema = (FIELDS[kind].shape as Record<string, z.ZodType>)[field]!;
  const parsed = schema.safeParse(value);
  if (parsed.success) return { value: parsed.data };
  const problem = { field, holds: asJson(value), message: parsed.error.issues[0]?.message ?? 'is not valid' };
  // Required fields (names, titles, kinds, dates, ends) are all text; so are most others.
  const defaults = DEFAULTS[kind] as Record<string, unknown>;
  const fallback = Object.hasOwn(defaults, field) ? defaults[field] : '';
  return { value: typeof fallback === 'string' ? shownAsText(value) : fallback, problem };
}

/** The record as the projections hold it: every field of the right type, the invalid ones listed in `problems`. */
export function sanitizeRecord(kind: RecordKind, meta: RecordMeta, data: Record<string, unknown>): AnyRecord {
  const clean: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(FIELDS[kind].shape)) {
    const { value, problem } = sanitizeField(kind, field, data[field]);
    clean[field] = value;
    if (problem) problems.push(problem);
  }
  return withMeta(kind, meta, clean, problems);
}

/**
 * `sanitizeRecord` of a record of which only `changed` fields differ from `previous`, its
 * data as last sanitized (`previousProblems` its problems): only those are checked again,
 * a peer's edit touching a field or two of a record. Null where `previous` lacks a field
 * the schema has (written before the field existed): then the whole record is.
 */
export function sanitizeChanged(
  kind: RecordKind,
  meta: RecordMeta,
  data: Record<string, unknown>,
  previous: Record<string, unknown>,
  previousProblems: readonly FieldProblem[],
  changed: readonly string[],
): AnyRecord | null {
  const fields = Object.keys(FIELDS[kind].shape);
  if (Object.keys(previous).length !== fields.length || !fields.every((f) => Object.hasOwn(previous, f))) return null;
  // Same keys in the same order as sanitizeRecord gives: `records.data` is compared as text.
  const clean = { ...previous };
  const problems = previousProblems.filter((p) => !changed.includes(p.field));
  for (const field of changed) {
    if (!Object.hasOwn(clean, field)) continue;
    const { value, problem } = sanitizeField(kind, field, data[field]);
    clean[field] = value;
    if (problem) problems.push(problem);
  }
  problems.sort((a, b) => fields.indexOf(a.field) - fields.indexOf(b.field));
  return withMeta(kind, meta, clean, problems);
}

function withMeta(kind: RecordKind, meta: RecordMeta, clean: Record<string, unknown>, problems: FieldProblem[]): AnyRecord {
  const deletedAt = nullableText(meta.deletedAt);
  return {
    id: meta.id,
    kind,
    data: clean,
    createdAt: text(meta.createdAt),
    createdBy: author(meta.createdBy),
    updatedAt: text(meta.updatedAt),
    updatedBy: author(meta.updatedBy),
    deletedAt,
    deletedBy: deletedAt === null ? null : author(meta.deletedBy),
    mergedInto: recordId.safeParse(meta.mergedInto).success ? (meta.mergedInto as string) : null,
    ...(problems.length ? { problems } : {}),
  } as AnyRecord;
}
