// Input checked against its zod schema at the data service's edge; a failure names the field.
import type { z } from 'zod';
import { fromZodError } from '../../shared/rpc';

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, path: string[]): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, path);
  return result.data;
}
