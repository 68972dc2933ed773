// "Erase this person…": says in words what erasing them will do, looks through every record
// for mentions of their name (with progress; Cancel stops it and nothing has changed), lists
// those for the lead to redact, and erases only once the lead has typed the name.
import { useEffect, useId, useRef, useState } from 'react';
import type { ErasurePlan, ErasureRecordRef, Mention, MentionsPage } from '../../../shared/rpc-erasure';
import { call, errorMessage } from '../app/connection';
import { href, navigate, recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { TextField } from '../components/fields';
import { useFormState } from '../lib/form-state';
import { formatCount } from '../../../shared/format';
import { fieldLabel } from '../../../shared/labels';
import { showErasureNotice } from './erasure-notice';

interface Props {
  id: string;
  onClose: () => void;
}

/** Records looked through per request: a page the data service reads in well under a second. */
const MENTIONS_PAGE = 2_000;

function RecordLinks({ records, onOpen }: { records: ErasureRecordRef[]; onOpen: () => void }) {
  return (
    <ul className="erase-records">
      {records.map((r) => (
        <li key={r.id}>
          <a href={recordHref(r.kind, r.id)} onClick={onOpen}>
            {r.title || '(untitled)'}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function EraseDialog({ id, onClose }: Props) {
  const [plan, setPlan] = useState<ErasurePlan | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [scan, setScan] = useState<{ checked: number; mentions: Mention[]; done: boolean }>({ checked: 0, mentions: [], done: false });
  const [typed, setTyped] = useState('');
  const erasing = useFormState();
  const closed = useRef(false);
  const progressId = useId();

  useEffect(() => {
    closed.current = false;
    (async () => {
      const loaded = await call('erasure.plan', { id });
      if (closed.current) return;
      setPlan(loaded);
      // A page at a time: Cancel (closing) stops between pages; nothing has changed yet.
      for (let after: number | null = 0, checked = 0, mentions: Mention[] = []; after !== null && !closed.current; ) {
        const page: MentionsPage = await call('erasure.mentions', { id, after, limit: MENTIONS_PAGE });
        checked += page.checked;
        mentions = [...mentions, ...page.mentions];
        after = page.next;
        if (!closed.current) setScan({ checked, mentions, done: after === null });
      }
    })().catch((e) => !closed.current && setLoadError(errorMessage(e)));
    return () => {
      closed.current = true;
    };
  }, [id]);

  const cancel = () => {
    closed.current = true;
    onClose();
  };

  const name = plan?.person.name ?? '';
  const erase = () =>
    erasing.submit(async () => {
      const result = await call('erasure.apply', { id, confirmName: typed });
      closed.current = true;
      showErasureNotice({ ...result, name });
      onClose();
      navigate(href('contacts'));
    });

  return (
    <Dialog title={plan ? `Erase ${name}` : 'Erase this person'} onClose={cancel} className="erase-dialog">
      {/* No form: the dialog opens from inside the contact's own form, and forms do not nest. */}
      <div className="dialog-body">
          {loadError && (
            <p className="banner banner--error" role="alert">
              What erasing would do could not be worked out: {loadError}
            </p>
          )}
          {!plan && !loadError && <p role="status">Working out what erasing them would do…</p>}
          {plan && (
            <>
              <p>
                This removes <strong>{name}</strong> from the workspace for good — from this device now, and from the sync server and every
                device of the team as each syncs. It cannot be undone, and no one can restore them from the app.
              </p>
              <h3>What will happen</h3>
              <ul className="erase-effects">
                <li>
                  {formatCount(plan.records, 'record')} will be erased with everything they held and their history: their contact
                  {plan.mergedIn.length > 0 && `, ${formatCount(plan.mergedIn.length, 'contact')} merged into it`}
                  {plan.connections > 0 && `, ${formatCount(plan.connections, 'connection')} to them`}.
                  {plan.mergedIn.length > 0 && <RecordLinks records={plan.mergedIn} onOpen={cancel} />}
                </li>
                {plan.sessions.length > 0 && (
                  <li>
                    {formatCount(plan.sessions.length, 'session')} named them as attendee or facilitator: each counts them in its anonymous
                    head-count instead, so how many came stays true.
                    <RecordLinks records={plan.sessions} onOpen={cancel} />
                  </li>
                )}
                {plan.actions.length > 0 && (
                  <li>
                    {formatCount(plan.actions.length, 'action')} they own will have no owner, marked so in each session’s history:{' '}
                    {plan.actions.map((a) => `“${a.text}” (${a.session.title})`).join(', ')}.
                  </li>
                )}
                {plan.assets.length > 0 && (
                  <li>
                    {formatCount(plan.assets.length, 'asset')} will no longer have them as contact person.
                    <RecordLinks records={plan.assets} onOpen={cancel} />
                  </li>
                )}
              </ul>
              <h3>Mentions of their name</h3>
              {!scan.done ? (
                <div className="export-progress">
                  <progress id={progressId} value={scan.checked} max={plan.recordsToCheck} aria-label="Looking for mentions of their name" />
                  <span role="status">
                    Looking through records for their name: {scan.checked.toLocaleString('en-GB')} of{' '}
                    {formatCount(plan.recordsToCheck, 'record')}
                  </span>
                </div>
              ) : scan.mentions.length === 0 ? (
                <p role="status">No other record names them in its notes or descriptions.</p>
              ) : (
                <>
                  <p role="status">
                    {formatCount(scan.mentions.length, 'other record')} {scan.mentions.length === 1 ? 'names' : 'name'} them in free text. The
                    app does not change these: open each and take their name out yourself.
                  </p>
                  <ul className="erase-records">
                    {scan.mentions.map((m) => (
                      <li key={m.id}>
                        <a href={recordHref(m.kind, m.id)} onClick={cancel}>
                          {m.title || '(untitled)'}
                        </a>{' '}
                        <span className="muted">({[...new Set(m.fields.map((f) => fieldLabel(m.kind, f.split('.')[0]!)))].join(', ')})</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <p className="muted">
                Copies outside the app are not erased: exports or reports already saved, emails, printouts. Erase or delete those yourself.
              </p>
              <TextField
                path="confirmName"
                label={`Type their name, ${name}, to confirm`}
                value={typed}
                onChange={setTyped}
                error={erasing.issues['confirmName']}
                autoComplete="off"
              />
            </>
          )}
      </div>
      <DialogActions
        error={erasing.error}
        onCancel={cancel}
        submitLabel={erasing.busy ? 'Erasing…' : 'Erase for good'}
        busy={erasing.busy || !plan || !scan.done}
        onSubmit={() => void erase()}
      />
    </Dialog>
  );
}
