// Compare records that are one and the same side by side and merge them: one row per
// field, the rows that differ marked, a choice per field of whose value to keep (lists
// joined unless one side is chosen), which record stays, and what will point to it.
import { useEffect, useId, useMemo, useState } from 'react';
import { FIELD_STORAGE, recordTitle, type AnyRecord, type FieldStorage } from '../../../shared/domain';
import type { DuplicateRecordRef } from '../../../shared/rpc';
import type { MergeKind } from '../../../shared/rpc-team';
import { call, errorMessage } from '../app/connection';
import { navigate, recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { RecordCombobox } from '../components/RecordPicker';
import { CONTACT_REFS, describeValue, isEmptyValue } from '../../../shared/describe-change';
import { formatCount, formatDate, formatList } from '../../../shared/format';
import { KIND_LABEL, fieldLabel } from '../../../shared/labels';
import { useTitles } from '../lib/titles';
import { showMergeNotice } from './merge-notice';
import { useFormState } from '../lib/form-state';
import { DialogActions } from '../components/DialogActions';

/** The survivor takes every record's entries of a list or collection. */
const JOIN = 'join';
type Choice = string;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const fieldsOf = (kind: MergeKind) => Object.entries(FIELD_STORAGE[kind]) as [string, FieldStorage][];
const valueOf = (record: AnyRecord, field: string) => (record.data as Record<string, unknown>)[field];
const titleOf = (record: AnyRecord) => recordTitle(record.kind, record.data) || '(untitled)';
const filled = (record: AnyRecord, kind: MergeKind) => fieldsOf(kind).filter(([f]) => !isEmptyValue(valueOf(record, f))).length;

/** The record that stays by default: the most complete, then the oldest. */
function defaultSurvivor(records: AnyRecord[], kind: MergeKind): string {
  const ranked = [...records].sort((a, b) => filled(b, kind) - filled(a, kind) || a.createdAt.localeCompare(b.createdAt));
  return ranked[0]!.id;
}

/** The survivor's value, or the first other one where the survivor has none; lists joined. */
function defaultChoice(field: string, storage: FieldStorage, records: AnyRecord[], survivorId: string): Choice {
  if (storage !== 'value') return JOIN;
  const survivor = records.find((r) => r.id === survivorId)!;
  if (!isEmptyValue(valueOf(survivor, field))) return survivorId;
  return records.find((r) => !isEmptyValue(valueOf(r, field)))?.id ?? survivorId;
}

function joined(records: AnyRecord[], field: string, storage: FieldStorage): unknown[] {
  const values = records.flatMap((r) => (valueOf(r, field) as unknown[] | undefined) ?? []);
  if (storage === 'collection') return [...new Map(values.map((item) => [(item as { id: string }).id, item])).values()];
  return [...new Set(values)];
}

interface Props {
  kind: MergeKind;
  ids: string[];
  /** Other records the duplicate finder paired with these, offered as a third to merge. */
  related?: DuplicateRecordRef[];
  onClose: () => void;
  onMerged?: (kind: MergeKind, mergedIds: string[]) => void;
}

export function MergeDialog({ kind, ids: initialIds, related = [], onClose, onMerged }: Props) {
  const [ids, setIds] = useState(initialIds);
  const [records, setRecords] = useState<AnyRecord[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [survivorId, setSurvivorId] = useState<string | null>(null);
  const [picked, setPicked] = useState<Record<string, Choice>>({});
  const [connectionCounts, setConnectionCounts] = useState<Record<string, number>>({});
  const merging = useFormState({ explain: (e) => `The records could not be merged: ${errorMessage(e)}` });
  const addId = useId();

  useEffect(() => {
    let current = true;
    Promise.all(ids.map((id) => call('record.get', { kind, id }))).then(
      (loaded) => {
        if (!current) return;
        setRecords(loaded);
        setSurvivorId((s) => (s && ids.includes(s) ? s : defaultSurvivor(loaded, kind)));
      },
      (e) => current && setLoadError(errorMessage(e)),
    );
    Promise.all(ids.map((id) => call('record.connections', { id }).then((c) => [id, c.length] as const))).then(
      (counts) => current && setConnectionCounts(Object.fromEntries(counts)),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [kind, ids]);

  const rows = useMemo(() => {
    if (!records) return [];
    return fieldsOf(kind)
      .map(([field, storage]) => ({ field, storage, values: records.map((r) => valueOf(r, field)) }))
      .filter((row) => row.values.some((v) => !isEmptyValue(v)));
  }, [records, kind]);
  const differing = rows.filter((row) => row.values.some((v) => !same(v, row.values[0])));
  const alike = rows.filter((row) => !differing.includes(row));
  const contactIds = rows.filter((r) => CONTACT_REFS.has(r.field)).flatMap((r) => r.values.flat().filter((v): v is string => typeof v === 'string'));
  const names = useTitles('contact', contactIds);

  const title = `Compare and merge ${KIND_LABEL[kind].many}`;
  if (loadError || !records || !survivorId) {
    return (
      <Dialog title={title} onClose={onClose} className="merge-dialog">
        <div className="dialog-body">
          {loadError ? (
            <p className="banner banner--error" role="alert">
              The records could not be opened: {loadError}
            </p>
          ) : (
            <p role="status">Opening the records…</p>
          )}
        </div>
      </Dialog>
    );
  }

  const survivor = records.find((r) => r.id === survivorId)!;
  const others = records.filter((r) => r.id !== survivorId);
  const choiceFor = (field: string, storage: FieldStorage) => picked[field] ?? defaultChoice(field, storage, records, survivorId);
  const resultOf = (field: string, storage: FieldStorage) => {
    const choice = choiceFor(field, storage);
    return choice === JOIN ? joined(records, field, storage) : valueOf(records.find((r) => r.id === choice)!, field);
  };
  const suggestions = [...new Map(related.filter((r) => !ids.includes(r.id)).map((r) => [r.id, r])).values()];
  const othersOr = formatList(others.map(titleOf), 'or');
  const connectionsMoving = others.reduce((n, r) => n + (connectionCounts[r.id] ?? 0), 0);

  const merge = () =>
    merging.submit(async () => {
      const choices: Record<string, string> = {};
      for (const { field, storage } of differing) {
        const choice = choiceFor(field, storage);
        if (choice !== JOIN) choices[field] = choice;
      }
      const mergedIds = others.map((r) => r.id);
      const result = await call('merge.apply', { kind, survivorId, mergedIds, choices });
      onMerged?.(kind, mergedIds);
      showMergeNotice(result.merge);
      onClose();
      navigate(recordHref(kind, survivorId));
    });

  const valueCell = (field: string, storage: FieldStorage, record: AnyRecord) => {
    const value = valueOf(record, field);
    const chosen = choiceFor(field, storage) === record.id;
    return (
      <td key={record.id} className={chosen ? 'merge-cell merge-cell--chosen' : 'merge-cell'}>
        <label className="merge-choice">
          <input
            type="radio"
            name={`merge-${field}`}
            checked={chosen}
            onChange={() => setPicked((p) => ({ ...p, [field]: record.id }))}
          />
          <span>
            <span className="visually-hidden">
              {fieldLabel(kind, field)} from {titleOf(record)}
              {storage !== 'value' && ' only'}:{' '}
            </span>
            {describeValue(field, value, names)}
          </span>
        </label>
      </td>
    );
  };

  return (
    <Dialog title={title} onClose={onClose} className="merge-dialog">
      <div className="dialog-body">
        <p className="merge-intro">
          Choose which record stays and, for each field that differs, whose value it keeps. The others are kept too, marked as merged, and
          the merge can be undone.
        </p>
        <div className="merge-table-wrap">
          <table className="merge-table">
            <caption className="visually-hidden">The records side by side</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                {records.map((r) => (
                  <th scope="col" key={r.id} className={r.id === survivorId ? 'merge-survivor' : undefined}>
                    <span className="merge-record-title">{titleOf(r)}</span>
                    <span className="merge-record-meta">
                      Added {formatDate(r.createdAt)} by {r.createdBy.name} · {formatCount(filled(r, kind), 'field')} filled
                    </span>
                    <label className="merge-choice">
                      <input
                        type="radio"
                        name="merge-survivor"
                        aria-label={`This record stays: ${titleOf(r)}`}
                        checked={r.id === survivorId}
                        onChange={() => setSurvivorId(r.id)}
                      />
                      <span aria-hidden="true">This record stays</span>
                    </label>
                    {records.length > 2 && r.id !== survivorId && (
                      <button type="button" className="link-button merge-leave-out" onClick={() => setIds((list) => list.filter((id) => id !== r.id))}>
                        Leave out<span className="visually-hidden"> {titleOf(r)}</span>
                      </button>
                    )}
                  </th>
                ))}
                <th scope="col">After the merge</th>
              </tr>
            </thead>
            <tbody>
              {differing.map(({ field, storage }) => (
                <tr key={field} className="merge-row--differs">
                  <th scope="row">
                    {fieldLabel(kind, field)}
                    <span className="merge-differs">Differs</span>
                  </th>
                  {records.map((r) => valueCell(field, storage, r))}
                  <td className="merge-result">
                    {storage !== 'value' && (
                      <label className="merge-choice">
                        <input
                          type="radio"
                          name={`merge-${field}`}
                          checked={choiceFor(field, storage) === JOIN}
                          onChange={() => setPicked((p) => ({ ...p, [field]: JOIN }))}
                        />
                        <span>
                          Join all<span className="visually-hidden"> {fieldLabel(kind, field)}</span>
                        </span>
                      </label>
                    )}
                    <span className="merge-result-value">{describeValue(field, resultOf(field, storage), names)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {differing.length === 0 && <p>Every field that is filled in holds the same value in these records.</p>}
        {alike.length > 0 && (
          <details className="merge-alike">
            <summary>
              {formatCount(alike.length, 'field')} the same in {records.length === 2 ? 'both' : 'all'}
            </summary>
            <dl>
              {alike.map(({ field, values }) => (
                <div key={field}>
                  <dt>{fieldLabel(kind, field)}</dt>
                  <dd>{describeValue(field, values[0], names)}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
        <div className="merge-add">
          {suggestions.length > 0 && (
            <p>
              Also likely the same:{' '}
              {suggestions.map((s) => (
                <button key={s.id} type="button" className="button button--small" onClick={() => setIds((list) => [...list, s.id])}>
                  Add {s.title}
                </button>
              ))}
            </p>
          )}
          {ids.length < 20 && (
            <div className="field">
              <label htmlFor={addId}>Add another {KIND_LABEL[kind].one} to this merge</label>
              <RecordCombobox id={addId} kinds={[kind]} exclude={ids} onPick={(r) => setIds((list) => [...list, r.id])} />
            </div>
          )}
        </div>
        <p className="merge-summary">
          {formatList(others.map(titleOf))} will be merged into <strong>{titleOf(survivor)}</strong>.{' '}
          {connectionsMoving > 0
            ? `${formatCount(connectionsMoving, 'connection')}, sessions and every other reference to ${othersOr} will point to ${titleOf(survivor)}.`
            : `Sessions and every other reference to ${othersOr} will point to ${titleOf(survivor)}.`}
        </p>
        <DialogActions
          error={merging.error}
          onCancel={onClose}
          busy={merging.busy}
          submitLabel={merging.busy ? 'Merging…' : `Merge into ${titleOf(survivor)}`}
          onSubmit={() => void merge()}
        />
      </div>
    </Dialog>
  );
}
