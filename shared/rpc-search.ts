// Search's part of the RPC contract: one box that finds records of every kind.
import { z } from 'zod';
import type { RecordKind } from './domain';
import { returns } from './rpc-area';
import { recordKind } from './rpc-records';

export const SearchQuery = z.strictObject({
  text: z.string().max(200, 'must be at most 200 characters'),
  kinds: z.array(recordKind).optional(),
  limit: z.number().int().min(1).max(200).default(30),
});
export type SearchQuery = z.input<typeof SearchQuery>;

/** The field a search matched besides the title, and its text with the matching words wrapped in [[ and ]]. */
export interface SearchSnippet {
  /** The field's data path (`phone`, `notes`, …), for the renderer to name in words. */
  field: string;
  text: string;
}

export interface SearchHit {
  id: string;
  kind: RecordKind;
  title: string;
  /** Null when the title holds every word searched for. */
  snippet: SearchSnippet | null;
}

export const SEARCH_RPC_METHODS = {
  'search.global': { params: SearchQuery, result: returns<SearchHit[]>() },
} as const;
