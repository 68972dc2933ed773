// A new collection item (a skill, a consent, a priority, an action) is checked against
// the same shared schema the data service uses before it joins the record, so an
// incomplete one is explained in the form that adds it instead of blocking the record.
import type { z } from 'zod';
import { fromZodError } from '../../../shared/rpc';
import { issuesOf, type Issues } from './issues';

export function itemIssues(schema: z.ZodType, item: unknown): Issues {
  const result = schema.safeParse(item);
  return result.success ? {} : issuesOf(fromZodError(result.error));
}
