// A contact: a resident, volunteer, champion, partner organisation or member of staff,
// with their skills (the capacity inventory) and the consents they have given.
import { z } from 'zod';
import { describeKind } from './describe';
import { collection, email, isoDate, LIMITS, oneOf, phone, postcode, recordId, requiredText, text, themeFilter, themeSet } from './field-types';

export const CONTACT_TYPES = ['person', 'organisation'] as const;
export const CONTACT_ROLES = ['resident', 'volunteer', 'champion', 'connector', 'staff', 'partner'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const CONSENT_METHODS = ['verbal', 'written', 'digital', 'by-proxy'] as const;

export const Skill = z.strictObject({
  id: recordId,
  domain: requiredText(80),
  skill: requiredText(120),
  has: z.boolean(),
  wantsToLearn: z.boolean(),
  willingToShare: z.boolean(),
});
export type Skill = z.infer<typeof Skill>;

export const Consent = z.strictObject({
  id: recordId,
  purpose: requiredText(200),
  wordingVersion: requiredText(40),
  givenAt: isoDate,
  method: z.enum(CONSENT_METHODS),
  withdrawnAt: isoDate.nullable(),
});
export type Consent = z.infer<typeof Consent>;

export const ContactFields = z.strictObject({
  type: z.enum(CONTACT_TYPES),
  name: requiredText(LIMITS.name),
  roles: z.array(oneOf(CONTACT_ROLES)).max(CONTACT_ROLES.length),
  email,
  phone,
  address: text(LIMITS.shortText),
  postcode,
  themes: themeSet,
  notes: text(LIMITS.longText),
  skills: collection(Skill),
  consents: collection(Consent),
});

export const CONTACT = describeKind({
  fields: ContactFields,
  required: ['name'],
  defaults: {
    type: 'person',
    roles: [],
    email: '',
    phone: '',
    address: '',
    postcode: '',
    themes: [],
    notes: '',
    skills: [],
    consents: [],
  },
  storage: {
    type: 'value',
    name: 'value',
    roles: 'set',
    email: 'value',
    phone: 'value',
    address: 'value',
    postcode: 'value',
    themes: 'set',
    notes: 'value',
    skills: 'collection',
    consents: 'collection',
  },
  freeText: ['notes'],
  references: () => [],
  title: (d) => d.name,
  date: null,
  category: 'type',
  filters: { role: { on: 'facet', facet: 'role', label: 'Role', values: z.enum(CONTACT_ROLES) }, theme: themeFilter },
  labels: { one: 'contact', many: 'contacts' },
});
