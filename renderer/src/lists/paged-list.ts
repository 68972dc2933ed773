// A list of any length read page by page as it scrolls into view. Pages are cached per
// query; when records of the kind (or whose names it shows) change the visible pages are
// fetched again in place, so the list stays put instead of flashing empty.
import { Emitter } from '../../../shared/emitter';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { RecordKind } from '../../../shared/domain';
import type { ListQuery, ListRow } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { changesRecords } from '../lib/record-events';
import { LIST_CONFIG } from './list-config';

export const PAGE_SIZE = 100;
/** Many changes arrive together (an import, a sync); one refresh covers them. */
const REFRESH_DELAY_MS = 250;

export interface PagedSnapshot {
  total: number | null;
  error: string | null;
  version: number;
}

export class PagedList {
  private pages = new Map<number, ListRow[]>();
  private readonly loading = new Set<number>();
  private generation = 0;
  private range: [number, number] = [0, 0];
  private snapshot: PagedSnapshot = { total: null, error: null, version: 0 };
  private readonly changed = new Emitter<[]>();

  constructor(private readonly query: Omit<ListQuery, 'offset' | 'limit'>) {}

  subscribe = (listener: () => void): (() => void) => this.changed.on(listener);

  getSnapshot = (): PagedSnapshot => this.snapshot;

  private publish(changes: Partial<PagedSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes, version: this.snapshot.version + 1 };
    this.changed.emit();
  }

  row(index: number): ListRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Make sure the rows from `first` to `last` (inclusive) are loaded or loading. */
  ensure(first: number, last: number): void {
    this.range = [Math.floor(first / PAGE_SIZE), Math.floor(last / PAGE_SIZE)];
    for (let page = this.range[0]; page <= this.range[1]; page++) {
      if (!this.pages.has(page) && !this.loading.has(page)) void this.fetch(page);
    }
  }

  private async fetch(page: number): Promise<void> {
    const generation = this.generation;
    this.loading.add(page);
    try {
      const result = await call('record.list', { ...this.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (generation !== this.generation) return;
      this.pages.set(page, result.rows);
      this.publish({ total: result.total, error: null });
    } catch (error) {
      if (generation === this.generation) this.publish({ error: errorMessage(error) });
    } finally {
      if (generation === this.generation) this.loading.delete(page);
    }
  }

  /** Fetch the pages in view again; forget the others. */
  refresh(): void {
    this.generation++;
    this.loading.clear();
    const [first, last] = this.range;
    this.pages = new Map([...this.pages].filter(([page]) => page >= first && page <= last));
    for (let page = first; page <= last; page++) void this.fetch(page);
  }
}

/** `shows`: kinds of record whose changes may change the rows (see ListConfig.shows). */
export function usePagedList(query: Omit<ListQuery, 'offset' | 'limit'>, shows: readonly RecordKind[]): [PagedList, PagedSnapshot] {
  const key = JSON.stringify(query);
  // A new query is a new list; `key` stands for `query`, whose identity changes each render.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const current = useMemo(() => new PagedList(query), [key]);
  useEffect(() => {
    current.ensure(0, 0);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onServiceEvent((event) => {
      if (!changesRecords(event, shows)) return;
      clearTimeout(timer);
      timer = setTimeout(() => current.refresh(), REFRESH_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
    // `current` changes exactly when the query does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current]);
  return [current, useSyncExternalStore(current.subscribe, current.getSnapshot)];
}
