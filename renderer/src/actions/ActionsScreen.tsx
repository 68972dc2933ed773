// Every action agreed in any session, by what needs doing: open, overdue, done.
import { useEffect, useState } from 'react';
import { isOverdue, type ActionRow } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { recordHref } from '../app/router';
import { EmptyState } from '../components/EmptyState';
import { RouteTabs } from '../components/RouteTabs';
import { formatDate, formatDateTime, humanize, today } from '../../../shared/format';
import { changesRecords } from '../lib/record-events';
import { PageHeader } from '../components/PageHeader';
import { ExportButton } from '../export/ExportButton';
import { ACTION_EXPORT } from '../export/export-choices';

const TABS = [
  { id: 'open', label: 'Open', empty: 'No open actions. Actions agreed in sessions appear here until they are done.' },
  { id: 'overdue', label: 'Overdue', empty: 'Nothing is overdue. Open actions past their due date appear here.' },
  { id: 'done', label: 'Done', empty: 'No actions are marked done yet.' },
] as const;
type Tab = (typeof TABS)[number]['id'];
const PAGE = 100;
const MAX_PER_CALL = 500;

export function ActionsScreen({ tab: routeTab }: { tab: string | null }) {
  const tab: Tab = TABS.find((t) => t.id === routeTab)?.id ?? 'open';
  const [totals, setTotals] = useState<Partial<Record<Tab, number>>>({});
  const [rows, setRows] = useState<ActionRow[] | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () => {
      const day = today();
      // The data service answers at most 500 rows a call; longer lists come in chunks.
      const chunks = Array.from({ length: Math.ceil(limit / MAX_PER_CALL) }, (_, i) =>
        call('action.list', { status: tab, today: day, offset: i * MAX_PER_CALL, limit: Math.min(MAX_PER_CALL, limit - i * MAX_PER_CALL) }),
      );
      const counts = TABS.map((t) => call('action.list', { status: t.id, today: day, limit: 1 }));
      Promise.all([Promise.all(chunks), Promise.all(counts)]).then(
        ([pages, results]) => {
          setTotals(Object.fromEntries(TABS.map((t, i) => [t.id, results[i]!.total])));
          setRows(pages.flatMap((p) => p.rows));
          setError(null);
        },
        (e) => setError(errorMessage(e)),
      );
    };
    load();
    return onServiceEvent((event) => {
      if (changesRecords(event, ['session', 'contact'])) load();
    });
  }, [tab, limit]);

  const current = TABS.find((t) => t.id === tab)!;
  const day = today();

  return (
    <div className="actions-screen">
      <PageHeader title="Actions" summary="What was agreed in sessions, and who is doing it.">
        <ExportButton title="Export actions" choices={ACTION_EXPORT} selection={{ status: tab, description: `The ${current.label.toLowerCase()} actions the list shows.` }} />
      </PageHeader>
      <RouteTabs
        section="actions"
        label="Which actions"
        tabs={TABS.map((t) => ({ id: t.id, label: t.label, count: totals[t.id] }))}
        current={tab}
        panelId="actions-panel"
        onSelect={() => setLimit(PAGE)}
      />
      <div role="tabpanel" id="actions-panel" aria-labelledby={`tab-${tab}`} className="tab-panel">
        {error && (
          <p className="banner banner--error" role="alert">
            The actions could not be loaded: {error}
          </p>
        )}
        {rows?.length === 0 && <EmptyState title={`No ${current.label.toLowerCase()} actions`}>{current.empty}</EmptyState>}
        {rows && rows.length > 0 && (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">From session</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => {
                const overdue = isOverdue(a, day);
                return (
                  <tr key={`${a.sessionId}-${a.actionId}`}>
                    <td className="action-text">{a.text}</td>
                    <td>{a.ownerId ? <a href={recordHref('contact', a.ownerId)}>{a.ownerName}</a> : <span className="muted">No owner</span>}</td>
                    <td className={overdue ? 'overdue' : undefined}>
                      {a.dueDate ? formatDate(a.dueDate) : <span className="muted">—</span>}
                      {overdue && <span className="overdue-tag">Overdue</span>}
                    </td>
                    <td>{humanize(a.status)}</td>
                    <td>
                      <a href={recordHref('session', a.sessionId)}>{a.sessionTitle}</a>
                      <span className="cell-sub">{formatDateTime(a.sessionStartsAt)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {rows && totals[tab] !== undefined && rows.length < totals[tab]! && (
          <button type="button" className="button" onClick={() => setLimit((l) => l + PAGE)}>
            Show more ({totals[tab]! - rows.length} more)
          </button>
        )}
      </div>
    </div>
  );
}
