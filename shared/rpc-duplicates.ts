// The duplicates' part of the RPC contract: pairs of records that look like one, and
// existing records that look like one being entered.
import { z } from 'zod';
import { ASSET_CATEGORIES, CONTACT_TYPES, Location, recordId } from './domain';
import { returns } from './rpc-area';

export const DUPLICATE_KINDS = ['contact', 'asset'] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];

/** Where a page of pairs ends: its last pair. The next page lists the pairs after it, in the same order. */
export const PairCursor = z.strictObject({
  score: z.number().min(0).max(1),
  a: recordId,
  b: recordId,
});
export type PairCursor = z.infer<typeof PairCursor>;

export const DuplicateQuery = z.strictObject({
  kind: z.enum(DUPLICATE_KINDS),
  /** Lowest score listed, in [0, 1]; the finder's default if left out. */
  threshold: z.number().min(0).max(1).optional(),
  /** Pairs in one page (the most alike first); `after` pages on past them. */
  limit: z.number().int().min(1).max(1000).default(200),
  /** The last pair of the page before. Merges in between only take pairs out: no pair is skipped or listed twice. */
  after: PairCursor.optional(),
});
export type DuplicateQuery = z.input<typeof DuplicateQuery>;

const draftText = (max: number) => z.string().max(max).optional();
/** A form's fields while it is being filled in: loose, since half-typed values are normal here; other fields are ignored. */
export const DraftQuery = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('contact'),
    data: z.object({
      type: z.enum(CONTACT_TYPES).optional(),
      name: draftText(200),
      phone: draftText(40),
      email: draftText(320),
      postcode: draftText(20),
      address: draftText(500),
    }),
    /** The record being edited, never its own match. */
    excludeId: recordId.optional(),
    limit: z.number().int().min(1).max(50).default(5),
  }),
  z.strictObject({
    kind: z.literal('asset'),
    data: z.object({
      name: draftText(200),
      category: z.enum(ASSET_CATEGORIES).optional(),
      location: Location.nullable().optional(),
      postcode: draftText(20),
      address: draftText(500),
    }),
    excludeId: recordId.optional(),
    limit: z.number().int().min(1).max(50).default(5),
  }),
]);
export type DraftQuery = z.input<typeof DraftQuery>;

export interface DuplicateRecordRef {
  id: string;
  title: string;
  subtitle: string;
}

/** Two records that look like one: a score in [0, 1] and the reasons, for and against, in plain words. */
export interface DuplicatePair {
  a: DuplicateRecordRef;
  b: DuplicateRecordRef;
  score: number;
  reasons: string[];
}

/** An existing record that looks like a draft not saved yet. */
export interface LikelyMatch {
  record: DuplicateRecordRef;
  score: number;
  reasons: string[];
}

export const DUPLICATES_RPC_METHODS = {
  /** Candidate duplicate pairs among active records of one kind, most alike first. */
  'duplicates.find': { params: DuplicateQuery, result: returns<DuplicatePair[]>() },
  /** Stop a running `duplicates.find` of one kind (its caller is answered `conflict`: stopped). */
  'duplicates.cancel': { params: z.strictObject({ kind: z.enum(DUPLICATE_KINDS) }), result: returns<null>() },
  /** Existing records that look like the record being entered, before it is saved. */
  'duplicates.forDraft': { params: DraftQuery, result: returns<LikelyMatch[]>() },
} as const;
