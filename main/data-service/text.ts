// Text folding shared by sorting, prefix filters and search, so "Zoë", "ZOE" and "zoe"
// sort together and find each other, and "obrien" finds O'Brien.

/** Lower case, accents removed, whitespace collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a query as the search index tokenises them: letters and digits. */
export function queryTokens(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Apostrophes and hyphens, straight or typographic, as written inside names: O'Brien, O’Brien, Smith-Jones. */
const JOINERS = "'’ʼ`‐‑-";
const JOINER = new RegExp(`[${JOINERS}]+`, 'gu');
const HAS_JOINER = new RegExp(`[${JOINERS}]`, 'u');
/** A word as people write it: letters and digits, possibly joined by apostrophes or hyphens. */
const WRITTEN_WORD = new RegExp(`[\\p{L}\\p{N}]+(?:[${JOINERS}]+[\\p{L}\\p{N}]+)*`, 'gu');

/**
 * The words of `text` written with an apostrophe or hyphen inside, folded and run together
 * ("O'Brien" → "obrien", "Smith-Jones" → "smithjones"). The index holds them beside the
 * separate parts, so a name is found however the mark is typed, or left out.
 */
export function joinedWords(text: string): string[] {
  return (foldText(text).match(WRITTEN_WORD) ?? []).filter((w) => HAS_JOINER.test(w)).map((w) => w.replace(JOINER, ''));
}

/** Text as the search index holds it: as written, then its joined words. */
export function indexText(text: string): string {
  const joined = joinedWords(text);
  return joined.length ? `${text}\n${joined.join(' ')}` : text;
}

/** One word of a query: its tokens, and the same run together (they differ for "o'brien"). */
export interface SearchTerm {
  tokens: string[];
  joined: string;
}

/** The words of a query, each kept whole across apostrophes and hyphens; at most 12. */
export function searchTerms(text: string): SearchTerm[] {
  return (foldText(text).match(WRITTEN_WORD) ?? []).slice(0, 12).map((word) => {
    const tokens = queryTokens(word);
    return { tokens, joined: tokens.join('') };
  });
}

/**
 * An FTS5 MATCH expression in which every word must match as a prefix; a word with an
 * apostrophe or hyphen matches as its parts in a row or as one joined word. Each token is
 * quoted, so no user input is ever read as FTS5 syntax.
 */
export function prefixMatchExpression(text: string): string | null {
  const terms = searchTerms(text);
  if (terms.length === 0) return null;
  return terms
    .map(({ tokens, joined }) => (tokens.length === 1 ? `"${joined}"*` : `("${tokens.join(' ')}"* OR "${joined}"*)`))
    .join(' ');
}

/** Whether `text` holds `term` as the index matches it: its tokens in a row (the last as a prefix), or a word starting with them run together. */
export function holdsTerm(text: string, term: SearchTerm): boolean {
  const tokens = queryTokens(text);
  const last = term.tokens.length - 1;
  const inRow = (start: number) =>
    term.tokens.every((t, i) => (i === last ? tokens[start + i]?.startsWith(t) : tokens[start + i] === t));
  return tokens.some((_, start) => inRow(start)) || [...tokens, ...joinedWords(text)].some((w) => w.startsWith(term.joined));
}

/** The written words of `text` with their positions, for marking matches in what is shown. */
export function writtenWords(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(WRITTEN_WORD)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}
