// An asset: something a community already has — a person's gift, a group, an
// institution, a place, a business, a tradition — mapped the ABCD way.
import { z } from 'zod';
import { describeKind } from './describe';
import { LIMITS, Location, oneOf, postcode, recordId, requiredText, text, themeFilter, themeSet } from './field-types';

export const ASSET_CATEGORIES = ['individual', 'association', 'institution', 'physical', 'economic', 'cultural'] as const;
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

/** Plain-words explanations shown on the asset form. */
export const ASSET_CATEGORY_HELP: Record<AssetCategory, string> = {
  individual: 'A person’s gifts, skills and passions — what someone can and wants to give.',
  association: 'A voluntary, informal group run by its members: a walking group, a knit-and-natter.',
  institution: 'A paid, structured body: GP surgery, school, library, council service.',
  physical: 'A place: a building, hall, green space, allotment or piece of land.',
  economic: 'Local businesses and exchanges, often non-monetary: a time bank, a café.',
  cultural: 'Stories, heritage and traditions that give the community its identity.',
};

export const AssetFields = z.strictObject({
  name: requiredText(LIMITS.name),
  category: oneOf(ASSET_CATEGORIES),
  description: text(LIMITS.longText),
  themes: themeSet,
  tags: themeSet,
  location: Location.nullable(),
  address: text(LIMITS.shortText),
  postcode,
  availability: text(2_000),
  contactPersonId: recordId.nullable(),
});

export const ASSET = describeKind({
  fields: AssetFields,
  required: ['name', 'category'],
  defaults: {
    description: '',
    themes: [],
    tags: [],
    location: null,
    address: '',
    postcode: '',
    availability: '',
    contactPersonId: null,
  },
  storage: {
    name: 'value',
    category: 'value',
    description: 'value',
    themes: 'set',
    tags: 'set',
    location: 'value',
    address: 'value',
    postcode: 'value',
    availability: 'value',
    contactPersonId: 'value',
  },
  freeText: ['description', 'availability'],
  references: (d) => (d.contactPersonId ? [{ field: 'contactPersonId', id: d.contactPersonId, kinds: ['contact'] }] : []),
  title: (d) => d.name,
  date: null,
  category: 'category',
  filters: { category: { on: 'category', label: 'Category', values: z.enum(ASSET_CATEGORIES) }, theme: themeFilter },
  labels: { one: 'asset', many: 'assets' },
});
