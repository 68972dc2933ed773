// The duplicate finder: candidate pairs of contacts or assets that look like one person or
// place, read from the projection. Comparing every record with every other is quadratic
// (50,000 contacts make 1.25 billion pairs), so records are put in blocks by keys
// (normalised phone, email, postcode, name keys, map cells) and compared only within a
// block; a block too large to compare in full (a common surname) is compared as a sliding
// window over its members sorted by name, so its cost stays linear.
import type { SqliteDatabase } from '../db/sqlite';
import type { DuplicateKind, DuplicatePair, DuplicateRecordRef, LikelyMatch, PairCursor } from '../../../shared/rpc';
import { assetMatcher } from './assets';
import { contactMatcher } from './contacts';
import { Blocks } from './blocks';
import { Evidence, type Matcher } from './matcher';
import { expectWordPairsOf } from './normalise';

/** Pairs scoring at least this are listed unless the caller asks otherwise (chosen on the labelled set, see bench/duplicates.ts). */
export const DEFAULT_THRESHOLD = 0.6;
/** Blocks up to this size are compared in full (at most 4,950 pairs each). */
export const MAX_BLOCK = 100;
/** In a larger block, each record is compared with this many neighbours in name order. */
export const BLOCK_WINDOW = 20;
/** Records fetched from the indexes for a draft, before scoring. */
const DRAFT_CANDIDATES = 300;

const MATCHERS: { [K in DuplicateKind]: Matcher<unknown> } = {
  contact: contactMatcher as Matcher<unknown>,
  asset: assetMatcher as Matcher<unknown>,
};

/** A workspace, or its database. */
export type DuplicateSource = SqliteDatabase | { db: SqliteDatabase };
const dbOf = (source: DuplicateSource): SqliteDatabase => ('prepare' in source ? source : source.db);

interface Loaded {
  id: string;
  /** Given for a record not stored; a stored record's is made, and its title read, only if it is listed. */
  ref: DuplicateRecordRef | null;
  features: unknown;
}

/** Active records of the matcher's kind from the projection, reading only the fields it compares. */
function load(db: SqliteDatabase, matcher: Matcher<unknown>, ids?: string[]): Loaded[] {
  // SQLite reads each record's fields compared in one pass over its JSON (json_extract of
  // several paths gives an array: a quarter cheaper than an object of `->` per field). Titles
  // are read for the few records listed (titled), not for every record compared.
  const paths = matcher.fields.map((f) => `'$.${f}'`).join(', ');
  // A few ids are looked up one by one (CROSS JOIN keeps SQLite from scanning the kind instead).
  const from = ids ? 'json_each(@ids) AS wanted CROSS JOIN records r ON r.id = wanted.value' : 'records r';
  const rows = db
    .prepare(`SELECT r.id, json_extract(r.data, ${paths}) AS fields FROM ${from} WHERE r.kind = @kind AND r.status = 'active'`)
    .raw()
    .all({ kind: matcher.kind, ...(ids ? { ids: JSON.stringify(ids) } : {}) }) as [id: string, fields: string][];
  const loaded: Loaded[] = [];
  for (const row of rows) {
    const id = row[0];
    const values = JSON.parse(row[1]) as unknown[];
    const data: Record<string, unknown> = {};
    for (let k = 0; k < matcher.fields.length; k++) data[matcher.fields[k]!] = values[k];
    const features = matcher.prepare(data);
    if (features) loaded.push({ id, ref: null, features });
  }
  return loaded;
}

/** References to stored records whose title and subtitle are still to be read (by `titled`). */
const untitled = new WeakSet<DuplicateRecordRef>();

/** A record's reference as listed, made once per record. */
function refOf(item: Loaded): DuplicateRecordRef {
  if (!item.ref) untitled.add((item.ref = { id: item.id, title: '', subtitle: '' }));
  return item.ref;
}

/** Read the titles and subtitles of the stored records listed, as they are now (a record erased since the scan read it keeps none). */
function titled(db: SqliteDatabase, refs: DuplicateRecordRef[]): void {
  const wanted = new Map<string, DuplicateRecordRef>();
  for (const ref of refs) if (untitled.has(ref)) wanted.set(ref.id, ref);
  if (wanted.size === 0) return;
  const rows = db
    .prepare('SELECT r.id, r.title, r.subtitle FROM json_each(@ids) AS wanted CROSS JOIN records r ON r.id = wanted.value')
    .raw()
    .all({ ids: JSON.stringify([...wanted.keys()]) }) as [id: string, title: string, subtitle: string][];
  for (const [id, title, subtitle] of rows) {
    const ref = wanted.get(id)!;
    [ref.title, ref.subtitle] = [title, subtitle];
    untitled.delete(ref);
  }
}

/**
 * A score as listed: cut, not rounded, to three places, so a pair's listed score reaches a
 * threshold exactly when the pair does (0.5996 shown as 0.6 would be left out at 0.6).
 */
const listed = (score: number) => Math.floor(score * 1000) / 1000;
const byScore = <T extends { score: number }>(key: (x: T) => string) => (x: T, y: T) => y.score - x.score || key(x).localeCompare(key(y));
/** The order pairs are listed in, most alike first; a total order, so a page can end at any pair. */
type Listed = { score: number; a: { id: string }; b: { id: string } };
const pairOrder = byScore<Listed>((p) => p.a.id + p.b.id);

export interface ScanResult {
  pairs: DuplicatePair[];
  /** Records read and compared. */
  records: number;
  blocks: number;
  largestBlock: number;
  /** Blocks larger than MAX_BLOCK, compared through the sliding window. */
  windowedBlocks: number;
  /** Distinct pairs scored. */
  comparisons: number;
}

export interface DuplicateOptions {
  kind: DuplicateKind;
  /** Lowest score listed, in [0, 1]. */
  threshold?: number;
  /** Most pairs listed (the best ones). */
  limit?: number;
  /** List the pairs after this one (the last of the page before). */
  after?: PairCursor;
}

/** A scan asked to stop (`stopped` answered true) gives up with this. */
export class ScanStopped extends Error {
  constructor() {
    super('the duplicate scan was stopped');
  }
}

/** Asked between the scan's steps, and every 1,024 records while it compares. */
export type StopSignal = () => boolean;
const never: StopSignal = () => false;

/** findDuplicates with the figures of the scan (for the benchmark). */
export function scanDuplicates(source: DuplicateSource, { kind, threshold = DEFAULT_THRESHOLD, limit = 200, after }: DuplicateOptions, stopped = never): ScanResult {
  const matcher = MATCHERS[kind];
  const db = dbOf(source);
  return scanItems(db, matcher, load(db, matcher), threshold, limit, after, 0, stopped);
}

/**
 * Pairs in which a record is not stored yet (the rows of a file being imported): among
 * them, and each with the active records of its kind, found and scored as a scan of the
 * workspace with them in it would find them. One scan, where a lookup per row would cost
 * milliseconds each (minutes for a large file); pairs of two stored records are not compared.
 */
export function findDuplicatesWith(
  source: DuplicateSource,
  kind: DuplicateKind,
  records: UnstoredRecord[],
  options: Omit<DuplicateOptions, 'kind'> = {},
): DuplicatePair[] {
  return findDuplicatesAmong(source, loadStored(source, kind), records, options);
}

/** A record not stored yet, as findDuplicatesWith compares it: its reference as listed, and its data. */
export interface UnstoredRecord {
  ref: DuplicateRecordRef;
  data: Record<string, unknown>;
}

/** The active stored records of a kind, read and prepared for comparing: findDuplicatesWith's first half, which needs no rows yet. */
export interface StoredRecords {
  kind: DuplicateKind;
  items: readonly Loaded[];
}

export function loadStored(source: DuplicateSource, kind: DuplicateKind): StoredRecords {
  return { kind, items: load(dbOf(source), MATCHERS[kind]) };
}

/** findDuplicatesWith's second half: the records not stored, with those `loadStored` read. */
export function findDuplicatesAmong(
  source: DuplicateSource,
  stored: StoredRecords,
  records: UnstoredRecord[],
  { threshold = DEFAULT_THRESHOLD, limit = 1000 }: Omit<DuplicateOptions, 'kind'> = {},
  stopped = never,
): DuplicatePair[] {
  const matcher = MATCHERS[stored.kind];
  const items = stored.items.slice();
  for (const { ref, data } of records) {
    const features = matcher.prepare(data);
    if (features) items.push({ id: ref.id, ref, features });
  }
  return scanItems(dbOf(source), matcher, items, threshold, limit, undefined, stored.items.length, stopped).pairs;
}

/**
 * The indexes of `keys` in the order of their keys, equal keys in index order. Words repeat
 * (50,000 contacts have some 600 distinct words): the distinct keys are sorted, natively, and
 * the indexes counted into place, where a comparison function would be called 800,000 times.
 */
function ascending(keys: number[]): Uint32Array {
  const rankOf = new Map<number, number>();
  for (const key of keys) rankOf.set(key, 0);
  const distinct = Float64Array.from(rankOf.keys()).sort();
  for (let r = 0; r < distinct.length; r++) rankOf.set(distinct[r]!, r);
  const ranks = new Uint32Array(keys.length);
  const start = new Uint32Array(distinct.length + 1);
  for (let i = 0; i < keys.length; i++) start[(ranks[i] = rankOf.get(keys[i]!)!) + 1]!++;
  for (let r = 0; r < distinct.length; r++) start[r + 1]! += start[r]!;
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[start[ranks[i]!]!++] = i;
  return order;
}

/** `from`: only pairs with a member at this index or after are compared (the records not stored). */
function scanItems(db: SqliteDatabase, matcher: Matcher<unknown>, items: Loaded[], threshold: number, limit: number, after?: PairCursor, from = 0, stopped = never): ScanResult {
  const stop = () => {
    if (stopped()) throw new ScanStopped();
  };
  stop();
  const blocks = new Blocks(4 * items.length);
  items.forEach((item, index) => matcher.blockingKeys(item.features, blocks.of(index)));
  stop();

  expectWordPairsOf(items.length);
  const learned = matcher.learn?.(items.map((item) => item.features));
  const n = items.length;
  // Pairs are compared grouped by a word of the name, each when the first of its two comes:
  // its records and their words were just compared with their neighbours', so they are still
  // in the CPU's caches (in load order, a third slower). The order of comparing changes no score.
  const order = ascending(items.map((item) => matcher.groupKey(item.features)));
  const rank = new Uint32Array(n);
  for (let r = 0; r < n; r++) rank[order[r]!] = r;
  // Each candidate pair once, though blocks repeat it: candidates are collected as pairs of
  // ranks in name order, grouped by the first (a counting sort), and a mark per second
  // record skips repeats. Linear, where a Set or a sort of a million pairs would not be.
  let found = new Uint32Array(1 << 16);
  let count = 0;
  const candidate = (x: number, y: number) => {
    if (x < from && y < from) return;
    if (count + 2 > found.length) {
      const grown = new Uint32Array(found.length * 2);
      grown.set(found);
      found = grown;
    }
    found[count++] = Math.min(rank[x]!, rank[y]!);
    found[count++] = Math.max(rank[x]!, rank[y]!);
  };
  let largestBlock = blocks.size ? 1 : 0;
  let windowedBlocks = 0;
  // A large block's members in name order; a record's sort key is made once, however many large blocks it is in.
  const sortKeys = new Array<string | undefined>(items.length);
  const sortKeyOf = (m: number) => (sortKeys[m] ??= matcher.sortKey(items[m]!.features));
  blocks.shared((members, begin, end) => {
    const size = end - begin;
    largestBlock = Math.max(largestBlock, size);
    if (size <= MAX_BLOCK) {
      // Members are in index order: pairs of two members before `from` are passed over.
      let first = begin;
      while (first < end && members[first]! < from) first++;
      for (let x = begin; x < end; x++) for (let y = Math.max(x + 1, first); y < end; y++) candidate(members[x]!, members[y]!);
      return;
    }
    windowedBlocks++;
    const sorted = Array.from(members.subarray(begin, end)).sort((x, y) => sortKeyOf(x).localeCompare(sortKeyOf(y)));
    for (let x = 0; x < sorted.length; x++) {
      for (let y = x + 1; y <= x + BLOCK_WINDOW && y < sorted.length; y++) candidate(sorted[x]!, sorted[y]!);
    }
  });
  // `partner` holds each first's seconds, from `start[first]`.
  const start = new Uint32Array(n + 1);
  for (let k = 0; k < count; k += 2) start[found[k]! + 1]!++;
  for (let r = 0; r < n; r++) start[r + 1]! += start[r]!;
  const partner = new Uint32Array(count / 2);
  const filled = start.slice(0, n);
  for (let k = 0; k < count; k += 2) partner[filled[found[k]!]!++] = found[k + 1]!;

  const pairs: DuplicatePair[] = [];
  const evidence = new Evidence();
  const floor = Math.log(threshold / (1 - threshold));
  const mark = new Int32Array(n).fill(-1);
  let comparisons = 0;
  for (let r = 0; r < n; r++) {
    if ((r & 1023) === 0) stop();
    for (let k = start[r]!; k < start[r + 1]!; k++) {
      if (mark[partner[k]!] === r) continue;
      mark[partner[k]!] = r;
      comparisons++;
      // The record loaded first is compared with the other (the joined names are compared one way).
      const i = order[r]!;
      const j = order[partner[k]!]!;
      const a = items[Math.min(i, j)]!;
      const b = items[Math.max(i, j)]!;
      matcher.compare(a.features, b.features, evidence.clear(), learned, floor);
      const score = evidence.score(matcher.prior);
      if (score >= threshold) pairs.push({ a: refOf(a), b: refOf(b), score: listed(score), reasons: evidence.words() });
    }
  }
  // Each pair reads the same whichever record it was found from: the earlier id first.
  for (const p of pairs) if (p.b.id < p.a.id) [p.a, p.b] = [p.b, p.a];
  pairs.sort(pairOrder);
  const cursor = after && { score: after.score, a: { id: after.a }, b: { id: after.b } };
  const first = cursor ? pairs.findIndex((p) => pairOrder(cursor, p) < 0) : 0;
  const page = first < 0 ? [] : pairs.slice(first, first + limit);
  titled(db, page.flatMap((p) => [p.a, p.b]));
  return { pairs: page, records: n, blocks: blocks.size, largestBlock, windowedBlocks, comparisons };
}

/** Candidate duplicate pairs among the active contacts or assets, most alike first. */
export function findDuplicates(source: DuplicateSource, query: DuplicateOptions, stopped = never): DuplicatePair[] {
  return scanDuplicates(source, query, stopped).pairs;
}

export interface DraftOptions {
  /** The record being edited, which must not match itself. */
  excludeId?: string;
  threshold?: number;
  limit?: number;
}

/**
 * Existing active records that look like a draft not saved yet (at entry: "this may be
 * Robert Smith, already recorded"). Candidates come from the search index and the
 * projection, so this costs milliseconds whatever the size of the workspace.
 */
export function findLikelyMatches(
  source: DuplicateSource,
  kind: DuplicateKind,
  draft: Record<string, unknown>,
  { excludeId, threshold = DEFAULT_THRESHOLD, limit = 5 }: DraftOptions = {},
): LikelyMatch[] {
  const matcher = MATCHERS[kind];
  const features = matcher.prepare(draft);
  if (!features) return [];
  const db = dbOf(source);
  const ids = matcher.draftCandidates(db, draft, features, DRAFT_CANDIDATES).filter((id) => id !== excludeId);
  if (ids.length === 0) return [];
  const matches: LikelyMatch[] = [];
  const evidence = new Evidence();
  for (const item of load(db, matcher, ids)) {
    matcher.compare(features, item.features, evidence.clear());
    const score = evidence.score(matcher.prior);
    if (score >= threshold) matches.push({ record: refOf(item), score: listed(score), reasons: evidence.words() });
  }
  const best = matches.sort(byScore((m) => m.record.id)).slice(0, limit);
  titled(db, best.map((m) => m.record));
  return best;
}

/**
 * How alike two records' data are, with the reasons, whatever blocking would make of them
 * (and without what a scan learns from the whole workspace).
 */
export function comparePair(kind: DuplicateKind, a: Record<string, unknown>, b: Record<string, unknown>): { score: number; reasons: string[] } | null {
  const matcher = MATCHERS[kind];
  const [fa, fb] = [matcher.prepare(a), matcher.prepare(b)];
  if (!fa || !fb) return null;
  const evidence = new Evidence();
  matcher.compare(fa, fb, evidence);
  return { score: listed(evidence.score(matcher.prior)), reasons: evidence.words() };
}
