// The session editor: when and where, who came, the notes, what people said matters and
// what happens next — in the order a worker fills it in during a conversation.
import { lazy, Suspense, useId, useState } from 'react';
import { Action, ACTION_STATUSES, namedPeople, Priority, SESSION_TYPES, SUGGESTED_THEMES } from '../../../shared/domain';
import { DateField, FieldError, NumberField, SelectField, TextField } from '../components/fields';
import { createContactNamed, RecordMultiSelect, RecordSelect } from '../components/RecordPicker';
import { binder } from '../lib/bind';
import { formatCount, humanize } from '../../../shared/format';
import { addOnEnter } from '../lib/add-on-enter';
import type { Issues } from '../lib/issues';
import { itemIssues } from '../lib/item-issues';
import { useRecordEditor } from '../lib/record-editor';
import { DetailPage } from './DetailPage';

// The rich-text editor (tiptap, ProseMirror, Yjs) is most of the bundle: load it only when
// a session is opened, so the lists paint sooner.
const RichNotes = lazy(() => import('./RichNotes').then((m) => ({ default: m.RichNotes })));

export function SessionDetail({ id }: { id: string }) {
  const [snapshot, editor] = useRecordEditor('session', id);
  return (
    <DetailPage kind="session" snapshot={snapshot} editor={editor}>
      {(draft) => {
        const bind = binder('session', snapshot, editor);
        const deleted = Boolean(snapshot.record?.deletedAt);
        // The register's total (someone both facilitating and attending is one person). The sessions
        // list's figure is for evaluation and leaves out people whose data may not be used for it.
        const people = namedPeople(draft) + draft.anonymousHeadCount;
        return (
          <>
            <section className="form-section" aria-labelledby="session-heading">
              <h2 id="session-heading">Session</h2>
              <TextField {...bind.text('title')} required />
              <SelectField {...bind.choice('type')} options={SESSION_TYPES.map((t) => ({ value: t, label: humanize(t) }))} className="field--medium" />
              <div className="field-row">
                <DateField {...bind.text('startsAt')} withTime required />
                <DateField
                  path="endsAt"
                  withTime
                  label="Ends (optional)"
                  value={draft.endsAt ?? ''}
                  error={snapshot.issues.endsAt}
                  onChange={(v) => editor.set('endsAt', v || null)}
                  onBlur={() => void editor.flush()}
                />
              </div>
              <RecordSelect
                {...bind.choice('venueId')}
                kind="asset"
                hint="The place it happened — a hall, café or green space from your assets."
                onChange={(venueId) => editor.set('venueId', venueId, { now: true })}
              />
            </section>

            <section className="form-section" aria-labelledby="people-heading">
              <h2 id="people-heading">Who came</h2>
              <RecordMultiSelect
                path="facilitatorIds"
                label="Facilitators"
                kind="contact"
                value={draft.facilitatorIds}
                issues={snapshot.issues}
                onChange={(ids) => editor.set('facilitatorIds', ids, { now: true })}
                onCreate={createContactNamed}
              />
              <RecordMultiSelect
                path="attendeeIds"
                label="Attendees"
                kind="contact"
                value={draft.attendeeIds}
                issues={snapshot.issues}
                onChange={(ids) => editor.set('attendeeIds', ids, { now: true })}
                onCreate={createContactNamed}
              />
              <NumberField
                {...bind.choice('anonymousHeadCount')}
                hint="People who came but were not recorded by name."
                min={0}
                step={1}
                className="field--short"
                onChange={(n) => editor.set('anonymousHeadCount', n ?? 0)}
              />
              <p className="muted" aria-live="polite">
                {formatCount(people, 'person', 'people')} in total.
              </p>
            </section>

            <section className="form-section" aria-labelledby="notes-heading">
              <h2 id="notes-heading">Notes</h2>
              <Suspense fallback={<p className="muted">Opening the notes…</p>}>
                <RichNotes id={id} labelledBy="notes-heading" disabled={deleted} sendUpdate={editor.sendDocUpdate} />
              </Suspense>
            </section>

            <PrioritiesEditor
              priorities={draft.priorities}
              issues={snapshot.issues}
              onChange={(priorities, now) => editor.set('priorities', priorities, { now })}
              onBlur={() => void editor.flush()}
            />
            <ActionsEditor
              actions={draft.actions}
              issues={snapshot.issues}
              onChange={(actions, now) => editor.set('actions', actions, { now })}
              onBlur={() => void editor.flush()}
            />
          </>
        );
      }}
    </DetailPage>
  );
}

interface ListProps<T> {
  issues: Issues;
  onChange: (items: T[], now: boolean) => void;
  onBlur: () => void;
}

function PrioritiesEditor({ priorities, issues, onChange, onBlur }: ListProps<Priority> & { priorities: Priority[] }) {
  const themesId = useId();
  const [text, setText] = useState('');
  const [theme, setTheme] = useState('');
  const [newIssues, setNewIssues] = useState<Issues>({});
  const change = (index: number, changes: Partial<Priority>, now = false) =>
    onChange(priorities.map((p, i) => (i === index ? { ...p, ...changes } : p)), now);
  const add = () => {
    const priority = { id: crypto.randomUUID(), text, theme: theme.trim() || null };
    const found = itemIssues(Priority, priority);
    setNewIssues(found);
    if (Object.keys(found).length) return;
    onChange([...priorities, priority], true);
    setText('');
    setTheme('');
    document.getElementById('new-priority-text')?.focus();
  };
  return (
    <section className="form-section" aria-labelledby="priorities-heading">
      <h2 id="priorities-heading">Priorities heard</h2>
      <p className="section-hint">What people said matters to them, in their words.</p>
      <datalist id={themesId}>
        {SUGGESTED_THEMES.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      {priorities.length > 0 && (
        <ol className="item-list">
          {priorities.map((p, i) => (
            <li key={p.id} className="item-row">
              <TextField path={`priorities.${i}.text`} label={`Priority ${i + 1}`} value={p.text} onChange={(v) => change(i, { text: v })} onBlur={onBlur} error={issues[`priorities.${i}.text`]} className="field--grow" />
              <TextField
                path={`priorities.${i}.theme`}
                label="Theme"
                list={themesId}
                value={p.theme ?? ''}
                onChange={(v) => change(i, { theme: v.trim() ? v : null })}
                onBlur={onBlur}
                error={issues[`priorities.${i}.theme`]}
              />
              <button type="button" className="button button--ghost button--small item-remove" aria-label={`Remove priority ${i + 1}`} onClick={() => onChange(priorities.filter((x) => x.id !== p.id), true)}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <FieldError id={undefined} label="Priorities heard" error={issues.priorities} />
      <div className="add-row" role="group" aria-labelledby="new-priority-heading" onKeyDown={addOnEnter(add)}>
        <h3 id="new-priority-heading">Add a priority</h3>
        <div className="add-row-fields">
          <div className={`field field--grow${newIssues.text ? ' field--invalid' : ''}`}>
            <label htmlFor="new-priority-text">What matters</label>
            <input id="new-priority-text" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. Somewhere warm to meet in winter" aria-invalid={newIssues.text ? true : undefined} aria-describedby={newIssues.text ? 'new-priority-text-error' : undefined} />
            <FieldError id="new-priority-text-error" label="What matters" error={newIssues.text} />
          </div>
          <div className={`field${newIssues.theme ? ' field--invalid' : ''}`}>
            <label htmlFor="new-priority-theme">Theme (optional)</label>
            <input id="new-priority-theme" list={themesId} value={theme} onChange={(e) => setTheme(e.target.value)} aria-invalid={newIssues.theme ? true : undefined} aria-describedby={newIssues.theme ? 'new-priority-theme-error' : undefined} />
            <FieldError id="new-priority-theme-error" label="Theme" error={newIssues.theme} />
          </div>
          <button type="button" className="button" onClick={add}>
            Add priority
          </button>
        </div>
      </div>
    </section>
  );
}

const statusOptions = ACTION_STATUSES.map((s) => ({ value: s, label: humanize(s) }));

function ActionsEditor({ actions, issues, onChange, onBlur }: ListProps<Action> & { actions: Action[] }) {
  const [text, setText] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [dueProblem, setDueProblem] = useState<string | null>(null);
  const [newIssues, setNewIssues] = useState<Issues>({});
  const change = (index: number, changes: Partial<Action>, now = false) =>
    onChange(actions.map((a, i) => (i === index ? { ...a, ...changes } : a)), now);
  const add = () => {
    const action: Action = { id: crypto.randomUUID(), text, ownerId: null, dueDate: dueDate || null, status: 'open' };
    const found = { ...itemIssues(Action, action), ...(dueProblem && { dueDate: dueProblem }) };
    setNewIssues(found);
    if (Object.keys(found).length) return;
    onChange([...actions, action], true);
    setText('');
    setDueDate('');
    document.getElementById('new-action-text')?.focus();
  };
  return (
    <section className="form-section" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <p className="section-hint">What happens next, who does it and by when. Every open action also appears under Actions.</p>
      {actions.length > 0 && (
        <ol className="item-list">
          {actions.map((a, i) => (
            <li key={a.id} className={`item-card${a.status === 'done' || a.status === 'cancelled' ? ' item-card--closed' : ''}`}>
              <div className="item-card-top">
                <TextField path={`actions.${i}.text`} label={`Action ${i + 1}`} value={a.text} onChange={(v) => change(i, { text: v })} onBlur={onBlur} error={issues[`actions.${i}.text`]} className="field--grow" />
                <button type="button" className="button button--ghost button--small item-remove" aria-label={`Remove action ${i + 1}`} onClick={() => onChange(actions.filter((x) => x.id !== a.id), true)}>
                  Remove
                </button>
              </div>
              <div className="field-row item-card-fields">
                <RecordSelect
                  path={`actions.${i}.ownerId`}
                  label="Owner"
                  kind="contact"
                  value={a.ownerId}
                  error={issues[`actions.${i}.ownerId`]}
                  onChange={(ownerId) => change(i, { ownerId }, true)}
                  onCreate={createContactNamed}
                />
                <DateField path={`actions.${i}.dueDate`} label="Due" value={a.dueDate ?? ''} onChange={(v) => change(i, { dueDate: v || null }, true)} error={issues[`actions.${i}.dueDate`]} />
                <SelectField path={`actions.${i}.status`} label="Status" value={a.status} options={statusOptions} onChange={(status) => change(i, { status }, true)} />
              </div>
            </li>
          ))}
        </ol>
      )}
      <FieldError id={undefined} label="Actions" error={issues.actions} />
      <div className="add-row" role="group" aria-labelledby="new-action-heading" onKeyDown={addOnEnter(add)}>
        <h3 id="new-action-heading">Add an action</h3>
        <div className="add-row-fields">
          <div className={`field field--grow${newIssues.text ? ' field--invalid' : ''}`}>
            <label htmlFor="new-action-text">What will happen</label>
            <input id="new-action-text" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. Ask the library about the back room" aria-invalid={newIssues.text ? true : undefined} aria-describedby={newIssues.text ? 'new-action-text-error' : undefined} />
            <FieldError id="new-action-text-error" label="What will happen" error={newIssues.text} />
          </div>
          <DateField path="new-action-due" label="Due (optional)" value={dueDate} onChange={setDueDate} onProblemChange={setDueProblem} error={newIssues.dueDate} />
          <button type="button" className="button" onClick={add}>
            Add action
          </button>
        </div>
      </div>
    </section>
  );
}
