// Field-level validation messages come from the data service as RpcError issues named by
// path (`patch.email`, `data.attendeeIds.2`); forms look them up by the record field path.
import type { FieldProblem } from '../../../shared/domain';
import { RpcError } from '../../../shared/rpc';

export type Issues = Record<string, string>;

/** The issues of an `invalid` error keyed by field path within the record's data. */
export function issuesOf(error: unknown): Issues {
  if (!(error instanceof RpcError) || error.code !== 'invalid') return {};
  const issues: Issues = {};
  for (const issue of error.issues) {
    const path = issue.field.replace(/^(patch|data)\./, '');
    issues[path] ??= issue.message;
  }
  return issues;
}

/** The message under a field: predicates (`must be…`) read after the field's label. */
export function issueSentence(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}

/** DOM id of the input for a field path, so an error summary can link to it. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** The schema's words for kinds of value, as a worker would say them. */
const VALUE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of values',
  undefined: 'nothing',
  null: 'nothing',
};

/**
 * A field holding a value sync brought that its rules refuse (RecordMeta.problems), as said
 * under the field: what it holds, why it could not be read, and that a new value fixes it.
 */
export function problemMessage(problem: FieldProblem): string {
  const why = problem.message.replace(/^Invalid input: /, '').replace(/\b(string|number|boolean|array|object|undefined|null)\b/g, (word) => VALUE_WORDS[word]!);
  return `could not be read: it holds ${problem.holds} (${why}). Enter a valid value to replace it.`;
}

/** A record's problems keyed by field, as form controls look up their message. */
export function problemIssues(problems: readonly FieldProblem[] | undefined): Issues {
  return Object.fromEntries((problems ?? []).map((p) => [p.field, problemMessage(p)]));
}
