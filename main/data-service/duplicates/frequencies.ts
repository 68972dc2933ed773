// What a scan learns from the records it scans, so the finder's weights fit the workspace
// it runs on rather than the set they were first tuned on (the Fellegi–Sunter approach of
// record-linkage tools such as Splink):
// - how common each word is: two records that share a rare name (Zebedee Quist) are more
//   likely one person than two that share a common one (Mohammed Khan), and "Street" in two
//   addresses says nothing where the house number and the street's name say much;
// - how often two records that are *not* one person still agree on a field, at each level
//   of agreement (the u-probabilities), from pairs drawn at random from the workspace: in a
//   workspace where everyone lives on six streets, alike addresses count for less.
import { prng } from '../../../shared/prng';
import type { Token } from './normalise';

/** Frequencies from fewer records than about this say little; their adjustments are scaled down. */
const FEW_RECORDS = 100;
/** One word's adjustment, in log-odds, is kept within ± this. */
const MAX_ADJUSTMENT = 2.5;

export class WordFrequencies {
  /** Per word: in how many records it appears, and the two figures below, worked out once. */
  private readonly words = new Map<string, { records: number; agreement: number; weight: number }>();
  private readonly count: number;
  private readonly trust: number;
  /**
   * The two figures again by word id, from the first id counted (NaN until asked): a scan asks
   * them of most pairs it compares, and an array read is far cheaper than a look-up by text.
   * A word outside the range (one met later, such as a draft's) is looked up by text.
   */
  private readonly firstId: number = 0;
  private readonly agreements: Float64Array;
  private readonly weights: Float64Array;

  /** `reference`: the share of records holding a word that the weights of agreeing were set for. */
  constructor(
    recordWords: Iterable<readonly Token[]>,
    private readonly reference = 0.01,
  ) {
    // Per word, how many records hold it, and the last record counted (a word twice in one record counts once).
    const records = new Map<string, { n: number; last: number }>();
    let count = 0;
    let [firstId, lastId] = [Infinity, -Infinity];
    for (const words of recordWords) {
      count++;
      for (const { id, text } of words) {
        if (id < firstId) firstId = id;
        if (id > lastId) lastId = id;
        const seen = records.get(text);
        if (!seen) records.set(text, { n: 1, last: count });
        else if (seen.last !== count) {
          seen.n++;
          seen.last = count;
        }
      }
    }
    this.count = count;
    this.trust = count / (count + FEW_RECORDS);
    for (const [text, { n }] of records) this.words.set(text, { records: n, agreement: this.agreementOf(n), weight: this.weightOf(n) });
    const size = lastId >= firstId ? lastId - firstId + 1 : 0;
    this.firstId = firstId;
    this.agreements = new Float64Array(size).fill(NaN);
    this.weights = new Float64Array(size).fill(NaN);
  }

  /**
   * Log-odds to add when two records agree on this word: positive for a word rarer than
   * the reference, negative for a commoner one. The chance two other people share a word
   * is its frequency, where the weight of agreeing assumed the reference's (Splink's
   * term-frequency adjustment, ln(u / tf)).
   */
  agreement(word: Token): number {
    const at = word.id - this.firstId;
    if (!(at >= 0 && at < this.agreements.length)) return this.words.get(word.text)?.agreement ?? this.agreementOf(1);
    const known = this.agreements[at]!;
    return Number.isNaN(known) ? (this.agreements[at] = this.words.get(word.text)?.agreement ?? this.agreementOf(1)) : known;
  }

  /** The words held by more than this share of the records. */
  commonerThan(share: number): string[] {
    const common: string[] = [];
    for (const [text, { records }] of this.words) if (records / this.count > share) common.push(text);
    return common;
  }

  /** How much a word tells records apart (inverse document frequency, at least a little). */
  weight(word: Token): number {
    const at = word.id - this.firstId;
    if (!(at >= 0 && at < this.weights.length)) return this.words.get(word.text)?.weight ?? this.weightOf(0);
    const known = this.weights[at]!;
    return Number.isNaN(known) ? (this.weights[at] = this.words.get(word.text)?.weight ?? this.weightOf(0)) : known;
  }

  private agreementOf(records: number): number {
    const share = Math.max(records, 1) / Math.max(this.count, 1);
    return this.trust * Math.max(-MAX_ADJUSTMENT, Math.min(MAX_ADJUSTMENT, Math.log(this.reference / share)));
  }

  private weightOf(records: number): number {
    return Math.max(0.1, Math.log((this.count + 1) / (records + 1)));
  }
}

/** Random pairs drawn to estimate u-probabilities: enough for a level one pair in a thousand reaches. */
const U_SAMPLES = 4_000;
/** The prior's weight, in pairs, in the estimate of u (it matters only where the sample saw few). */
const U_PRIOR_PAIRS = 1_000;

/**
 * Log-odds weights of a comparison's levels (best first), ln(m / u): m is how often two
 * records of one person land at each level (how people re-type a record), u how often
 * two different people do, estimated from random pairs of the records scanned. A level no
 * sampled pair reached keeps its prior u. Weights stay within [min, max]: a shared address
 * says "one household" at most, not "one person".
 */
export function levelWeights<F>(
  all: readonly F[],
  levelOf: (a: F, b: F) => number | null,
  { m, uPrior, min, max }: { m: readonly number[]; uPrior: readonly number[]; min: number; max: number },
): number[] {
  const seen = new Array<number>(m.length).fill(0);
  let compared = 0;
  // Seeded: the same workspace always gives the same sample, and so the same scores.
  const random = prng(all.length);
  const draws = all.length < 2 ? 0 : Math.min(U_SAMPLES, (all.length * (all.length - 1)) / 2);
  for (let k = 0; k < draws; k++) {
    const i = Math.floor(random() * all.length);
    const j = Math.floor(random() * (all.length - 1));
    const level = levelOf(all[i]!, all[j >= i ? j + 1 : j]!);
    if (level === null) continue;
    seen[level]!++;
    compared++;
  }
  return m.map((mk, k) => {
    const u = (seen[k]! + U_PRIOR_PAIRS * uPrior[k]!) / (compared + U_PRIOR_PAIRS);
    return Math.max(min, Math.min(max, Math.log(mk / u)));
  });
}
