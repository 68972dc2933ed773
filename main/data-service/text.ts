// Text folding shared by sorting, prefix filters and search, so "Zoë", "ZOE" and "zoe"
// sort together and find each other, and "obrien" finds O'Brien.

const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents removed, whitespace collapsed. */
export function foldText(text: string): string {
  // Most text is plain ASCII, which has no accents to take off (search folds every field of every result).
  const plain = ASCII.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '');
  return plain
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** The words of a query as the search index tokenises them: letters and digits. */
export function queryTokens(text: string): string[] {
  return foldText(text).match(TOKEN) ?? [];
}

/** Apostrophes and hyphens, straight or typographic, as written inside names: O'Brien, O’Brien, Smith-Jones. */
const JOINERS = "'’ʼ`‐‑-";
const JOINER = new RegExp(`[${JOINERS}]+`, 'gu');
const HAS_JOINER = new RegExp(`[${JOINERS}]`, 'u');
/** A word as people write it: letters and digits, possibly joined by apostrophes or hyphens. */
const WRITTEN_WORD = new RegExp(`[\\p{L}\\p{N}]+(?:[${JOINERS}]+[\\p{L}\\p{N}]+)*`, 'gu');

/** The words of a text as the search index holds them: its tokens in order, and its joined words. */
export interface IndexedWords {
  tokens: string[];
  /**
   * Words written with an apostrophe or hyphen inside, folded and run together ("O'Brien" →
   * "obrien", "Smith-Jones" → "smithjones"). The index holds them beside the separate
   * parts, so a name is found however the mark is typed, or left out.
   */
  joined: string[];
}

/** The written words of a text, folded, each as the parts its apostrophes and hyphens separate. */
function wordParts(text: string): string[][] {
  return (foldText(text).match(WRITTEN_WORD) ?? []).map((word) => word.split(JOINER));
}

export function indexedWords(text: string): IndexedWords {
  const words: IndexedWords = { tokens: [], joined: [] };
  for (const parts of wordParts(text)) {
    words.tokens.push(...parts);
    if (parts.length > 1) words.joined.push(parts.join(''));
  }
  return words;
}

/** Text as the search index holds it: as written, then its joined words. */
export function indexText(text: string): string {
  // Most text has no apostrophe or hyphen, so no joined words: skip splitting it into words.
  if (!HAS_JOINER.test(text)) return text;
  const { joined } = indexedWords(text);
  return joined.length ? `${text}\n${joined.join(' ')}` : text;
}

/** One word of a query: its tokens, and the same run together (they differ for "o'brien"). */
export interface SearchTerm {
  tokens: string[];
  joined: string;
}

/** The words of a query, each kept whole across apostrophes and hyphens; at most 12. */
export function searchTerms(text: string): SearchTerm[] {
  return wordParts(text)
    .slice(0, 12)
    .map((tokens) => ({ tokens, joined: tokens.join('') }));
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
    // Said outright: FTS5 joins phrases with an implicit AND, but not a phrase and a group.
    .join(' AND ');
}

/**
 * Whether `text` holds `term` as the index matches it: the term's tokens in a row (the last
 * as a prefix), or a word starting with them run together.
 */
export function holdsTerm(text: string, term: SearchTerm): boolean {
  // A quick test first: this runs for every field of every result shown, and most hold nothing.
  // (Without its apostrophes and hyphens, as "obrien" is held by O'Brien.)
  const folded = ASCII.test(text) ? text.toLowerCase() : foldText(text);
  if (!folded.replace(JOINER, '').includes(term.tokens[0]!)) return false;
  const { tokens, joined } = indexedWords(text);
  const last = term.tokens.length - 1;
  for (let start = 0; start + last < tokens.length; start++) {
    let i = 0;
    while (i < last && tokens[start + i] === term.tokens[i]) i++;
    if (i === last && tokens[start + last]!.startsWith(term.tokens[last]!)) return true;
  }
  for (const word of tokens) if (word.startsWith(term.joined)) return true;
  for (const word of joined) if (word.startsWith(term.joined)) return true;
  return false;
}

/** The written words of `text` with their positions, for marking matches in what is shown. */
export function writtenWords(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(WRITTEN_WORD)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}
