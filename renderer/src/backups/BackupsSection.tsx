// Settings › Backups: where the workspace's backups are, how long they are kept, whether
// they are encrypted, and each one with what it holds and "Restore…".
import { useEffect, useState } from 'react';
import type { BackupInfo, BackupList } from '../../../shared/rpc-backups';
import { call, errorMessage } from '../app/connection';
import { formatDateTime } from '../../../shared/format';
import { takeRestoredNotice } from './backup-words';
import { BackupsTable } from './BackupsTable';
import { RestoreBackupDialog } from './RestoreBackupDialog';

export function BackupsSection() {
  const [list, setList] = useState<BackupList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoredFrom] = useState(takeRestoredNotice);
  const [chosen, setChosen] = useState<BackupInfo | null>(null);

  useEffect(() => {
    call('backups.list', {}).then(setList, (e) => setError(errorMessage(e)));
  }, []);

  return (
    <section className="settings-section" aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>
      <p role="status" className={restoredFrom ? 'banner' : 'visually-hidden'}>
        {restoredFrom && <>The workspace was restored from the backup of {formatDateTime(restoredFrom)}.</>}
      </p>
      {list && (
        <p className="field-hint">
          A backup of this workspace is taken every day and before an update of the app changes the file; each is kept for {list.keepDays} days (the
          newest always). {list.encrypted ? 'They are encrypted with the workspace’s key, like the workspace itself.' : 'They are not encrypted, as the workspace is not.'}{' '}
          They are in <code>{list.folder}</code>.
        </p>
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          The backups could not be listed: {error}
        </p>
      )}
      {!list && !error && <p className="loading">Loading…</p>}
      {list && list.backups.length === 0 && <p>There is no backup yet.</p>}
      {list && list.backups.length > 0 && <BackupsTable backups={list.backups} busy={chosen !== null} onRestore={setChosen} />}
      {chosen && list && <RestoreBackupDialog backup={chosen} syncs={list.syncs} damaged={false} onClose={() => setChosen(null)} />}
    </section>
  );
}
