// A session's list row, search text and facets (who came, who facilitated, where, who
// owns its actions), and its actions in `session_actions` for the actions screen.
import type { KindProjection } from './describe';
import { facets, join, label } from './describe';

export const SESSION_PROJECTION: KindProjection<'session'> = {
  row: (d) => {
    const themes = [...new Set(d.priorities.flatMap((p) => (p.theme ? [p.theme] : [])))];
    const owners = d.actions.flatMap((a) => (a.ownerId ? [a.ownerId] : []));
    return {
      title: d.title,
      subtitle: join([label(d.type), d.startsAt.replace('T', ' ')]),
      badges: [...themes].sort(),
      facets: [
        ...facets('attendee', d.attendeeIds),
        ...facets('facilitator', d.facilitatorIds),
        ...facets('venue', d.venueId ? [d.venueId] : []),
        ...facets('action-owner', [...new Set(owners)]),
        ...facets('theme', themes),
      ],
    };
  },
  search: (d) => [
    { field: 'type', text: label(d.type) },
    { field: 'notes', text: d.notes },
    { field: 'priorities', text: d.priorities.map((p) => p.text).join('; ') },
    { field: 'actions', text: d.actions.map((a) => a.text).join('; ') },
  ],
  tables: [
    {
      name: 'session_actions',
      personal: "a session's actions: their text and owner's id",
      subjectAccess: ['actions'],
      key: 'session_id',
      columns: ['session_id', 'action_id', 'position', 'text', 'owner_id', 'due_date', 'status'],
      activeOnly: true,
      rows: (id, d) => d.actions.map((a, position) => [id, a.id, position, a.text, a.ownerId, a.dueDate, a.status]),
    },
  ],
};
