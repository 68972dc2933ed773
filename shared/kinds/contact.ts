// A contact: a resident, volunteer, champion, partner organisation or member of staff,
// with their skills (the capacity inventory) and the consents they have given.
import { z } from 'zod';
import { describeKind } from './describe';
import { collection, email, isoDate, LIMITS, oneOf, phone, postcode, recordId, requiredText, text, themeFilter, themeSet } from './field-types';

export const CONTACT_TYPES = ['person', 'organisation'] as const;
export const CONTACT_ROLES = ['resident', 'volunteer', 'champion', 'connector', 'staff', 'partner'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const CONSENT_METHODS = ['verbal', 'written', 'digital', 'by-proxy'] as const;
/** How a person told us they withdraw a consent. */
export const WITHDRAWAL_METHODS = ['in-person', 'phone', 'email', 'letter', 'on-their-behalf'] as const;

export const Skill = z.strictObject({
  id: recordId,
  domain: requiredText(80),
  skill: requiredText(120),
  has: z.boolean(),
  wantsToLearn: z.boolean(),
  willingToShare: z.boolean(),
});
export type Skill = z.infer<typeof Skill>;

// Properties added after consents were first recorded are optional: a consent stored
// before them reads as it was (its purpose matched by name, never withdrawn by anyone named).
export const Consent = z.strictObject({
  id: recordId,
  /** The purpose's name as it read when the consent was recorded (or the free text of an older consent). */
  purpose: requiredText(200),
  /** The workspace purpose (shared/kinds/policy.ts) this consent was given for. */
  purposeId: recordId.nullable().optional(),
  wordingVersion: requiredText(40),
  givenAt: isoDate,
  method: z.enum(CONSENT_METHODS),
  /** The day the person last confirmed it again (a renewal), with the wording current then. */
  renewedAt: isoDate.nullable().optional(),
  withdrawnAt: isoDate.nullable(),
  /** Who recorded the withdrawal, and how the person told us. */
  withdrawnBy: text(LIMITS.name).nullable().optional(),
  withdrawalMethod: z.enum(WITHDRAWAL_METHODS).nullable().optional(),
});
export type Consent = z.infer<typeof Consent>;

/** A lawful basis other than consent on which the organisation holds this person's data (one of the settings' bases, by name). */
export const ContactLawfulBasis = z.strictObject({
  basis: requiredText(200),
  since: isoDate,
  note: text(2_000),
});
export type ContactLawfulBasis = z.infer<typeof ContactLawfulBasis>;

/** A lead's decision at a retention review to keep this record for another period, and why. */
export const RetentionDecision = z.strictObject({
  keptUntil: isoDate,
  reason: requiredText(LIMITS.shortText),
  decidedBy: requiredText(LIMITS.name),
  decidedOn: isoDate,
});
export type RetentionDecision = z.infer<typeof RetentionDecision>;

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
  lawfulBasis: ContactLawfulBasis.nullable(),
  retention: RetentionDecision.nullable(),
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
    lawfulBasis: null,
    retention: null,
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
    lawfulBasis: 'value',
    retention: 'value',
  },
  freeText: ['notes'],
  references: () => [],
  title: (d) => d.name,
  date: null,
  category: 'type',
  filters: { role: { on: 'facet', facet: 'role', label: 'Role', values: z.enum(CONTACT_ROLES) }, theme: themeFilter },
  labels: { one: 'contact', many: 'contacts', fields: { retention: 'Kept for another period' } },
});
