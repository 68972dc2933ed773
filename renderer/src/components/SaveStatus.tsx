// "Saving…" / "Saved" next to a record's title, with Undo after a save and Retry after a failure.
import type { SaveStatus as Status } from '../lib/record-editor';

interface Props {
  status: Status;
  error: string | null;
  canUndo: boolean;
  onUndo: () => void;
  onRetry: () => void;
}

const TEXT: Record<Status, string> = {
  idle: '',
  saving: 'Saving…',
  saved: 'Saved',
  invalid: 'Not saved — check the fields marked below',
  failed: 'Not saved',
};

export function SaveStatus({ status, error, canUndo, onUndo, onRetry }: Props) {
  return (
    <div className="save-status">
      <span role="status" className={`save-status-text save-status--${status}`}>
        {TEXT[status]}
        {status === 'failed' && error ? `: ${error}` : ''}
      </span>
      {status === 'failed' && (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      )}
      {canUndo && status !== 'saving' && (
        <button type="button" className="button button--small button--ghost" onClick={onUndo} aria-keyshortcuts="Control+Z Meta+Z">
          Undo
        </button>
      )}
    </div>
  );
}
