// A modal dialog on the native <dialog>: the browser traps focus and closes on Escape;
// focus goes back to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** Dialogs that draw their own heading (the search palette) hide the title visually. */
  hideTitle?: boolean;
}

const FIRST_FIELD = ['input', 'select', 'textarea'].map((tag) => `${tag}:not([disabled]):not([type='hidden'])`).join(', ');

export function Dialog({ title, onClose, children, className, hideTitle }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // showModal focuses the first control, the close button: typing would go nowhere and Enter
    // would close the dialog. Start where the dialog's work is: the control marked to (React's
    // autoFocus ran while the dialog was closed, when nothing in it could take focus), else its
    // first field, else its heading, which a screen reader reads out.
    const start =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FIRST_FIELD) ?? dialog.querySelector<HTMLElement>('h2');
    start?.focus();
    return () => {
      dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId} className={hideTitle ? 'visually-hidden' : undefined} tabIndex={-1}>
          {title}
        </h2>
        {!hideTitle && (
          <button type="button" className="button button--ghost button--icon" aria-label="Close" onClick={onClose}>
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
      {children}
    </dialog>
  );
}
