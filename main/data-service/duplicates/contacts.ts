// Contacts: one resident entered by several field workers ("Bob Smith, 07700 900123",
// "Robert Smith, +44 7700900123", "Smith, Rob"). Names decide most; a shared phone,
// email, postcode or address confirms, and conflicting ones count against.
import type { SqliteDatabase } from '../db/sqlite';
import { queryTokens } from '../text';
import { Alike, compareAddresses, comparePostcodes, ftsPhrase, interpolate, searchIds, type Matcher } from './matcher';
import { Geography, places } from './geography';
import { groupName, nameVariants } from './nicknames';
import {
  NAME_STOPWORDS,
  nameSimilarity,
  nameTokens,
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
}

// Log-odds weights, tuned on the labelled set of bench/duplicates-dataset.ts (see bench/duplicates.ts).
const PRIOR = -3;
/** Name similarity → weight: identical names alone make a likely pair; below ~0.8 they are other people. */
const NAME_WEIGHT = [
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
const ADDRESS_WEIGHTS = { same: 2, otherLine: -0.5, otherTown: -3 };
const DIFFERENT_TYPE = -3;
const DIFFERENT_PLACES = -3;
/** Organisation names ("Council for Voluntary Service Leeds") are compared on all their words, in any order. */
const ORGANISATION_WORDS = 8;

/** The spellings of a word used in blocking keys: the formal name of each nickname group, or the word itself. */
function canonical(t: Token): string[] {
  return t.nicknames.length ? t.nicknames.map(groupName) : [t.text];
}

/** Every combination of one choice per slot. */
function combinations(slots: string[][]): string[][] {
  return slots.reduce<string[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]]);
}

export const contactMatcher: Matcher<ContactFeatures, Geography> = {
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
    return { type, tokens, phone, email: normaliseEmail(data.email as string | undefined), postcode, address, places: places(postcode, address?.town ?? null, phone?.digits ?? null) };
  },

  blockingKeys(f) {
    const keys: string[] = [];
    if (f.phone) keys.push(`p:${f.phone.tail}`);
    if (f.email) keys.push(`e:${f.email}`);
    if (f.postcode) keys.push(`pc:${f.postcode.full}`);
    // The whole name with nicknames resolved and the words sorted: Bob Smith, Smith Robert, "Smith, Rob".
    for (const words of combinations(f.tokens.map(canonical))) keys.push(`n:${words.sort().join(' ')}`);
    // One word (as its formal name) with the first two or last three letters of another:
    // a typo in the other word still leaves one of the two keys intact.
    const words = f.tokens.slice(0, 3);
    for (const a of words) {
      for (const b of words) {
        if (a === b || b.text.length < 2) continue;
        for (const c of canonical(a)) keys.push(`f:${c}|${b.text.slice(0, 2)}`, `l:${c}|${b.text.slice(-3)}`);
      }
    }
    return keys;
  },

  sortKey(f) {
    return f.tokens.map((t) => canonical(t)[0]).sort().join(' ');
  },

  learn(all) {
    return new Geography(all.map((f) => f.places));
  },

  prior: PRIOR,

  compare(a, b, evidence, geography) {
    const name = a.type === 'organisation' && b.type === 'organisation' ? new Alike(wordSetSimilarity(a.tokens, b.tokens)) : nameSimilarity(a.tokens, b.tokens);
    evidence.add(interpolate(NAME_WEIGHT, name.similarity), name);
    if (a.type !== b.type) evidence.add(DIFFERENT_TYPE, 'one is a person, the other an organisation');
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
    compareAddresses(a.address, b.address, ADDRESS_WEIGHTS, evidence);
    if (geography?.apart(a.places, b.places)) evidence.add(DIFFERENT_PLACES, 'postcode, address or phone in different towns');
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
