// What each list offers: its filters, sort orders and what it says when empty. Filters,
// sort and scroll position are remembered per list while the app is open, so coming back
// from a record finds the list as it was left.
import { create } from 'zustand';
import {
  ASSET_CATEGORIES,
  CONNECTION_KINDS,
  CONTACT_ROLES,
  SESSION_TYPES,
  type RecordKind,
} from '../../../shared/domain';
import type { ListQuery } from '../../../shared/rpc';
import { humanize } from '../lib/format';

export type ListFilter = NonNullable<ListQuery['filter']>;
export type ListSort = NonNullable<ListQuery['sort']>;
type FacetKey = 'category' | 'role' | 'type' | 'connectionKind';

export interface ListConfig {
  kind: RecordKind;
  title: string;
  newLabel: string;
  facet: { key: FacetKey; label: string; options: { value: string; label: string }[] };
  themes: boolean;
  /** Label of the title-prefix filter; connections have no titles of their own. */
  prefixLabel: string | null;
  /** What the date range filters on. */
  dateLabel: string;
  sorts: { label: string; sort: ListSort }[];
  empty: { title: string; text: string };
  /** Kinds of record whose names its rows show (a connection's ends): a change to one of them refreshes the list too. */
  namesFrom: RecordKind[];
}

const options = (values: readonly string[]) => values.map((value) => ({ value, label: humanize(value) }));

const byName: ListSort = { field: 'title', direction: 'asc' };
const recentlyChanged = { label: 'Recently changed', sort: { field: 'updatedAt', direction: 'desc' } } as const;
const recentlyAdded = { label: 'Recently added', sort: { field: 'createdAt', direction: 'desc' } } as const;

export const LIST_CONFIG: Record<RecordKind, ListConfig> = {
  asset: {
    kind: 'asset',
    namesFrom: [],
    title: 'Assets',
    newLabel: 'New asset',
    facet: { key: 'category', label: 'Category', options: options(ASSET_CATEGORIES) },
    themes: true,
    prefixLabel: 'Name starts with',
    dateLabel: 'Changed',
    sorts: [{ label: 'Name A–Z', sort: byName }, recentlyChanged, recentlyAdded],
    empty: {
      title: 'No assets mapped yet',
      text: 'Assets are what a community already has: people’s gifts, groups, institutions, places, local businesses and traditions. Add the first one you have heard about.',
    },
  },
  contact: {
    kind: 'contact',
    namesFrom: [],
    title: 'Contacts',
    newLabel: 'New contact',
    facet: { key: 'role', label: 'Role', options: options(CONTACT_ROLES) },
    themes: true,
    prefixLabel: 'Name starts with',
    dateLabel: 'Changed',
    sorts: [{ label: 'Name A–Z', sort: byName }, recentlyChanged, recentlyAdded],
    empty: {
      title: 'No contacts yet',
      text: 'Add the residents, volunteers, champions and partners you meet. A name is enough to start; skills and consent can follow.',
    },
  },
  session: {
    kind: 'session',
    namesFrom: [],
    title: 'Sessions',
    newLabel: 'New session',
    facet: { key: 'type', label: 'Type', options: options(SESSION_TYPES) },
    themes: true,
    prefixLabel: 'Title starts with',
    dateLabel: 'Session date',
    sorts: [
      { label: 'Newest first', sort: { field: 'date', direction: 'desc' } },
      { label: 'Oldest first', sort: { field: 'date', direction: 'asc' } },
      { label: 'Title A–Z', sort: byName },
    ],
    empty: {
      title: 'No sessions recorded yet',
      text: 'Record a community conversation, workshop, drop-in or training: who came, what matters to them and what happens next.',
    },
  },
  connection: {
    kind: 'connection',
    namesFrom: ['contact', 'asset'],
    title: 'Connections',
    newLabel: 'New connection',
    facet: { key: 'connectionKind', label: 'Kind', options: options(CONNECTION_KINDS) },
    themes: false,
    prefixLabel: null,
    dateLabel: 'Date',
    sorts: [
      { label: 'Newest first', sort: { field: 'date', direction: 'desc' } },
      { label: 'Oldest first', sort: { field: 'date', direction: 'asc' } },
      recentlyAdded,
    ],
    empty: {
      title: 'No connections yet',
      text: 'Connecting people and assets is the heart of the work: who introduced whom, who runs or uses what. Add one here or with “Connect to…” on any contact or asset.',
    },
  },
};

export interface ListView {
  filter: ListFilter;
  sortIndex: number;
  scrollTop: number;
}

const initial: ListView = { filter: { status: 'active' }, sortIndex: 0, scrollTop: 0 };

export const useListViews = create<Record<RecordKind, ListView>>(() => ({
  asset: initial,
  contact: initial,
  session: initial,
  connection: initial,
}));

export function updateListView(kind: RecordKind, changes: Partial<ListView>): void {
  useListViews.setState((views) => ({ [kind]: { ...views[kind], ...changes } }));
}
