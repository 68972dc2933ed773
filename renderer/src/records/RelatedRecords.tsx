// What other records say about this one, on its page: the sessions a contact came to or
// facilitated and the actions they own, the sessions held at an asset. Each list comes a
// page at a time and is read again when sessions, contacts or assets change (a merge, a
// renamed venue, a synced session).
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { RecordKind } from '../../../shared/domain';
import { isOverdue, type ActionRow, type RecordSession } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { recordHref } from '../app/router';
import { describeAttendance } from '../lib/attendance';
import { formatDate, formatDateTime, formatList, humanize, today } from '../../../shared/format';
import { changesRecords } from '../lib/record-events';

const PAGE_SIZE = 10;

/** A row's facts after its title: apart on screen by the gap between them, and read aloud with a pause. */
function Facts({ children }: { children: ReactNode[] }) {
  const shown = children.filter(Boolean);
  return (
    <span className="related-meta">
      {shown.map((fact, i) => (
        <span key={i}>
          {fact}
          {i < shown.length - 1 && <span className="visually-hidden">, </span>}
        </span>
      ))}
    </span>
  );
}

interface Page<T> {
  rows: T[];
  total: number;
}

interface PagedPanelProps<T> {
  title: string;
  /** What is listed, in the plural: "sessions". */
  items: string;
  empty: string;
  load: (offset: number, limit: number) => Promise<Page<T>>;
  /** Kinds whose changes may change what is listed. */
  reloadOn: readonly RecordKind[];
  /** Changes whenever `load` asks for something else (the record's id). */
  loadKey: string;
  renderRow: (row: T) => ReactNode;
}

function PagedPanel<T>({ title, items, empty, load, reloadOn, loadKey, renderRow }: PagedPanelProps<T>) {
  const headingId = useId();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reloadKinds = reloadOn.join(',');

  useEffect(() => setOffset(0), [loadKey]);
  useEffect(() => {
    let current = true;
    const fetchPage = () =>
      load(offset, PAGE_SIZE).then(
        (next) => {
          if (!current) return;
          // Fewer rows than before (some deleted, say) can leave this page empty: go back one.
          if (next.rows.length === 0 && offset > 0) setOffset(Math.max(0, offset - PAGE_SIZE));
          setPage(next);
          setError(null);
        },
        (e) => current && setError(errorMessage(e)),
      );
    void fetchPage();
    const off = onServiceEvent((event) => {
      if (changesRecords(event, reloadKinds.split(',') as RecordKind[])) void fetchPage();
    });
    return () => {
      current = false;
      off();
    };
    // `load` is a new function each render; `loadKey` stands for what it asks.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadKey, offset, reloadKinds]);

  const total = page?.total ?? 0;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} {total > 0 && <span className="count">({total.toLocaleString('en-GB')})</span>}
      </h2>
      {error && <p className="field-error">The {items} could not be loaded: {error}</p>}
      {page && total === 0 && <p className="muted">{empty}</p>}
      {page && page.rows.length > 0 && (
        <ul className="related-list" aria-label={title}>
          {page.rows.map(renderRow)}
        </ul>
      )}
      {total > PAGE_SIZE && (
        <nav className="pager" aria-label={`Pages of ${title.toLowerCase()}`}>
          <PagerButton label="Newer" onClick={offset > 0 ? () => setOffset(Math.max(0, offset - PAGE_SIZE)) : null} />
          <span role="status" className="pager-range">
            {humanize(items)} {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total.toLocaleString('en-GB')}
          </span>
          <PagerButton label="Older" onClick={offset + PAGE_SIZE < total ? () => setOffset(offset + PAGE_SIZE) : null} />
        </nav>
      )}
    </section>
  );
}

/**
 * aria-disabled rather than disabled at the first or last page: a disabled button drops
 * the keyboard focus of whoever just pressed it.
 */
function PagerButton({ label, onClick }: { label: string; onClick: (() => void) | null }) {
  return (
    <button type="button" className="button button--small" aria-disabled={onClick ? undefined : true} onClick={onClick ?? undefined}>
      {label}
    </button>
  );
}

const PART_WORDS = { facilitator: 'facilitated', attendee: 'came', venue: 'held here' } as const;

/** Sessions a contact came to or facilitated, or that were held at an asset; newest first. */
export function RecordSessions({ id, kind }: { id: string; kind: 'contact' | 'asset' }) {
  return (
    <PagedPanel<RecordSession>
      title={kind === 'asset' ? 'Sessions held here' : 'Sessions'}
      items="sessions"
      empty={kind === 'asset' ? 'No session has been held here yet.' : 'Not at any session yet, as attendee or facilitator.'}
      load={(offset, limit) => call('record.sessions', { id, offset, limit })}
      reloadOn={['session', 'contact', 'asset']}
      loadKey={id}
      renderRow={(s) => {
        const venue = kind === 'contact' && s.summary.venue;
        return (
          <li key={s.id}>
            <a href={recordHref('session', s.id)}>{s.title || '(untitled)'}</a>
            <Facts>
              {[
                formatDateTime(s.startsAt),
                kind === 'contact' ? humanize(formatList(s.parts.map((p) => PART_WORDS[p]))) : humanize(s.type),
                venue && `at ${venue.title}`,
                describeAttendance(s.summary),
              ]}
            </Facts>
          </li>
        );
      }}
    />
  );
}

/** Actions a contact owns, with their status; due first. */
export function OwnedActions({ id }: { id: string }) {
  const day = today();
  return (
    <PagedPanel<ActionRow>
      title="Actions they own"
      items="actions"
      empty="No actions are theirs yet."
      load={(offset, limit) => call('action.list', { status: 'all', today: day, ownerId: id, offset, limit })}
      reloadOn={['session', 'contact']}
      loadKey={id}
      renderRow={(a) => {
        const overdue = isOverdue(a, day);
        return (
          <li key={`${a.sessionId}-${a.actionId}`}>
            <span className="related-text">{a.text}</span>
            <Facts>
              {[
                <span className={`action-status action-status--${a.status}`}>{humanize(a.status)}</span>,
                a.dueDate && <span className={overdue ? 'overdue' : undefined}>{`${overdue ? 'Overdue: was due' : 'Due'} ${formatDate(a.dueDate)}`}</span>,
                <>
                  from <a href={recordHref('session', a.sessionId)}>{a.sessionTitle || '(untitled)'}</a>
                </>,
              ]}
            </Facts>
          </li>
        );
      }}
    />
  );
}
