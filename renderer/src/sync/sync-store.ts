// The data service's sync status as the renderer knows it, and whether the sync dialog is
// open. The status only ever comes from the data service (the `sync.status` call and
// events), so the indicator can never claim more than the service does.
import { create } from 'zustand';
import type { SyncStatus } from '../../../shared/sync-status';
import { call, onServiceEvent } from '../app/connection';

export const useSync = create<{ status: SyncStatus | null; dialogOpen: boolean }>(() => ({ status: null, dialogOpen: false }));

export const openSyncDialog = () => useSync.setState({ dialogOpen: true });
export const closeSyncDialog = () => useSync.setState({ dialogOpen: false });

/** Take a status the data service returned from a call or sent as an event. */
export function showStatus(status: SyncStatus): void {
  useSync.setState({ status });
}

/**
 * Follow the data service's sync status; call once there is a workspace. Answers and
 * events come in the order the service sent them, so the last one to arrive is current.
 */
export function followSyncStatus(): () => void {
  const off = onServiceEvent((event) => {
    if (event.name === 'sync.status') showStatus(event.status);
  });
  // On failure the indicator stays as it was; the app reports a lost data service on its own.
  call('sync.status', {}).then(showStatus, () => undefined);
  return off;
}
