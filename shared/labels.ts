// Words the interface uses for record kinds and fields, shared by forms, error
// summaries and the history panel so a field is called the same everywhere.
import { KINDS, RECORD_KINDS, type RecordKind } from './domain';

/** What a record of each kind is called, one and many (KindDescription.labels). */
export const KIND_LABEL = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, KINDS[kind].labels])) as Record<
  RecordKind,
  { one: string; many: string }
>;

const COMMON: Record<string, string> = {
  name: 'Name',
  title: 'Title',
  type: 'Type',
  category: 'Category',
  description: 'Description',
  themes: 'Themes',
  tags: 'Tags',
  location: 'Location',
  'location.lat': 'Latitude',
  'location.lon': 'Longitude',
  address: 'Address',
  postcode: 'Postcode',
  availability: 'Opening times / availability',
  contactPersonId: 'Contact person',
  roles: 'Roles',
  email: 'Email',
  phone: 'Phone',
  notes: 'Notes',
  skills: 'Capacity inventory',
  consents: 'Consent',
  fromId: 'From',
  toId: 'To',
  date: 'Date',
  note: 'Note',
  startsAt: 'Starts',
  endsAt: 'Ends',
  venueId: 'Venue',
  facilitatorIds: 'Facilitators',
  attendeeIds: 'Attendees',
  anonymousHeadCount: 'Anonymous head-count',
  priorities: 'Priorities heard',
  actions: 'Actions',
  // Properties of collection items
  domain: 'Domain',
  skill: 'Skill',
  purpose: 'Purpose',
  wordingVersion: 'Wording version',
  givenAt: 'Date given',
  method: 'How given',
  renewedAt: 'Date renewed',
  withdrawnAt: 'Date withdrawn',
  withdrawnBy: 'Withdrawal recorded by',
  withdrawalMethod: 'How withdrawn',
  lawfulBasis: 'Lawful basis',
  uses: 'Uses allowed',
  versions: 'Wordings',
  text: 'Text',
  theme: 'Theme',
  ownerId: 'Owner',
  dueDate: 'Due date',
  status: 'Status',
};

/** Label of a field path such as `email`, `skills.0.domain` or `location.lat`. */
export function fieldLabel(kind: RecordKind, path: string): string {
  const ownLabel = (KINDS[kind].labels.fields as Partial<Record<string, string>> | undefined)?.[path];
  if (ownLabel) return ownLabel;
  if (COMMON[path]) return COMMON[path];
  const parts = path.split('.');
  const top = COMMON[parts[0]!] ?? parts[0]!;
  const leaf = parts.length > 2 ? COMMON[parts[parts.length - 1]!] : undefined;
  return parts.length > 2 && leaf ? `${top}, entry ${Number(parts[1]) + 1}: ${leaf}` : top;
}
