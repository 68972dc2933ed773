// How a backup reads to a person: what it holds, why it was taken, and what follows from
// putting it back.
import { LISTED_KINDS, type ListedKind } from '../../../shared/domain';
import type { BackupReason } from '../../../shared/rpc-backups';
import { href } from '../app/router';
import { formatCount, formatList } from '../../../shared/format';
import { KIND_LABEL } from '../../../shared/labels';

/** `3 assets, 12 contacts, 2 connections and 5 sessions`. */
export function describeCounts(counts: Record<ListedKind, number>): string {
  return formatList(LISTED_KINDS.map((kind) => formatCount(counts[kind], KIND_LABEL[kind].one, KIND_LABEL[kind].many)));
}

export const REASON_WORDS: Record<BackupReason, string> = {
  daily: 'Daily backup',
  'before-migration': 'Before an update of the app changed the file',
  'before-restore': 'The workspace as it was before a restore',
};

/** What happens to the changes made since the backup was taken. */
export function whatFollows(syncs: boolean | null): string {
  if (syncs === true) {
    return 'Changes made since then that reached the sync server come back when this device next syncs. Changes that had not synced yet are lost.';
  }
  if (syncs === false) return 'This workspace does not sync, so changes made since then are lost.';
  return 'If this workspace syncs, changes made since then that reached the sync server come back when this device next syncs; any others are lost.';
}

const RESTORED_KEY = 'fieldbook.restoredFrom';

/**
 * The window reloads after a restore, so every screen reads the restored workspace, onto
 * Settings › Backups, which says what was restored.
 */
export function reloadAfterRestore(takenAt: string): void {
  sessionStorage.setItem(RESTORED_KEY, takenAt);
  window.location.hash = href('settings');
  window.location.reload();
}

/** When the backup just restored was taken (once, after the reload); null otherwise. */
export function takeRestoredNotice(): string | null {
  const takenAt = sessionStorage.getItem(RESTORED_KEY);
  sessionStorage.removeItem(RESTORED_KEY);
  return takenAt;
}
