// The sync status in plain words, the same in the sidebar and in the sync dialog.
import type { SyncStatus } from '../../../shared/sync-status';
import { errorMessage } from '../app/connection';
import { formatCount, formatMoment } from '../../../shared/format';

/** Drives the colour of the status dot; the words always say the same on their own. */
export type SyncTone = 'idle' | 'busy' | 'ok' | 'warning' | 'problem';

export interface SyncSummary {
  /** What is happening, in a few words: "Synced at 14:32", "Offline, will retry". */
  headline: string;
  /** What it means for the user's work: "changes to 3 records waiting to sync". */
  detail: string;
  tone: SyncTone;
}

const SAVED_HERE = 'all changes saved on this device';

export function describeSync(status: SyncStatus): SyncSummary {
  const waiting = status.pending > 0 ? `changes to ${formatCount(status.pending, 'record')} waiting to sync` : SAVED_HERE;
  switch (status.state) {
    case 'not_configured':
      // A device that never connected has every change it ever made queued: "waiting" would mislead.
      return { headline: 'Not connected', detail: SAVED_HERE, tone: 'idle' };
    case 'paused':
      return { headline: 'Sync paused', detail: waiting, tone: 'idle' };
    case 'connecting':
      return { headline: 'Connecting…', detail: waiting, tone: 'busy' };
    case 'syncing':
      return { headline: 'Syncing…', detail: status.progress ? progressText(status.progress) : waiting, tone: 'busy' };
    case 'synced':
      // Only the data service decides this: everything sent and acknowledged, everything received.
      return {
        headline: status.lastSyncAt ? `Synced at ${formatMoment(status.lastSyncAt)}` : 'Synced',
        detail: status.pending > 0 ? waiting : 'up to date with the server',
        tone: 'ok',
      };
    case 'error':
      return status.retryAt
        ? { headline: 'Offline, will retry', detail: waiting, tone: 'warning' }
        : { headline: 'Sync needs attention', detail: waiting, tone: 'problem' };
  }
}

/** `1,200 of 50,000 changes received` */
export function progressText(progress: { received: number; total: number }): string {
  return `${progress.received.toLocaleString('en-GB')} of ${formatCount(progress.total, 'change')} received`;
}

/** The data service's problem as a sentence. */
export function problemSentence(error: string): string {
  const text = errorMessage(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
