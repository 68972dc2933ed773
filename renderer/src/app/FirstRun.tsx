// First run on a device: who is working here, and the name of their workspace.
import { useState, type FormEvent } from 'react';
import { TextField } from '../components/fields';
import { issuesOf, type Issues } from '../lib/issues';
import { call, errorMessage } from './connection';
import { useProfile } from './profile';

export function FirstRun() {
  const [name, setName] = useState('');
  const [workspaceName, setWorkspaceName] = useState('');
  const [issues, setIssues] = useState<Issues>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const profile = await call('profile.setup', { name, workspaceName });
      useProfile.setState({ profile });
    } catch (err) {
      const found = issuesOf(err);
      setIssues(found);
      if (!Object.keys(found).length) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="first-run">
      <form className="first-run-card" onSubmit={submit} noValidate>
        <h1>Welcome to Community Fieldbook</h1>
        <p className="lead">
          Record the people, places and conversations of your community work — everything is kept on this device, so it works without
          signal.
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
        {error && (
          <p className="banner banner--error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary button--large" disabled={busy}>
          Create workspace
        </button>
      </form>
    </main>
  );
}
