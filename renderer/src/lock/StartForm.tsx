// The card a start screen is (first run, unlock, encrypting an older workspace): its fields,
// then what went wrong (announced), then its one action, saying what it is doing meanwhile.
import type { FormEvent, ReactNode } from 'react';

interface Props {
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  /** Below the action: another way in ("Use my recovery code instead"). */
  after?: ReactNode;
}

export function StartForm({ onSubmit, children, error, busy, submitLabel, busyLabel, after }: Props) {
  return (
    <main className="first-run">
      <form className="first-run-card" onSubmit={onSubmit} noValidate>
        {children}
        {error && (
          <p className="banner banner--error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary button--large" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {after}
      </form>
    </main>
  );
}
