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

/** The record as the projections hold it: every field of the right type, the invalid ones listed in `problems`. */
export function sanitizeRecord(kind: RecordKind, meta: RecordMeta, data: Record<string, unknown>): AnyRecord {
  const shape = FIELDS[kind].shape as Record<string, z.ZodType>;
  const defaults = DEFAULTS[kind] as Record<string, unknown>;
  const clean: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [field, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(data[field]);
    if (parsed.success) {
      clean[field] = parsed.data;
      continue;
    }
    problems.push({ field, holds: asJson(data[field]), message: parsed.error.issues[0]?.message ?? 'is not valid' });
    // Required fields (names, titles, kinds, dates, ends) are all text; so are most others.
    const fallback = Object.hasOwn(defaults, field) ? defaults[field] : '';
    clean[field] = typeof fallback === 'string' ? shownAsText(data[field]) : fallback;
  }
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
