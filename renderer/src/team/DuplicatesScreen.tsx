// Records the team entered more than once: candidate pairs from the duplicate finder, most
// alike first, each with its score and reasons in words; compare and merge, or set aside.
import { useEffect, useRef, useState } from 'react';
import type { DuplicateKind, DuplicatePair, PairCursor } from '../../../shared/rpc';
import { call, errorMessage } from '../app/connection';
import { recordHref } from '../app/router';
import { EmptyState } from '../components/EmptyState';
import { formatCount } from '../../../shared/format';
import { KIND_LABEL } from '../../../shared/labels';
import { MergeDialog } from './MergeDialog';
import { RouteTabs } from '../components/RouteTabs';
import { PageHeader } from '../components/PageHeader';
import './team.css';

const TABS = [
  { id: 'contacts', label: 'Contacts', kind: 'contact' },
  { id: 'assets', label: 'Assets', kind: 'asset' },
] as const satisfies readonly { id: string; label: string; kind: DuplicateKind }[];
type Tab = (typeof TABS)[number]['id'];
/** Pairs asked of the finder at once; "Show more pairs" asks for the next as many. */
const PAIRS_ASKED = 200;

/** What the finder has listed so far: its pages, and where the next one starts (null: none left). */
interface Found {
  pairs: DuplicatePair[];
  next: PairCursor | null;
}

type Search =
  | { state: 'searching'; among: number | null }
  | { state: 'stopped' }
  | { state: 'failed'; error: string }
  | ({ state: 'done'; more: 'idle' | 'loading' | { error: string } } & Found);

/** A page shorter than asked is the last; otherwise the next starts after its last pair. */
function nextAfter(page: DuplicatePair[]): PairCursor | null {
  const last = page.at(-1);
  return page.length < PAIRS_ASKED || !last ? null : { score: last.score, a: last.a.id, b: last.b.id };
}

const pairKey = (p: DuplicatePair) => [p.a.id, p.b.id].sort().join('|');
/** Pairs set aside with "Not a duplicate", for as long as the app is open. */
const dismissed = new Set<string>();
/** The last answer per kind, so coming back from a merge does not search again ("Look again" does). */
const lastFound = new Map<DuplicateKind, Found>();

/** Pairs with a record merged away no longer stand (the next page still starts where the finder's last one ended). */
function forgetMerged(kind: DuplicateKind, mergedIds: readonly string[]): void {
  const found = lastFound.get(kind);
  if (found) lastFound.set(kind, { ...found, pairs: found.pairs.filter((p) => !mergedIds.includes(p.a.id) && !mergedIds.includes(p.b.id)) });
}

export function DuplicatesScreen({ param }: { param: string | null }) {
  const tab = TABS.find((t) => t.id === param) ?? TABS[0];
  const kind = tab.kind;
  const [search, setSearch] = useState<Search>(() => {
    const found = lastFound.get(kind);
    return found ? { state: 'done', more: 'idle', ...found } : { state: 'searching', among: null };
  });
  const [merging, setMerging] = useState<DuplicatePair | null>(null);
  const [, setDismissals] = useState(0);
  const latest = useRef(0);

  const find = (k: DuplicateKind) => {
    const request = ++latest.current;
    setSearch({ state: 'searching', among: null });
    call('workspace.info', {}).then(
      (info) => request === latest.current && setSearch((s) => (s.state === 'searching' ? { state: 'searching', among: info.counts[k] } : s)),
      () => undefined,
    );
    call('duplicates.find', { kind: k, limit: PAIRS_ASKED }).then(
      (pairs) => {
        const found = { pairs, next: nextAfter(pairs) };
        lastFound.set(k, found);
        if (request === latest.current) setSearch({ state: 'done', more: 'idle', ...found });
      },
      (e) => request === latest.current && setSearch({ state: 'failed', error: errorMessage(e) }),
    );
  };
  // The next page, after the last pair the finder listed: the pairs listed so far stay as they are.
  const showMore = () => {
    if (search.state !== 'done' || !search.next) return;
    const request = ++latest.current;
    const [listed, after] = [search, search.next];
    setSearch({ ...listed, more: 'loading' });
    call('duplicates.find', { kind, limit: PAIRS_ASKED, after }).then(
      (page) => {
        const known = new Set(listed.pairs.map(pairKey));
        const found = { pairs: [...listed.pairs, ...page.filter((p) => !known.has(pairKey(p)))], next: nextAfter(page) };
        lastFound.set(kind, found);
        if (request === latest.current) setSearch({ state: 'done', more: 'idle', ...found });
      },
      (e) => request === latest.current && setSearch({ ...listed, more: { error: errorMessage(e) } }),
    );
  };
  // The data service stops the scan's worker too: a stopped search costs nothing more.
  const stop = () => {
    latest.current++;
    setSearch({ state: 'stopped' });
    call('duplicates.cancel', { kind }).catch(() => undefined);
  };

  useEffect(() => {
    const found = lastFound.get(kind);
    if (found) setSearch({ state: 'done', more: 'idle', ...found });
    else find(kind);
    return () => {
      // Leaving the screen (or the tab) stops a scan still running: nobody waits for it.
      latest.current++;
      call('duplicates.cancel', { kind }).catch(() => undefined);
    };
  }, [kind]);

  const pairs = search.state === 'done' ? search.pairs.filter((p) => !dismissed.has(pairKey(p))) : [];
  const many = KIND_LABEL[kind].many;
  const relatedTo = (pair: DuplicatePair) =>
    search.state === 'done'
      ? search.pairs
          .filter((p) => p !== pair && !dismissed.has(pairKey(p)))
          .flatMap((p) => (p.a.id === pair.a.id || p.a.id === pair.b.id ? [p.b] : p.b.id === pair.a.id || p.b.id === pair.b.id ? [p.a] : []))
      : [];

  return (
    <div className="team-screen">
      <PageHeader title="Duplicates" summary="Records the team entered more than once. Compare them and merge them into one; a merge can be undone.">
        {search.state !== 'searching' && (
          <button type="button" className="button" onClick={() => find(kind)}>
            Look again
          </button>
        )}
      </PageHeader>
      <RouteTabs section="duplicates" label="Which records" tabs={TABS} current={tab.id as Tab} panelId="duplicates-panel" />
      <div role="tabpanel" id="duplicates-panel" aria-labelledby={`tab-${tab.id}`} className="tab-panel">
        {search.state === 'searching' && (
          <div className="team-progress">
            <p role="status">
              Looking for {many} entered more than once
              {search.among !== null && ` among ${formatCount(search.among, KIND_LABEL[kind].one, many)}`}… This takes a few seconds in a large
              workspace.
            </p>
            <progress aria-label={`Looking for duplicate ${many}`} />
            <button type="button" className="button" onClick={stop}>
              Stop looking
            </button>
          </div>
        )}
        {search.state === 'stopped' && (
          <EmptyState
            title="Stopped"
            action={
              <button type="button" className="button button--primary" onClick={() => find(kind)}>
                Look for duplicates
              </button>
            }
          >
            The search for duplicate {many} was stopped before it finished.
          </EmptyState>
        )}
        {search.state === 'failed' && (
          <p className="banner banner--error" role="alert">
            The search for duplicates failed: {search.error}
          </p>
        )}
        {search.state === 'done' && pairs.length === 0 && (
          <EmptyState title={`No duplicate ${many} found`}>No two {many} look like the same one. New ones are checked as they are entered.</EmptyState>
        )}
        {pairs.length > 0 && (
          <>
            <p className="muted" role="status">
              {search.state === 'done' && search.next
                ? `The ${formatCount(pairs.length, 'most alike pair')} so far, most alike first: there are more`
                : `${formatCount(pairs.length, 'likely pair')}, most alike first`}
            </p>
            <ul className="duplicate-list">
              {pairs.map((pair) => (
                <li key={pairKey(pair)} className="duplicate-pair">
                  <div className="duplicate-records">
                    {[pair.a, pair.b].map((r) => (
                      <div key={r.id} className="duplicate-record">
                        <a href={recordHref(kind, r.id)}>{r.title || '(untitled)'}</a>
                        {r.subtitle && <span className="cell-sub">{r.subtitle}</span>}
                      </div>
                    ))}
                  </div>
                  <div className="duplicate-score">
                    <meter min={0} max={1} value={pair.score} aria-label={`How alike ${pair.a.title} and ${pair.b.title} are`}>
                      {Math.round(pair.score * 100)}%
                    </meter>
                    <span>{Math.round(pair.score * 100)}% likely the same</span>
                  </div>
                  <ul className="duplicate-reasons" aria-label="Why">
                    {pair.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                  <div className="duplicate-actions">
                    <button type="button" className="button button--primary button--small" onClick={() => setMerging(pair)}>
                      Compare and merge…<span className="visually-hidden"> {pair.a.title} and {pair.b.title}</span>
                    </button>
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={`Not a duplicate: ${pair.a.title} and ${pair.b.title}`}
                      onClick={() => {
                        dismissed.add(pairKey(pair));
                        setDismissals((n) => n + 1);
                      }}
                    >
                      Not a duplicate
                    </button>
                  </div>
                </li>
              ))}
            </ul>
            {search.state === 'done' && search.next && (
              <div className="team-progress">
                <button type="button" className="button" onClick={showMore} disabled={search.more === 'loading'}>
                  {search.more === 'loading' ? 'Showing more pairs…' : `Show the next ${PAIRS_ASKED} pairs`}
                </button>
                {typeof search.more === 'object' && (
                  <p className="banner banner--error" role="alert">
                    The next pairs could not be listed: {search.more.error}
                  </p>
                )}
              </div>
            )}
          </>
        )}
      </div>
      {merging && <MergeDialog kind={kind} ids={[merging.a.id, merging.b.id]} related={relatedTo(merging)} onClose={() => setMerging(null)} onMerged={forgetMerged} />}
    </div>
  );
}
