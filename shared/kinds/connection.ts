// A connection between two records (contacts or assets): who knows, introduced, runs or
// uses whom or what — the network the connectors are found in.
import { z } from 'zod';
import { describeKind } from './describe';
import { isoDate, oneOf, recordId, text } from './field-types';

export const CONNECTION_KINDS = [
  'knows',
  'introduced-by',
  'member-of',
  'runs',
  'uses',
  'works-at',
  'volunteers-at',
  'partners-with',
  'other',
] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const ConnectionFields = z.strictObject({
  fromId: recordId,
  toId: recordId,
  kind: oneOf(CONNECTION_KINDS),
  date: isoDate.nullable(),
  note: text(2_000),
});

export const CONNECTION = describeKind({
  fields: ConnectionFields,
  required: ['fromId', 'toId', 'kind'],
  defaults: { date: null, note: '' },
  storage: { fromId: 'value', toId: 'value', kind: 'value', date: 'value', note: 'value' },
  freeText: ['note'],
  references: (d) => [
    { field: 'fromId', id: d.fromId, kinds: ['contact', 'asset'] },
    { field: 'toId', id: d.toId, kinds: ['contact', 'asset'] },
  ],
  title: (d) => d.kind,
  date: 'date',
  category: 'kind',
  filters: { connectionKind: { on: 'category', label: 'Kind', values: z.enum(CONNECTION_KINDS) } },
  labels: { one: 'connection', many: 'connections', fields: { kind: 'Kind of connection' } },
});
