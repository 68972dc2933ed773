// The kinds of value a record's fields hold, as zod schemas with messages in plain words;
// every kind's description (shared/kinds/<kind>.ts) builds its fields from these.
import { z } from 'zod';

export const LIMITS = {
  name: 200,
  shortText: 500,
  longText: 20_000,
  listItems: 500,
} as const;

export const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
export const requiredText = (max: number) => text(max).min(1, 'is required');
export const recordId = z.uuid('must be a record id (UUID)');
export const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
/** Sessions happen at a local wall-clock time; no offset is stored. */
export const localDateTime = z.iso.datetime({ local: true, message: 'must be a date and time as YYYY-MM-DDTHH:mm' });
export const idSet = z.array(recordId).max(LIMITS.listItems, `must list at most ${LIMITS.listItems} records`);
export const theme = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters');
export const themeSet = z.array(theme).max(50, 'must list at most 50 themes');
/** UK postcodes, loosely: letters, digits and one optional space; normalised to upper case. */
export const postcode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^$|^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/, 'must be a UK postcode such as M14 5TQ');
export const email = z.union([z.literal(''), z.email('must be an email address')]);
export const phone = z
  .string()
  .trim()
  .max(40, 'must be at most 40 characters')
  .regex(/^[0-9+() .-]*$/, 'may contain only digits, spaces and + ( ) . -');

export const Location = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type Location = z.infer<typeof Location>;

/** One of a fixed list of words, with an error that lists them. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, `must be one of ${values.join(', ')}`);

// Items of a collection carry their own id so two devices can add, edit and remove
// items independently and still merge.
export const collection = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .max(LIMITS.listItems, `must have at most ${LIMITS.listItems} entries`)
    .refine((items) => new Set(items.map((i) => (i as { id: string }).id)).size === items.length, {
      message: 'has two entries with the same id',
    });

/** The list filter by theme, offered by every kind whose records have themes. */
export const themeFilter = {
  on: 'facet',
  facet: 'theme',
  label: 'Theme',
  values: z.string().trim().toLowerCase().min(1).max(60),
} as const;
