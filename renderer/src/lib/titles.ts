// Titles of records referred to by id (attendees, venue, owners): fetched once, kept
// current as records change, so chips and history read as names, not UUIDs.
import { useEffect } from 'react';
import { create } from 'zustand';
import { recordTitle, type RecordKind } from '../../../shared/domain';
import { call, onServiceEvent } from '../app/connection';
import { changesRecords } from './record-events';

const useTitleStore = create<Record<string, string>>(() => ({}));
/** Every id whose title was asked for, and its kind. */
const requested = new Map<string, RecordKind>();

export function rememberTitle(kind: RecordKind, id: string, title: string): void {
  requested.set(id, kind);
  useTitleStore.setState({ [id]: title });
}

function fetchTitle(kind: RecordKind, id: string): void {
  requested.set(id, kind);
  call('record.get', { kind, id }).then(
    (record) => useTitleStore.setState({ [id]: recordTitle(record.kind, record.data) }),
    () => useTitleStore.setState({ [id]: '(missing record)' }),
  );
}

/** Keep remembered titles current; call once when connected. */
export function followTitleChanges(): () => void {
  return onServiceEvent((event) => {
    for (const [id, kind] of requested) if (changesRecords(event, [kind], id)) fetchTitle(kind, id);
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
