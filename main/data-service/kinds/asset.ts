// An asset's list row, search text and facets (its theme and tag filters, its contact person).
import type { KindProjection } from './describe';
import { compact, facets, join, label } from './describe';

export const ASSET_PROJECTION: KindProjection<'asset'> = {
  row: (d) => ({
    title: d.name,
    subtitle: join([label(d.category), d.postcode]),
    badges: d.themes,
    facets: [...facets('theme', d.themes), ...facets('tag', d.tags), ...facets('contact-person', d.contactPersonId ? [d.contactPersonId] : [])],
  }),
  search: (d) => [
    { field: 'category', text: label(d.category) },
    { field: 'description', text: d.description },
    { field: 'themes', text: d.themes.join(', ') },
    { field: 'tags', text: d.tags.join(', ') },
    { field: 'address', text: d.address },
    { field: 'postcode', text: d.postcode, forms: compact(d.postcode) },
    { field: 'availability', text: d.availability },
  ],
  tables: [],
};
