// Text folding shared by sorting, prefix filters and search, so "Zoë", "ZOE" and "zoe"
// sort together and find each other.

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

/**
 * An FTS5 MATCH expression in which every word must match as a prefix. Each token is
 * quoted, so no user input is ever read as FTS5 syntax.
 */
export function prefixMatchExpression(text: string): string | null {
  const tokens = queryTokens(text).slice(0, 12);
  if (tokens.length === 0) return null;
  return tokens.map((t) => `"${t}"*`).join(' ');
}
