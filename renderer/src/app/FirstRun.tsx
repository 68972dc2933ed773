// First run on a device: who is working here, the name of their workspace and, where the
// computer has no keychain to protect it, the passphrase that does; then the recovery code,
// shown once, before the workspace opens.
import { useState, type FormEvent } from 'react';
import type { Protected } from '../../../shared/rpc';
import { TextField } from '../components/fields';
import { useFormState } from '../lib/form-state';
import { EMPTY_PASSPHRASE, passphrasesDiffer, PassphraseFields } from '../lock/PassphraseFields';
import { RecoveryCodeStep } from '../lock/RecoveryCodeStep';
import { call } from './connection';
import { useProfile } from './profile';
import { StartForm } from '../lock/StartForm';

export function FirstRun() {
  const passphraseNeeded = useProfile((s) => s.profile?.passphraseNeeded ?? true);
  const [name, setName] = useState('');
  const [workspaceName, setWorkspaceName] = useState('');
  const [passphrase, setPassphrase] = useState(EMPTY_PASSPHRASE);
  const [done, setDone] = useState<Protected | null>(null);
  const { busy, error, issues, setIssues, submit } = useFormState();

  const create = (e: FormEvent) => {
    e.preventDefault();
    if (passphraseNeeded && passphrasesDiffer(passphrase, 'passphrase', setIssues)) return;
    void submit(async () => {
      setDone(await call('profile.setup', { name, workspaceName, ...(passphraseNeeded ? { passphrase: passphrase.passphrase } : {}) }));
    });
  };

  if (done) {
    return (
      <main className="first-run">
        <RecoveryCodeStep code={done.recoveryCode} workspaceName={done.profile.workspaceName ?? workspaceName} onDone={() => useProfile.setState({ profile: done.profile })} />
      </main>
    );
  }

  return (
    <StartForm onSubmit={create} error={error} busy={busy} submitLabel="Create workspace" busyLabel="Creating your encrypted workspace…">
      <h1>Welcome to Community Fieldbook</h1>
      <p className="lead">
        Record the people, places and conversations of your community work — everything is kept on this device, encrypted, so it works
        without signal and stays private if the computer is lost.
      </p>
      {/* A worker given an invite looks here for a way to join, and there is none before a workspace exists. */}
      <p className="section-hint">
        Joining your team? Create your workspace here first, then choose <strong>Not connected</strong> at the foot of the menu and enter the
        invite code your team lead gave you: the team’s records arrive, and yours go to them.
      </p>
      <TextField path="name" label="Your name" hint="Shown next to the changes you make." value={name} onChange={setName} error={issues.name} autoComplete="name" autoFocus />
      <TextField
        path="workspaceName"
        label="Workspace name"
        hint="Usually your programme or area, for example “Moss Side Connections”."
        value={workspaceName}
        onChange={setWorkspaceName}
        error={issues.workspaceName}
      />
      {passphraseNeeded && <PassphraseFields path="passphrase" label="Passphrase" value={passphrase} onChange={setPassphrase} issues={issues} />}
    </StartForm>
  );
}
