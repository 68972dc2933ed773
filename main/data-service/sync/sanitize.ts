// Records arriving from peers were never validated by this device: a buggy or hostile
// peer, or two valid concurrent edits merged (two devices each adding 300 attendees to a
// 500-attendee list), can leave a doc holding data the schema refuses. The doc keeps it
// (it is the CRDT truth every replica must converge on), but the read model only ever
// gets schema-valid rows: each invalid field falls back to its default, and a record
// whose required fields are invalid is left out of the projections altogether.
// This is a pure function of the doc, so every replica projects the same rows.
import type { z } from 'zod';
import { DEFAULTS, FIELDS, RECORD_KINDS, recordId, type AnyRecord, type Author, type RecordKind, type RecordMeta } from '../../../shared/domain';

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

/** The record as the projections may hold it, or null if it cannot be shown at all. */
export function sanitizeRecord(kind: RecordKind, meta: RecordMeta, data: Record<string, unknown>): AnyRecord | null {
  const shape = FIELDS[kind].shape as Record<string, z.ZodType>;
  const defaults = DEFAULTS[kind] as Record<string, unknown>;
  const clean: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(data[field]);
    if (parsed.success) clean[field] = parsed.data;
    else if (Object.hasOwn(defaults, field)) clean[field] = defaults[field];
    else return null;
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
  } as AnyRecord;
}
