// The connections of a contact or an asset, listed on both ends, and "Connect to…".
import { useEffect, useState, type FormEvent } from 'react';
import { CONNECTION_KINDS, type ConnectionKind, type RecordKind } from '../../../shared/domain';
import type { ConnectionView } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { DateField, SelectField, TextField } from '../components/fields';
import type { PickedRecord } from '../components/RecordPicker';
import { formatDate, humanize } from '../../../shared/format';
import { useFormState } from '../lib/form-state';
import type { Issues } from '../lib/issues';
import { EndpointPicker } from './NewRecordDialog';
import { changesRecords, changesReferenced } from '../lib/record-events';
import { DialogActions } from '../components/DialogActions';

const kindWords = (kind: string) => humanize(kind).toLowerCase();
/** What either end of a connection may be. */
const ENDPOINT_KINDS: RecordKind[] = ['contact', 'asset'];

/**
 * The connections of a contact or asset, read again when a connection changes or a record
 * they name does: either end renamed or merged away, or this record taking in a merged one.
 */
export function useConnections(id: string | undefined): { connections: ConnectionView[] | null; error: string | null } {
  const [connections, setConnections] = useState<ConnectionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    let shown: ConnectionView[] = [];
    const load = () =>
      call('record.connections', { id }).then(
        (views) => {
          shown = views;
          setConnections(views);
        },
        (e) => setError(errorMessage(e)),
      );
    void load();
    return onServiceEvent((event) => {
      const named = [id, ...shown.flatMap((c) => [c.from.id, c.to.id])].map((end) => ({ id: end, kinds: ENDPOINT_KINDS }));
      if (changesRecords(event, ['connection']) || changesReferenced(event, named)) void load();
    });
  }, [id]);
  return { connections, error };
}

export function ConnectionsPanel({ id, title, disabled }: { id: string; title: string; disabled?: boolean }) {
  const { connections, error } = useConnections(id);
  const [connecting, setConnecting] = useState(false);

  return (
    <section className="panel" aria-labelledby="connections-heading">
      <div className="panel-header">
        <h2 id="connections-heading">
          Connections {connections && connections.length > 0 && <span className="count">({connections.length})</span>}
        </h2>
        {!disabled && (
          <button type="button" className="button button--small" onClick={() => setConnecting(true)}>
            Connect to…
          </button>
        )}
      </div>
      {error && <p className="field-error">The connections could not be loaded: {error}</p>}
      {connections?.length === 0 && <p className="muted">Not connected to anyone or anything yet.</p>}
      {connections && connections.length > 0 && (
        <ul className="connections">
          {connections.map((c) => {
            const other = c.from.id === id ? c.to : c.from;
            // The whole sentence, read in the connection's direction; this record is not a link.
            const end = (e: ConnectionView['from']) =>
              e.id === id ? <span className="connection-self">{e.title}</span> : <a href={recordHref(e.kind, e.id)}>{e.title}</a>;
            return (
              <li key={c.id}>
                <span>
                  {end(c.from)} {kindWords(c.kind)} {end(c.to)}
                </span>
                <span className="connection-meta">
                  {c.date && formatDate(c.date)}
                  {c.note && <span className="connection-note">{c.note}</span>}
                  <a href={recordHref('connection', c.id)} aria-label={`Details of the connection with ${other.title}`}>
                    Details
                  </a>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {connecting && <ConnectDialog fromId={id} fromTitle={title} onClose={() => setConnecting(false)} />}
    </section>
  );
}

function ConnectDialog({ fromId, fromTitle, onClose }: { fromId: string; fromTitle: string; onClose: () => void }) {
  const [to, setTo] = useState<PickedRecord | null>(null);
  const [kind, setKind] = useState<ConnectionKind>('knows');
  const [date, setDate] = useState('');
  const [dateProblem, setDateProblem] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const { error, issues, setIssues, submit } = useFormState();

  const connect = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      const missing: Issues = { ...(!to && { toId: 'is required' }), ...(dateProblem && { date: dateProblem }) };
      setIssues(missing);
      if (!to || dateProblem) return;
      await call('record.create', { kind: 'connection', data: { fromId, toId: to.id, kind, date: date || null, note } });
      onClose();
    });
  };

  return (
    <Dialog title={`Connect ${fromTitle} to…`} onClose={onClose}>
      <form className="dialog-body" onSubmit={connect} noValidate>
        <EndpointPicker path="toId" label="Contact or asset" value={to} onChange={setTo} error={issues.toId} exclude={[fromId]} />
        <SelectField
          path="kind"
          label={`How is ${fromTitle} connected to them?`}
          value={kind}
          options={CONNECTION_KINDS.map((k) => ({ value: k, label: `${fromTitle} ${kindWords(k)} …` }))}
          onChange={setKind}
          error={issues.kind}
        />
        <DateField path="date" label="Date (optional)" value={date} onChange={setDate} onProblemChange={setDateProblem} error={issues.date} />
        <TextField path="note" label="Note (optional)" value={note} onChange={setNote} error={issues.note} multiline rows={2} />
        <DialogActions error={error} onCancel={onClose} submitLabel="Connect" />
      </form>
    </Dialog>
  );
}
