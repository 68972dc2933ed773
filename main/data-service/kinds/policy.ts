// The workspace's privacy settings record: listed nowhere, and found by search by its title
// only (the settings hold no one's personal data).
import type { KindProjection } from './describe';

export const POLICY_PROJECTION: KindProjection<'policy'> = {
  row: (d) => ({ title: 'Privacy settings', subtitle: `${d.purposes.length} consent purposes`, badges: [], facets: [] }),
  search: () => [],
  tables: [],
};
