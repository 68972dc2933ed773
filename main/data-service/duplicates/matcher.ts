// What the duplicate finder needs from each kind of record, and the scoring both kinds
// share: every piece of evidence adds to (or takes from) the log-odds that two records
// are one, and carries the words that explain it to a team lead.
import type { SqliteDatabase } from '../db/sqlite';
import type { DuplicateKind } from '../../../shared/rpc';
import { queryTokens } from '../text';
import type { BlockingKeys } from './blocks';
import type { Address, Postcode } from './normalise';

/** Words for a team lead, written only if the pair is shown. */
export interface Describable {
  describe(): string;
}

/** "same name", "names 92% alike". */
export class Alike implements Describable {
  constructor(readonly similarity: number) {}
  describe(): string {
    return this.similarity === 1 ? 'same name' : `names ${Math.round(this.similarity * 100)}% alike`;
  }
}

/** "40 m apart", "1.2 km apart". */
export class Apart implements Describable {
  constructor(readonly metres: number) {}
  describe(): string {
    return this.metres < 1000 ? `${Math.round(this.metres)} m apart` : `${(this.metres / 1000).toFixed(1)} km apart`;
  }
}

export interface Matcher<F, C = unknown> {
  kind: DuplicateKind;
  /** The fields of `records.data` that `prepare` reads (two or more: SQLite's json_extract of several gives them as an array). */
  fields: readonly string[];
  /** The comparable form of a record's data; null if there is nothing to compare (no name). */
  prepare(data: Record<string, unknown>): F | null;
  /** Records that share a key are compared; records that share none never are. */
  blockingKeys(f: F, keys: BlockingKeys): void;
  /** Order inside a block too large to compare in full: neighbours in this order are compared. */
  sortKey(f: F): string;
  /**
   * A number that records whose names share a word have in common (a word's id): a scan
   * compares records in its order, so what a pair reads was just read for its neighbours.
   * The order of comparing changes no pair and no score.
   */
  groupKey(f: F): number;
  /** What comparing needs to know about the whole scanned set (see geography.ts); drafts are compared without it. */
  learn?(all: F[]): C;
  /** Log-odds that two records of this kind are one before any evidence. */
  prior: number;
  /**
   * Add what tells the two apart or together to `evidence`. `floor`: the log-odds below
   * which the pair is of no interest; compare may stop as soon as the pair cannot reach it.
   */
  compare(a: F, b: F, evidence: Evidence, learned?: C, floor?: number): void;
  /** Ids of active records worth comparing with a draft, found through the projection's indexes. */
  draftCandidates(db: SqliteDatabase, data: Record<string, unknown>, f: F, limit: number): string[];
}

/**
 * What comparing two records found: log-odds weights (positive says "same", negative
 * "different"), each with its words for a team lead or what writes them. One is reused
 * from comparison to comparison, and words are written only for pairs shown: most pairs
 * compared never are.
 */
export class Evidence {
  /** Overwritten from comparison to comparison: only the first `count` are this one's (cutting the arrays short cost a call per comparison). */
  private readonly weights: number[] = [];
  private readonly reasons: (string | Describable)[] = [];
  private count = 0;

  clear(): this {
    this.count = 0;
    return this;
  }

  add(weight: number, reason: string | Describable): void {
    this.weights[this.count] = weight;
    this.reasons[this.count++] = reason;
  }

  /** How many pieces of evidence there are so far. */
  get size(): number {
    return this.count;
  }

  /** The weights added since there were `size` of them. */
  weightsSince(size: number): readonly number[] {
    return this.weights.slice(size, this.count);
  }

  /** The probability-like score of a prior log-odds plus the evidence, in [0, 1]. */
  score(prior: number): number {
    let z = prior;
    for (let i = 0; i < this.count; i++) z += this.weights[i]!;
    return 1 / (1 + Math.exp(-z));
  }

  /** The evidence in words: reasons for first, then against. */
  words(): string[] {
    const say = (i: number) => {
      const reason = this.reasons[i]!;
      return typeof reason === 'string' ? reason : reason.describe();
    };
    const order = Array.from({ length: this.count }, (_, i) => i);
    return [...order.filter((i) => this.weights[i]! > 0), ...order.filter((i) => this.weights[i]! <= 0)].map(say);
  }
}

/** Piecewise-linear interpolation through (x, y) points sorted by x, flat beyond the ends. */
export function interpolate(points: readonly (readonly [number, number])[], x: number): number {
  const first = points[0]!;
  if (x <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    if (x <= x1) {
      const [x0, y0] = points[i - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points.at(-1)![1];
}



/** Evidence from two postcodes: the same one, two in one district (M14), or two districts apart. */
export function comparePostcodes(a: Postcode | null, b: Postcode | null, weights: { same: number; sameDistrict: number; otherDistrict: number }, evidence: Evidence): void {
  if (!a || !b) return;
  if (a.full === b.full) evidence.add(weights.same, 'same postcode');
  else if (a.outward === b.outward) evidence.add(weights.sameDistrict, `different postcodes in ${a.outward}`);
  else evidence.add(weights.otherDistrict, 'postcodes in different districts');
}

/** Evidence from two addresses: the same first line, or two towns (only when both name one). */
export function compareAddresses(a: Address | null, b: Address | null, weights: { same: number; otherLine: number; otherTown: number }, evidence: Evidence): void {
  if (!a || !b) return;
  if (a.town && b.town && a.town !== b.town) evidence.add(weights.otherTown, 'addresses in different towns');
  else if (a.line === b.line) evidence.add(weights.same, 'same address');
  else if (weights.otherLine) evidence.add(weights.otherLine, 'different addresses');
}

/** FTS5 phrase for any text (quoted, so nothing typed is read as query syntax); null if it has no words. */
export function ftsPhrase(text: string): string | null {
  const words = queryTokens(text);
  return words.length ? `"${words.join(' ')}"` : null;
}

/**
 * Ids of active records of `kind` whose search index matches any of the FTS5 `terms`
 * (each a valid FTS5 expression), best matches first.
 */
export function searchIds(db: SqliteDatabase, kind: DuplicateKind, terms: string[], limit: number): string[] {
  if (terms.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT r.id FROM search_index JOIN records r ON r.rid = search_index.rowid
       WHERE search_index MATCH @match AND r.kind = @kind AND r.status = 'active'
       ORDER BY bm25(search_index, 10.0, 1.0) LIMIT @limit`,
    )
    .all({ match: terms.map((t) => `(${t})`).join(' OR '), kind, limit }) as { id: string }[];
  return rows.map((r) => r.id);
}
