// What each list offers: its filters, sort orders and what it says when empty. Filters,
// sort and scroll position are remembered per list while the app is open, so coming back
// from a record finds the list as it was left.
import { z } from 'zod';
import { create } from 'zustand';
import { KINDS, LISTED_KINDS, type LIST_FILTER_SHAPE, type ListedKind, type RecordKind } from '../../../shared/domain';
import type { ListQuery } from '../../../shared/rpc';
import { humanize } from '../../../shared/format';

export type ListFilter = NonNullable<ListQuery['filter']>;
export type ListSort = NonNullable<ListQuery['sort']>;
type FacetKey = keyof typeof LIST_FILTER_SHAPE;

/** A list filter offered as a choice of values (KindDescription.filters with a fixed list). */
export interface ListFacet {
  key: FacetKey;
  label: string;
  options: { value: string; label: string }[];
}

/** What the screen offers that the kind's description decides. */
interface DerivedListConfig {
  facets: ListFacet[];
  /** Label of the theme filter; null where the kind's records have no themes. */
  themes: string | null;
}

interface ListScreenConfig {
  kind: ListedKind;
  title: string;
  newLabel: string;
  /** Label of the title-prefix filter; connections have no titles of their own. */
  prefixLabel: string | null;
  /** What the date range filters on. */
  dateLabel: string;
  sorts: { label: string; sort: ListSort }[];
  empty: { title: string; text: string };
  /** Kinds of record whose names or numbers a row shows: the list is read again when one changes. */
  shows: readonly RecordKind[];
}

export type ListConfig = ListScreenConfig & DerivedListConfig;

function derivedConfig(kind: RecordKind): DerivedListConfig {
  const filters = Object.entries(KINDS[kind].filters);
  return {
    facets: filters.flatMap(([key, filter]) =>
      filter.values instanceof z.ZodEnum
        ? [{ key: key as FacetKey, label: filter.label, options: (filter.values.options as string[]).map((value) => ({ value, label: humanize(value) })) }]
        : [],
    ),
    themes: filters.find(([key]) => key === 'theme')?.[1].label ?? null,
  };
}

const byName: ListSort = { field: 'title', direction: 'asc' };
const recentlyChanged = { label: 'Recently changed', sort: { field: 'updatedAt', direction: 'desc' } } as const;
const recentlyAdded = { label: 'Recently added', sort: { field: 'createdAt', direction: 'desc' } } as const;

const SCREENS: Record<ListedKind, ListScreenConfig> = {
  asset: {
    kind: 'asset',
    title: 'Assets',
    newLabel: 'New asset',
    prefixLabel: 'Name starts with',
    dateLabel: 'Changed',
    sorts: [{ label: 'Name A–Z', sort: byName }, recentlyChanged, recentlyAdded],
    empty: {
      title: 'No assets mapped yet',
      text: 'Assets are what a community already has: people’s gifts, groups, institutions, places, local businesses and traditions. Add the first one you have heard about.',
    },
    shows: ['asset'],
  },
  contact: {
    kind: 'contact',
    title: 'Contacts',
    newLabel: 'New contact',
    prefixLabel: 'Name starts with',
    dateLabel: 'Changed',
    sorts: [{ label: 'Name A–Z', sort: byName }, recentlyChanged, recentlyAdded],
    empty: {
      title: 'No contacts yet',
      text: 'Add the residents, volunteers, champions and partners you meet. A name is enough to start; skills and consent can follow.',
    },
    shows: ['contact'],
  },
  session: {
    kind: 'session',
    title: 'Sessions',
    newLabel: 'New session',
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
    // The venue's name, and how many came (a merge of two attendees makes them one).
    shows: ['session', 'asset', 'contact'],
  },
  connection: {
    kind: 'connection',
    title: 'Connections',
    newLabel: 'New connection',
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
    // Each end's name.
    shows: ['connection', 'contact', 'asset'],
  },
};

export const LIST_CONFIG = Object.fromEntries(
  LISTED_KINDS.map((kind) => [kind, { ...SCREENS[kind], ...derivedConfig(kind) }]),
) as Record<ListedKind, ListConfig>;

export interface ListView {
  filter: ListFilter;
  sortIndex: number;
  scrollTop: number;
}

const initial: ListView = { filter: { status: 'active' }, sortIndex: 0, scrollTop: 0 };

export const useListViews = create<Record<ListedKind, ListView>>(() => ({
  asset: initial,
  contact: initial,
  session: initial,
  connection: initial,
}));

export function updateListView(kind: ListedKind, changes: Partial<ListView>): void {
  useListViews.setState((views) => ({ [kind]: { ...views[kind], ...changes } }));
}
