// At start, when the workspace is locked: its passphrase opens it, or the recovery code does
// (and a new passphrase replaces the forgotten one in the same step).
import { useState, type FormEvent } from 'react';
import { call } from '../app/connection';
import { useProfile } from '../app/profile';
import { TextField } from '../components/fields';
import { useFormState } from '../lib/form-state';
import { EMPTY_PASSPHRASE, passphrasesDiffer, PassphraseFields } from './PassphraseFields';
import { StartForm } from './StartForm';

export function Unlock() {
  const profile = useProfile((s) => s.profile)!;
  // Without a passphrase (the keychain alone opened it, and cannot now), only the recovery code can.
  const [withCode, setWithCode] = useState(!profile.hasPassphrase);
  const [passphrase, setPassphrase] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [newPassphrase, setNewPassphrase] = useState(EMPTY_PASSPHRASE);
  const { busy, error, issues, setIssues, submit } = useFormState();
  const setsPassphrase = profile.hasPassphrase || profile.passphraseNeeded;

  const unlock = (e: FormEvent) => {
    e.preventDefault();
    if (withCode && setsPassphrase && passphrasesDiffer(newPassphrase, 'newPassphrase', setIssues)) return;
    void submit(async () => {
      const opened = withCode
        ? await call('profile.unlock', { recoveryCode, ...(setsPassphrase ? { newPassphrase: newPassphrase.passphrase } : {}) })
        : await call('profile.unlock', { passphrase });
      useProfile.setState({ profile: opened });
    });
  };

  const switchTo = (code: boolean) => {
    setWithCode(code);
    setIssues({});
  };

  return (
    <StartForm
      onSubmit={unlock}
      error={error}
      busy={busy}
      submitLabel="Unlock"
      busyLabel="Unlocking…"
      after={
        profile.hasPassphrase && (
          <button type="button" className="link-button link-button--plain" onClick={() => switchTo(!withCode)}>
            {withCode ? 'Use my passphrase instead' : 'Use my recovery code instead'}
          </button>
        )
      }
    >
      <h1>Unlock {profile.workspaceName ?? 'your workspace'}</h1>
      {withCode ? (
        <>
          <p className="lead">
            {profile.hasPassphrase
              ? 'Type the recovery code you were given when the workspace was set up, and choose a new passphrase.'
              : 'This computer’s keychain cannot open your workspace (a new login or a reset keychain does this). Type the recovery code you were given when it was set up.'}
          </p>
          <TextField
            key="recoveryCode"
            path="recoveryCode"
            label="Recovery code"
            hint="25 letters and digits in five groups, like 7KQ2M-XH4PD-R9T0A-MZ3WE-B6YNC. Dashes and spaces do not matter."
            value={recoveryCode}
            onChange={setRecoveryCode}
            error={issues.recoveryCode}
            autoFocus
          />
          {setsPassphrase && <PassphraseFields path="newPassphrase" label="New passphrase" value={newPassphrase} onChange={setNewPassphrase} issues={issues} />}
        </>
      ) : (
        <>
          <p className="lead">Your records are encrypted on this computer. Type your passphrase to open them.</p>
          <TextField
            key="passphrase"
            path="passphrase"
            type="password"
            label="Passphrase"
            value={passphrase}
            onChange={setPassphrase}
            error={issues.passphrase}
            autoComplete="current-password"
            autoFocus
          />
        </>
      )}
    </StartForm>
  );
}
