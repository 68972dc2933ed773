// What mapping a row of any kind shares: header words, cells holding several values, the
// guess of each column's target from its header, and the last check of a draft against its
// kind's schema, where a refused value is named and moved into a free-text field so
// nothing in the file is lost.
import type { z } from 'zod';
import type { CreateInput, RecordKind } from '../../../shared/domain';

/** Google Contacts and this app's vCard table put several values in one cell, joined so. */
export const MULTI_VALUE = ' ::: ';

export const headerWords = (header: string) => header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
export const splitMulti = (cell: string) => cell.split(MULTI_VALUE).map((v) => v.trim()).filter(Boolean);

export interface RowResult<K extends RecordKind> {
  /** Row (CSV, header = row 1) or card number. */
  line: number;
  /** The record as it would be stored; null if the row cannot become one. */
  data: CreateInput<K> | null;
  /** What is wrong, in words, each naming its field: `phone 0770 is too short`. */
  problems: string[];
}

/** A target per column: the first rule matching its header's words; `once` targets go to the first such column only. */
export function guessTargets<T extends string>(headers: string[], rules: [RegExp, T][], none: T, once: T[]): T[] {
  const seen = new Set<T>();
  return headers.map((header) => {
    const target = rules.find(([pattern]) => pattern.test(headerWords(header)))?.[1] ?? none;
    if (once.includes(target) && seen.has(target)) return none;
    seen.add(target);
    return target;
  });
}

const FIELD_WORDS: Record<string, string> = { postcode: 'postcode', email: 'email', phone: 'phone', address: 'address', availability: 'opening times' };

/**
 * Check a draft against its kind's create schema. Each plain text field the schema refuses
 * is named and emptied, its value appended to `keepIn`; anything else makes the row unreadable.
 */
export function checkDraft<K extends RecordKind>(schema: z.ZodType, draft: CreateInput<K>, line: number, problems: string[], keepIn: string): RowResult<K> {
  let current = draft as Record<string, unknown>;
  for (let attempt = 0; attempt < 8; attempt++) {
    const checked = schema.safeParse(current);
    if (checked.success) return { line, data: checked.data as CreateInput<K>, problems };
    const issue = checked.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    const value = current[field];
    const word = FIELD_WORDS[field] ?? field;
    if (field === 'name' || field === keepIn || typeof value !== 'string') return { line, data: null, problems: [...problems, `${word} ${issue.message}`] };
    problems.push(`${word} "${value}" ${issue.message} (kept in the ${keepIn})`);
    const note = `${word[0]!.toUpperCase()}${word.slice(1)} as written: ${value}`;
    current = { ...current, [field]: '', [keepIn]: [current[keepIn], note].filter(Boolean).join('\n\n') };
  }
  return { line, data: null, problems: [...problems, 'could not be read'] };
}
