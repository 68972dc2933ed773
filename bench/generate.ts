// Seeded generator of the reference workspace (50,000 contacts, 10,000 assets, 50,000
// sessions, 100,000 connections at scale 1): realistic UK people, places and community
// work, written through the real write path (Workspace.createMany). The same seed and
// scale always give the same records and ids; only the write timestamps differ.
import { Faker, base, en, en_GB } from '@faker-js/faker';
import { v7 as uuidv7 } from 'uuid';
import {
  CONSENT_METHODS,
  SUGGESTED_THEMES,
  type AssetCategory,
  type ConnectionKind,
  type ContactRole,
  type CreateInput,
  type RecordKind,
  type SessionType,
} from '../shared/domain';
import { foldText } from '../main/data-service/text';
import type { Workspace } from '../main/data-service/workspace';

/** The passphrase of workspaces benches set up through the data service: made-up people, thrown away after. */
export const BENCH_PASSPHRASE = 'bench workspace of made-up people';

export const REFERENCE_COUNTS: Record<GeneratedKind, number> = {
  contact: 50_000,
  asset: 10_000,
  session: 50_000,
  connection: 100_000,
};

/** Each kind refers only to kinds generated before it. */
export const GENERATION_ORDER = ['contact', 'asset', 'session', 'connection'] as const satisfies readonly RecordKind[];
/** The kinds a reference workspace holds many of (its privacy settings are the defaults, unsaved). */
export type GeneratedKind = (typeof GENERATION_ORDER)[number];

export interface GenerateOptions {
  /** Fraction of the reference size; every kind gets at least one record. */
  scale?: number;
  seed?: number;
  /** Records per createMany call (one transaction each). */
  batchSize?: number;
}

export type Batch = { [K in GeneratedKind]: { kind: K; inputs: { id: string; data: CreateInput<K> }[] } }[GeneratedKind];

export interface GenerateResult {
  ids: Record<GeneratedKind, string[]>;
  /** Time spent inside createMany, per kind: the write path alone, without generating the inputs. */
  writeMs: Record<GeneratedKind, number>;
  /** The same in CPU time (user + system), which other processes on the machine disturb less. */
  writeCpuMs: Record<GeneratedKind, number>;
}

export function countsAt(scale: number): Record<GeneratedKind, number> {
  const counts = {} as Record<GeneratedKind, number>;
  for (const kind of GENERATION_ORDER) counts[kind] = Math.max(1, Math.round(REFERENCE_COUNTS[kind] * scale));
  return counts;
}

// ---------------------------------------------------------------- UK reference data

interface Town {
  name: string;
  lat: number;
  lon: number;
  areaCode: string;
  outward: string[];
  places: string[];
}

const TOWNS: Town[] = [
  { name: 'Manchester', lat: 53.4808, lon: -2.2426, areaCode: '0161', outward: ['M8', 'M11', 'M12', 'M13', 'M14', 'M15', 'M16', 'M19', 'M40'], places: ['Moss Side', 'Longsight', 'Levenshulme', 'Gorton', 'Hulme', 'Rusholme', 'Harpurhey', 'Cheetham Hill'] },
  { name: 'Leeds', lat: 53.8008, lon: -1.5491, areaCode: '0113', outward: ['LS6', 'LS7', 'LS8', 'LS9', 'LS11', 'LS12', 'LS14'], places: ['Chapeltown', 'Harehills', 'Headingley', 'Armley', 'Beeston', 'Seacroft'] },
  { name: 'Birmingham', lat: 52.4862, lon: -1.8904, areaCode: '0121', outward: ['B8', 'B9', 'B10', 'B11', 'B12', 'B19', 'B21', 'B29'], places: ['Sparkbrook', 'Small Heath', 'Handsworth', 'Aston', 'Balsall Heath', 'Lozells', 'Selly Oak'] },
  { name: 'Bristol', lat: 51.4545, lon: -2.5879, areaCode: '0117', outward: ['BS2', 'BS3', 'BS5', 'BS13', 'BS10'], places: ['Easton', 'St Pauls', 'Bedminster', 'Knowle West', 'Hartcliffe', 'Southmead'] },
  { name: 'Sheffield', lat: 53.3811, lon: -1.4701, areaCode: '0114', outward: ['S2', 'S3', 'S4', 'S5', 'S9'], places: ['Burngreave', 'Darnall', 'Sharrow', 'Page Hall', 'Firth Park', 'Parson Cross'] },
  { name: 'Newcastle', lat: 54.9783, lon: -1.6178, areaCode: '0191', outward: ['NE4', 'NE5', 'NE6', 'NE15'], places: ['Benwell', 'Elswick', 'Byker', 'Walker', 'Fenham'] },
  { name: 'Liverpool', lat: 53.4084, lon: -2.9916, areaCode: '0151', outward: ['L4', 'L5', 'L6', 'L7', 'L8', 'L11'], places: ['Anfield', 'Everton', 'Toxteth', 'Kensington', 'Walton', 'Norris Green'] },
  { name: 'Leicester', lat: 52.6369, lon: -1.1398, areaCode: '0116', outward: ['LE1', 'LE2', 'LE3', 'LE4', 'LE5'], places: ['Belgrave', 'Highfields', 'Braunstone', 'Beaumont Leys', 'Evington'] },
  { name: 'Nottingham', lat: 52.9548, lon: -1.1581, areaCode: '0115', outward: ['NG3', 'NG5', 'NG6', 'NG7', 'NG8'], places: ['Sneinton', "St Ann's", 'Radford', 'Bulwell', 'Hyson Green'] },
  { name: 'Bradford', lat: 53.7960, lon: -1.7594, areaCode: '01274', outward: ['BD3', 'BD5', 'BD7', 'BD8', 'BD9'], places: ['Manningham', 'Little Horton', 'Bowling', 'Girlington', 'Eccleshill'] },
  { name: 'Cardiff', lat: 51.4816, lon: -3.1791, areaCode: '029', outward: ['CF10', 'CF11', 'CF24', 'CF3', 'CF5'], places: ['Butetown', 'Grangetown', 'Splott', 'Adamsdown', 'Ely', 'Llanrumney'] },
  { name: 'Glasgow', lat: 55.8642, lon: -4.2518, areaCode: '0141', outward: ['G21', 'G22', 'G31', 'G34', 'G51'], places: ['Govan', 'Easterhouse', 'Possilpark', 'Dennistoun', 'Springburn'] },
  { name: 'Hull', lat: 53.7676, lon: -0.3274, areaCode: '01482', outward: ['HU3', 'HU5', 'HU7', 'HU8', 'HU9'], places: ['Orchard Park', 'Bransholme', 'Newington', 'Preston Road'] },
  { name: 'Stoke-on-Trent', lat: 53.0027, lon: -2.1794, areaCode: '01782', outward: ['ST1', 'ST3', 'ST4', 'ST6'], places: ['Hanley', 'Longton', 'Burslem', 'Tunstall'] },
  { name: 'Plymouth', lat: 50.3755, lon: -4.1427, areaCode: '01752', outward: ['PL1', 'PL2', 'PL5', 'PL6'], places: ['Devonport', 'Stonehouse', 'Whitleigh', 'Southway'] },
  { name: 'Oldham', lat: 53.5409, lon: -2.1114, areaCode: '0161', outward: ['OL1', 'OL4', 'OL8', 'OL9'], places: ['Werneth', 'Glodwick', 'Fitton Hill', 'Coldhurst'] },
];

const FIRST_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Freya', 'Lily', 'Emily', 'Sophie', 'Chloé', 'Jessica', 'Ruby',
  'Margaret', 'Maureen', 'Pauline', 'Susan', 'Linda', 'Janet', 'Carol', 'Patricia', 'Sandra', 'Karen', 'Julie',
  'Aisha', 'Fatima', 'Zainab', 'Maryam', 'Priya', 'Anjali', 'Harpreet', 'Nasreen', 'Shabana', 'Amina', 'Hodan',
  'Agnieszka', 'Katarzyna', 'Ioana', 'Zoë', 'Siân', 'Róisín', 'Niamh', 'Bethan', 'Eilidh', 'Chantelle', 'Shanice',
  'Oliver', 'George', 'Harry', 'Noah', 'Jack', 'Leo', 'Arthur', 'Oscar', 'Charlie', 'Jacob', 'Thomas', 'James',
  'David', 'John', 'Michael', 'Paul', 'Peter', 'Steven', 'Gary', 'Mark', 'Brian', 'Kevin', 'Keith', 'Trevor',
  'Mohammed', 'Muhammad', 'Tariq', 'Imran', 'Bilal', 'Ravi', 'Sanjay', 'Gurpreet', 'Abdi', 'Yusuf', 'Kwame',
  'Tomasz', 'Piotr', 'Andrei', 'Seán', 'Ciarán', 'Dylan', 'Rhys', 'Callum', 'Euan', 'Declan', 'Tyrone', 'Marcus',
];

const SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
  'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
  'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark',
  'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker',
  'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins',
  'Bell', 'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards', 'Khan', 'Marshall', 'Anderson', 'Simpson', 'Ellis', 'Adams',
  'Singh', 'Begum', 'Ali', 'Ahmed', 'Hussain', 'Akhtar', 'Mahmood', 'Rahman', 'Islam', 'Shah', 'Kaur', 'Sharma',
  'Mistry', 'Chauhan', 'Gill', 'Sandhu', 'Mohamed', 'Abdullahi', 'Okafor', 'Mensah', 'Campbell', 'Stewart',
  'McDonald', 'MacLeod', 'Fraser', 'Robertson', "O'Brien", "O'Neill", 'Byrne', 'Doyle', 'Quinn', 'Kowalski',
  'Nowak', 'Wiśniewski', 'Popescu', 'Hewitt', 'Pearson', 'Fletcher', 'Holmes', 'Barnes', 'Booth', 'Dixon',
  'Lloyd', 'Pritchard', 'Llewellyn', 'Bowen', 'Howells', 'Ashworth', 'Butterworth', 'Whitehead', 'Sutcliffe',
];

const EMAIL_DOMAINS = ['gmail.com', 'hotmail.co.uk', 'yahoo.co.uk', 'outlook.com', 'btinternet.com', 'icloud.com', 'live.co.uk'];

const SKILLS: Record<string, string[]> = {
  cooking: ['baking', 'cooking for groups', 'food hygiene', 'Caribbean cooking', 'South Asian cooking'],
  crafts: ['knitting', 'sewing', 'crochet', 'woodwork', 'upcycling furniture'],
  gardening: ['growing vegetables', 'composting', 'tree planting', 'beekeeping'],
  digital: ['using a smartphone', 'video calls', 'spreadsheets', 'social media', 'web design'],
  languages: ['Urdu', 'Polish', 'Punjabi', 'Somali', 'Arabic', 'British Sign Language', 'Welsh', 'Bengali', 'Romanian'],
  practical: ['plumbing', 'electrics', 'bike repair', 'decorating', 'DIY repairs', 'driving a minibus'],
  care: ['first aid', 'befriending', 'dementia awareness', 'childcare', 'listening'],
  creative: ['singing', 'guitar', 'painting', 'photography', 'storytelling', 'drama'],
  organising: ['fundraising', 'event planning', 'bookkeeping', 'chairing meetings', 'grant writing'],
  sport: ['walking', 'football coaching', 'yoga', 'chair exercise', 'swimming'],
};
const SKILL_DOMAINS = Object.keys(SKILLS);

const CONSENT_PURPOSES = [
  'Contact about community activities',
  'Keep my details on the asset map',
  'Share my details with partner organisations',
  'Photographs for newsletters and social media',
  'Take part in research and evaluation',
];
const CONSENT_WORDING = ['v1', 'v2', '2024-03', '2025-01'];

const CONTACT_NOTES = [
  'Prefers a phone call in the mornings.',
  'Met at the Tuesday coffee morning.',
  'Happy to interpret at sessions.',
  'Keen to start a walking group.',
  'Cares for her mum, so afternoons are hard.',
  'Works shifts; weekends are best.',
  'Knows everyone on the estate.',
  'Recently moved to the area and wants to get involved.',
  'Does not use email; post or phone only.',
  'Runs the WhatsApp group for the flats.',
];

const ORGANISATION_TYPES = [
  'Tenants and Residents Association', 'Food Bank', 'Community Trust', 'Housing Association', 'Credit Union',
  'Youth Project', 'Carers Centre', 'Women’s Centre', 'Refugee Support Network', 'Community Church', 'Islamic Centre',
];
const TOWN_ORGANISATIONS = ['Age UK', 'Citizens Advice', 'Mind', 'Council for Voluntary Service', 'Healthwatch'];

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SAINTS = ['Mary', 'John', 'Peter', 'Paul', 'Michael', 'Andrew', 'James', 'Luke', 'Mark', 'Anne', 'Margaret', 'George'];

/** Asset names per category; {place}, {town}, {saint}, {day}, {street}, {surname}, {person}, {skill} are filled in. */
const ASSET_NAMES: Record<AssetCategory, string[]> = {
  individual: ['{skill} with {person}', '{person}’s {skill}', '{skill} — {person}'],
  association: [
    '{day} Knit and Natter', '{place} Walking Group', '{place} Tenants and Residents Association', '{place} Men’s Shed',
    '{place} Allotment Society', 'Friends of {place} Park', '{place} Youth Football Club', '{day} Lunch Club',
    '{place} Dementia Café', '{place} Community Choir', '{place} Parent and Toddler Group', '{day} Carers’ Group',
  ],
  institution: [
    '{place} Library', '{place} Medical Centre', 'St {saint}’s Primary School', '{place} Jobcentre', '{place} Family Hub',
    '{place} Leisure Centre', '{town} Council Housing Office', '{place} Health Centre', '{place} Academy',
  ],
  physical: [
    'St {saint}’s Church Hall', '{place} Community Centre', '{place} Park', '{street} Allotments', '{place} Methodist Church',
    '{place} Mosque', '{place} Gurdwara', '{place} Community Garden', '{place} Scout Hut', '{place} Miners’ Welfare Hall',
  ],
  economic: [
    '{place} Time Bank', '{surname}’s Café', '{place} Credit Union', '{place} Community Pantry', '{surname}’s Hardware',
    '{place} Repair Café', '{place} Food Co-op', '{place} Swap Shop',
  ],
  cultural: [
    '{place} Heritage Trail', '{place} Carnival', '{place} Mela', 'Oral histories of {place}', '{place} Brass Band',
    '{town} Irish Dance Tradition', '{place} Windrush Stories', '{place} Diwali Lights',
  ],
};

const ASSET_DESCRIPTIONS: Record<AssetCategory, string[]> = {
  individual: ['Happy to share this with anyone who asks.', 'Has taught neighbours for years, informally.', 'Offered at a community conversation.'],
  association: ['Run entirely by volunteers; new members always welcome.', 'Meets weekly, tea and biscuits provided.', 'Small group, mostly older residents, very welcoming.'],
  institution: ['Staff are keen to work with community groups.', 'Has a room that groups can book for free.', 'Runs a social prescribing service.'],
  physical: ['Step-free access and a small kitchen.', 'Large hall with a stage; needs booking two weeks ahead.', 'Green space used by dog walkers and families.'],
  economic: ['Swaps hours of help rather than money.', 'Owner lets groups meet here out of hours.', 'Sells surplus food at low prices.'],
  cultural: ['Stories collected from long-standing residents.', 'An annual celebration the whole area turns out for.', 'Keeps a tradition alive across generations.'],
};

const ASSET_TAGS = ['free', 'step-free access', 'parking', 'hearing loop', 'family friendly', 'women only', 'baby change', 'on a bus route', 'wifi'];
const AVAILABILITY = ['{day}s 10:00–12:00', 'Mon–Fri 9am–5pm', 'By arrangement', '{day} evenings', 'First {day} of the month', 'Term time only', ''];

const SESSION_TITLES: Record<SessionType, string[]> = {
  'community-conversation': ['Community conversation at {venue}', 'Coffee morning conversation', '{place} kitchen-table conversation', 'What matters in {place}?'],
  workshop: ['{skill} workshop', 'Asset mapping workshop', 'Funding bids workshop', 'Digital skills workshop'],
  event: ['{place} summer fun day', '{place} community picnic', 'Warm space open day', 'Celebrating {place} volunteers'],
  'one-to-one': ['One-to-one with {person}', 'Catch-up with {person}', 'Welcome chat with {person}'],
  'drop-in': ['{place} drop-in', 'Warm space drop-in at {venue}', 'Benefits advice drop-in'],
  'staff-training': ['ABCD training: {topic}', 'Safeguarding refresher', 'Training: good conversations', 'Consent and data protection training'],
};
const TRAINING_TOPICS = ['asset mapping', 'connecting people', 'community conversations', 'recording consent', 'learning from stories'];

const NOTE_SENTENCES = [
  'People said the bus cuts have left them stuck at home after 6pm.',
  'Several parents want a safe place for teenagers on Friday nights.',
  '{person} offered to run a knitting circle if we can find a room.',
  'The hall heating is broken again and the caretaker is chasing the council.',
  'Lots of interest in a community fridge at {venue}.',
  'Older residents feel unsafe walking through the park after dark.',
  'We mapped twelve new assets on the big sheet, mostly informal groups.',
  'Two people had never been to a community event before.',
  '{person} knows a retired joiner who could help fix the benches.',
  'The GP surgery is keen to refer people to the lunch club.',
  'Conversation kept coming back to damp and mould in rented flats.',
  'A lot of people are lonely since the day centre closed.',
  'The mosque has a kitchen we could use on weekdays.',
  'Young people asked for a football pitch with lights.',
  'Next time we need an interpreter for Polish speakers.',
  'Energy bills are the biggest worry this winter.',
  'The allotment society has spare plots and nobody knows.',
  'Residents want to clean up the alley behind the shops themselves.',
  'Good turnout despite the rain; tea ran out by eleven.',
  '{person} shared a story about the street parties in the seventies.',
];

const PRIORITIES: [string, string | null][] = [
  ['More activities for young people in the evenings', 'young people'],
  ['Somewhere warm to go in winter', 'loneliness'],
  ['Affordable fresh food nearby', 'food'],
  ['Help getting online for benefit claims', 'digital inclusion'],
  ['Support for carers of people with dementia', 'dementia'],
  ['Cleaner streets and fewer fly-tips', 'environment'],
  ['Local jobs and apprenticeships', 'employment'],
  ['Damp and mould in rented homes', 'housing'],
  ['Gentle exercise for older people', 'physical activity'],
  ['Someone to talk to about stress', 'mental health'],
  ['Art and music for all ages', 'arts'],
  ['Cancer screening information in community languages', 'cancer prevention'],
  ['Proper breaks and wellbeing at work', 'workplace wellbeing'],
  ['A bus that runs after six', null],
  ['Benches along the canal path', null],
];

const ACTIONS = [
  'Ask the council about the bus timetable',
  'Book the hall for the next session',
  'Introduce {person} to the walking group',
  'Send the notes to everyone who came',
  'Find out about a small grant for the community garden',
  'Print flyers in Urdu and Polish',
  'Follow up with the GP surgery about social prescribing',
  'Check the hall’s insurance covers the lunch club',
  'Set up a WhatsApp group for the knit and natter',
  'Visit {venue} to see the kitchen',
  'Call {person} about volunteering',
  'Add the new groups to the asset map',
];
const ACTION_STATUS_WEIGHTS = [
  { value: 'open' as const, weight: 40 },
  { value: 'in-progress' as const, weight: 20 },
  { value: 'done' as const, weight: 35 },
  { value: 'cancelled' as const, weight: 5 },
];

const CONNECTION_NOTES = [
  'Met at the coffee morning.',
  'Neighbours on the same landing.',
  'Introduced at a community conversation.',
  'Volunteers there on Saturdays.',
  'Share a minibus for outings.',
  'Both help run the summer fun day.',
];

// ---------------------------------------------------------------- generator

interface ContactInfo {
  id: string;
  name: string;
  town: Town;
  place: string;
}

interface AssetInfo {
  id: string;
  name: string;
  place: string;
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2022, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(2026, 11, 31) / DAY_MS;
const isoDay = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

/** Also used on its own by bench/duplicates-dataset.ts, which varies its contacts and assets into labelled duplicates. */
export class WorkspaceGenerator {
  private readonly f: Faker;
  private readonly contacts: ContactInfo[] = [];
  private readonly assets: AssetInfo[] = [];
  private clockMs = Date.UTC(2022, 0, 1);

  constructor(seed: number) {
    this.f = new Faker({ locale: [en_GB, en, base], seed });
  }

  /**
   * A record's id as the app mints one (main/data-service/record-id.ts: time-ordered), from a seeded
   * clock that moves a millisecond per record, so a seed still gives the same ids.
   */
  private recordId(): string {
    // Its random bits from faker's uuid, so the rest of the seeded stream is what it was.
    return uuidv7({ msecs: this.clockMs++, random: Buffer.from(this.f.string.uuid().replace(/-/g, ''), 'hex') });
  }

  private pick<T>(items: readonly T[]): T {
    return this.f.helpers.arrayElement(items);
  }

  private some<T>(items: readonly T[], min: number, max: number): T[] {
    return this.f.helpers.arrayElements(items, { min, max });
  }

  private chance(probability: number): boolean {
    return this.f.datatype.boolean(probability);
  }

  private int(min: number, max: number): number {
    return this.f.number.int({ min, max });
  }

  private digits(n: number): string {
    return this.f.string.numeric({ length: n, allowLeadingZeros: true });
  }

  private day(from = FIRST_DAY, to = LAST_DAY): string {
    return isoDay(this.int(from, to));
  }

  /** Up to `count` distinct members of a large pool (faker's arrayElements copies the whole pool each call). */
  private distinct<T>(pool: readonly T[], count: number): T[] {
    const chosen = new Set<T>();
    for (let tries = 0; chosen.size < Math.min(count, pool.length) && tries < count * 4; tries++) chosen.add(this.pick(pool));
    return [...chosen];
  }

  /** A real outward code of the town plus an inward code: digit and two letters (never C, I, K, M, O, V). */
  private postcode(town: Town): string {
    const letters = 'ABDEFGHJLNPQRSTUWXYZ';
    return `${this.pick(town.outward)} ${this.int(0, 9)}${this.pick([...letters])}${this.pick([...letters])}`;
  }

  private mobile(): string {
    return `07${this.int(4, 9)}${this.digits(2)} ${this.digits(6)}`;
  }

  /** Eleven digits in the town's usual grouping: 029 2xxx xxxx, 0161 2xx xxxx, 01274 2xxxxx. */
  private landline(town: Town): string {
    const first = this.int(2, 9);
    if (town.areaCode.length === 3) return `${town.areaCode} ${first}${this.digits(3)} ${this.digits(4)}`;
    if (town.areaCode.length === 4) return `${town.areaCode} ${first}${this.digits(2)} ${this.digits(4)}`;
    return `${town.areaCode} ${first}${this.digits(5)}`;
  }

  private address(town: Town, place: string): string {
    return `${this.int(1, 240)} ${this.pick(this.f.definitions.location.street_name)}, ${place}, ${town.name}`;
  }

  private fill(template: string, values: Record<string, string>): string {
    return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
  }

  private personName(): string {
    return `${this.pick(FIRST_NAMES)} ${this.pick(SURNAMES)}`;
  }

  contact(): { id: string; data: CreateInput<'contact'> } {
    const id = this.recordId();
    const town = this.pick(TOWNS);
    const place = this.pick(town.places);
    const isPerson = this.chance(0.92);
    const themes = this.some(SUGGESTED_THEMES, 0, 3);
    if (!isPerson) {
      const name = this.chance(0.3) ? `${this.pick(TOWN_ORGANISATIONS)} ${town.name}` : `${place} ${this.pick(ORGANISATION_TYPES)}`;
      const slug = foldText(name).replace(/[^a-z]/g, '').slice(0, 24);
      this.contacts.push({ id, name, town, place });
      return {
        id,
        data: {
          type: 'organisation',
          name,
          roles: ['partner'],
          email: this.chance(0.8) ? `info@${slug}.org.uk` : '',
          phone: this.landline(town),
          address: this.address(town, place),
          postcode: this.postcode(town),
          themes,
        },
      };
    }
    const first = this.pick(FIRST_NAMES);
    const last = this.pick(SURNAMES);
    const name = `${first} ${last}`;
    const local = `${foldText(first)}.${foldText(last)}`.replace(/[^a-z.]/g, '') + (this.chance(0.5) ? this.int(1, 99) : '');
    this.contacts.push({ id, name, town, place });
    const roles = this.f.helpers.weightedArrayElement<ContactRole[]>([
      { value: ['resident'], weight: 50 },
      { value: ['resident', 'volunteer'], weight: 20 },
      { value: ['volunteer'], weight: 8 },
      { value: ['resident', 'champion'], weight: 10 },
      { value: ['connector', 'champion'], weight: 5 },
      { value: ['staff'], weight: 5 },
      { value: ['partner'], weight: 2 },
    ]);
    const skills = this.some(SKILL_DOMAINS, 0, 3).flatMap((domain) =>
      this.some(SKILLS[domain]!, 1, 2).map((skill) => {
        const has = this.chance(0.7);
        return {
          id: this.f.string.uuid(),
          domain,
          skill,
          has,
          wantsToLearn: has ? this.chance(0.2) : true,
          willingToShare: has && this.chance(0.5),
        };
      }),
    );
    const consents = this.some(CONSENT_PURPOSES, 0, 3).map((purpose) => {
      const givenDay = this.int(FIRST_DAY, LAST_DAY - 30);
      return {
        id: this.f.string.uuid(),
        purpose,
        wordingVersion: this.pick(CONSENT_WORDING),
        givenAt: isoDay(givenDay),
        method: this.pick(CONSENT_METHODS),
        withdrawnAt: this.chance(0.08) ? this.day(givenDay + 1, LAST_DAY) : null,
      };
    });
    return {
      id,
      data: {
        type: 'person',
        name,
        roles,
        email: this.chance(0.7) ? `${local}@${this.pick(EMAIL_DOMAINS)}` : '',
        phone: this.chance(0.85) ? (this.chance(0.75) ? this.mobile() : this.landline(town)) : '',
        address: this.chance(0.6) ? this.address(town, place) : '',
        postcode: this.chance(0.9) ? this.postcode(town) : '',
        themes,
        notes: this.chance(0.25) ? this.pick(CONTACT_NOTES) : '',
        skills,
        consents,
      },
    };
  }

  asset(): { id: string; data: CreateInput<'asset'> } {
    const id = this.recordId();
    const town = this.pick(TOWNS);
    const place = this.pick(town.places);
    const category = this.f.helpers.weightedArrayElement<AssetCategory>([
      { value: 'individual', weight: 15 },
      { value: 'association', weight: 30 },
      { value: 'institution', weight: 15 },
      { value: 'physical', weight: 25 },
      { value: 'economic', weight: 10 },
      { value: 'cultural', weight: 5 },
    ]);
    const domain = this.pick(SKILL_DOMAINS);
    const skill = this.pick(SKILLS[domain]!);
    const values = {
      place,
      town: town.name,
      saint: this.pick(SAINTS),
      day: this.pick(DAYS),
      street: this.pick(this.f.definitions.location.street_name).split(' ')[0]!,
      surname: this.pick(SURNAMES),
      person: this.personName(),
      skill: skill.charAt(0).toUpperCase() + skill.slice(1),
    };
    const name = this.fill(this.pick(ASSET_NAMES[category]), values);
    this.assets.push({ id, name, place });
    const jitter = () => this.f.number.float({ min: -0.04, max: 0.04, fractionDigits: 5 });
    return {
      id,
      data: {
        name,
        category,
        description: this.pick(ASSET_DESCRIPTIONS[category]),
        themes: this.some(SUGGESTED_THEMES, 1, 3),
        tags: this.some(ASSET_TAGS, 0, 2),
        location: this.chance(0.85) ? { lat: +(town.lat + jitter()).toFixed(5), lon: +(town.lon + jitter()).toFixed(5) } : null,
        address: this.chance(0.8) ? this.address(town, place) : '',
        postcode: this.chance(0.85) ? this.postcode(town) : '',
        availability: this.fill(this.pick(AVAILABILITY), values),
        contactPersonId: this.chance(0.6) ? this.pick(this.contacts).id : null,
      },
    };
  }

  private session(): { id: string; data: CreateInput<'session'> } {
    const id = this.recordId();
    const type = this.f.helpers.weightedArrayElement<SessionType>([
      { value: 'community-conversation', weight: 30 },
      { value: 'workshop', weight: 15 },
      { value: 'event', weight: 10 },
      { value: 'one-to-one', weight: 25 },
      { value: 'drop-in', weight: 15 },
      { value: 'staff-training', weight: 5 },
    ]);
    const venue = this.chance(0.85) ? this.pick(this.assets) : null;
    const attendees = this.distinct(this.contacts, type === 'one-to-one' ? 1 : this.int(0, 15));
    const facilitators = this.distinct(this.contacts, this.int(1, 2)).filter((c) => !attendees.includes(c));
    const values = {
      venue: venue?.name ?? 'the community centre',
      place: venue?.place ?? this.pick(this.pick(TOWNS).places),
      person: (attendees[0] ?? this.pick(this.contacts)).name,
      skill: this.pick(SKILLS[this.pick(SKILL_DOMAINS)]!),
      topic: this.pick(TRAINING_TOPICS),
    };
    const startDay = this.int(FIRST_DAY, LAST_DAY);
    const date = isoDay(startDay);
    const hour = this.int(9, 19);
    const minute = this.pick(['00', '30']);
    const pad = (n: number) => String(n).padStart(2, '0');
    const paragraphs = Array.from({ length: this.int(1, 3) }, () =>
      Array.from({ length: this.int(1, 3) }, () => this.fill(this.pick(NOTE_SENTENCES), { ...values, person: this.pick(this.contacts).name })).join(' '),
    );
    return {
      id,
      data: {
        title: this.fill(this.pick(SESSION_TITLES[type]), values),
        type,
        startsAt: `${date}T${pad(hour)}:${minute}`,
        endsAt: this.chance(0.7) ? `${date}T${pad(hour + this.int(1, 3))}:${minute}` : null,
        venueId: venue?.id ?? null,
        facilitatorIds: facilitators.map((c) => c.id),
        attendeeIds: attendees.map((c) => c.id),
        anonymousHeadCount: this.chance(0.4) ? this.int(1, 40) : 0,
        notes: paragraphs.join('\n'),
        priorities: this.some(PRIORITIES, 0, 4).map(([text, theme]) => ({ id: this.f.string.uuid(), text, theme })),
        actions: Array.from({ length: this.int(0, 3) }, () => ({
          id: this.f.string.uuid(),
          text: this.fill(this.pick(ACTIONS), { ...values, person: this.pick(this.contacts).name }),
          ownerId: this.chance(0.8) ? this.pick(this.contacts).id : null,
          dueDate: this.chance(0.85) ? this.day(startDay + 7, startDay + 60) : null,
          status: this.f.helpers.weightedArrayElement(ACTION_STATUS_WEIGHTS),
        })),
      },
    };
  }

  private connection(): { id: string; data: CreateInput<'connection'> } {
    const id = this.recordId();
    const shape = this.f.helpers.weightedArrayElement([
      { value: 'person-person' as const, weight: 40 },
      { value: 'person-asset' as const, weight: 45 },
      { value: 'asset-asset' as const, weight: 15 },
    ]);
    const kinds: Record<typeof shape, ConnectionKind[]> = {
      'person-person': ['knows', 'knows', 'introduced-by'],
      'person-asset': ['member-of', 'runs', 'uses', 'uses', 'volunteers-at', 'works-at'],
      'asset-asset': ['partners-with', 'uses', 'other'],
    };
    const from = shape === 'asset-asset' ? this.pick(this.assets).id : this.pick(this.contacts).id;
    const pool = shape === 'person-person' ? this.contacts : this.assets;
    let to = this.pick(pool).id;
    // Only the smallest scales have so few records that both ends can coincide.
    while (to === from && pool.length > 1) to = this.pick(pool).id;
    return {
      id,
      data: {
        fromId: from,
        toId: to,
        kind: this.pick(kinds[shape]),
        date: this.chance(0.7) ? this.day() : null,
        note: this.chance(0.3) ? this.pick(CONNECTION_NOTES) : '',
      },
    };
  }

  *batches(counts: Record<GeneratedKind, number>, batchSize: number): Generator<Batch> {
    const make: Record<GeneratedKind, () => Batch['inputs'][number]> = {
      contact: () => this.contact(),
      asset: () => this.asset(),
      session: () => this.session(),
      connection: () => this.connection(),
    };
    for (const kind of GENERATION_ORDER) {
      for (let done = 0; done < counts[kind]; done += batchSize) {
        const n = Math.min(batchSize, counts[kind] - done);
        yield { kind, inputs: Array.from({ length: n }, make[kind]) } as Batch;
      }
    }
  }
}

/** The reference workspace's records, in batches ready for createMany, in an order that satisfies every reference. */
export function generateBatches(options: GenerateOptions = {}): Iterable<Batch> {
  const { scale = 1, seed = 1, batchSize = 1_000 } = options;
  return new WorkspaceGenerator(seed).batches(countsAt(scale), batchSize);
}

/** Fill a workspace with the generated records through Workspace.createMany. */
export function generateWorkspace(ws: Workspace, options: GenerateOptions = {}): GenerateResult {
  const ids = { contact: [], asset: [], session: [], connection: [] } as Record<GeneratedKind, string[]>;
  const writeMs = { contact: 0, asset: 0, session: 0, connection: 0 } as Record<GeneratedKind, number>;
  const writeCpuMs = { ...writeMs };
  for (const batch of generateBatches(options)) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    // createMany's kind and inputs are correlated per batch; TypeScript cannot see that across the union.
    const created = ws.createMany(batch.kind as RecordKind, batch.inputs as { id: string; data: CreateInput<RecordKind> }[]);
    const used = process.cpuUsage(cpu);
    writeMs[batch.kind] += performance.now() - started;
    writeCpuMs[batch.kind] += (used.user + used.system) / 1000;
    ids[batch.kind].push(...created);
  }
  return { ids, writeMs, writeCpuMs };
}
