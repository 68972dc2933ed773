// The sidebar's sync status: what the data service says about sync, in plain words, and
// the way into the sync dialog. Changes are announced politely once they have settled.
import { useEffect, useRef, useState } from 'react';
import { useConnection } from '../app/connection';
import { describeSync, type SyncSummary } from './describe';
import { SyncDialog } from './SyncDialog';
import { SyncProgress } from './SyncProgress';
import { closeSyncDialog, followSyncStatus, openSyncDialog, useSync } from './sync-store';

const LOST: SyncSummary = { headline: 'Sync status unknown', detail: 'the data service is not answering', tone: 'problem' };

/** Long enough that sending one edit (syncing, then synced again) is not read out each time. */
const SETTLE_MS = 1_500;

export function SyncIndicator() {
  const status = useSync((s) => s.status);
  const dialogOpen = useSync((s) => s.dialogOpen);
  const lost = useConnection((s) => s.status === 'lost');
  useEffect(() => followSyncStatus(), []);

  const summary = lost ? LOST : status && describeSync(status);
  const announcement = useAnnouncement(summary);
  return (
    <div className="sync-indicator">
      <button
        type="button"
        className={`sync-status sync-status--${summary ? summary.tone : 'idle'}`}
        aria-haspopup="dialog"
        onClick={openSyncDialog}
        disabled={!status}
      >
        <span className="sync-dot" aria-hidden="true" />
        {summary ? (
          <span>
            {/* Two lines on screen, one sentence to a screen reader. */}
            <strong>
              {summary.headline}
              <span className="visually-hidden"> — </span>
            </strong>
            <span className="sync-detail">{summary.detail}</span>
          </span>
        ) : (
          <span>Checking sync…</span>
        )}
      </button>
      {!lost && status?.progress && <SyncProgress progress={status.progress} />}
      {/* Outside the modal dialog this region would be inert; the dialog has its own. */}
      {!dialogOpen && (
        <p role="status" className="visually-hidden">
          {announcement}
        </p>
      )}
      {dialogOpen && status && <SyncDialog status={status} onClose={closeSyncDialog} />}
    </div>
  );
}

/**
 * What the live region says: the headline once its kind (the tone) has held for a moment
 * and differs from the last one said; not "Synced at 14:33" after "Synced at 14:32". The
 * status on opening is not announced: it is on screen already.
 */
function useAnnouncement(summary: SyncSummary | null): string {
  const [said, setSaid] = useState('');
  const tone = summary?.tone ?? null;
  const known = useRef(tone);
  const latest = useRef('');
  latest.current = summary?.headline ?? '';
  useEffect(() => {
    if (known.current === null) known.current = tone;
    if (tone === null || tone === known.current) return;
    const timer = setTimeout(() => {
      known.current = tone;
      setSaid(latest.current);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [tone]);
  return said;
}
