// A session: a community conversation, workshop, event, drop-in or staff training — who
// came, rich-text notes, the priorities heard and the actions agreed.
import { z } from 'zod';
import type { RecordReference } from './describe';
import { describeKind } from './describe';
import { collection, idSet, isoDate, LIMITS, localDateTime, oneOf, recordId, requiredText, text, theme, themeFilter } from './field-types';

export const SESSION_TYPES = [
  'community-conversation',
  'workshop',
  'event',
  'one-to-one',
  'drop-in',
  'staff-training',
] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export const ACTION_STATUSES = ['open', 'in-progress', 'done', 'cancelled'] as const;

export const Priority = z.strictObject({
  id: recordId,
  text: requiredText(LIMITS.shortText),
  theme: theme.nullable(),
});
export type Priority = z.infer<typeof Priority>;

export const Action = z.strictObject({
  id: recordId,
  text: requiredText(LIMITS.shortText),
  ownerId: recordId.nullable(),
  dueDate: isoDate.nullable(),
  status: z.enum(ACTION_STATUSES),
});
export type Action = z.infer<typeof Action>;

export const SessionFields = z.strictObject({
  title: requiredText(LIMITS.name),
  type: oneOf(SESSION_TYPES),
  startsAt: localDateTime,
  endsAt: localDateTime.nullable(),
  venueId: recordId.nullable(),
  facilitatorIds: idSet,
  attendeeIds: idSet,
  anonymousHeadCount: z.number().int('must be a whole number').min(0, 'must not be negative').max(100_000),
  /** Plain text of the rich-text notes. Writing it replaces the notes with these paragraphs. */
  notes: text(200_000),
  priorities: collection(Priority),
  actions: collection(Action),
});

const contacts = (field: string, ids: readonly string[]): RecordReference[] =>
  ids.map((id, i) => ({ field: `${field}.${i}`, id, kinds: ['contact'] }));

export const SESSION = describeKind({
  fields: SessionFields,
  required: ['title', 'type', 'startsAt'],
  defaults: {
    endsAt: null,
    venueId: null,
    facilitatorIds: [],
    attendeeIds: [],
    anonymousHeadCount: 0,
    notes: '',
    priorities: [],
    actions: [],
  },
  storage: {
    title: 'value',
    type: 'value',
    startsAt: 'value',
    endsAt: 'value',
    venueId: 'value',
    facilitatorIds: 'set',
    attendeeIds: 'set',
    anonymousHeadCount: 'value',
    notes: 'richtext',
    priorities: 'collection',
    actions: 'collection',
  },
  freeText: [],
  references: (d) => [
    ...(d.venueId ? [{ field: 'venueId', id: d.venueId, kinds: ['asset'] } satisfies RecordReference] : []),
    ...contacts('facilitatorIds', d.facilitatorIds),
    ...contacts('attendeeIds', d.attendeeIds),
    ...d.actions.flatMap((a, i): RecordReference[] => (a.ownerId ? [{ field: `actions.${i}.ownerId`, id: a.ownerId, kinds: ['contact'] }] : [])),
  ],
  title: (d) => d.title,
  date: 'startsAt',
  category: 'type',
  filters: { type: { on: 'category', label: 'Type', values: z.enum(SESSION_TYPES) }, theme: themeFilter },
  labels: { one: 'session', many: 'sessions' },
});

/** People recorded by name at a session, facilitators and attendees, each once (with ids already resolved through merges). */
export function namedPeople(data: Pick<z.infer<typeof SessionFields>, 'facilitatorIds' | 'attendeeIds'>): number {
  return new Set([...data.facilitatorIds, ...data.attendeeIds]).size;
}
