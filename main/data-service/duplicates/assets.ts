// Assets: the same church hall mapped by two workers. Names are compared word by word
// (filler words such as "St" or "Community" count for little), places by the distance
// between their map pins and by postcode: "St Mary's Church Hall" and "St Mary's Church"
// 2 km apart are two places; "St Marys Hall" 40 m from it is the same one.
import type { SqliteDatabase } from '../db/sqlite';
import { queryTokens } from '../text';
import { Alike, Apart, compareAddresses, comparePostcodes, interpolate, searchIds, type Matcher } from './matcher';
import { NAME_STOPWORDS, metresApart, nameTokens, normaliseAddress, normalisePostcode, wordSetSimilarity, type Address, type Postcode, type Token } from './normalise';

export interface AssetFeatures {
  tokens: Token[];
  category: string;
  location: { lat: number; lon: number } | null;
  postcode: Postcode | null;
  address: Address | null;
}

/** Words that appear in many asset names and say little about which place is meant. */
const FILLER = new Set(['st', 'community', 'centre', 'group', 'club', 'society', 'association', 'project', 'local']);
const FILLER_WEIGHT = 0.3;
const MAX_WORDS = 8;

// Log-odds weights, tuned on the labelled set of bench/duplicates-dataset.ts (see bench/duplicates.ts).
const PRIOR = -3;
const NAME_WEIGHT = [
  [0.7, -6],
  [0.8, -2],
  [0.9, 1.5],
  [1, 4.5],
] as const;
/** Metres between the pins → weight: two pins for one building land within a few dozen metres. */
const DISTANCE_WEIGHT = [
  [25, 4],
  [100, 3],
  [250, 1],
  [500, -1.5],
  [1000, -4],
  [2000, -6],
] as const;
const POSTCODE_WEIGHTS = { same: 2.5, sameDistrict: -0.5, otherDistrict: -3 };
/** Addresses of places are written many ways, so only the same first line, or another town, counts. */
const ADDRESS_WEIGHTS = { same: 2, otherLine: 0, otherTown: -2.5 };
const SAME_CATEGORY = 0.3;
/** Workers disagree on categories (is a library an institution or a place?), so this counts little. */
const DIFFERENT_CATEGORY = -0.7;

// Blocking grid: cells of 0.01° latitude × 0.016° longitude (about 1.1 × 1.1 km in Britain), laid
// four times, offset by half a cell each way, so any two pins within half a cell of each other share a cell.
const CELL_LAT = 0.01;
const CELL_LON = 0.016;
const GRID_OFFSETS = [
  [0, 0],
  [0.5, 0],
  [0, 0.5],
  [0.5, 0.5],
] as const;
/** Draft look-up: pins within this many degrees of the draft's are candidates. */
const NEARBY_DEGREES = 0.01;

function assetTokens(name: string | undefined): Token[] {
  const words = (name ?? '').replace(/&/g, ' and ').replace(/\bsaint\b/gi, 'st').replace(/\bcenter\b/gi, 'centre');
  return nameTokens(words, { dropWords: NAME_STOPWORDS, maxTokens: MAX_WORDS });
}

const weightOf = (t: Token) => (FILLER.has(t.text) ? FILLER_WEIGHT : 1);
const distinctive = (tokens: Token[]) => {
  const words = tokens.filter((t) => !FILLER.has(t.text));
  return words.length ? words : tokens;
};

interface Pins {
  version: string;
  ids: string[];
  lat: Float64Array;
  lon: Float64Array;
}

/**
 * The map pins of all active assets. Reading them means reading every asset's data (tens
 * of milliseconds), too slow to repeat while someone types, so they are kept per database
 * until anything is written through it (total_changes) or by another connection (data_version).
 */
const pinCache = new WeakMap<SqliteDatabase, Pins>();

function pins(db: SqliteDatabase): Pins {
  const { version } = db.prepare(`SELECT total_changes() || ':' || (SELECT data_version FROM pragma_data_version) AS version`).get() as { version: string };
  const cached = pinCache.get(db);
  if (cached?.version === version) return cached;
  const rows = db
    .prepare(
      `SELECT id, data ->> '$.location.lat' AS lat, data ->> '$.location.lon' AS lon FROM records
       WHERE kind = 'asset' AND status = 'active' AND lat IS NOT NULL`,
    )
    .all() as { id: string; lat: number; lon: number }[];
  const fresh = { version, ids: rows.map((r) => r.id), lat: Float64Array.from(rows, (r) => r.lat), lon: Float64Array.from(rows, (r) => r.lon) };
  pinCache.set(db, fresh);
  return fresh;
}

function location(value: unknown): { lat: number; lon: number } | null {
  const l = value as { lat?: unknown; lon?: unknown } | null | undefined;
  return l && typeof l.lat === 'number' && typeof l.lon === 'number' ? { lat: l.lat, lon: l.lon } : null;
}

export const assetMatcher: Matcher<AssetFeatures> = {
  kind: 'asset',
  fields: ['name', 'category', 'location', 'postcode', 'address'],

  prepare(data) {
    const tokens = assetTokens(data.name as string | undefined);
    if (tokens.length === 0) return null;
    return {
      tokens,
      category: String(data.category ?? ''),
      location: location(data.location),
      postcode: normalisePostcode(data.postcode as string | undefined),
      address: normaliseAddress(data.address as string | undefined),
    };
  },

  blockingKeys(f, keys) {
    if (f.location) {
      GRID_OFFSETS.forEach(([dLat, dLon], grid) => {
        keys.text(`g${grid}:${Math.floor(f.location!.lat / CELL_LAT + dLat)},${Math.floor(f.location!.lon / CELL_LON + dLon)}`);
      });
    }
    if (f.postcode) keys.text(`pc:${f.postcode.full}`);
    const words = distinctive(f.tokens).map((t) => t.text);
    keys.text(`n:${[...words].sort().join(' ')}`);
    // First three letters of each word: a typo further on still lands in the same block.
    keys.text(`n3:${words.map((w) => w.slice(0, 3)).sort().join(' ')}`);
  },

  groupKey(f) {
    return f.tokens[0]!.id;
  },

  sortKey(f) {
    return f.tokens.map((t) => t.text).join(' ');
  },

  prior: PRIOR,

  compare(a, b, evidence) {
    const similarity = wordSetSimilarity(a.tokens, b.tokens, weightOf);
    evidence.add(interpolate(NAME_WEIGHT, similarity), new Alike(similarity));
    if (a.location && b.location) {
      const metres = metresApart(a.location, b.location);
      evidence.add(interpolate(DISTANCE_WEIGHT, metres), new Apart(metres));
    }
    comparePostcodes(a.postcode, b.postcode, POSTCODE_WEIGHTS, evidence);
    compareAddresses(a.address, b.address, ADDRESS_WEIGHTS, evidence);
    if (a.category && b.category) {
      if (a.category === b.category) evidence.add(SAME_CATEGORY, 'same category');
      else evidence.add(DIFFERENT_CATEGORY, 'different categories');
    }
  },

  draftCandidates(db: SqliteDatabase, data, f, limit) {
    const terms: string[] = [];
    // Any two of the name's telling words: one worker writes "St Mary's Hall", another
    // "St Mary's Church Hall". Filler words alone would match half the workspace.
    const words = queryTokens(String(data.name ?? '')).filter((w) => w.length > 1);
    const telling = words.filter((w) => !FILLER.has(w)).slice(0, 6);
    const pairs = telling.flatMap((w, i) => telling.slice(i + 1).map((v) => `("${w}" AND "${v}")`));
    const clause = pairs.length ? pairs.join(' OR ') : telling.length ? `"${telling[0]}"` : words.map((w) => `"${w}"`).join(' AND ');
    if (clause) terms.push(`title : (${clause})`);
    if (f.postcode) terms.push(`"${f.postcode.full}"`);
    const ids = new Set(searchIds(db, 'asset', terms, limit));
    if (f.location) {
      const { lat, lon } = f.location;
      const all = pins(db);
      for (let i = 0; i < all.ids.length && ids.size < 2 * limit; i++) {
        if (Math.abs(all.lat[i]! - lat) <= NEARBY_DEGREES && Math.abs(all.lon[i]! - lon) <= NEARBY_DEGREES * 1.6) ids.add(all.ids[i]!);
      }
    }
    return [...ids];
  },
};
