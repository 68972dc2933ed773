// How many conflicts wait for the team lead, as the data service says: from
// `conflicts.list` once, then from every `conflicts.changed` event.
import { create } from 'zustand';
import { call, onServiceEvent } from '../app/connection';

export const useConflictCount = create<{ open: number | null }>(() => ({ open: null }));

export function followConflictCount(): () => void {
  const off = onServiceEvent((event) => {
    if (event.name === 'conflicts.changed') useConflictCount.setState({ open: event.open });
  });
  // Without an answer the badge stays hidden; the inbox itself reports the problem.
  call('conflicts.list', { status: 'open', limit: 1 }).then(({ open }) => useConflictCount.setState({ open }), () => undefined);
  return off;
}
