// A record's history in plain words: who changed what, and when; an earlier value of a
// field can be put back, and changes made to records merged into this one say so.
import { useEffect, useState } from 'react';
import type { RecordKind } from '../../../shared/domain';
import type { HistoryEntry } from '../../../shared/rpc';
import { call, errorMessage } from '../app/connection';
import { useProfile } from '../app/profile';
import { recordHref } from '../app/router';
import { ASSET_REFS, CONTACT_REFS, MERGE_ENTRIES, describeChange, referencedIds } from '../lib/describe-change';
import { formatDateTime, formatRelative } from '../lib/format';
import { useTitles } from '../lib/titles';

const SHOWN_AT_FIRST = 8;

/** Whether "Restore this value" makes sense: a field's value other than the one it holds now. */
function restorable(kind: RecordKind, entry: HistoryEntry, current: Map<string, string>): boolean {
  // `(created)`, `(merged)` and the like are events, not a field's value.
  if (entry.field.startsWith('(') || (kind === 'session' && entry.field === 'notes')) return false;
  return current.get(entry.field) !== JSON.stringify(entry.after ?? null);
}

export function HistoryPanel({ kind, id, version, readOnly }: { kind: RecordKind; id: string; version: string; readOnly?: boolean }) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const me = useProfile((s) => s.profile?.author?.id);
  useEffect(() => {
    call('record.history', { id }).then(
      // A merged record's own "merged into" entry repeats this record's "merged" one.
      (all) => setEntries(all.filter((e) => e.recordId === id || !MERGE_ENTRIES.has(e.field))),
      (e) => setError(errorMessage(e)),
    );
  }, [id, version]);
  const contactNames = useTitles('contact', referencedIds(entries ?? [], CONTACT_REFS));
  const assetNames = useTitles('asset', referencedIds(entries ?? [], ASSET_REFS));
  const mergedIds = (entries ?? []).filter((e) => e.recordId !== id).map((e) => e.recordId);
  const sameKind = useTitles(kind, [...new Set([...mergedIds, ...referencedIds(entries ?? [], MERGE_ENTRIES)])]);
  const names = { ...contactNames, ...assetNames, ...sameKind };
  // Newest first: the first entry of a field is the value it holds now.
  const current = new Map<string, string>();
  for (const e of entries ?? []) if (e.kept && !current.has(e.field)) current.set(e.field, JSON.stringify(e.after ?? null));
  const shown = showAll ? entries : entries?.slice(0, SHOWN_AT_FIRST);

  const restore = (entry: HistoryEntry) => {
    setRestoreError(null);
    call('record.restoreValue', { kind, id, historyId: entry.id, side: 'after' }).catch((e) => setRestoreError(errorMessage(e)));
  };

  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {error && <p className="field-error">The history could not be loaded: {error}</p>}
      {restoreError && (
        <p className="field-error" role="alert">
          The value could not be restored: {restoreError}
        </p>
      )}
      {shown && (
        <ol className="history">
          {shown.map((entry) => (
            <li key={entry.id}>
              <span className="history-text" id={`history-${entry.id}`}>
                <strong>{entry.author.id === me ? 'You' : entry.author.name}</strong> {describeChange(kind, entry, names)}
                {entry.recordId !== id && (
                  <>
                    {' '}
                    <span className="history-from">
                      (from <a href={recordHref(kind, entry.recordId)}>{sameKind[entry.recordId] ?? 'a merged record'}</a>)
                    </span>
                  </>
                )}
              </span>
              <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                {formatRelative(entry.at)}
              </time>
              {!readOnly && restorable(kind, entry, current) && (
                <button
                  type="button"
                  className="button button--ghost button--small history-restore"
                  // Described, not labelled, by the change: a label naming the field would make it one more "Phone" on the page.
                  aria-describedby={`history-${entry.id}`}
                  onClick={() => restore(entry)}
                >
                  Restore this value
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {entries && entries.length > SHOWN_AT_FIRST && !showAll && (
        <button type="button" className="button button--ghost button--small" onClick={() => setShowAll(true)}>
          Show all {entries.length} changes
        </button>
      )}
    </section>
  );
}
