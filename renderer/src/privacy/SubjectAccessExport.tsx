// "Everything we hold about this person" on a contact's page: the data service gathers it
// (progress, Cancel), makes one zip of HTML, PDF and JSON, and the file is saved where the
// user chooses (the desktop's save dialog; the browser's downloads in the harness). One zip
// rather than three files or a folder: one save dialog and one download, the same path in
// both, and a single file a lead can keep in the request's case file. Team leads only, as
// the data service enforces; anyone else is told who can.
import { useEffect, useId, useRef, useState } from 'react';
import type { SubjectAccessCounts, SubjectAccessProgress } from '../../../shared/rpc-privacy';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { useProfile } from '../app/profile';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { formatCount, formatList } from '../../../shared/format';
import { saveFile } from '../lib/save-file';
import '../export/export.css';
import './privacy.css';

type State =
  | { state: 'idle' }
  | { state: 'gathering'; progress: SubjectAccessProgress | null }
  | { state: 'saving' }
  | { state: 'done'; message: string; summary: string }
  | { state: 'failed'; message: string };

/** What the export holds, in words, leaving out what it has none of: `5 history entries, 1 consent and 2 sessions`. */
export function describeCounts(counts: SubjectAccessCounts): string {
  const parts: [number, string, string?][] = [
    [counts.history, 'history entry', 'history entries'],
    [counts.consents, 'consent'],
    [counts.sessions, 'session'],
    [counts.actions, 'action'],
    [counts.connections, 'connection'],
    [counts.mergedIn, 'merged-in record'],
    [counts.referredToBy, 'record that refers to them', 'records that refer to them'],
    [counts.mentions, 'mention in other records’ notes', 'mentions in other records’ notes'],
    [counts.imports, 'row of an imported file', 'rows of imported files'],
    [counts.devices, 'device known to hold a copy', 'devices known to hold a copy'],
  ];
  return formatList(parts.filter(([n]) => n > 0).map(([n, one, many]) => formatCount(n, one, many)));
}

export function SubjectAccessPanel({ id }: { id: string }) {
  const headingId = useId();
  const isLead = useProfile((p) => p.profile?.role === 'lead');
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Their data</h2>
      {isLead ? (
        <button type="button" className="button subject-access-open" onClick={() => setOpen(true)}>
          Everything we hold about this person
        </button>
      ) : (
        <p className="muted">A team lead can export everything held about this person, to answer a subject access request.</p>
      )}
      {open && <SubjectAccessDialog contactId={id} onClose={() => setOpen(false)} />}
    </section>
  );
}

function SubjectAccessDialog({ contactId, onClose }: { contactId: string; onClose: () => void }) {
  const [state, setState] = useState<State>({ state: 'idle' });
  const jobId = useRef<string | null>(null);

  useEffect(
    () =>
      onServiceEvent((event) => {
        if (event.name === 'privacy.subjectAccessProgress' && event.progress.jobId === jobId.current) {
          setState({ state: 'gathering', progress: event.progress });
        }
      }),
    [],
  );
  // Closing the dialog mid-way stops the export.
  useEffect(() => () => void (jobId.current && call('privacy.subjectAccessCancel', { jobId: jobId.current })), []);

  const cancel = () => {
    if (jobId.current) void call('privacy.subjectAccessCancel', { jobId: jobId.current });
  };

  const run = async () => {
    const job = crypto.randomUUID();
    jobId.current = job;
    setState({ state: 'gathering', progress: null });
    let files;
    try {
      files = await call('privacy.subjectAccess', { contactId, jobId: job });
    } catch (error) {
      const stopped = /stopped/.test(errorMessage(error));
      setState(stopped ? { state: 'idle' } : { state: 'failed', message: `The export stopped: ${errorMessage(error)}. Nothing was saved.` });
      return;
    } finally {
      jobId.current = null;
    }
    setState({ state: 'saving' });
    const summary = `It holds ${describeCounts(files.counts)}.`;
    const outcome = await saveFile({ suggestedName: files.fileName, formatName: 'Zip archive', mime: 'application/zip', content: files.zipBase64, encoding: 'base64' });
    switch (outcome.state) {
      case 'saved':
        return setState({ state: 'done', message: `Saved ${outcome.path} (a readable HTML and PDF document and a JSON file).`, summary });
      case 'downloading':
        return setState({ state: 'done', message: `Your browser is saving ${outcome.name} to its downloads (a readable HTML and PDF document and a JSON file).`, summary });
      case 'cancelled':
        return setState({ state: 'done', message: 'Not saved: the save dialog was closed without choosing where. Export again to save it.', summary });
      case 'failed':
        return setState({ state: 'failed', message: `The export was not saved: ${outcome.message}` });
    }
  };

  const busy = state.state === 'gathering' || state.state === 'saving';
  return (
    <Dialog title="Everything we hold about this person" onClose={busy ? cancel : onClose} className="export-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <p>
          One zip file with a readable document (HTML and PDF) and a machine-readable JSON file: their record and its full history, consents,
          the sessions they attended or facilitated with those sessions’ notes, their actions and connections, records merged into theirs or
          that refer to them, and where copies are held.
        </p>
        <p className="banner banner--warning">
          Session notes and other records may name other people. Redact other people’s details before you send it.
        </p>
        <p className="muted">The export is logged with its date and your name, never whom it was about.</p>
        {state.state === 'gathering' && (
          <div className="export-progress">
            <progress value={state.progress?.done ?? 0} max={state.progress?.total || undefined} aria-label="Export progress" />
            <span role="status">
              {state.progress
                ? `${state.progress.step}: ${state.progress.done.toLocaleString('en-GB')} of ${state.progress.total.toLocaleString('en-GB')}`
                : 'Starting…'}
            </span>
          </div>
        )}
        {state.state === 'saving' && <p role="status">Choose where to save the file…</p>}
        {state.state === 'done' && (
          <div className="banner" role="status">
            <p>{state.message}</p>
            <p>{state.summary}</p>
          </div>
        )}
        <DialogActions
          error={state.state === 'failed' ? state.message : null}
          onCancel={busy ? cancel : onClose}
          cancelLabel={busy ? 'Cancel export' : 'Close'}
          busy={busy}
          submitLabel={state.state === 'done' ? 'Export again' : 'Export'}
        />
      </form>
    </Dialog>
  );
}
