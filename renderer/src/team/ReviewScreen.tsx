// What each worker changed since the lead last looked, grouped by worker and record, each
// change before → after in plain words (a change sync did not keep too, saying so); marked
// reviewed per record or per worker. Records holding values that could not be read head it.
import { useCallback, useEffect, useId, useState } from 'react';
import { RECORD_KINDS, type Author } from '../../../shared/domain';
import type { ReviewGroup, ReviewQueue } from '../../../shared/rpc-team';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { href, recordHref } from '../app/router';
import { EmptyState } from '../components/EmptyState';
import { ASSET_REFS, CONTACT_REFS, MERGE_ENTRIES, asSentence, describeChange, referencedIds } from '../../../shared/describe-change';
import { formatCount, formatDateTime, formatRelative } from '../../../shared/format';
import { KIND_LABEL } from '../../../shared/labels';
import { useTitles } from '../lib/titles';
import { changesRecords } from '../lib/record-events';
import { PageHeader } from '../components/PageHeader';
import { UnreadableValues } from './UnreadableValues';
import './team.css';

const PAGE = 100;
/** The most groups review.list answers at once. */
const MAX_GROUPS = 500;
/** Remote changes come in bursts during a sync: reload once it has settled. */
const RELOAD_DELAY_MS = 600;

function byAuthor(groups: ReviewGroup[]): { author: Author; groups: ReviewGroup[] }[] {
  const sections = new Map<string, { author: Author; groups: ReviewGroup[] }>();
  for (const g of groups) {
    const section = sections.get(g.author.id) ?? { author: g.author, groups: [] };
    section.groups.push(g);
    sections.set(g.author.id, section);
  }
  return [...sections.values()];
}

const itemsOf = (groups: ReviewGroup[]) => groups.map((g) => ({ recordId: g.record.id, authorId: g.author.id, upTo: g.upTo }));

export function ReviewScreen(_props: { param: string | null }) {
  const [authorId, setAuthorId] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [queue, setQueue] = useState<ReviewQueue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const filterId = useId();

  const load = useCallback(() => {
    call('review.list', { authorId: authorId || undefined, limit }).then(
      (q) => {
        setQueue(q);
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [authorId, limit]);

  useEffect(() => {
    load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onServiceEvent((event) => {
      if (!changesRecords(event, RECORD_KINDS, undefined, ['remote'])) return;
      clearTimeout(timer);
      timer = setTimeout(load, RELOAD_DELAY_MS);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [load]);

  const mark = async (items: ReturnType<typeof itemsOf>, what: string) => {
    setDone(null);
    try {
      await call('review.mark', { items });
      setDone(`Marked ${what} reviewed.`);
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const markAllFrom = async (author: Author) => {
    try {
      // Beyond the groups shown too: everything this worker has waiting.
      const all = await call('review.list', { authorId: author.id, limit: MAX_GROUPS });
      await mark(itemsOf(all.groups), `everything from ${author.name}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const changes = queue?.groups.flatMap((g) => g.changes) ?? [];
  const changesTo = (kind: string) => queue?.groups.filter((g) => g.record.kind === kind).flatMap((g) => g.changes) ?? [];
  const contactNames = useTitles('contact', [...referencedIds(changes, CONTACT_REFS), ...referencedIds(changesTo('contact'), MERGE_ENTRIES)]);
  const assetNames = useTitles('asset', [...referencedIds(changes, ASSET_REFS), ...referencedIds(changesTo('asset'), MERGE_ENTRIES)]);
  const names = { ...contactNames, ...assetNames };
  const sections = byAuthor(queue?.groups ?? []);

  return (
    <div className="team-screen">
      <PageHeader title="Review changes" summary="What each worker changed since you last reviewed it, with the values before and after.">
        {queue && queue.authors.length > 0 && (
          <div className="field">
            <label htmlFor={filterId}>Worker</label>
            <select
              id={filterId}
              value={authorId}
              onChange={(e) => {
                setAuthorId(e.target.value);
                setLimit(PAGE);
              }}
            >
              <option value="">Everyone</option>
              {queue.authors.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({formatCount(a.waiting, 'record')})
                </option>
              ))}
            </select>
          </div>
        )}
      </PageHeader>
      <UnreadableValues />
      {error && (
        <p className="banner banner--error" role="alert">
          The review queue could not be loaded: {error}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {done}
      </p>
      {!queue && !error && <p className="loading">Loading…</p>}
      {queue && queue.groups.length === 0 && (
        <EmptyState title="Nothing waiting for review">Changes the team makes on their devices appear here once they have synced.</EmptyState>
      )}
      {sections.map(({ author, groups }) => (
        <section key={author.id} className="review-author" aria-labelledby={`review-${author.id}`}>
          <div className="review-author-header">
            <h2 id={`review-${author.id}`}>
              {author.name}{' '}
              <span className="muted review-count">{formatCount(queue?.authors.find((a) => a.id === author.id)?.waiting ?? groups.length, 'record')} changed</span>
            </h2>
            <button type="button" className="button button--small" onClick={() => void markAllFrom(author)}>
              Mark all from {author.name} reviewed
            </button>
          </div>
          <ul className="review-groups">
            {groups.map((g) => (
              <li key={g.record.id} className="review-group">
                <div className="review-group-header">
                  <h3>
                    <span className="kind-tag">{KIND_LABEL[g.record.kind].one}</span> <a href={recordHref(g.record.kind, g.record.id)}>{g.record.title || '(untitled)'}</a>
                    {g.record.status !== 'active' && <span className="badge badge--more">{g.record.status === 'merged' ? 'Merged away' : 'Deleted'}</span>}
                  </h3>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Mark reviewed: ${author.name}’s changes to ${g.record.title}`}
                    onClick={() => void mark(itemsOf([g]), `${author.name}’s changes to ${g.record.title}`)}
                  >
                    Mark reviewed
                  </button>
                </div>
                <ol className="history">
                  {g.changes.map((c) => (
                    <li key={c.historyId}>
                      <span className="history-text">
                        {asSentence(describeChange(g.record.kind, c, names))}
                        {!c.kept && (
                          <>
                            {' '}
                            (<a href={href('conflicts')}>see Conflicts</a>)
                          </>
                        )}
                      </span>
                      <time dateTime={c.at} title={formatDateTime(c.at)}>
                        {formatRelative(c.at)}
                      </time>
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {queue && queue.groups.length < queue.total && (
        <button type="button" className="button" onClick={() => setLimit((l) => Math.min(MAX_GROUPS, l + PAGE))}>
          Show more ({queue.total - queue.groups.length} more)
        </button>
      )}
    </div>
  );
}
