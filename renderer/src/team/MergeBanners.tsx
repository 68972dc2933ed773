// What a record page says about merges: a merged-away record points to the record it was
// merged into; a survivor lists what was merged into it, which a lead can undo; right
// after a merge, "Merged. Undo".
import { useEffect, useState } from 'react';
import type { AnyRecord } from '../../../shared/domain';
import type { MergeEntry } from '../../../shared/rpc-team';
import { call, errorMessage } from '../app/connection';
import { useProfile } from '../app/profile';
import { recordHref } from '../app/router';
import { formatDate, formatList } from '../../../shared/format';
import { useTitles } from '../lib/titles';
import { clearMergeNotice, useMergeNotice } from './merge-notice';
import './team.css';

const active = (entries: MergeEntry[]) => entries.filter((m) => m.undoneAt === null);

export function MergeBanners({ record }: { record: AnyRecord }) {
  const profile = useProfile((s) => s.profile);
  const isLead = profile?.role === 'lead';
  const who = (author: { id: string; name: string }) => (author.id === profile?.author?.id ? 'you' : author.name);
  const notice = useMergeNotice((s) => (s.merge?.survivorId === record.id ? s.merge : null));
  // Merges this record survived, or (when merged away) those of the record it was merged into.
  const [merges, setMerges] = useState<MergeEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [undone, setUndone] = useState<string | null>(null);
  const survivorId = record.mergedInto ?? record.id;
  const survivorTitle = useTitles(record.kind, record.mergedInto ? [record.mergedInto] : [])[survivorId];

  useEffect(() => {
    let current = true;
    call('merge.list', { id: survivorId }).then(
      (entries) => current && setMerges(entries),
      () => current && setMerges([]),
    );
    return () => {
      current = false;
    };
  }, [survivorId, record.updatedAt]);

  const unmerge = async (merge: MergeEntry) => {
    setError(null);
    try {
      await call('merge.undo', { survivorId: merge.survivorId, mergeId: merge.mergeId });
      clearMergeNotice();
      setUndone(`Unmerged: ${formatList(merge.merged.map((m) => m.title))} ${merge.merged.length === 1 ? 'is a record' : 'are records'} of ${merge.merged.length === 1 ? 'its' : 'their'} own again.`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (record.mergedInto) {
    const merge = active(merges ?? []).find((m) => m.merged.some((r) => r.id === record.id));
    return (
      <div className="banner banner--warning merge-banner" role="status">
        This record was merged into <a href={recordHref(record.kind, record.mergedInto)}>{survivorTitle ?? 'another record'}</a>
        {merge && ` by ${who(merge.by)} on ${formatDate(merge.at)}`}. It is kept as it was and can no longer be edited; edit{' '}
        {survivorTitle ?? 'the record it was merged into'} instead.
      </div>
    );
  }

  const standing = active(merges ?? []);
  return (
    <>
      {notice && (
        <div className="banner merge-notice" role="status">
          <span>
            Merged {formatList(notice.merged.map((m) => m.title))} into this record.
          </span>
          {isLead && (
            <button type="button" className="button button--small" onClick={() => void unmerge(notice)}>
              Undo
            </button>
          )}
        </div>
      )}
      {undone && (
        <p className="banner merge-notice" role="status">
          {undone}
        </p>
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          The merge could not be undone: {error}
        </p>
      )}
      {standing.length > 0 && (
        <section className="merged-from" aria-label="Merged records">
          <h2 className="merged-from-heading">Merged from</h2>
          <ul>
            {standing.map((m) => (
              <li key={m.mergeId}>
                <span>
                  {m.merged.map((r, i) => (
                    <span key={r.id}>
                      {i > 0 && ', '}
                      <a href={recordHref(record.kind, r.id)}>{r.title}</a>
                    </span>
                  ))}{' '}
                  <span className="muted">
                    by {who(m.by)} on {formatDate(m.at)}
                  </span>
                </span>
                {isLead && (
                  <button type="button" className="button button--small" onClick={() => void unmerge(m)}>
                    Unmerge<span className="visually-hidden"> {formatList(m.merged.map((r) => r.title))}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
