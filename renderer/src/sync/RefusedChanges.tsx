// Changes the sync server refused (it checks every change against the record's rules): each
// record by name with the server's reason, and "Discard this change", which throws away this
// device's unsynced changes to that record and puts back what the server holds.
import { useState } from 'react';
import type { RefusedChange, SyncStatus } from '../../../shared/sync-status';
import { call, errorMessage } from '../app/connection';
import { formatDateTime } from '../../../shared/format';

interface Props {
  refused: RefusedChange[];
  onDiscarded: (status: SyncStatus) => void;
}

export function RefusedChanges({ refused, onDiscarded }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const discard = async (recordId: string) => {
    setBusy(recordId);
    setError(null);
    try {
      onDiscarded(await call('sync.discard', { recordId }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="sync-refused" aria-labelledby="sync-refused-heading">
      <h3 id="sync-refused-heading">Changes the server refused</h3>
      <p className="muted">
        These stay on this device and are not sent again; everything else syncs. Discarding one throws away this device's changes to that
        record that the server does not have, and the record becomes what the server holds.
      </p>
      <ul>
        {refused.map((r) => (
          <li key={r.recordId}>
            <p>
              <strong>{r.title}</strong> <span className="muted">— refused {formatDateTime(r.refusedAt)}</span>
            </p>
            <p id={`refused-${r.recordId}`}>{r.reason}</p>
            <button
              type="button"
              className="button button--danger"
              aria-describedby={`refused-${r.recordId}`}
              aria-label={`Discard this change to ${r.title}`}
              onClick={() => void discard(r.recordId)}
              disabled={busy !== null}
            >
              Discard this change
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
