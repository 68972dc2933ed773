// Who works on this device and in which workspace; null until loaded.
import { create } from 'zustand';
import type { Profile } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from './connection';

export const useProfile = create<{ profile: Profile | null; error: string | null }>(() => ({ profile: null, error: null }));

export async function loadProfile(): Promise<void> {
  try {
    useProfile.setState({ profile: await call('profile.get', {}), error: null });
  } catch (error) {
    useProfile.setState({ error: errorMessage(error) });
  }
}

/** Load the profile again when sync changes what this user may do (joining a team as a worker, say); call once when connected. */
export function followRoleChanges(): () => void {
  return onServiceEvent((event) => {
    const role = useProfile.getState().profile?.role;
    if (event.name !== 'sync.status' || !role) return;
    const syncRole = event.status.role ?? 'lead';
    if (syncRole !== role) void loadProfile();
  });
}
