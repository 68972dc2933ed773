// A dialog's foot: what went wrong (announced to screen readers), then the way out and the
// dialog's main action. Inside a form the main action submits it; otherwise it calls onSubmit.
import type { ReactNode } from 'react';

interface Props {
  error?: string | null;
  /** Leave out where the main action is the only way on (a summary's Done). */
  onCancel?: () => void;
  cancelLabel?: string;
  submitLabel: ReactNode;
  /** While true the main action cannot be pressed again. */
  busy?: boolean;
  /** Leave out inside a form: the main action is then its submit button. */
  onSubmit?: () => void;
}

export function DialogActions({ error, onCancel, cancelLabel = 'Cancel', submitLabel, busy = false, onSubmit }: Props) {
  return (
    <>
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {cancelLabel}
          </button>
        )}
        <button type={onSubmit ? 'button' : 'submit'} className="button button--primary" disabled={busy} onClick={onSubmit}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
