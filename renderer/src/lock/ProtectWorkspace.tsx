// A workspace from an earlier version, kept in plaintext: this version encrypts it in place
// once the user has set a passphrase (where the computer has no keychain), then shows the
// recovery code once.
import { useState, type FormEvent } from 'react';
import type { Protected } from '../../../shared/rpc';
import { call } from '../app/connection';
import { useProfile } from '../app/profile';
import { useFormState } from '../lib/form-state';
import { EMPTY_PASSPHRASE, passphrasesDiffer, PassphraseFields } from './PassphraseFields';
import { RecoveryCodeStep } from './RecoveryCodeStep';
import { StartForm } from './StartForm';

export function ProtectWorkspace() {
  const profile = useProfile((s) => s.profile)!;
  const [passphrase, setPassphrase] = useState(EMPTY_PASSPHRASE);
  const [done, setDone] = useState<Protected | null>(null);
  const { busy, error, issues, setIssues, submit } = useFormState();

  const protect = (e: FormEvent) => {
    e.preventDefault();
    if (profile.passphraseNeeded && passphrasesDiffer(passphrase, 'passphrase', setIssues)) return;
    void submit(async () => setDone(await call('profile.protect', profile.passphraseNeeded ? { passphrase: passphrase.passphrase } : {})));
  };

  if (done) {
    return (
      <main className="first-run">
        <RecoveryCodeStep code={done.recoveryCode} workspaceName={profile.workspaceName ?? ''} onDone={() => useProfile.setState({ profile: done.profile })} />
      </main>
    );
  }
  return (
    <StartForm onSubmit={protect} error={error} busy={busy} submitLabel="Encrypt my workspace" busyLabel="Encrypting… (a large workspace takes a minute)">
      <h1>Encrypt {profile.workspaceName ?? 'your workspace'}</h1>
      <p className="lead">
        This version of Community Fieldbook keeps your records encrypted on this computer, so a lost or stolen laptop does not give them
        away. Your workspace is encrypted once, now; nothing in it changes.
      </p>
      {profile.passphraseNeeded && <PassphraseFields path="passphrase" label="Passphrase" value={passphrase} onChange={setPassphrase} issues={issues} autoFocus />}
    </StartForm>
  );
}
