// First run on a device: who is working here, and the name of their workspace.
import { useState, type FormEvent } from 'react';
import { TextField } from '../components/fields';
import { useFormState } from '../lib/form-state';
import { call } from './connection';
import { useProfile } from './profile';

export function FirstRun() {
  const [name, setName] = useState('');
  const [workspaceName, setWorkspaceName] = useState('');
  const { busy, error, issues, submit } = useFormState();

  const create = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      const profile = await call('profile.setup', { name, workspaceName });
      useProfile.setState({ profile });
    });
  };

  return (
    <main className="first-run">
      <form className="first-run-card" onSubmit={create} noValidate>
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
