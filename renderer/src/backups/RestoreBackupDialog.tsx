// Confirming a restore: what the workspace will hold, what happens to the changes made
// since, and that the workspace as it is now is kept as a backup. Shows progress while the
// data service puts the backup in place, then reloads the window onto it.
import type { BackupInfo } from '../../../shared/rpc-backups';
import { call, errorMessage } from '../app/connection';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { formatDateTime } from '../../../shared/format';
import { useFormState } from '../lib/form-state';
import { describeCounts, reloadAfterRestore, whatFollows } from './backup-words';

interface Props {
  backup: BackupInfo;
  syncs: boolean | null;
  /** The current file is damaged (set aside already), so it is not kept as a backup. */
  damaged: boolean;
  onClose: () => void;
}

export function RestoreBackupDialog({ backup, syncs, damaged, onClose }: Props) {
  const { busy, error, submit } = useFormState({ explain: (e) => `The backup was not restored: ${errorMessage(e)}` });
  const when = formatDateTime(backup.takenAt);
  const restore = () =>
    void submit(async () => {
      const { restoredFrom } = await call('backups.restore', { name: backup.name });
      reloadAfterRestore(restoredFrom);
    });

  return (
    <Dialog title="Restore this backup?" onClose={busy ? () => undefined : onClose}>
      <div className="dialog-body">
        <p>
          The workspace will be as it was on <strong>{when}</strong>
          {backup.counts && <>: {describeCounts(backup.counts)}</>}.
        </p>
        <p>{whatFollows(syncs)}</p>
        {!damaged && <p>The workspace as it is now is kept as a backup first, so you can go back to it from this list.</p>}
        {busy && (
          <div className="backup-progress" role="status">
            <label htmlFor="restore-progress">Restoring the backup from {when}…</label>
            <progress id="restore-progress" />
          </div>
        )}
        <DialogActions error={error} onCancel={busy ? () => undefined : onClose} submitLabel="Restore this backup" busy={busy} onSubmit={restore} />
      </div>
    </Dialog>
  );
}
