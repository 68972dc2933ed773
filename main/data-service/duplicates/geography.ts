// Where a record says its person lives, in three vocabularies that cannot be compared
// directly: the postcode area (BD), the town at the end of the address (Birmingham) and a
// landline's area code (0121). "Jack Akhtar, Aston, Birmingham" and "Jack Akhtar, BD7 1UU"
// share no field, yet they are two people. Rather than ship gazetteers, the workspace is
// its own: records holding two vocabularies at once teach which areas, towns and codes go
// together, and two records whose places never go together are in different towns.

/** A record's places, each prefixed by its vocabulary: `pc:BD`, `town:birmingham`, `tel:121`. */
export function places(postcode: { outward: string } | null, town: string | null, phoneDigits: string | null): string[] {
  const found: string[] = [];
  if (postcode) found.push(placeIn('pc', postcode.outward.match(/^[A-Z]+/)?.[0] ?? postcode.outward));
  if (town) found.push(placeIn('town', town));
  // UK geographic numbers have ten digits after the 0 (or +44), starting 1 or 2 (01…, 02…),
  // whose first few name the area. A rough cut is enough: the workspace teaches what each means.
  const national = phoneDigits?.slice(-10);
  if (national && /^[12]/.test(national)) found.push(placeIn('tel', national.slice(0, national[0] === '1' ? 3 : 2)));
  // A copy of the exact length (an array grown by push keeps room for 17): a scan keeps every record's.
  return found.slice();
}

/**
 * Each place as one text shared by every record that holds it (a workspace has a few hundred
 * places and a scan keeps every record's: a text each was a fifth of what a scan holds).
 */
const placeTexts = { pc: new Map<string, string>(), town: new Map<string, string>(), tel: new Map<string, string>() };

function placeIn(vocabulary: keyof typeof placeTexts, name: string): string {
  const texts = placeTexts[vocabulary];
  let place = texts.get(name);
  if (place === undefined) {
    // Places repeat; the cap only guards against unbounded growth in a long-lived service.
    if (texts.size > 100_000) texts.clear();
    texts.set(name, (place = `${vocabulary}:${name}`));
  }
  return place;
}

/** Whether two places are in one vocabulary (`pc`, `town`, `tel`), read in place: a scan asks it of most pairs it compares. */
function sameVocabulary(p: string, q: string): boolean {
  const colon = p.indexOf(':');
  if (q.charCodeAt(colon) !== 58) return false;
  for (let i = 0; i < colon; i++) if (p.charCodeAt(i) !== q.charCodeAt(i)) return false;
  return true;
}
/**
 * Two places are told apart only if, among the records that teach, they would be expected
 * together at least this many times and never are. By chance that happens under 14% of the
 * time, and a wrong call costs one piece of evidence, not the pair.
 */
const MIN_EXPECTED = 2;

export class Geography {
  /**
   * Each place the teaching records hold, by an id from 0: how many of them hold it, and
   * how many hold each two together, keyed by the two ids (a scan asks of most pairs it
   * compares; a key made of numbers builds no text per question).
   */
  private readonly ids = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly together = new Map<number, number>();
  private teachers = 0;

  /** Learn from every record's places; only records with places in two vocabularies teach. */
  constructor(records: Iterable<string[]>) {
    for (const found of records) {
      if (!found.some((p) => !sameVocabulary(p, found[0]!))) continue;
      this.teachers++;
      const ids = found.map((p) => {
        let id = this.ids.get(p);
        if (id === undefined) this.ids.set(p, (id = this.counts.push(0) - 1));
        this.counts[id]!++;
        return id;
      });
      // A record's places are of different vocabularies, so never the same place twice.
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          const key = pairKey(ids[i]!, ids[j]!);
          this.together.set(key, (this.together.get(key) ?? 0) + 1);
        }
      }
    }
  }

  /**
   * True if two records' places are known never to go together. Only for records with no
   * vocabulary in common: those are compared directly (postcodes, towns, phones).
   */
  apart(a: string[], b: string[]): boolean {
    for (const p of a) for (const q of b) if (sameVocabulary(p, q)) return false;
    for (const p of a) {
      const x = this.ids.get(p);
      if (x === undefined) continue;
      for (const q of b) {
        const y = this.ids.get(q);
        if (y === undefined) continue;
        const expected = (this.counts[x]! * this.counts[y]!) / (this.teachers || 1);
        if (expected >= MIN_EXPECTED && !this.together.has(pairKey(x, y))) return true;
      }
    }
    return false;
  }
}

/** Two places' ids as one number, whichever comes first (ids stay far below 2^26). */
const pairKey = (x: number, y: number): number => (x < y ? x * 2 ** 26 + y : y * 2 ** 26 + x);
