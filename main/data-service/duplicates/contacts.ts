// Contacts: one resident entered by several field workers ("Bob Smith, 07700 900123",
// "Robert Smith, +44 7700900123", "Smith, Rob"). Names decide most; a shared phone,
// email, postcode or address confirms, and conflicting ones count against. What the scan
// learns from the workspace (frequencies.ts) scales the evidence: a rare name shared says
// more than a common one, and alike addresses count as much as they are rare here.
import type { SqliteDatabase } from '../db/sqlite';
import { queryTokens } from '../text';
import { partEpoch, partId } from './blocks';
import { Alike, comparePostcodes, ftsPhrase, interpolate, searchIds, type Describable, type Evidence, type Matcher } from './matcher';
import { WordFrequencies, levelWeights } from './frequencies';
import { Geography, places } from './geography';
import { groupName, nameVariants } from './nicknames';
import {
  NAME_STOPWORDS,
  NameMatch,
  WordLevel,
  editSimilarity,
  jaroWinkler,
  nameSimilarity,
  nameTokens,
  tokenSimilarity,
  wordSetSimilarity,
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
  normalisePostcode,
  phoneOf,
  samePhone,
  type Phone,
  type Address,
  type Postcode,
  type Token,
} from './normalise';

export interface ContactFeatures {
  type: string;
  tokens: Token[];
  phone: Phone | null;
  email: string | null;
  postcode: Postcode | null;
  address: Address | null;
  places: string[];
  /** The name's words run together, in both orders (joinedOf: worked out only for the records a scan needs them of). */
  joined: [string, string] | null;
}

// Log-odds weights, set on the labelled set of bench/duplicates-dataset.ts and checked on
// FEBRL dataset 1, which they were not set on (see bench/duplicates.ts); what a scan learns
// from the workspace (frequencies.ts) adjusts them.
const PRIOR = -3;
/**
 * Each word of a person's name against the word of the other name it pairs with, by how
 * alike they are (WordLevel: the same or a nickname, a slip or an initial, a bad slip,
 * another word) → weight. The same name alone makes a likely pair; a first name that is
 * another name makes another person, unless a rare surname and a rare address both agree.
 */
const WORD_WEIGHTS: Record<WordLevel, number> = { [WordLevel.Same]: 2.75, [WordLevel.Slip]: 0.5, [WordLevel.BadSlip]: -1.75, [WordLevel.Other]: -5.5 };
/** A word one name has and the other lacks: a middle name, or a first name left out. */
const MISSING_WORD = -0.5;
const REORDERED = -0.1;
/** Organisation name similarity → weight. */
const ORGANISATION_NAME_WEIGHT = [
  [0.5, -12],
  [0.7, -8],
  [0.8, -1],
  [0.9, 3],
  [1, 5.5],
] as const;
const SAME_PHONE = 4;
/** People have a mobile and a landline, so a different number counts less than a shared one. */
const DIFFERENT_PHONE = -3;
const SAME_EMAIL = 5;
/** An organisation's info@ or office@ address is often shared by its branches. */
const SAME_SHARED_MAILBOX = 1.5;
const SHARED_MAILBOXES = new Set(['info', 'admin', 'office', 'hello', 'contact', 'enquiries', 'mail', 'reception']);
const DIFFERENT_EMAIL = -2.5;
const POSTCODE_WEIGHTS = { same: 2.5, sameDistrict: -1.5, otherDistrict: -3 };
/** Two addresses' words agree (weighted by how rare each word is) at least this much, per level: the same, nearly, partly, or not. */
const ADDRESS_LEVELS = [0.95, 0.8, 0.6, 0] as const;
/**
 * How one person's two records' addresses compare (the m-probabilities): mostly retyped
 * alike, sometimes with a slip or a part left out, now and then after a move.
 */
const ADDRESS_M = [0.6, 0.2, 0.1, 0.1];
/** How two people's addresses compare where the workspace has too few to tell (the prior u). */
const ADDRESS_U = [0.0002, 0.001, 0.005, 0.9938];
/** A shared address says "one household" at most; a different one says little against a move. */
const ADDRESS_WEIGHT_RANGE = { min: -2.5, max: 5 };
/** Two different addresses whose last parts are less alike than this are in two towns: someone else, or a move. */
const OTHER_TOWN_BELOW = 0.8;
const OTHER_TOWN = -3;
const DIFFERENT_TYPE = -3;
const DIFFERENT_PLACES = -3;
/** Organisation names ("Council for Voluntary Service Leeds") are compared on all their words, in any order. */
const ORGANISATION_WORDS = 8;

/** The spellings of a word used in blocking keys: the formal name of each nickname group, or the word itself. */
function canonical(t: Token): readonly string[] {
  return partsOf(t).names;
}

/** The kinds of a contact's blocking keys made of parts (blocks.ts); the others are texts. */
const KEY = { phone: 1, numberStreet: 2, streets: 3, soundStreet: 4, first3Number: 5, formalFirst2: 6, name: 7, email: 8, postcode: 9 } as const;

/** A word's parts of blocking keys, worked out once per word: its formal names, and as ids its sound, its first two and three letters and its formal names. */
function partsOf(t: Token): NonNullable<Token['keyParts']> {
  let parts = t.keyParts;
  if (parts?.epoch !== partEpoch()) {
    const names = t.nicknames.length ? t.nicknames.map(groupName) : [t.text];
    parts = { epoch: partEpoch(), names, sound: partId(t.sound), first2: partId(t.text.slice(0, 2)), first3: partId(t.text.slice(0, 3)), formal: names.map(partId) };
    t.keyParts = parts;
  }
  return parts;
}

/** Every combination of one choice per slot (most names have one: no nicknames). */
function combinations(slots: (readonly string[])[]): string[][] {
  if (slots.every((options) => options.length === 1)) return [slots.map((options) => options[0]!)];
  return slots.reduce<string[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]]);
}

/** "addresses 85% alike" (the same and different ones are said in fixed words). */
class AddressAlike implements Describable {
  constructor(readonly similarity: number) {}
  describe(): string {
    return `addresses ${Math.round(this.similarity * 100)}% alike`;
  }
}

/** What a scan learns from all the contacts it scans. */
export interface ContactsLearned {
  geography: Geography;
  names: WordFrequencies;
  addressWords: AddressWords;
  /** Log-odds per address level (ADDRESS_LEVELS), from this workspace's addresses. */
  addressWeights: number[];
}

const UNIFORM = () => 1;

/** A word in more addresses than this share ("road", the town) does not make two addresses worth comparing word by word. */
const COMMON_ADDRESS_WORD = 0.05;

/** How common each word of the scanned addresses is, and those too common to tell addresses apart. */
interface AddressWords {
  /** How much each word tells addresses apart (WordFrequencies.weight). */
  weightOf: (t: Token) => number;
  /** Their texts. */
  common: ReadonlySet<string>;
}

function addressWordsOf(addresses: Address[]): AddressWords {
  const frequencies = new WordFrequencies(addresses.map((a) => a.words));
  return { weightOf: (t) => frequencies.weight(t), common: new Set(frequencies.commonerThan(COMMON_ADDRESS_WORD)) };
}

/** Whether two addresses have a word in common that is not common to many (words are shared objects, so this is cheap). */
function shareAWord(a: Address, b: Address, words?: AddressWords): boolean {
  // By index: the scan's learning step asks this of random pairs before the code is optimised, where for…of costs an iterator per loop.
  for (let i = 0; i < a.words.length; i++) {
    const x = a.words[i]!;
    for (let j = 0; j < b.words.length; j++) if (x === b.words[j] && !words?.common.has(x.text)) return true;
  }
  return false;
}

function addressSimilarity(a: Address, b: Address, words?: AddressWords): number {
  if (a.joined === b.joined) return 1;
  // Most pairs compared are two people's addresses, with no telling word in common: not worth comparing word by word.
  if (!shareAWord(a, b, words)) return 0;
  const byWord = wordSetSimilarity(a.words, b.words, words?.weightOf ?? UNIFORM);
  // A space typed or lost inside a word splits or joins words; run together, it is one slip.
  // Not for two house numbers: next door is not the same address.
  if (byWord >= ADDRESS_LEVELS[0] || (a.number && b.number && a.number !== b.number)) return byWord;
  return Math.max(byWord, editSimilarity(a.joined, b.joined));
}

function addressLevel(similarity: number): number {
  let level = 0;
  while (level < ADDRESS_LEVELS.length - 1 && similarity < ADDRESS_LEVELS[level]!) level++;
  return level;
}

/** Without what a scan learns (a draft at entry): the prior's weights. */
const PRIOR_ADDRESS_WEIGHTS = ADDRESS_M.map((m, k) => Math.max(ADDRESS_WEIGHT_RANGE.min, Math.min(ADDRESS_WEIGHT_RANGE.max, Math.log(m / ADDRESS_U[k]!))));

/** `movedCounted`: the postcodes already said the two live in different districts; other towns say it again, and count nothing more. */
function compareAddressWords(a: Address | null, b: Address | null, evidence: Evidence, movedCounted: boolean, learned?: ContactsLearned): void {
  if (!a || !b) return;
  const similarity = addressSimilarity(a, b, learned?.addressWords);
  const level = addressLevel(similarity);
  if (level === ADDRESS_LEVELS.length - 1 && a.townWord && b.townWord && tokenSimilarity(a.townWord, b.townWord) < OTHER_TOWN_BELOW) evidence.add(movedCounted ? 0 : OTHER_TOWN, 'addresses in different towns');
  else {
    const reason = level === 0 ? 'same address' : level === ADDRESS_LEVELS.length - 1 ? 'different addresses' : new AddressAlike(similarity);
    evidence.add((learned?.addressWeights ?? PRIOR_ADDRESS_WEIGHTS)[level]!, reason);
  }
}

/** Log-odds this close to the floor are compared in full: the bound below sums in another order than the score. */
const FLOOR_MARGIN = 1e-9;

/**
 * The most the fields both records have can add to the evidence: a shared phone, email,
 * postcode and address; for two whose names differ, they count once, as the strongest.
 * (Everything else compare adds only counts against.)
 */
function mostAdded(a: ContactFeatures, b: ContactFeatures, household: boolean): number {
  const phone = a.phone && b.phone ? SAME_PHONE : 0;
  const email = a.email && b.email ? SAME_EMAIL : 0;
  const postcode = a.postcode && b.postcode ? POSTCODE_WEIGHTS.same : 0;
  const address = a.address && b.address ? ADDRESS_WEIGHT_RANGE.max : 0;
  return household ? Math.max(phone, email, postcode, address) : phone + email + postcode + address;
}

/** Names run together that are at least this alike (Jaro–Winkler) differ by slips in spacing ("Ja ck Matthews"). */
const JOINED_ALIKE = 0.92;
/** The name's words run together, in both orders (a name of more words is not reversed). */
function joinedOf(f: ContactFeatures): [string, string] {
  if (f.joined) return f.joined;
  const words = f.tokens.map((t) => t.text);
  return (f.joined = [words.join(''), (words.length === 2 ? words.reverse() : words).join('')]);
}

/** The weight of two person names, word by word, and whether a word disagrees (another first name: another member of a household). */
function personNameWeight(a: ContactFeatures, b: ContactFeatures, name: NameMatch, learned?: ContactsLearned): { weight: number; wordDiffers: boolean } {
  let weight = name.reordered ? REORDERED : 0;
  let wordDiffers = false;
  for (let i = 0; i < name.pick.length; i++) {
    const x = name.short[i]!;
    const y = name.long[name.pick[i]!]!;
    const level = name.levels[i]!;
    weight += WORD_WEIGHTS[level];
    if (level >= WordLevel.BadSlip) wordDiffers = true;
    // Splink's term-frequency adjustment: agreeing on a common word is likelier by chance.
    else if (learned) weight += x === y ? learned.names.agreement(x) : Math.min(learned.names.agreement(x), learned.names.agreement(y));
  }
  weight += MISSING_WORD * (name.long.length - name.pick.length);
  // A space typed or lost inside a word splits or joins words: run together, the names differ
  // by a slip or two (worth comparing only where that would weigh more).
  const slipWeight = WORD_WEIGHTS[WordLevel.Same] + WORD_WEIGHTS[WordLevel.Slip];
  if (a.tokens.length !== b.tokens.length && slipWeight > weight) {
    const [joinedA, joinedB] = [joinedOf(a)[0], joinedOf(b)];
    const alike = Math.max(jaroWinkler(joinedA, joinedB[0]), jaroWinkler(joinedA, joinedB[1]));
    if (alike >= JOINED_ALIKE) return { weight: slipWeight, wordDiffers: false };
  }
  return { weight, wordDiffers };
}

export const contactMatcher: Matcher<ContactFeatures, ContactsLearned> = {
  kind: 'contact',
  fields: ['type', 'name', 'phone', 'email', 'postcode', 'address'],

  prepare(data) {
    const type = String(data.type ?? 'person');
    const name = data.name as string | undefined;
    const tokens = type === 'person' ? nameTokens(name) : nameTokens(name, { dropWords: NAME_STOPWORDS, maxTokens: ORGANISATION_WORDS });
    if (tokens.length === 0) return null;
    const phone = phoneOf(data.phone as string | undefined);
    const postcode = normalisePostcode(data.postcode as string | undefined);
    const address = normaliseAddress(data.address as string | undefined);
    const email = normaliseEmail(data.email as string | undefined);
    return { type, tokens, phone, email, postcode, address, places: places(postcode, address?.town ?? null, phone?.digits ?? null), joined: null };
  },

  blockingKeys(f, keys) {
    if (f.phone) {
      const tail = Number(f.phone.tail);
      keys.ids(KEY.phone, Math.floor(tail / 100_000), tail % 100_000);
    }
    // An email or a postcode as the id of its text: no key text built and hashed per record.
    if (f.email) keys.ids(KEY.email, partId(f.email));
    if (f.postcode) keys.ids(KEY.postcode, partId(f.postcode.full));
    // The whole name with nicknames resolved and the words sorted: Bob Smith, Smith Robert, "Smith, Rob".
    // (A name of one or two words, most of them, as ids: the same words in any order, the same key; part ids start at 1, so one word is (x, 0).)
    // (Read by index: a scan gives every record's keys once, and destructuring is slow until the code is optimised.)
    const first = f.tokens[0];
    const second = f.tokens[1];
    if (f.tokens.length === 1) for (const x of partsOf(first!).formal) keys.ids(KEY.name, x);
    else if (f.tokens.length === 2) {
      for (const x of partsOf(first!).formal) for (const y of partsOf(second!).formal) keys.ids(KEY.name, Math.min(x, y), Math.max(x, y));
    } else for (const words of combinations(f.tokens.map(canonical))) keys.text(`n:${words.sort().join(' ')}`);
    // The address, by sound: the house number with the street, and the street with the next
    // part (a different number, a slip in the street, or a part moved still leaves one).
    if (f.address) {
      const street = f.address.partWords[0];
      const next = f.address.partWords[1];
      const number = f.address.number ? partId(f.address.number) : 0;
      const streetSound = street?.sound ? partsOf(street).sound : 0;
      if (streetSound && number) keys.ids(KEY.numberStreet, number, streetSound);
      if (streetSound && next?.sound) {
        const nextSound = partsOf(next).sound;
        keys.ids(KEY.streets, Math.min(streetSound, nextSound), Math.max(streetSound, nextSound));
      }
      // A name word, by sound and by its first letters, with the house number or the street:
      // a name left half out ("Wilde" for Sebastian Wilde), or a slip in each word
      // (Isablela Loddwr), at the same address.
      // (A key given twice by one record counts once: the scan skips repeats.)
      for (const t of f.tokens.slice(0, 3)) {
        if (streetSound && t.sound.length >= 2) keys.ids(KEY.soundStreet, partsOf(t).sound, streetSound);
        if (number) keys.ids(KEY.first3Number, partsOf(t).first3, number);
      }
    }
    // One word (as its formal name) with the first two letters of another: a typo further
    // on in the other word still leaves the key intact (a typo in both, at one address, is
    // left to the address keys above).
    const words = f.tokens.slice(0, 3);
    for (const a of words) {
      for (const b of words) {
        if (a === b || b.text.length < 2) continue;
        for (const c of partsOf(a).formal) keys.ids(KEY.formalFirst2, c, partsOf(b).first2);
      }
    }
  },

  groupKey(f) {
    // The first of the name's first two words (as formal names), so Bob Smith and Robert Smith group together.
    const x = f.tokens[0];
    const y = f.tokens[1];
    return y ? Math.min(partsOf(x!).formal[0]!, partsOf(y).formal[0]!) : partsOf(x!).formal[0]!;
  },

  sortKey(f) {
    // The formal names of the words in order, a space between (most names have one or two words: no array to sort).
    if (f.tokens.length === 1) return canonical(f.tokens[0]!)[0]!;
    if (f.tokens.length === 2) {
      const [x, y] = [canonical(f.tokens[0]!)[0]!, canonical(f.tokens[1]!)[0]!];
      return x <= y ? `${x} ${y}` : `${y} ${x}`;
    }
    return f.tokens.map((t) => canonical(t)[0]).sort().join(' ');
  },

  learn(all) {
    const addresses: Address[] = [];
    const personNames: Token[][] = [];
    for (const f of all) {
      if (f.address) addresses.push(f.address);
      if (f.type === 'person') personNames.push(f.tokens);
    }
    const addressWords = addressWordsOf(addresses);
    return {
      geography: new Geography(all.map((f) => f.places)),
      names: new WordFrequencies(personNames),
      addressWords,
      addressWeights: levelWeights(addresses, (a, b) => addressLevel(addressSimilarity(a, b, addressWords)), {
        m: ADDRESS_M,
        uPrior: ADDRESS_U,
        ...ADDRESS_WEIGHT_RANGE,
      }),
    };
  },

  prior: PRIOR,

  compare(a, b, evidence, learned, floor = -Infinity) {
    let wordDiffers = false;
    let nameWeight: number;
    if (a.type === 'organisation' && b.type === 'organisation') {
      const similarity = wordSetSimilarity(a.tokens, b.tokens);
      nameWeight = interpolate(ORGANISATION_NAME_WEIGHT, similarity);
      evidence.add(nameWeight, new Alike(similarity));
    } else {
      const name = nameSimilarity(a.tokens, b.tokens);
      const person = personNameWeight(a, b, name, learned);
      nameWeight = person.weight;
      evidence.add(nameWeight, name);
      wordDiffers = person.wordDiffers;
    }
    // Most pairs a scan compares are two whose names differ, and no field both have could lift
    // them to the floor: they are not compared further (the score so far is below it too).
    if (PRIOR + nameWeight + mostAdded(a, b, wordDiffers) < floor - FLOOR_MARGIN) return;
    if (a.type !== b.type) evidence.add(DIFFERENT_TYPE, 'one is a person, the other an organisation');
    const before = evidence.size;
    if (a.phone && b.phone) {
      if (samePhone(a.phone, b.phone)) evidence.add(SAME_PHONE, 'same phone');
      else evidence.add(DIFFERENT_PHONE, 'different phones');
    }
    if (a.email && b.email) {
      if (a.email !== b.email) evidence.add(DIFFERENT_EMAIL, 'different emails');
      else if (SHARED_MAILBOXES.has(a.email.split('@')[0]!)) evidence.add(SAME_SHARED_MAILBOX, 'same office email');
      else evidence.add(SAME_EMAIL, 'same email');
    }
    comparePostcodes(a.postcode, b.postcode, POSTCODE_WEIGHTS, evidence);
    compareAddressWords(a.address, b.address, evidence, !!a.postcode && !!b.postcode && a.postcode.outward !== b.postcode.outward, learned);
    // A shared phone, postcode and address are one fact about a household, not three about
    // a person: for two whose first names differ they count once, as the strongest.
    if (wordDiffers) {
      const shared = evidence.weightsSince(before).filter((w) => w > 0);
      if (shared.length > 1) evidence.add(Math.max(...shared) - shared.reduce((sum, w) => sum + w, 0), 'one household?: names differ, so a shared phone, postcode and address count once');
    }
    if (learned?.geography.apart(a.places, b.places)) evidence.add(DIFFERENT_PLACES, 'postcode, address or phone in different towns');
  },

  draftCandidates(db: SqliteDatabase, data, f, limit) {
    const terms: string[] = [];
    // The name as the search index splits it: every word must match, as any of its
    // nicknames or, for longer words, by its first two letters (a typo further on).
    const words = queryTokens(String(data.name ?? '')).filter((w) => w.length > 1);
    if (words.length) {
      const clauses = words.slice(0, 3).map((w) => [...nameVariants(w).map((v) => `"${v}"`), ...(w.length >= 4 ? [`"${w.slice(0, 2)}"*`] : [])]);
      terms.push(`title : (${clauses.map((c) => `(${c.join(' OR ')})`).join(' AND ')})`);
    }
    const phone = normalisePhone(data.phone as string | undefined);
    if (phone) {
      // The index holds phone numbers as typed and without spaces: look for the usual ways of writing this one.
      const digits = phone.slice(1);
      const forms = phone.startsWith('+44') ? ['0', '44', '440', ''].map((prefix) => prefix + digits.slice(2)) : [digits];
      terms.push(forms.map((d) => `"${d}"`).join(' OR '));
    }
    const email = f.email ? ftsPhrase(f.email) : null;
    if (email) terms.push(email);
    if (f.postcode) terms.push(`"${f.postcode.full}"`);
    return searchIds(db, 'contact', terms, limit);
  },
};
