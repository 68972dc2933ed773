// The start-up screen when the workspace file was found missing or damaged: what happened,
// where the damaged file was put (unchanged), and the ways back — the latest backup, another
// backup, or a new workspace of whatever can still be read. Never a first-run screen: the
// person is set up here, only their file is not whole.
import { useEffect, useState } from 'react';
import type { BackupInfo, BackupList, DamageProblem, RecoveryResult, WorkspaceDamage } from '../../../shared/rpc-backups';
import { call, errorMessage } from '../app/connection';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { formatDateTime } from '../../../shared/format';
import { useFormState } from '../lib/form-state';
import { describeCounts } from './backup-words';
import { BackupsTable } from './BackupsTable';
import { RestoreBackupDialog } from './RestoreBackupDialog';

const WHAT_HAPPENED: Record<DamageProblem, string> = {
  missing: 'The workspace file is not in its folder on this device. It may have been moved or deleted outside Community Fieldbook.',
  empty: 'The workspace file on this device is empty: it holds nothing at all. This can happen when the laptop loses power, or the disk is full, while the file is being saved.',
  'cut-short': 'The workspace file on this device is shorter than it should be: its end is missing. This can happen when copying or saving it was interrupted.',
  damaged: 'Parts of the workspace file on this device cannot be read: some of it has been changed or lost, for example by a disk fault or an interrupted copy.',
};

export function DamagedWorkspace({ damage }: { damage: WorkspaceDamage }) {
  const [list, setList] = useState<BackupList | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<BackupInfo | null>(null);
  const [recovered, setRecovered] = useState<RecoveryResult | null>(null);
  const [startingEmpty, setStartingEmpty] = useState(false);
  const recovery = useFormState({ explain: (e) => `Nothing was recovered: ${errorMessage(e)}` });

  useEffect(() => {
    call('backups.list', {}).then(setList, (e) => setListError(`The backups could not be listed: ${errorMessage(e)}`));
  }, []);

  const damagedFile = damage.setAsidePath ?? damage.earlierSetAside[0] ?? null;
  const latest = list?.backups.find((b) => b.counts !== null) ?? null;
  const others = list?.backups.filter((b) => b !== latest) ?? [];

  const recover = () => void recovery.submit(async () => setRecovered(await call('backups.recover', {})));

  if (recovered) {
    return (
      <main className="splash damaged-workspace">
        <h1 id="page-heading" tabIndex={-1}>
          Recovered what could be read
        </h1>
        <p role="status">
          The new workspace holds {describeCounts(recovered.counts)}.{' '}
          {recovered.incomplete
            ? 'Some parts of the damaged file could not be read: records stored there are missing. Compare with your latest backup, or ask your team lead to check what is missing.'
            : 'Every part of the file that holds records could be read.'}
        </p>
        {damagedFile && (
          <p>
            The damaged file stays where it was put, unchanged: <code>{damagedFile}</code>
          </p>
        )}
        <button type="button" className="button button--primary button--large" onClick={() => window.location.reload()}>
          Open the workspace
        </button>
      </main>
    );
  }

  const busy = recovery.busy || chosen !== null || startingEmpty;
  return (
    <main className="splash damaged-workspace">
      <h1 id="page-heading" tabIndex={-1}>
        Your workspace could not be opened
      </h1>
      <p>{WHAT_HAPPENED[damage.problem]}</p>
      {damage.setAsidePath ? (
        <p>
          Nothing has been deleted, and nothing was written to it. The damaged file was moved aside, unchanged, to <code>{damage.setAsidePath}</code>.
        </p>
      ) : (
        damagedFile && (
          <p>
            A damaged copy of it was set aside earlier, unchanged, as <code>{damagedFile}</code>.
          </p>
        )
      )}
      <p>Community Fieldbook has not started a new, empty workspace in its place. Choose how to go on:</p>
      {listError && (
        <p className="banner banner--error" role="alert">
          {listError}
        </p>
      )}
      {!list && !listError && <p className="loading">Looking for backups…</p>}
      {latest && (
        <div className="damaged-choice">
          <button type="button" className="button button--primary button--large" disabled={busy} onClick={() => setChosen(latest)}>
            Restore the backup from {formatDateTime(latest.takenAt)} ({describeCounts(latest.counts!)})
          </button>
        </div>
      )}
      {list && !latest && <p>There is no backup of this workspace on this device.</p>}
      {list && !latest && !damagedFile && (
        <div className="damaged-choice">
          <button type="button" className="button button--large" disabled={busy} onClick={() => setStartingEmpty(true)}>
            Start again with an empty workspace…
          </button>
        </div>
      )}
      {startingEmpty && <StartEmptyDialog onClose={() => setStartingEmpty(false)} />}
      {damagedFile && (
        <div className="damaged-choice">
          <button type="button" className="button button--large" disabled={busy} onClick={recover}>
            Recover what can be read
          </button>
          <p className="field-hint">Makes a new workspace of every record that can still be read from the damaged file. Records on its damaged parts are lost.</p>
          {recovery.error && (
            <p className="banner banner--error" role="alert">
              {recovery.error}
            </p>
          )}
          {recovery.busy && (
            <div className="backup-progress" role="status">
              <label htmlFor="recover-progress">Reading the damaged file…</label>
              <progress id="recover-progress" />
            </div>
          )}
        </div>
      )}
      {others.length > 0 && (
        <details>
          <summary>Other backups</summary>
          <BackupsTable backups={others} busy={busy} onRestore={setChosen} />
        </details>
      )}
      {chosen && list && <RestoreBackupDialog backup={chosen} syncs={list.syncs} damaged onClose={() => setChosen(null)} />}
    </main>
  );
}

/** The way on when nothing can be restored or recovered: said plainly, chosen knowingly. */
function StartEmptyDialog({ onClose }: { onClose: () => void }) {
  const { busy, error, submit } = useFormState({ explain: (e) => `No workspace was started: ${errorMessage(e)}` });
  const start = () =>
    void submit(async () => {
      await call('backups.startEmpty', {});
      window.location.reload();
    });
  return (
    <Dialog title="Start again with an empty workspace?" onClose={onClose}>
      <div className="dialog-body">
        <p>The records that were in this workspace will not be in the new one: there is no backup or damaged file on this device to bring them back from.</p>
        <p>If your team syncs, connect this device again with an invite code from your team lead, and the team’s records come back from the sync server.</p>
        <DialogActions error={error} onCancel={onClose} submitLabel="Start an empty workspace" busy={busy} onSubmit={start} />
      </div>
    </Dialog>
  );
}
