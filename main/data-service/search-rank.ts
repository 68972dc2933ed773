// The order search results come in. FTS5's bm25 alone ranked "Margaret's baking" above the
// contact Margaret for "marg" (her notes made her text longer, so each match weighed less),
// so a record picked with Enter was the wrong one. Results are ordered instead by:
//  1. how closely the title matches what was typed:
//     exact ("margaret" → "Margaret"),
//     the title starts with the typed words whole ("margaret" → "Margaret O'Brien"),
//     the title starts with them as word beginnings ("marg" → "Margaret", "zoe bro" → "Zoë Brown"),
//     every typed word begins some word of the title ("brien" → "Margaret O'Brien"),
//     only other fields match (notes, phone, description);
//  2. people and organisations, then assets, then sessions, then connections: workers look
//     people up most, and places are named after people ("Margaret's baking") far more
//     often than the other way round;
//  3. fewer title words beyond those typed ("Margaret" before "Margaret O'Brien");
//  4. bm25.
// Words are compared as the search index splits them, so accents and case never matter.
import type { RecordKind } from '../../shared/domain';
import { queryTokens } from './text';

const KIND_ORDER = { contact: 0, asset: 1, session: 2, connection: 3, policy: 4 } satisfies Record<RecordKind, number>;

/** How closely a title matches the typed words, closest first. */
const TITLE_MATCH = { exact: 0, wholeWordsAtStart: 1, wordBeginningsAtStart: 2, wordBeginningsAnywhere: 3, notInTitle: 4 } as const;
type TitleMatch = (typeof TITLE_MATCH)[keyof typeof TITLE_MATCH];

function titleMatch(titleWords: readonly string[], typed: readonly string[]): TitleMatch {
  const atStart = typed.every((word, i) => titleWords[i]?.startsWith(word));
  if (atStart && typed.every((word, i) => titleWords[i] === word)) {
    return titleWords.length === typed.length ? TITLE_MATCH.exact : TITLE_MATCH.wholeWordsAtStart;
  }
  if (atStart) return TITLE_MATCH.wordBeginningsAtStart;
  if (typed.every((word) => titleWords.some((titleWord) => titleWord.startsWith(word)))) return TITLE_MATCH.wordBeginningsAnywhere;
  return TITLE_MATCH.notInTitle;
}

function searchOrder(title: string, kind: RecordKind, typed: readonly string[]): number {
  const titleWords = queryTokens(title);
  const match = titleMatch(titleWords, typed);
  const extraWords = match === TITLE_MATCH.notInTitle ? 0 : Math.min(Math.max(titleWords.length - typed.length, 0), 99);
  return match * 10_000 + KIND_ORDER[kind] * 100 + extraWords;
}

/** The matches for `query` closest first; `matches` come best first by bm25, which breaks ties. */
export function closestFirst<T extends { title: string; kind: RecordKind }>(matches: readonly T[], query: string): T[] {
  const typed = queryTokens(query);
  return matches
    .map((match, bm25Order) => ({ match, bm25Order, order: searchOrder(match.title, match.kind, typed) }))
    .sort((a, b) => a.order - b.order || a.bm25Order - b.bm25Order)
    .map(({ match }) => match);
}
