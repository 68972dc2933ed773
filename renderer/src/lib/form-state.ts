// What a dialog's form shows while it sends and after: busy (its main action disabled),
// the data service's messages at the fields they name, and anything else as one error at
// the foot (DialogActions shows both).
import { useState } from 'react';
import { errorMessage } from '../app/connection';
import { issuesOf, type Issues } from './issues';

export interface FormState {
  busy: boolean;
  error: string | null;
  /** Messages by field path: the data service's, or the form's own checks before sending. */
  issues: Issues;
  setIssues: (issues: Issues) => void;
  /** Runs `action` (the sending and what follows it), busy meanwhile; what it throws is shown. */
  submit: (action: () => Promise<void>) => Promise<void>;
}

interface Options {
  /**
   * For a form with no fields a failure could name: says every failure in one sentence.
   * Without it, a failure that names fields is shown at them, and any other as its message.
   */
  explain?: (error: unknown) => string;
}

export function useFormState({ explain }: Options = {}): FormState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issues>({});

  const submit = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      if (explain) return setError(explain(e));
      const found = issuesOf(e);
      setIssues(found);
      if (Object.keys(found).length === 0) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return { busy, error, issues, setIssues, submit };
}
