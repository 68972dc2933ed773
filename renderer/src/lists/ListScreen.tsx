// One screen per record kind: filters, sort, the total, and a virtualised list that reads
// only the pages in view, so 50,000 contacts scroll as smoothly as 50.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { CONNECTION_KINDS, SUGGESTED_THEMES, type ListedKind, type RecordKind } from '../../../shared/domain';
import type { ListRow } from '../../../shared/rpc';
import { recordHref } from '../app/router';
import { EmptyState } from '../components/EmptyState';
import { ExportButton } from '../export/ExportButton';
import { LIST_EXPORTS, listSelection } from '../export/export-choices';
import { ImportDialog } from '../import/ImportDialog';
import { DateField, SelectField, TextField } from '../components/fields';
import { formatCount, formatDate, formatDateTime, humanize } from '../../../shared/format';
import { KIND_LABEL } from '../../../shared/labels';
import { describeAttendance } from '../lib/attendance';
import { NewRecordDialog } from '../records/NewRecordDialog';
import { LIST_CONFIG, updateListView, useListViews, type ListConfig, type ListFilter } from './list-config';
import { usePagedList, type PagedList } from './paged-list';
import { PageHeader } from '../components/PageHeader';

const ROW_HEIGHT = 64;
const TEXT_FILTER_DELAY_MS = 250;

export function ListScreen({ kind }: { kind: ListedKind }) {
  const config = LIST_CONFIG[kind];
  const view = useListViews((views) => views[kind]);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const sort = config.sorts[view.sortIndex]?.sort ?? config.sorts[0]!.sort;
  const [list, snapshot] = usePagedList({ kind, sort, filter: view.filter }, config.shows);
  const filtered = Object.entries(view.filter).some(([k, v]) => k !== 'status' && v);
  const deleted = view.filter.status === 'deleted';
  const setFilter = (changes: Partial<ListFilter>) =>
    updateListView(kind, { filter: { ...view.filter, ...changes }, scrollTop: 0 });

  return (
    <div className="list-screen">
      <PageHeader
        title={deleted ? `Deleted ${config.title.toLowerCase()}` : config.title}
        summary={snapshot.total === null ? 'Loading…' : formatCount(snapshot.total, KIND_LABEL[kind].one)}
        live
      >
        <SelectField
          label="Sort"
          value={String(view.sortIndex)}
          options={config.sorts.map((s, i) => ({ value: String(i), label: s.label }))}
          onChange={(v) => updateListView(kind, { sortIndex: Number(v), scrollTop: 0 })}
          className="field--inline"
        />
        <ExportButton {...LIST_EXPORTS[kind]} selection={listSelection(config, view.filter, sort)} />
        {kind !== 'connection' && (
          <button type="button" className="button" onClick={() => setImporting(true)}>
            {kind === 'session' ? 'Import register…' : 'Import…'}
          </button>
        )}
        <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
          {config.newLabel}
        </button>
      </PageHeader>
      <FilterBar config={config} filter={view.filter} setFilter={setFilter} />
      {snapshot.error && (
        <p className="banner banner--error" role="alert">
          The list could not be loaded: {snapshot.error}
        </p>
      )}
      {snapshot.total === 0 ? (
        filtered || deleted ? (
          <EmptyState
            title={deleted ? `No deleted ${KIND_LABEL[kind].many}` : `No ${KIND_LABEL[kind].many} match these filters`}
            action={
              <button type="button" className="button" onClick={() => updateListView(kind, { filter: { status: 'active' } })}>
                {deleted ? `Show all ${KIND_LABEL[kind].many}` : 'Clear filters'}
              </button>
            }
          >
            {deleted ? 'Deleted records can be restored from here.' : 'Try a wider date range or another filter.'}
          </EmptyState>
        ) : (
          <EmptyState
            title={config.empty.title}
            action={
              <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                {config.newLabel}
              </button>
            }
          >
            {config.empty.text}
          </EmptyState>
        )
      ) : (
        snapshot.total !== null && <VirtualRows kind={kind} list={list} total={snapshot.total} label={config.title} />
      )}
      {creating && <NewRecordDialog kind={kind} onClose={() => setCreating(false)} />}
      {importing && kind !== 'connection' && <ImportDialog kind={kind === 'session' ? 'register' : kind} onClose={() => setImporting(false)} />}
    </div>
  );
}

function FilterBar({ config, filter, setFilter }: { config: ListConfig; filter: ListFilter; setFilter: (changes: Partial<ListFilter>) => void }) {
  const themesId = useId();
  const anyFilter = Object.entries(filter).some(([k, v]) => k !== 'status' && v);
  return (
    <section className="filters" aria-label="Filters">
      {config.prefixLabel && (
        <DebouncedText label={config.prefixLabel} value={filter.titlePrefix ?? ''} onChange={(v) => setFilter({ titlePrefix: v || undefined })} />
      )}
      {config.facets.map((facet) => (
        <SelectField
          key={facet.key}
          label={facet.label}
          value={filter[facet.key] ?? ''}
          emptyLabel="Any"
          options={facet.options}
          onChange={(v) => setFilter({ [facet.key]: v || undefined })}
        />
      ))}
      {config.themes && (
        <>
          <DebouncedText label={config.themes} list={themesId} value={filter.theme ?? ''} onChange={(v) => setFilter({ theme: v || undefined })} />
          <datalist id={themesId}>
            {SUGGESTED_THEMES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </>
      )}
      <DateField label={`${config.dateLabel} from`} value={filter.from ?? ''} onChange={(v) => setFilter({ from: v || undefined })} />
      <DateField label="to" value={filter.to ?? ''} onChange={(v) => setFilter({ to: v || undefined })} />
      <label className="choice filters-deleted">
        <input
          type="checkbox"
          checked={filter.status === 'deleted'}
          onChange={(e) => setFilter({ status: e.target.checked ? 'deleted' : 'active' })}
        />
        <span>Show deleted</span>
      </label>
      {anyFilter && (
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => updateListView(config.kind, { filter: { status: filter.status } })}
        >
          Clear filters
        </button>
      )}
    </section>
  );
}

/** A text filter that waits for a pause in typing before it re-queries. */
function DebouncedText({ label, value, onChange, list }: { label: string; value: string; onChange: (v: string) => void; list?: string }) {
  const [text, setText] = useState(value);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => latest.current(text.trim()), TEXT_FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, value]);
  return <TextField type="search" label={label} value={text} onChange={setText} list={list} />;
}

function VirtualRows({ kind, list, total, label }: { kind: ListedKind; list: PagedList; total: number; label: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialOffset: () => useListViews.getState()[kind].scrollTop,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => list.ensure(first, last), [list, first, last]);

  // Remember where the list was, for coming back from a record.
  useEffect(() => {
    const element = scrollRef.current;
    return () => {
      if (element) updateListView(kind, { scrollTop: element.scrollTop });
    };
  }, [kind]);

  // Arrow keys move between rows; the row may first need scrolling into existence.
  useEffect(() => {
    if (focusIndex === null) return;
    const link = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"] a`);
    if (link) {
      link.focus();
      setFocusIndex(null);
    }
  });

  const onKeyDown = (e: KeyboardEvent) => {
    const current = Number((e.target as HTMLElement).closest('[data-index]')?.getAttribute('data-index'));
    if (Number.isNaN(current)) return;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + pageRows,
      PageUp: current - pageRows,
      Home: 0,
      End: total - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.min(total - 1, Math.max(0, moves[e.key]!));
    virtualizer.scrollToIndex(next, { align: 'auto' });
    setFocusIndex(next);
  };

  return (
    <div className="list-scroll" ref={scrollRef} onKeyDown={onKeyDown}>
      <div role="list" aria-label={label} className="list-rows" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = list.row(item.index);
          return (
            <div
              key={item.key}
              role="listitem"
              aria-setsize={total}
              aria-posinset={item.index + 1}
              data-index={item.index}
              className="list-row"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
            >
              {row ? <RowLink row={row} /> : <div className="row-placeholder" aria-hidden="true" />}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** "Asha — member of — Walking group": the kind in the middle of a connection's title, in words. */
function rowTitle(row: ListRow): string {
  if (row.kind !== 'connection') return row.title || '(untitled)';
  return row.title
    .split(' — ')
    .map((part) => ((CONNECTION_KINDS as readonly string[]).includes(part) ? humanize(part).toLowerCase() : part))
    .join(' — ');
}

function RowLink({ row }: { row: ListRow }) {
  const when = row.deletedAt
    ? `Deleted ${formatDate(row.deletedAt)}`
    : row.kind === 'session' && row.date
      ? formatDateTime(row.date)
      : row.date
        ? formatDate(row.date)
        : null;
  const subtitle = row.kind === 'session' || row.kind === 'connection' ? humanize(row.subtitle.split(' · ')[0] ?? '') : humanize(row.subtitle);
  const venue = row.session?.venue;
  return (
    <a className="row-link" href={recordHref(row.kind, row.id)}>
      <span className="row-main">
        <span className="row-title">{rowTitle(row)}</span>
        {row.kind !== 'connection' && (
          <span className="row-subtitle">
            {subtitle}
            {venue && ` · at ${venue.title}`}
          </span>
        )}
      </span>
      {row.session && <span className="row-people">{describeAttendance(row.session)}</span>}
      {row.badges.length > 0 && (
        <span className="row-badges">
          {row.badges.slice(0, 3).map((b) => (
            <span key={b} className="badge">
              {b}
            </span>
          ))}
          {row.badges.length > 3 && <span className="badge badge--more">+{row.badges.length - 3}</span>}
        </span>
      )}
      {when && <span className="row-date">{when}</span>}
    </a>
  );
}
