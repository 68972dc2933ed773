// A labelled set for the duplicate finder: contacts and assets from the reference
// generator (bench/generate.ts), some entered again by another worker with the variations
// field work produces (typos, nicknames, "Last, First", dropped accents, other phone
// formats, missing fields, a pin dropped a few metres away), plus hard negatives: family
// members sharing a phone and address, neighbours with one surname and postcode,
// namesakes, the church 2 km from the church hall of the same name, two groups meeting in
// one building. Seeded: the same options always give the same set.
import { Faker, base, en, en_GB } from '@faker-js/faker';
import type { CreateInput } from '../shared/domain';
import { nameVariants } from '../main/data-service/duplicates/nicknames';
import { foldText } from '../main/data-service/text';
import { WorkspaceGenerator } from './generate';

type Contact = { id: string; data: CreateInput<'contact'> };
type Asset = { id: string; data: CreateInput<'asset'> };

export interface LabelledSetOptions {
  /** People and organisations before duplication. */
  contacts?: number;
  /** Places and groups before duplication. */
  assets?: number;
  seed?: number;
}

export interface LabelledSet {
  contacts: Contact[];
  assets: Asset[];
  /** Pairs of records that are one person or place (pairKey), per kind. Every other pair is two. */
  duplicates: { contact: Set<string>; asset: Set<string> };
  /** How many of each case were planted. */
  cases: Record<string, number>;
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

// Shares of the base records that get each treatment.
const DUPLICATED = 0.2;
const SECOND_COPY = 0.25;
const FAMILY = 0.05;
const NEIGHBOUR = 0.05;
const NAMESAKE = 0.05;
const SPARSE_NAMESAKE = 0.03;
/** Share of the churches and church halls given a namesake 1.5–3 km away. */
const CHURCH_AND_HALL = 0.6;
const SAME_NAME_ELSEWHERE = 0.05;
const SAME_BUILDING = 0.05;

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const METRES_PER_DEGREE = 111_320;

class Variations {
  readonly f: Faker;

  constructor(seed: number) {
    this.f = new Faker({ locale: [en_GB, en, base], seed });
  }

  chance(p: number): boolean {
    return this.f.datatype.boolean(p);
  }

  pick<T>(items: readonly T[]): T {
    return this.f.helpers.arrayElement(items);
  }

  int(min: number, max: number): number {
    return this.f.number.int({ min, max });
  }

  /** One slip of the keyboard: a letter dropped, doubled, replaced or two swapped; rarely the first letter. */
  typo(word: string): string {
    if (word.length < 3) return word;
    const at = this.chance(0.1) ? 0 : this.int(1, word.length - 1);
    const letter = this.pick([...'aeioulnrstmdhck']);
    switch (this.pick(['drop', 'double', 'replace', 'swap'] as const)) {
      case 'drop':
        return word.slice(0, at) + word.slice(at + 1);
      case 'double':
        return word.slice(0, at) + word[at] + word.slice(at);
      case 'replace':
        return word.slice(0, at) + (word[at] === letter ? 'e' : letter) + word.slice(at + 1);
      case 'swap': {
        const i = Math.min(at, word.length - 2);
        return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      }
    }
  }

  stripAccents(text: string): string {
    return text.normalize('NFKD').replace(/\p{M}+/gu, '');
  }

  /** A person's name as another worker might write it. */
  personName(first: string, last: string): string {
    const nicknames = nameVariants(this.stripAccents(first).toLowerCase()).filter((n) => n !== this.stripAccents(first).toLowerCase());
    const changes = this.f.helpers.weightedArrayElement([
      { value: 0, weight: 20 },
      { value: 1, weight: 60 },
      { value: 2, weight: 20 },
    ]);
    for (let i = 0; i < changes; i++) {
      const change = this.pick(['nickname', 'typo', 'reorder', 'accents', 'case'] as const);
      if (change === 'nickname' && nicknames.length) first = capitalise(this.pick(nicknames));
      else if (change === 'typo') [first, last] = this.chance(0.5) ? [this.typo(first), last] : [first, this.typo(last)];
      else if (change === 'accents') [first, last] = [this.stripAccents(first), this.stripAccents(last)];
      else if (change === 'case') [first, last] = this.chance(0.5) ? [first.toUpperCase(), last.toUpperCase()] : [first.toLowerCase(), last.toLowerCase()];
      else if (change === 'reorder') return this.chance(0.6) ? `${last}, ${first}` : `${last} ${first}`;
    }
    return `${first} ${last}`;
  }

  /** The same number in another of the ways people write a UK number. */
  phoneFormat(phone: string): string {
    const digits = phone.replace(/\D/g, '');
    const national = digits.slice(1);
    return this.pick([
      digits,
      `+44 ${national.slice(0, 4)} ${national.slice(4)}`,
      `+44${national}`,
      `0044 ${national}`,
      `+44 (0)${national.slice(0, 4)} ${national.slice(4)}`,
      `(${digits.slice(0, 5)}) ${digits.slice(5)}`,
      `${digits.slice(0, 5)}-${digits.slice(5, 8)}-${digits.slice(8)}`,
    ]);
  }

  /** Another postcode in the same district. */
  nearbyPostcode(postcode: string): string {
    const outward = postcode.split(' ')[0]!;
    return `${outward} ${this.int(0, 9)}${this.pick([...INWARD_LETTERS])}${this.pick([...INWARD_LETTERS])}`;
  }

  /** A point `metres` away in a random direction, to the generator's five decimals. */
  moved(location: { lat: number; lon: number }, metres: number): { lat: number; lon: number } {
    const bearing = this.f.number.float({ min: 0, max: 2 * Math.PI });
    const lat = location.lat + (metres * Math.cos(bearing)) / METRES_PER_DEGREE;
    const lon = location.lon + (metres * Math.sin(bearing)) / (METRES_PER_DEGREE * Math.cos((location.lat * Math.PI) / 180));
    return { lat: +lat.toFixed(5), lon: +lon.toFixed(5) };
  }

  /** An asset's name as another worker might write it. */
  assetName(name: string): string {
    const changes: ((n: string) => string)[] = [
      (n) => n.replace(/^St /, 'Saint '),
      (n) => n.replace(/[’']s\b/g, 's'),
      (n) => n.replace(/[’]/g, "'"),
      (n) => n.replace(/ Church Hall$/, ' Hall'),
      (n) => n.replace(/ Community /, ' '),
      (n) => n.replace(/ and /, ' & '),
      (n) => n.toLowerCase(),
      (n) => n.replace(/\w{4,}/, (w) => this.typo(w)),
      (n) => n,
    ];
    let varied = name;
    for (let i = this.int(1, 2); i > 0; i--) varied = this.pick(changes)(varied);
    return varied;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const outward = (postcode: string | undefined) => postcode?.split(' ')[0] ?? '';

function splitName(name: string): [string, string] {
  const space = name.indexOf(' ');
  return [name.slice(0, space), name.slice(space + 1)];
}

export function generateLabelledSet(options: LabelledSetOptions = {}): LabelledSet {
  const { contacts: contactCount = 2_000, assets: assetCount = 600, seed = 7 } = options;
  const gen = new WorkspaceGenerator(seed);
  const v = new Variations(seed + 1);
  const cases: Record<string, number> = {};
  const count = (name: string) => (cases[name] = (cases[name] ?? 0) + 1);
  const set: LabelledSet = { contacts: [], assets: [], duplicates: { contact: new Set(), asset: new Set() }, cases };

  // The generator draws names from short lists, so it makes accidental twins the labels would
  // call two while anyone would call them one: two organisations or two places of one name (a
  // team lead's workspace covers one programme area), two people with one email address. Such
  // draws are drawn again. Namesakes stay, as do the places of one name planted in other towns.
  const taken = new Set<string>();
  const nameIdentity = (name: string) => `name:${foldText(name).replace(/[^\p{L}\p{N}]+/gu, ' ')}`;
  const identities = (record: Contact | Asset) => {
    const d = record.data as { name: string; type?: string; email?: string };
    const ids = d.email ? [`email:${d.email.toLowerCase()}`] : [];
    if (d.type !== 'person') ids.push(nameIdentity(d.name));
    return ids;
  };
  function draw<T extends Contact | Asset>(next: () => T, accept: (r: T) => boolean = () => true): T {
    for (let tries = 0; tries < 10_000; tries++) {
      const record = next();
      const ids = identities(record);
      if (!accept(record) || ids.some((id) => taken.has(id))) continue;
      for (const id of ids) taken.add(id);
      return record;
    }
    throw new Error('the generator has run out of distinct records for the labelled set; ask for fewer');
  }
  const drawContact = () => draw(() => gen.contact());
  const drawAsset = (accept?: (a: Asset) => boolean) => draw(() => gen.asset(), accept);

  const cluster = (kind: 'contact' | 'asset', ids: string[]) => {
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) set.duplicates[kind].add(pairKey(ids[i]!, ids[j]!));
  };

  for (let n = 0; n < contactCount; n++) {
    const original = drawContact();
    const d = original.data;
    set.contacts.push(original);
    const isPerson = d.type === 'person';
    const [first, last] = splitName(d.name);
    if (v.chance(DUPLICATED)) {
      const copies = [original.id];
      for (let c = v.chance(SECOND_COPY) ? 2 : 1; c > 0; c--) {
        // Another worker's record of the same person: their own notes, skills and consents.
        const other = drawContact().data;
        const moved = v.chance(0.04);
        const copy: Contact = {
          id: v.f.string.uuid(),
          data: {
            ...other,
            type: d.type,
            name: isPerson ? v.personName(first, last) : v.chance(0.5) ? v.typo(d.name) : d.name,
            phone: !d.phone || v.chance(0.25) ? '' : v.chance(0.07) ? other.phone : v.chance(0.6) ? v.phoneFormat(d.phone) : d.phone,
            email: !d.email || v.chance(0.35) ? '' : v.chance(0.05) ? other.email : v.chance(0.3) ? d.email.toUpperCase() : d.email,
            postcode: moved ? other.postcode : !d.postcode || v.chance(0.25) ? '' : v.chance(0.3) ? d.postcode.replace(' ', '') : d.postcode,
            address: moved ? other.address : v.chance(0.4) ? '' : d.address,
          },
        };
        set.contacts.push(copy);
        copies.push(copy.id);
        count('contact duplicate');
      }
      cluster('contact', copies);
      continue;
    }
    if (!isPerson) continue;
    // Hard negatives: someone else, made by the generator, given some of this person's details.
    const other = drawContact();
    const [otherFirst] = splitName(other.data.name);
    const differentFirst = otherFirst !== first && !nameVariants(otherFirst.toLowerCase()).includes(first.toLowerCase());
    const roll = v.f.number.float({ min: 0, max: 1 });
    if (roll < FAMILY && differentFirst && d.phone) {
      Object.assign(other.data, { name: `${otherFirst} ${last}`, phone: d.phone, address: d.address, postcode: d.postcode });
      count('family sharing phone and address');
    } else if (roll < FAMILY + NEIGHBOUR && differentFirst && d.postcode) {
      Object.assign(other.data, { name: `${otherFirst} ${last}`, postcode: d.postcode });
      count('same surname and postcode');
    } else if (roll < FAMILY + NEIGHBOUR + NAMESAKE) {
      other.data.name = d.name;
      count('namesake');
    } else if (roll < FAMILY + NEIGHBOUR + NAMESAKE + SPARSE_NAMESAKE) {
      Object.assign(other.data, { name: d.name, phone: '', email: '' });
      count('namesake without phone or email');
    } else continue;
    set.contacts.push(other);
  }

  for (let n = 0; n < assetCount; n++) {
    const original = drawAsset();
    const d = original.data;
    d.contactPersonId = null;
    set.assets.push(original);
    if (v.chance(DUPLICATED)) {
      const copies = [original.id];
      for (let c = v.chance(SECOND_COPY) ? 2 : 1; c > 0; c--) {
        const other = gen.asset().data;
        const copy: Asset = {
          id: v.f.string.uuid(),
          data: {
            ...other,
            contactPersonId: null,
            name: v.assetName(d.name),
            category: v.chance(0.15) ? other.category : d.category,
            location: !d.location || v.chance(0.2) ? null : v.moved(d.location, v.int(3, 60)),
            postcode: !d.postcode || v.chance(0.35) ? '' : v.chance(0.15) ? d.postcode.replace(' ', '') : d.postcode,
            address: v.chance(0.5) ? d.address : '',
          },
        };
        set.assets.push(copy);
        copies.push(copy.id);
        count('asset duplicate');
      }
      cluster('asset', copies);
      continue;
    }
    const sibling = /Church Hall$/.test(d.name) ? d.name.replace(/ Hall$/, '') : /Church$/.test(d.name) ? `${d.name} Hall` : null;
    const roll = v.f.number.float({ min: 0, max: 1 });
    if (sibling && roll < CHURCH_AND_HALL && !taken.has(nameIdentity(sibling))) {
      // A church hall and the church of the same name (or the other way round) 1.5–3 km apart.
      const church = drawAsset();
      taken.add(nameIdentity(sibling));
      Object.assign(church.data, {
        name: sibling,
        category: 'physical',
        contactPersonId: null,
        location: d.location ? v.moved(d.location, v.int(1_500, 3_000)) : null,
        postcode: d.postcode ? v.nearbyPostcode(d.postcode) : '',
        address: '',
      });
      set.assets.push(church);
      count('church and church hall apart');
    } else if (roll < SAME_NAME_ELSEWHERE) {
      // The same name in another district, such as a Tuesday Lunch Club in another town.
      const elsewhere = drawAsset((a) => outward(a.data.postcode) !== outward(d.postcode) && (!a.data.location || !d.location || Math.abs(a.data.location.lat - d.location.lat) > 0.1));
      Object.assign(elsewhere.data, { name: d.name, contactPersonId: null });
      set.assets.push(elsewhere);
      count('same name elsewhere');
    } else if (roll < SAME_NAME_ELSEWHERE + SAME_BUILDING && d.location) {
      // Another group meeting in the same building, pinned a few metres away.
      const neighbour = drawAsset();
      Object.assign(neighbour.data, { contactPersonId: null, location: v.moved(d.location, v.int(5, 150)), postcode: d.postcode, address: d.address });
      set.assets.push(neighbour);
      count('another asset in the same building');
    }
  }
  return set;
}

export interface Quality {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** Precision and recall of found pairs against the labelled duplicates of one kind. */
export function evaluate(found: { a: { id: string }; b: { id: string } }[], truth: Set<string>): Quality {
  const keys = new Set(found.map((p) => pairKey(p.a.id, p.b.id)));
  const truePositives = [...keys].filter((k) => truth.has(k)).length;
  return {
    precision: keys.size ? truePositives / keys.size : 1,
    recall: truth.size ? truePositives / truth.size : 1,
    truePositives,
    falsePositives: keys.size - truePositives,
    falseNegatives: truth.size - truePositives,
  };
}
