// Where a record says its person lives, in three vocabularies that cannot be compared
// directly: the postcode area (BD), the town at the end of the address (Birmingham) and a
// landline's area code (0121). "Jack Akhtar, Aston, Birmingham" and "Jack Akhtar, BD7 1UU"
// share no field, yet they are two people. Rather than ship gazetteers, the workspace is
// its own: records holding two vocabularies at once teach which areas, towns and codes go
// together, and two records whose places never go together are in different towns.

/** A record's places, each prefixed by its vocabulary: `pc:BD`, `town:birmingham`, `tel:121`. */
export function places(postcode: { outward: string } | null, town: string | null, phoneDigits: string | null): string[] {
  const found: string[] = [];
  if (postcode) found.push(`pc:${postcode.outward.match(/^[A-Z]+/)?.[0] ?? postcode.outward}`);
  if (town) found.push(`town:${town}`);
  // UK geographic numbers have ten digits after the 0 (or +44), starting 1 or 2 (01…, 02…),
  // whose first few name the area. A rough cut is enough: the workspace teaches what each means.
  const national = phoneDigits?.slice(-10);
  if (national && /^[12]/.test(national)) found.push(`tel:${national.slice(0, national[0] === '1' ? 3 : 2)}`);
  return found;
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
  private readonly counts = new Map<string, number>();
  private readonly together = new Map<string, number>();
  private teachers = 0;

  /** Learn from every record's places; only records with places in two vocabularies teach. */
  constructor(records: Iterable<string[]>) {
    for (const found of records) {
      if (!found.some((p) => !sameVocabulary(p, found[0]!))) continue;
      this.teachers++;
      for (const p of found) this.counts.set(p, (this.counts.get(p) ?? 0) + 1);
      for (const p of found) for (const q of found) if (p < q) this.together.set(`${p}|${q}`, (this.together.get(`${p}|${q}`) ?? 0) + 1);
    }
  }

  /**
   * True if two records' places are known never to go together. Only for records with no
   * vocabulary in common: those are compared directly (postcodes, towns, phones).
   */
  apart(a: string[], b: string[]): boolean {
    for (const p of a) for (const q of b) if (sameVocabulary(p, q)) return false;
    for (const p of a) {
      for (const q of b) {
        const expected = ((this.counts.get(p) ?? 0) * (this.counts.get(q) ?? 0)) / (this.teachers || 1);
        const seen = this.together.get(p < q ? `${p}|${q}` : `${q}|${p}`) ?? 0;
        if (seen === 0 && expected >= MIN_EXPECTED) return true;
      }
    }
    return false;
  }
}
