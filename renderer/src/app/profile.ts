// Who works on this device and in which workspace; null until loaded.
import { create } from 'zustand';
import type { Profile } from '../../../shared/rpc';
import { call, errorMessage } from './connection';

export const useProfile = create<{ profile: Profile | null; error: string | null }>(() => ({ profile: null, error: null }));

export async function loadProfile(): Promise<void> {
  try {
    useProfile.setState({ profile: await call('profile.get', {}), error: null });
  } catch (error) {
    useProfile.setState({ error: errorMessage(error) });
  }
}
