// A contact's list row, search text and facets, and its capacity inventory and consents
// as tables of their own (reports and exports read them without parsing every record).
import type { KindProjection } from './describe';
import { compact, facets, join } from './describe';

export const CONTACT_PROJECTION: KindProjection<'contact'> = {
  row: (d) => ({
    title: d.name,
    subtitle: join([d.roles.join(', ') || d.type, d.postcode]),
    badges: d.themes,
    facets: [...facets('role', d.roles), ...facets('theme', d.themes)],
  }),
  search: (d) => [
    { field: 'roles', text: d.roles.join(', ') },
    { field: 'email', text: d.email },
    { field: 'phone', text: d.phone, forms: compact(d.phone) },
    { field: 'address', text: d.address },
    { field: 'postcode', text: d.postcode, forms: compact(d.postcode) },
    { field: 'themes', text: d.themes.join(', ') },
    { field: 'skills', text: d.skills.map((s) => `${s.domain}: ${s.skill}`).join('; ') },
    { field: 'notes', text: d.notes },
  ],
  tables: [
    {
      name: 'contact_skills',
      personal: "a contact's skills and what they want to learn or share",
      subjectAccess: ['person', 'mergedIn'],
      key: 'contact_id',
      columns: ['contact_id', 'skill_id', 'domain', 'skill', 'has', 'wants_to_learn', 'willing_to_share'],
      activeOnly: false,
      rows: (id, d) => d.skills.map((s) => [id, s.id, s.domain, s.skill, +s.has, +s.wantsToLearn, +s.willingToShare]),
    },
    {
      name: 'contact_consents',
      personal: "a contact's consents: purpose, wording, when and how given or withdrawn",
      subjectAccess: ['consents'],
      key: 'contact_id',
      columns: ['contact_id', 'consent_id', 'purpose', 'wording_version', 'given_at', 'method', 'withdrawn_at'],
      activeOnly: false,
      rows: (id, d) => d.consents.map((c) => [id, c.id, c.purpose, c.wordingVersion, c.givenAt, c.method, c.withdrawnAt]),
    },
  ],
};
