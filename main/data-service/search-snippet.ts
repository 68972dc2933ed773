// Which field a search result matched besides its title, with the matching words marked,
// so a result reads "Phone: 07700 900123" rather than the index's raw text.
import type { DataOf, RecordKind } from '../../shared/domain';
import type { SearchSnippet } from '../../shared/rpc';
import { searchFieldsOf } from './kinds';
import { holdsTerm, writtenWords, type SearchTerm } from './text';

/** Words shown of a long field, starting a few before its first match. */
const SNIPPET_WORDS = 12;
const WORDS_BEFORE_MATCH = 3;

/** The field of `data` that holds most of the query's `terms` the title does not; null if the title holds them all. */
export function matchedField<K extends RecordKind>(kind: K, data: DataOf<K>, title: string, terms: SearchTerm[]): SearchSnippet | null {
  const rest = terms.filter((t) => !holdsTerm(title, t));
  if (rest.length === 0) return null;
  let best: { field: string; text: string } | null = null;
  let bestCount = 0;
  for (const f of searchFieldsOf(kind, data)) {
    const texts = [f.text, ...(f.forms ?? [])];
    const count = rest.filter((t) => texts.some((text) => holdsTerm(text, t))).length;
    if (count > bestCount) [best, bestCount] = [f, count];
  }
  return best && { field: best.field, text: markMatches(best.text, terms) };
}

/** `text` on one line with the words that match wrapped in [[ and ]], cut to a window round the first. */
function markMatches(text: string, terms: SearchTerm[]): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const words = writtenWords(line);
  const matches = (i: number) => terms.some((t) => holdsTerm(words[i]!.word, t));
  // Found word by word and only as far as needed: notes can run to thousands of words.
  const first = words.findIndex((_, i) => matches(i));
  // Matched only in another form (a phone number typed without its spaces): the value is the match.
  if (first < 0 && words.length <= SNIPPET_WORDS) return `[[${line}]]`;
  const from = words.length > SNIPPET_WORDS ? Math.max(0, Math.min(first - WORDS_BEFORE_MATCH, words.length - SNIPPET_WORDS)) : 0;
  const to = Math.min(words.length, from + SNIPPET_WORDS);
  let shown = from > 0 ? '…' : '';
  let cursor = from > 0 ? words[from]!.start : 0;
  for (let i = from; i < to; i++) {
    const w = words[i]!;
    shown += line.slice(cursor, w.start) + (matches(i) ? `[[${w.word}]]` : w.word);
    cursor = w.end;
  }
  return shown + (to < words.length ? ' …' : line.slice(cursor));
}
