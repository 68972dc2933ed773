// The workspace's privacy settings as the renderer holds them: loaded once, and again
// whenever the settings record changes (a lead's save here or arriving by sync).
import { useEffect } from 'react';
import { create } from 'zustand';
import type { PolicyData } from '../../../shared/domain';
import type { PrivacySettings } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { changesRecords } from '../lib/record-events';

export const usePrivacySettings = create<{ settings: PrivacySettings | null; error: string | null }>(() => ({ settings: null, error: null }));

async function load(): Promise<void> {
  try {
    usePrivacySettings.setState({ settings: await call('consent.settings', {}), error: null });
  } catch (error) {
    usePrivacySettings.setState({ error: errorMessage(error) });
  }
}

/** The settings, kept current while any view using them is open. */
export function usePolicy(): PolicyData | null {
  useEffect(() => {
    if (!usePrivacySettings.getState().settings) void load();
    return onServiceEvent((event) => {
      if (changesRecords(event, ['policy'])) void load();
    });
  }, []);
  return usePrivacySettings((s) => s.settings?.policy ?? null);
}

export const showSavedSettings = (settings: PrivacySettings) => usePrivacySettings.setState({ settings, error: null });
