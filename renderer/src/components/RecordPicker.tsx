// Choosing records by typing: a combobox over the search index (recently changed records
// when nothing is typed yet), optionally offering to create a new contact with the typed
// name, and the worker first as "Me" where a person is chosen for a part (owner,
// facilitator, attendee). Single and multiple choice are built on it.
import { useEffect, useRef, useState } from 'react';
import { recordTitle, type RecordKind } from '../../../shared/domain';
import type { WorkerContact } from '../../../shared/rpc';
import { call, errorMessage } from '../app/connection';
import { recordHref } from '../app/router';
import { fieldId } from '../lib/issues';
import { KIND_LABEL } from '../../../shared/labels';
import { rememberTitle, useTitles } from '../lib/titles';
import { FieldError } from './fields';
import { useListbox } from './listbox';

export interface PickedRecord {
  id: string;
  kind: RecordKind;
  title: string;
}

const SEARCH_DELAY_MS = 120;
const RESULTS = 8;

async function findRecords(kinds: RecordKind[], text: string): Promise<PickedRecord[]> {
  if (text.trim()) {
    const hits = await call('search.global', { text, kinds, limit: RESULTS });
    return hits.map(({ id, kind, title }) => ({ id, kind, title }));
  }
  const lists = await Promise.all(
    kinds.map((kind) => call('record.list', { kind, limit: RESULTS, sort: { field: 'updatedAt', direction: 'desc' } })),
  );
  return lists.flatMap((l) => l.rows.map(({ id, kind, title }) => ({ id, kind, title })));
}

/** "Me" is offered before anything is typed, for "me", and wherever the worker's own contact matches. */
function meMatches(me: WorkerContact | null, text: string, found: PickedRecord[]): me is WorkerContact {
  return Boolean(me && (!text.trim() || text.trim().toLowerCase() === 'me' || found.some((r) => r.id === me.id)));
}

/** The worker's own contact, stored the first time it is chosen. */
async function pickMe(me: WorkerContact): Promise<PickedRecord> {
  const stored = me.stored ? me : await call('profile.createMe', {});
  return { id: stored.id, kind: 'contact', title: stored.name };
}

interface ComboboxProps {
  /** Id of the input, so a label or an error summary can point at it. */
  id: string;
  kinds: RecordKind[];
  onPick: (record: PickedRecord) => void;
  exclude?: readonly string[];
  /** Offer "Add “…” as a new contact" for the typed text. */
  onCreate?: (name: string) => Promise<PickedRecord>;
  placeholder?: string;
  describedBy?: string | undefined;
  invalid?: boolean;
  ariaLabel?: string;
  /** Offer the worker's own contact first, as "Me" (created the first time it is chosen). */
  offerMe?: boolean;
}

export function RecordCombobox({ id, kinds, onPick, exclude = [], onCreate, placeholder, describedBy, invalid, ariaLabel, offerMe = false }: ComboboxProps) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  // The matches and the text they were found for: until they are for what is typed now,
  // the list on screen is an earlier search's.
  const [found, setFound] = useState<{ text: string; records: PickedRecord[] }>({ text: '', records: [] });
  const [me, setMe] = useState<WorkerContact | null>(null);
  // Enter pressed before the matches for the typed text came in: pick the first when they do.
  const [pickWhenFound, setPickWhenFound] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kindsKey = kinds.join(',');
  const latest = useRef(0);

  const meOption = meMatches(me, found.text, found.records) && !exclude.includes(me.id) ? me : null;
  const shown = [
    ...(meOption ? [{ id: meOption.id, kind: 'contact' as const, title: meOption.name }] : []),
    ...found.records.filter((r) => !exclude.includes(r.id) && r.id !== meOption?.id),
  ];
  const searching = open && found.text !== text;
  const createOption = onCreate && text.trim() ? text.trim() : null;
  const count = shown.length + (createOption ? 1 : 0);
  const listbox = useListbox({ count, expanded: open && count > 0, onPick: (i) => void choose(i), onClose: () => setOpen(false) });

  useEffect(() => {
    if (!open) return;
    const request = ++latest.current;
    const timer = setTimeout(() => {
      Promise.all([findRecords(kindsKey.split(',') as RecordKind[], text), offerMe ? call('profile.me', {}).catch(() => null) : null]).then(
        ([records, worker]) => {
          if (request !== latest.current) return;
          setFound({ text, records });
          setMe(worker);
          listbox.setActive(0);
        },
        () => request === latest.current && setFound({ text, records: [] }),
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, open, kindsKey, offerMe]);

  const choose = async (index: number) => {
    setError(null);
    // Choices that store a record first: "Me" the first time, and a new contact.
    const make =
      index === 0 && meOption && !meOption.stored
        ? () => pickMe(meOption)
        : index >= shown.length && createOption && onCreate
          ? () => onCreate(createOption)
          : null;
    if (make) {
      setCreating(true);
      try {
        const created = await make();
        rememberTitle(created.kind, created.id, created.title);
        onPick(created);
      } catch (e) {
        setError(errorMessage(e));
        return;
      } finally {
        setCreating(false);
      }
    } else if (index < shown.length) {
      const picked = shown[index]!;
      rememberTitle(picked.kind, picked.id, picked.title);
      onPick(picked);
    } else return;
    setText('');
    setFound({ text: '', records: [] });
    setOpen(false);
  };

  useEffect(() => {
    if (!pickWhenFound || searching) return;
    setPickWhenFound(false);
    void choose(listbox.active);
    // Runs when the awaited matches arrive; choose and active are read as they are then.
  }, [pickWhenFound, searching]);

  return (
    <div className="combobox">
      <input
        {...listbox.combobox}
        id={id}
        type="text"
        aria-label={ariaLabel}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        placeholder={placeholder ?? 'Type to search'}
        value={text}
        disabled={creating}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setPickWhenFound(false);
        }}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setPickWhenFound(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          } else if (e.key === 'Enter' && searching && text.trim()) {
            // Not the form's Enter, nor a pick from the earlier search's list.
            e.preventDefault();
            setPickWhenFound(true);
          } else listbox.combobox.onKeyDown?.(e);
        }}
      />
      <ul {...listbox.listbox} className="combobox-list" aria-label="Matching records">
        {shown.map((r, i) => (
          <li key={r.id} {...listbox.option(i)} className="combobox-option">
            <span className="combobox-option-title">{i === 0 && meOption ? `Me (${r.title})` : r.title || '(untitled)'}</span>
            {kinds.length > 1 && <span className="kind-tag">{KIND_LABEL[r.kind].one}</span>}
          </li>
        ))}
        {createOption && (
          <li {...listbox.option(shown.length)} className="combobox-option combobox-option--create">
            Add “{createOption}” as a new contact
          </li>
        )}
      </ul>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Create a contact with just a name, for "add a new contact" inside a picker. */
export async function createContactNamed(name: string): Promise<PickedRecord> {
  const contact = await call('record.create', { kind: 'contact', data: { name } });
  return { id: contact.id, kind: 'contact', title: recordTitle(contact.kind, contact.data) };
}

interface SingleProps {
  path: string;
  label: string;
  kind: RecordKind;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
  onCreate?: (name: string) => Promise<PickedRecord>;
}

/** One record (a venue, a contact person, an owner), shown by name once chosen. */
export function RecordSelect({ path, label, kind, value, onChange, error, hint, disabled, onCreate }: SingleProps) {
  const id = fieldId(path);
  const titles = useTitles(kind, value ? [value] : []);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {value ? (
        <div className="chosen">
          <a className="chosen-name" href={recordHref(kind, value)}>
            {titles[value] ?? '…'}
          </a>
          {!disabled && (
            <button type="button" id={id} className="button button--small button--ghost" onClick={() => onChange(null)} aria-label={`Remove ${label.toLowerCase()} ${titles[value] ?? ''}`.trim()}>
              Change
            </button>
          )}
        </div>
      ) : (
        !disabled && (
          <RecordCombobox
            id={id}
            kinds={[kind]}
            onPick={(r) => onChange(r.id)}
            onCreate={onCreate}
            offerMe={kind === 'contact'}
            describedBy={describedBy}
            invalid={Boolean(error)}
            placeholder={`Search ${KIND_LABEL[kind].many}`}
          />
        )
      )}
      <FieldError id={errorId} label={label} error={error} />
    </div>
  );
}

interface MultiProps {
  path: string;
  label: string;
  kind: RecordKind;
  value: readonly string[];
  onChange: (ids: string[]) => void;
  /** Field issues keyed by path; `attendeeIds.2` marks the third chip. */
  issues: Record<string, string>;
  disabled?: boolean;
  onCreate?: (name: string) => Promise<PickedRecord>;
}

/** Several records (attendees, facilitators) as chips, added by search. */
export function RecordMultiSelect({ path, label, kind, value, onChange, issues, disabled, onCreate }: MultiProps) {
  const id = fieldId(path);
  const titles = useTitles(kind, value);
  const errors = Object.entries(issues)
    .filter(([p]) => p === path || p.startsWith(`${path}.`))
    .map(([p, message]) => {
      const index = Number(p.split('.')[1]);
      const who = Number.isInteger(index) && value[index] ? titles[value[index]] : undefined;
      return who ? `${who}: ${message}` : message;
    });
  const errorId = errors.length ? `${id}-error` : undefined;
  return (
    <div className={`field${errors.length ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>
        {label} {value.length > 0 && <span className="count">({value.length})</span>}
      </label>
      {value.length > 0 && (
        <ul className="chips" aria-label={label}>
          {/* By name: the data service keeps a set, in no order of its own. */}
          {[...value].sort((a, b) => (titles[a] ?? '').localeCompare(titles[b] ?? '')).map((rid) => (
            <li key={rid} className="chip">
              <a href={recordHref(kind, rid)}>{titles[rid] ?? '…'}</a>
              {!disabled && (
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${titles[rid] ?? 'this record'} from ${label.toLowerCase()}`}
                  onClick={() => onChange(value.filter((v) => v !== rid))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <RecordCombobox
          id={id}
          kinds={[kind]}
          exclude={value}
          onPick={(r) => onChange([...value, r.id])}
          onCreate={onCreate}
          offerMe={kind === 'contact'}
          describedBy={errorId}
          invalid={errors.length > 0}
          placeholder={`Add ${label.toLowerCase()}: type a name`}
        />
      )}
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors.join('; ')}
        </p>
      )}
    </div>
  );
}
