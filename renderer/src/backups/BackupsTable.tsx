// The workspace's backups, newest first: when, why, what each holds, and "Restore…".
import type { BackupInfo } from '../../../shared/rpc-backups';
import { formatDateTime, formatMegabytes } from '../../../shared/format';
import { describeCounts, REASON_WORDS } from './backup-words';

interface Props {
  backups: BackupInfo[];
  onRestore: (backup: BackupInfo) => void;
  /** While a restore runs, no other can be started. */
  busy: boolean;
}

export function BackupsTable({ backups, onRestore, busy }: Props) {
  return (
    <table className="data-table backups-table">
      <caption className="visually-hidden">Backups of this workspace, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Taken</th>
          <th scope="col">What it holds</th>
          <th scope="col">Size</th>
          <th scope="col">
            <span className="visually-hidden">Restore</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {backups.map((backup) => (
          <tr key={backup.name}>
            <th scope="row">
              {formatDateTime(backup.takenAt)}
              <span className="cell-sub">{REASON_WORDS[backup.reason]}</span>
            </th>
            <td>{backup.counts ? describeCounts(backup.counts) : <span className="muted">This backup cannot be read</span>}</td>
            <td>{formatMegabytes(backup.bytes)}</td>
            <td>
              <button
                type="button"
                className="button button--small"
                disabled={busy || !backup.counts}
                onClick={() => onRestore(backup)}
                aria-label={`Restore the backup from ${formatDateTime(backup.takenAt)}…`}
              >
                Restore…
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
