// Who works on this device and in which workspace; null until loaded.
import { create } from 'zustand';
import type { Profile, WorkspaceDamage } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from './connection';

/** `damage`: the workspace file was found missing or damaged at start and was not opened. */
export const useProfile = create<{ profile: Profile | null; damage: WorkspaceDamage | null; error: string | null }>(() => ({
  profile: null,
  damage: null,
  error: null,
}));

export async function loadProfile(): Promise<void> {
  try {
    const [profile, damage] = await Promise.all([call('profile.get', {}), call('backups.damage', {})]);
    useProfile.setState({ profile, damage, error: null });
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
