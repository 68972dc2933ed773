// A record's history in plain words: who changed what, and when; what one change did can
// be put back (that field, or that one member or item of a list, nothing else) after a
// preview of before → after, and changes made to records merged into this one say so.
import { useEffect, useState } from 'react';
import { FIELD_STORAGE, type FieldStorage, type RecordKind } from '../../../shared/domain';
import { applyDifference, asFieldChange, sameValue, splitKey, type FieldChange } from '../../../shared/field-items';
import type { HistoryEntry } from '../../../shared/rpc';
import { call, errorMessage } from '../app/connection';
import { useProfile } from '../app/profile';
import { useSync } from '../sync/sync-store';
import { recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { useFormState } from '../lib/form-state';
import { ASSET_REFS, CONTACT_REFS, MERGE_ENTRIES, describeChange, describeValue, referencedIds, type Names } from '../../../shared/describe-change';
import { formatDateTime, formatRelative } from '../../../shared/format';
import { fieldLabel } from '../../../shared/labels';
import { useTitles } from '../lib/titles';

const SHOWN_AT_FIRST = 8;

/**
 * What restoring this entry would do to the record as it is now (its whole field before
 * and after), or null when it would change nothing or is not a value: `(created)`,
 * `(merged)` and the like are events, session notes are restored by editing, a new order is not kept.
 */
function restorePreview(kind: RecordKind, entry: HistoryEntry, data: Record<string, unknown>): FieldChange | null {
  if (entry.field.startsWith('(') || (kind === 'session' && entry.field === 'notes')) return null;
  const storage = (FIELD_STORAGE[kind] as Record<string, FieldStorage>)[splitKey(entry.field).field];
  const change = storage ? asFieldChange(storage, entry) : null;
  if (!storage || !change) return null;
  const current = data[change.field];
  const { value } = applyDifference(storage, current, change.before, change.after);
  return sameValue(value, current) ? null : { field: change.field, before: current, after: value };
}

interface Props {
  kind: RecordKind;
  id: string;
  /** The record's data as it is now: what a restore would change. */
  data: Record<string, unknown>;
  version: string;
  readOnly?: boolean;
  /** Put back what the history entry did to `field`, as an edit Undo takes back. */
  onRestore: (historyId: number, field: string) => Promise<void>;
}

export function HistoryPanel({ kind, id, data, version, readOnly, onRestore }: Props) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<{ entry: HistoryEntry; preview: FieldChange } | null>(null);
  const [showAll, setShowAll] = useState(false);
  const me = useProfile((s) => s.profile?.author?.id);
  // While a change shown is not yet synced, read the history again as the server acknowledges changes.
  const waiting = entries?.some((e) => e.unsynced) ?? false;
  const pending = useSync((s) => (waiting ? (s.status?.pending ?? null) : null));
  useEffect(() => {
    call('record.history', { id }).then(
      // A merged record's own "merged into" entry repeats this record's "merged" one.
      (all) => setEntries(all.filter((e) => e.recordId === id || !MERGE_ENTRIES.has(e.field))),
      (e) => setError(errorMessage(e)),
    );
  }, [id, version, pending]);
  const contactNames = useTitles('contact', referencedIds(entries ?? [], CONTACT_REFS));
  const assetNames = useTitles('asset', referencedIds(entries ?? [], ASSET_REFS));
  const mergedIds = (entries ?? []).filter((e) => e.recordId !== id).map((e) => e.recordId);
  const sameKind = useTitles(kind, [...new Set([...mergedIds, ...referencedIds(entries ?? [], MERGE_ENTRIES)])]);
  const names = { ...contactNames, ...assetNames, ...sameKind };
  const shown = showAll ? entries : entries?.slice(0, SHOWN_AT_FIRST);

  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {error && <p className="field-error">The history could not be loaded: {error}</p>}
      {shown && (
        <ol className="history">
          {shown.map((entry) => {
            const preview = readOnly ? null : restorePreview(kind, entry, data);
            return (
              <li key={entry.id}>
                <span className="history-text" id={`history-${entry.id}`}>
                  {/* Not yet acknowledged by the sync server: the name is only this device's claim, so it reads as "you". */}
                  <strong>{entry.unsynced || entry.author.id === me ? 'You' : entry.author.name}</strong> {describeChange(kind, entry, names)}
                  {entry.unsynced && (
                    <>
                      {' '}
                      <span className="history-unsynced">· not yet synced</span>
                    </>
                  )}
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
                {preview && (
                  <button
                    type="button"
                    className="button button--ghost button--small history-restore"
                    // Described, not labelled, by the change: a label naming the field would make it one more "Phone" on the page.
                    aria-describedby={`history-${entry.id}`}
                    onClick={() => setRestoring({ entry, preview })}
                  >
                    Restore this value
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {restoring && (
        <RestoreDialog
          kind={kind}
          preview={restoring.preview}
          names={names}
          onRestore={() => onRestore(restoring.entry.id, restoring.preview.field)}
          onClose={() => setRestoring(null)}
        />
      )}
      {entries && entries.length > SHOWN_AT_FIRST && !showAll && (
        <button type="button" className="button button--ghost button--small" onClick={() => setShowAll(true)}>
          Show all {entries.length} changes
        </button>
      )}
    </section>
  );
}

interface RestoreProps {
  kind: RecordKind;
  preview: FieldChange;
  names: Names;
  onRestore: () => Promise<void>;
  onClose: () => void;
}

/** Before → after of the one field a restore changes, naming what it adds and removes, and a confirmation. */
function RestoreDialog({ kind, preview, names, onRestore, onClose }: RestoreProps) {
  const { busy, error, submit } = useFormState({ explain: (e) => `This could not be restored: ${errorMessage(e)}` });
  // The field's members now (not only those the history names) read as names too.
  const people = useTitles('contact', referencedIds([preview], CONTACT_REFS));
  const places = useTitles('asset', referencedIds([preview], ASSET_REFS));
  const all = { ...names, ...people, ...places };
  const label = fieldLabel(kind, preview.field);
  const restore = () =>
    void submit(async () => {
      await onRestore();
      onClose();
    });
  return (
    <Dialog title={`Restore ${label}?`} onClose={onClose}>
      <div className="dialog-body">
        <p>
          Only what this change did comes back; everything else stays as it is. The history will then read: “You{' '}
          {describeChange(kind, preview, all)}”.
        </p>
        <dl className="restore-preview">
          <dt>{label} now</dt>
          <dd>{describeValue(preview.field, preview.before, all)}</dd>
          <dt>After restoring</dt>
          <dd>{describeValue(preview.field, preview.after, all)}</dd>
        </dl>
        <p className="muted">You can take it back with Undo (Ctrl+Z), like any edit.</p>
        <DialogActions error={error} onCancel={onClose} submitLabel="Restore" busy={busy} onSubmit={restore} />
      </div>
    </Dialog>
  );
}
