// Field-level validation messages come from the data service as RpcError issues named by
// path (`patch.email`, `data.attendeeIds.2`); forms look them up by the record field path.
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
