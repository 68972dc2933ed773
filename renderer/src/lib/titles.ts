// Titles of records referred to by id (attendees, venue, owners): fetched once, kept
// current as records change, so chips and history read as names, not UUIDs.
import { useEffect } from 'react';
import { create } from 'zustand';
import { recordTitle, type RecordKind } from '../../../shared/domain';
import { call, onServiceEvent } from '../app/connection';

const useTitleStore = create<Record<string, string>>(() => ({}));
const requested = new Set<string>();

export function rememberTitle(id: string, title: string): void {
  requested.add(id);
  useTitleStore.setState({ [id]: title });
}

function fetchTitle(kind: RecordKind, id: string): void {
  requested.add(id);
  call('record.get', { kind, id }).then(
    (record) => useTitleStore.setState({ [id]: recordTitle(record.kind, record.data) }),
    () => useTitleStore.setState({ [id]: '(missing record)' }),
  );
}

/** Keep remembered titles current; call once when connected. */
export function followTitleChanges(): () => void {
  return onServiceEvent((event) => {
    if (event.name === 'record.changed' && requested.has(event.id)) fetchTitle(event.kind, event.id);
  });
}

export function useTitles(kind: RecordKind, ids: readonly string[]): Record<string, string> {
  const titles = useTitleStore();
  const key = ids.join(',');
  useEffect(() => {
    for (const id of ids) if (!requested.has(id)) fetchTitle(kind, id);
    // `key` stands for `ids`, whose identity changes on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, key]);
  return titles;
}
