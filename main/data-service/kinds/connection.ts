// A connection's list row and search text, and its ends in the `connections` table the
// network, a record's Connections card and the connections list read.
import type { KindProjection } from './describe';
import { label } from './describe';

export const CONNECTION_PROJECTION: KindProjection<'connection'> = {
  row: (d) => ({
    title: label(d.kind),
    subtitle: d.date ?? '',
    badges: [],
    facets: [
      { facet: 'endpoint', value: d.fromId },
      { facet: 'endpoint', value: d.toId },
    ],
  }),
  search: (d) => [{ field: 'note', text: d.note }],
  tables: [
    {
      name: 'connections',
      personal: 'who is connected to whom (ids), how and since when',
      subjectAccess: ['connections'],
      key: 'id',
      columns: ['id', 'from_id', 'to_id', 'kind', 'date'],
      activeOnly: true,
      rows: (id, d) => [[id, d.fromId, d.toId, d.kind, d.date]],
    },
  ],
};
