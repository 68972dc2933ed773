// The comparable forms of what field workers type: phone numbers, emails, postcodes,
// addresses and names, and the similarity of two names. Shared by contacts and assets.
import { doubleMetaphone } from 'double-metaphone';
import { distance } from 'fastest-levenshtein';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { foldText } from '../text';
import { nicknameGroups } from './nicknames';

/** A phone number in E.164 (+447700900123), read with a GB default; null if it can't be a number. */
export function normalisePhone(raw: string | undefined): string | null {
  if (!raw || raw.replace(/\D/g, '').length < 4) return null;
  const parsed = parsePhoneNumberFromString(raw, { defaultCountry: 'GB', extract: false });
  // isPossible, not isValid: Ofcom's drama ranges (07700 900xxx) are real-looking test numbers.
  return parsed?.isPossible() ? parsed.number : null;
}

/**
 * A phone number as typed. Parsing every number of a workspace with libphonenumber costs
 * seconds, so blocking uses the last nine digits (numbers that end differently are
 * different numbers) and libphonenumber decides, once per number, only between numbers
 * that end alike.
 */
export interface Phone {
  raw: string;
  digits: string;
  tail: string;
  /** E.164, once worked out; null if it can't be a number. */
  e164?: string | null;
}

export function phoneOf(raw: string | undefined): Phone | null {
  const digits = raw?.replace(/\D/g, '') ?? '';
  // e164 is there from the start (worked out later for a few): adding a field later gives the object another shape.
  return digits.length >= 9 ? { raw: raw!, digits, tail: digits.slice(-9), e164: undefined } : null;
}

export function samePhone(a: Phone, b: Phone): boolean {
  if (a.tail !== b.tail) return false;
  const e164 = e164Of(a);
  return e164 !== null && e164 === e164Of(b);
}

/** Numbers typed alike parse alike: a household's number, typed the same on each member's record, is parsed once. */
const e164s = new Map<string, string | null>();

function e164Of(phone: Phone): string | null {
  if (phone.e164 !== undefined) return phone.e164;
  let e164 = e164s.get(phone.raw);
  if (e164 === undefined) {
    e164 = normalisePhone(phone.raw);
    // Numbers repeat; the cap only guards against unbounded growth in a long-lived service.
    if (e164s.size > 100_000) e164s.clear();
    e164s.set(phone.raw, e164);
  }
  return (phone.e164 = e164);
}

export function normaliseEmail(raw: string | undefined): string | null {
  const email = raw?.trim().toLowerCase();
  return email ? email : null;
}

/** A postcode in upper case without spaces (M145TQ), and its outward code, the district (M14). */
export interface Postcode {
  full: string;
  outward: string;
}

/** The outward code is everything but the last three characters. */
export function normalisePostcode(raw: string | undefined): Postcode | null {
  const full = raw?.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (!full || full.length < 5) return null;
  return { full, outward: full.slice(0, -3) };
}

/** An address's first line (house and street) and last part (the town), folded, and its words. */
export interface Address {
  line: string;
  town: string | null;
  /** The town as one word, so two towns are compared once per scan however many pairs name them. */
  townWord: Token | null;
  /** Every word of every part, numbers included: compared fuzzily, so a typo or a part written in another order still agrees. */
  words: Token[];
  /** The first letters-only word of each part (the street, the district, the town), for blocking. */
  partWords: Token[];
  /** The house number: the first number of the first line. */
  number: string | null;
  /** Its letters and digits run together: "crisp circuit" and "crispcir cuit" differ by one slip, not two words. */
  joined: string;
}

export function normaliseAddress(raw: string | undefined): Address | null {
  // Folded once, every run of anything but letters, digits and commas made one space: parts
  // of single-spaced words (a scan reads every record's address).
  const parts = foldText(raw ?? '')
    .replace(/[^\p{L}\p{N},]+/gu, ' ')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  const words: Token[] = [];
  const partWords: Token[] = [];
  for (const part of parts) {
    let street: Token | null = null;
    for (const word of part.split(' ')) {
      const t = token(word);
      words.push(t);
      if (!street && word.length >= 3 && !NAME_STOPWORDS.has(word) && !/\d/.test(word)) street = t;
    }
    if (street) partWords.push(street);
  }
  // The town's text is the word's, one string for every record in that town, not one each.
  const townWord = parts.length > 1 ? token(parts.at(-1)!) : null;
  return {
    line: parts[0]!,
    town: townWord?.text ?? null,
    townWord,
    // Copies of the exact length: an array grown by push keeps room for 17, and a scan keeps every record's.
    words: words.slice(),
    partWords: partWords.slice(),
    number: /\d+/.exec(parts[0]!)?.[0] ?? null,
    // Parts hold words single-spaced: one flat string, where adding word by word kept a chain of pieces per address for the scan's length.
    joined: parts.join('').replaceAll(' ', ''),
  };
}

/** Great-circle distance in metres (haversine). */
export function metresApart(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008 * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ---------------------------------------------------------------- names

/** One word of a name, with what comparing it needs worked out once. */
export interface Token {
  /** Never reused, so how alike two words are can be remembered by their ids (WordPairs). */
  id: number;
  text: string;
  /** Primary Double Metaphone code: Smith and Smyth, Thomson and Thompson sound alike. */
  sound: string;
  nicknames: readonly number[];
  /** Its parts of blocking keys as ids (contacts.ts), once worked out. */
  keyParts: { epoch: number; names: readonly string[]; sound: number; first2: number; first3: number; formal: readonly number[] } | undefined;
}

const tokenCache = new Map<string, Token>();
let nextTokenId = 1;

function token(text: string): Token {
  let t = tokenCache.get(text);
  if (!t) {
    t = { id: nextTokenId++, text, sound: doubleMetaphone(text)[0], nicknames: nicknameGroups(text), keyParts: undefined };
    // Names repeat a lot; the cap only guards against unbounded growth in a long-lived service.
    if (tokenCache.size > 100_000) tokenCache.clear();
    tokenCache.set(text, t);
  }
  return t;
}

/** Little words dropped from the names of places and organisations ("The Friends of the Park"). */
export const NAME_STOPWORDS: ReadonlySet<string> = new Set(['the', 'and', 'of', 'a', 'at', 'for']);

/** Honorifics dropped before comparing: "Mrs J Smith" is J Smith. */
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'rev', 'revd', 'prof', 'sir', 'dame', 'cllr']);
/** Person names longer than this are compared on their first words (nameSimilarity's pairing is exhaustive). */
const MAX_TOKENS = 4;

/**
 * The words of a name, folded, in "first … last" order: "Smith, Rob" gives rob smith;
 * apostrophes vanish so O'Brien, O’Brien and OBrien agree.
 */
export function nameTokens(name: string | undefined, options: { dropWords?: ReadonlySet<string>; maxTokens?: number } = {}): Token[] {
  let folded = foldText(name ?? '').replace(/['’‘`]/g, '');
  const comma = folded.indexOf(',');
  if (comma > 0) folded = `${folded.slice(comma + 1)} ${folded.slice(0, comma)}`;
  const drop = options.dropWords ?? TITLES;
  const words = (folded.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !drop.has(w));
  return words.slice(0, options.maxTokens ?? MAX_TOKENS).map(token);
}

const NICKNAME_SIMILARITY = 0.95;
const SOUND_SIMILARITY = 0.85;
const INITIAL_SIMILARITY = 0.8;

const areNicknames = (a: Token, b: Token) => a.text !== b.text && a.nicknames.some((g) => b.nicknames.includes(g));

/** How alike two strings are by edits, in [0, 1]. */
export function editSimilarity(a: string, b: string): number {
  return a === b ? 1 : 1 - distance(a, b) / Math.max(a.length, b.length);
}

/**
 * Jaro–Winkler similarity in [0, 1]: letters in common within a window, transpositions,
 * and a bonus for a shared start. Record linkage's usual measure for names, kinder than
 * edit distance to slips in long names and to slips late in a word (Nevin, Nevyi).
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  // Which letters of each found a partner, in scratch space reused from call to call.
  if (matchedA.length < a.length || matchedB.length < b.length) [matchedA, matchedB] = [new Uint8Array(2 * a.length), new Uint8Array(2 * b.length)];
  // Cleared and read letter by letter: most words are a few letters, where fill() and a bound worked out per step cost more than the work.
  for (let i = 0; i < a.length; i++) matchedA[i] = 0;
  for (let j = 0; j < b.length; j++) matchedB[j] = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const letter = a.charCodeAt(i);
    const last = Math.min(b.length, i + window + 1);
    for (let j = Math.max(0, i - window); j < last; j++) {
      if (matchedB[j] || letter !== b.charCodeAt(j)) continue;
      matchedA[i] = matchedB[j] = 1;
      m++;
      break;
    }
  }
  if (m === 0) return 0;
  // Matched letters taken in order in both words: those that differ are transposed.
  let transposed = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[j]) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j++)) transposed++;
  }
  const jaro = (m / a.length + m / b.length + (m - transposed / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

/** How alike two words of a name are: the same or a nickname, a slip (or an initial), a bad slip, or another word. */
export const WordLevel = { Same: 0, Slip: 1, BadSlip: 2, Other: 3 } as const;
export type WordLevel = (typeof WordLevel)[keyof typeof WordLevel];
/** tokenSimilarity at least this much, per level (above Other). */
const WORD_LEVEL_SIMILARITY = [0.95, 0.8, 0.65];
/** Or Jaro–Winkler at least this much, kinder to slips late in a word (Nevin, Nevyi; Taylah, Talyaj). */
const WORD_LEVEL_JARO_WINKLER = [1, 0.92, 0.8];

function findWordLevel(a: Token, b: Token, similarity: number): WordLevel {
  // The first level whose least similarity it reaches (the lists go down).
  let level: number = WordLevel.Other;
  while (level > WordLevel.Same && similarity >= WORD_LEVEL_SIMILARITY[level - 1]!) level--;
  if (level <= WordLevel.Slip || a.text.length < 2 || b.text.length < 2) return level as WordLevel;
  const jw = jaroWinkler(a.text, b.text);
  while (level > WordLevel.Same && jw >= WORD_LEVEL_JARO_WINKLER[level - 1]!) level--;
  return level as WordLevel;
}

/**
 * How alike two words are, as far as worked out, remembered per (ordered) pair of word ids:
 * a workspace has far fewer distinct words than pairs of names, and a scan asks millions.
 * An open-addressing table in typed arrays: a look-up allocates nothing and hashes two
 * numbers, where a map per word cost a third of comparing names. A slot's two ids and its
 * similarity lie side by side (16 bytes), so a look-up reads one cache line, not two.
 */
class WordPairs {
  /** Slots at first, and at most (17 MB; then the table starts again, as the service is long-lived). */
  private static readonly FIRST = 1 << 14;
  private static readonly MOST = 1 << 20;
  /** Per slot, four 32-bit words: the two word ids (0: empty), then the similarity as a double (`similarities[2 * slot + 1]`, the same bytes). */
  private ids = new Int32Array(4 * WordPairs.FIRST);
  private similarities = new Float64Array(this.ids.buffer);
  /** The level once asked, else -1. */
  private levels = new Int8Array(WordPairs.FIRST);
  private used = 0;
  /** How many times the table was made anew (slots found before then are stale). */
  grown = 0;

  /** The slot of a pair of words, worked out (their similarity) the first time it is asked. */
  slot(a: Token, b: Token): number {
    const mask = this.levels.length - 1;
    let at = (Math.imul(a.id, 0x9e3779b1) ^ Math.imul(b.id, 0x85ebca6b)) & mask;
    for (;;) {
      const x = this.ids[4 * at]!;
      if (x === a.id && this.ids[4 * at + 1] === b.id) return at;
      if (x === 0) break;
      at = (at + 1) & mask;
    }
    if (2 * (this.used + 1) > this.levels.length) {
      this.resize(this.levels.length < WordPairs.MOST ? 2 * this.levels.length : this.levels.length, this.levels.length < WordPairs.MOST);
      return this.slot(a, b);
    }
    this.ids[4 * at] = a.id;
    this.ids[4 * at + 1] = b.id;
    this.similarities[2 * at + 1] = wordSimilarity(a, b);
    this.levels[at] = -1;
    this.used++;
    return at;
  }

  similarity(slot: number): number {
    return this.similarities[2 * slot + 1]!;
  }

  /** Room for about `pairs` pairs at once, where growing to it step by step places them again at each step. */
  reserve(pairs: number): void {
    let size = this.levels.length;
    while (size < WordPairs.MOST && size < 2 * pairs) size *= 2;
    if (size > this.levels.length) this.resize(size, true);
  }

  level(slot: number, a: Token, b: Token): WordLevel {
    const known = this.levels[slot]!;
    if (known >= 0) return known as WordLevel;
    const level = findWordLevel(a, b, this.similarity(slot));
    this.levels[slot] = level;
    return level;
  }

  /** A table of `size` slots, holding what this one knew if `keep`. */
  private resize(size: number, keep: boolean): void {
    const [ids, similarities, levels] = [this.ids, this.similarities, this.levels];
    this.grown++;
    this.ids = new Int32Array(4 * size);
    this.similarities = new Float64Array(this.ids.buffer);
    this.levels = new Int8Array(size);
    this.used = 0;
    if (!keep) return;
    const mask = size - 1;
    for (let from = 0; from < levels.length; from++) {
      const a = ids[4 * from]!;
      if (a === 0) continue;
      const b = ids[4 * from + 1]!;
      let at = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
      while (this.ids[4 * at] !== 0) at = (at + 1) & mask;
      this.ids[4 * at] = a;
      this.ids[4 * at + 1] = b;
      this.similarities[2 * at + 1] = similarities[2 * from + 1]!;
      this.levels[at] = levels[from]!;
      this.used++;
    }
  }
}
const wordPairs = new WordPairs();

/** A scan of `records` records is about to compare their words (some four pairs of words per record in the reference workspace). */
export function expectWordPairsOf(records: number): void {
  wordPairs.reserve(4 * records);
}

/** Two letters typed the wrong way round ("Smtih"): one slip, where Levenshtein distance counts two edits. */
function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * How alike two words of a name are, in [0, 1]. Short forms count only when listed
 * (nicknames.ts): a bare prefix rule would make Paul and Pauline Smith, a couple, one person.
 */
export function tokenSimilarity(a: Token, b: Token): number {
  return a === b ? 1 : wordPairs.similarity(wordPairs.slot(a, b));
}

function wordSimilarity(a: Token, b: Token): number {
  if (a.text === b.text) return 1;
  if (a.text.length === 1 || b.text.length === 1) return a.text[0] === b.text[0] ? INITIAL_SIMILARITY : 0;
  if (areNicknames(a, b)) return NICKNAME_SIMILARITY;
  const edits = isAdjacentSwap(a.text, b.text) ? 1 : distance(a.text, b.text);
  const edit = 1 - edits / Math.max(a.text.length, b.text.length);
  return a.sound === b.sound && a.sound.length >= 2 ? Math.max(edit, SOUND_SIMILARITY) : edit;
}

/** Each extra word in the longer name (a middle name) costs this much. */
const EXTRA_WORD_PENALTY = 0.05;
/** A one-word name against a longer one ("Smith" against "John Smith") says little. */
const ONE_WORD_FACTOR = 0.8;
const REORDER_FACTOR = 0.98;
/** Words of a name compared by nameSimilarity; the pairing is exhaustive (at most 8 × 8). */
const PAIRED_WORDS = 8;
/** Scratch space for the word similarities of one comparison, and their slots in `wordPairs` (comparisons run one at a time). */
const scratch = new Float64Array(PAIRED_WORDS * PAIRED_WORDS);
const slots = new Int32Array(PAIRED_WORDS * PAIRED_WORDS);

/** How alike two names are, and how their words were paired (its description is written only if shown). */
export class NameMatch {
  constructor(
    /** In [0, 1]. */
    readonly similarity: number,
    readonly short: Token[],
    readonly long: Token[],
    /** For each word of the shorter name, the word of the longer one it is paired with. */
    readonly pick: number[],
    /** For each word of the shorter name, how alike it is to the word it is paired with. */
    readonly levels: WordLevel[],
    /** The words were paired out of order ("Smith Bob" against "Bob Smith"). */
    readonly reordered: boolean,
  ) {}

  /** A pair of words matched as nicknames of each other, e.g. ["bob", "robert"]. */
  get nickname(): [string, string] | null {
    const i = this.pick.findIndex((j, i) => areNicknames(this.short[i]!, this.long[j]!));
    return i >= 0 ? [this.short[i]!.text, this.long[this.pick[i]!]!.text] : null;
  }

  /** "same name", "names 98% alike (bob = robert, names in another order)". */
  describe(): string {
    const nickname = this.nickname;
    const details = [nickname ? `${nickname[0]} = ${nickname[1]}` : null, this.reordered ? 'names in another order' : null].filter(Boolean);
    const alike = this.similarity === 1 ? 'same name' : `names ${Math.round(this.similarity * 100)}% alike`;
    return details.length ? `${alike} (${details.join(', ')})` : alike;
  }
}

/** The pairing being tried and the best so far, of the comparison running (they run one at a time). */
const trying = new Int8Array(PAIRED_WORDS);
const bestPick = new Int8Array(PAIRED_WORDS);
let bestSum = -1;

/** The best one-to-one pairing of the shorter name's words (rows of `scratch`) with the longer name's (columns), the columns used so far as a bit mask. */
function searchPairing(rows: number, width: number, row: number, used: number, sum: number): void {
  if (row === rows) {
    if (sum > bestSum) {
      bestSum = sum;
      for (let i = 0; i < rows; i++) bestPick[i] = trying[i]!;
    }
    return;
  }
  for (let col = 0; col < width; col++) {
    if (used & (1 << col)) continue;
    trying[row] = col;
    searchPairing(rows, width, row + 1, used | (1 << col), sum + scratch[row * width + col]!);
  }
}

/**
 * The similarity of two names: the best one-to-one pairing of their words, so word order
 * ("Smith Rob"), missing middle names, nicknames, initials and typos are all tolerated.
 */
export function nameSimilarity(a: Token[], b: Token[]): NameMatch {
  let short = a.length <= b.length ? a : b;
  let long = short === a ? b : a;
  if (long.length > PAIRED_WORDS) [short, long] = [short.slice(0, PAIRED_WORDS), long.slice(0, PAIRED_WORDS)];
  if (short.length === 0) return new NameMatch(0, short, long, [], [], false);
  const width = long.length;
  // Each pair of words' slot is kept, so the levels of the pairs picked are read without
  // hashing them again; a slot moves only if the table grew meanwhile (then they are found again).
  let grown: number;
  do {
    grown = wordPairs.grown;
    for (let i = 0; i < short.length; i++) {
      for (let j = 0; j < width; j++) {
        const x = short[i]!;
        const y = long[j]!;
        const slot = x === y ? -1 : wordPairs.slot(x, y);
        slots[i * width + j] = slot;
        scratch[i * width + j] = slot < 0 ? 1 : wordPairs.similarity(slot);
      }
    }
  } while (grown !== wordPairs.grown);
  let pick: number[];
  let best: number;
  if (short.length === 2 && width === 2) {
    // Most names have two words: the two pairings, straight first (as searchPairing tries them).
    const straight = scratch[0]! + scratch[3]!;
    const crossed = scratch[1]! + scratch[2]!;
    pick = crossed > straight ? [1, 0] : [0, 1];
    best = crossed > straight ? crossed : straight;
  } else {
    bestSum = -1;
    searchPairing(short.length, width, 0, 0, 0);
    pick = [];
    for (let i = 0; i < short.length; i++) pick.push(bestPick[i]!);
    best = bestSum;
  }
  const levels: WordLevel[] = [];
  let reordered = false;
  for (let i = 0; i < pick.length; i++) {
    if (i > 0 && pick[i]! < pick[i - 1]!) reordered = true;
    const slot = slots[i * width + pick[i]!]!;
    levels.push(slot < 0 ? WordLevel.Same : wordPairs.level(slot, short[i]!, long[pick[i]!]!));
  }
  let similarity = best / short.length;
  similarity *= short.length === 1 && long.length > 1 ? ONE_WORD_FACTOR : 1 - EXTRA_WORD_PENALTY * (long.length - short.length);
  if (reordered) similarity *= REORDER_FACTOR;
  return new NameMatch(similarity, short, long, pick, levels, reordered);
}

/** Words less alike than this are not a typo of each other. */
const WORD_MATCH = 0.75;
const CONTAINED = 0.9;

/**
 * Similarity of two names of places or organisations, whose words come in any number and
 * weigh differently ("St" little, "Mary's" much): a weighted Dice coefficient over words
 * paired greedily, best pairs first, each pair counting its similarity times the lesser
 * weight; or, if higher, how much of the shorter name the longer one holds.
 */
export function wordSetSimilarity(a: Token[], b: Token[], weightOf: (t: Token) => number = () => 1): number {
  // Scratch space reused from call to call (a scan compares many addresses and organisation names).
  const size = a.length * b.length;
  if (pairSim.length < size) [pairSim, pairOrder] = [new Float64Array(2 * size), new Int32Array(2 * size)];
  if (usedWords.length < a.length + b.length) usedWords = new Uint8Array(2 * (a.length + b.length));
  usedWords.fill(0, 0, a.length + b.length);
  // The pairs of words alike enough, best first (ties in the order found).
  let pairs = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const sim = tokenSimilarity(a[i]!, b[j]!);
      if (sim < WORD_MATCH) continue;
      const at = i * b.length + j;
      pairSim[at] = sim;
      let k = pairs++;
      for (; k > 0 && pairSim[pairOrder[k - 1]!]! < sim; k--) pairOrder[k] = pairOrder[k - 1]!;
      pairOrder[k] = at;
    }
  }
  let matched = 0;
  for (let k = 0; k < pairs; k++) {
    const at = pairOrder[k]!;
    const i = Math.floor(at / b.length);
    const j = at % b.length;
    if (usedWords[i] || usedWords[a.length + j]) continue;
    usedWords[i] = usedWords[a.length + j] = 1;
    matched += pairSim[at]! * Math.min(weightOf(a[i]!), weightOf(b[j]!));
  }
  let totalA = 0;
  for (const t of a) totalA += weightOf(t);
  let totalB = 0;
  for (const t of b) totalB += weightOf(t);
  if (!totalA || !totalB) return 0;
  // One name inside the other ("St Mary's Hall" in "St Mary's Church Hall") is a shortening,
  // nearly as good as the same name.
  return Math.max((2 * matched) / (totalA + totalB), CONTAINED * (matched / Math.min(totalA, totalB)));
}
let pairSim = new Float64Array(64);
let pairOrder = new Int32Array(64);
let usedWords = new Uint8Array(32);
