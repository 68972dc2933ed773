// Changing the workspace's passphrase: the key is wrapped anew under it; the workspace file
// itself is not touched. The current passphrase is asked first, where there is one.
import { useState, type FormEvent } from 'react';
import { call } from '../app/connection';
import { useProfile } from '../app/profile';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { TextField } from '../components/fields';
import { useFormState } from '../lib/form-state';
import { EMPTY_PASSPHRASE, passphrasesDiffer, PassphraseFields } from './PassphraseFields';

export function ChangePassphraseDialog({ onClose }: { onClose: () => void }) {
  const hasPassphrase = useProfile((s) => s.profile?.hasPassphrase ?? false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState(EMPTY_PASSPHRASE);
  const [changed, setChanged] = useState(false);
  const { busy, error, issues, setIssues, submit } = useFormState();

  const change = (e: FormEvent) => {
    e.preventDefault();
    if (passphrasesDiffer(next, 'next', setIssues)) return;
    void submit(async () => {
      useProfile.setState({ profile: await call('profile.changePassphrase', { ...(hasPassphrase ? { current } : {}), next: next.passphrase }) });
      setChanged(true);
    });
  };

  return (
    <Dialog title={hasPassphrase ? 'Change passphrase' : 'Set a passphrase'} onClose={onClose}>
      {changed ? (
        <div className="dialog-body">
          <p role="status">Your passphrase is changed. Use the new one the next time you open Community Fieldbook; your recovery code still works.</p>
          <div className="dialog-actions">
            <button type="button" className="button button--primary" onClick={onClose} data-autofocus>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="dialog-body" onSubmit={change} noValidate>
          {hasPassphrase && (
            <TextField path="current" type="password" label="Current passphrase" value={current} onChange={setCurrent} error={issues.current} autoComplete="current-password" />
          )}
          <PassphraseFields path="next" label="New passphrase" value={next} onChange={setNext} issues={issues} />
          <DialogActions error={error} onCancel={onClose} busy={busy} submitLabel={busy ? 'Changing…' : 'Change passphrase'} />
        </form>
      )}
    </Dialog>
  );
}
