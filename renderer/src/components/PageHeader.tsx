// A screen's header: its heading, which the app focuses after moving to the screen
// (App.tsx looks for #page-heading), a line about what is shown, and the screen's tools.
import type { ReactNode } from 'react';

interface Props {
  title: ReactNode;
  summary: ReactNode;
  /** The summary changes as data loads (a count): screen readers hear it. */
  live?: boolean;
  /** The screen's tools, at the header's end; none when false or left out. */
  children?: ReactNode;
}

export function PageHeader({ title, summary, live = false, children }: Props) {
  return (
    <header className="page-header">
      <div className="page-title">
        <h1 id="page-heading" tabIndex={-1}>
          {title}
        </h1>
        <p className="total" aria-live={live ? 'polite' : undefined}>
          {summary}
        </p>
      </div>
      {children && <div className="page-tools">{children}</div>}
    </header>
  );
}
