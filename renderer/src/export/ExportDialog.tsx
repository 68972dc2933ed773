// The one export dialog of every list: the format, what the file is for (which decides whose
// details may go in, by their consent), how many records it will hold and how many people are
// left out and why — before and after. The data service writes the file a page at a time and
// streams its text here with progress; Cancel stops it and nothing is saved. The file is then
// saved where the user chooses (in the desktop app, the system's save dialog), and the dialog
// says so only once it has been.
import { useEffect, useId, useRef, useState } from 'react';
import { formatCount, today } from '../../../shared/format';
import {
  describeExport,
  EXPORT_SUBJECTS,
  EXPORT_USES,
  USE_LABEL,
  type ExportCounts,
  type ExportRequest,
  type ExportUse,
} from '../../../shared/rpc-export';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { RadioGroup } from '../components/fields';
import { saveFile } from '../lib/save-file';
import type { ExportChoice, ExportSelection } from './export-choices';
import './export.css';

/** Each use explained where it is chosen. */
const USE_HINT: Record<ExportUse, string> = {
  share: 'A person’s details go in only where they have consented to sharing them with partners.',
  backup: 'A person’s details go in only where they have a consent in force.',
};

type State =
  | { state: 'idle' }
  | { state: 'writing'; done: number; total: number | null }
  | { state: 'saving' }
  | { state: 'done'; message: string }
  | { state: 'failed'; message: string };

const STOPPED = /stopped/;
const CANCELLED: State = { state: 'done', message: 'Export cancelled: nothing was saved.' };

export function ExportDialog({ title, choices, selection, onClose }: { title: string; choices: readonly ExportChoice[]; selection: ExportSelection; onClose: () => void }) {
  const [choiceIndex, setChoiceIndex] = useState(0);
  const [use, setUse] = useState<ExportUse>('share');
  const [before, setBefore] = useState<{ counts: ExportCounts } | { error: string } | null>(null);
  const [state, setState] = useState<State>({ state: 'idle' });
  const job = useRef<{ id: string; parts: string[]; cancelled: boolean } | null>(null);
  const name = useId();
  const choice = choices[choiceIndex]!;
  const { description, ...query } = selection;
  const request = (jobId: string): ExportRequest => ({ jobId, use, today: today(), subject: choice.subject, format: choice.format, ...query }) as ExportRequest;

  // What the file would hold, counted again whenever the format or use changes.
  useEffect(() => {
    const jobId = crypto.randomUUID();
    setBefore(null);
    let current = true;
    call('export.count', request(jobId)).then(
      (counts) => current && setBefore({ counts }),
      (error) => current && !STOPPED.test(errorMessage(error)) && setBefore({ error: errorMessage(error) }),
    );
    return () => {
      current = false;
      void call('export.cancel', { jobId });
    };
    // The selection is the list's as the dialog opened; only the choices made here change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [choiceIndex, use]);

  useEffect(
    () =>
      onServiceEvent((event) => {
        if (event.name !== 'export.progress' || event.progress.jobId !== job.current?.id) return;
        if (event.progress.chunk) job.current.parts.push(event.progress.chunk);
        setState({ state: 'writing', done: event.progress.done, total: event.progress.total });
      }),
    [],
  );
  // Closing the dialog mid-way stops the export.
  useEffect(() => () => void (job.current && call('export.cancel', { jobId: job.current.id })), []);

  // The data service may have written the last page before it hears of the cancel: the file is
  // dropped here either way, so Cancel always means nothing is saved.
  const cancel = () => {
    if (!job.current) return;
    job.current.cancelled = true;
    void call('export.cancel', { jobId: job.current.id });
  };

  const run = async () => {
    const current = { id: crypto.randomUUID(), parts: [] as string[], cancelled: false };
    job.current = current;
    setState({ state: 'writing', done: 0, total: null });
    let file;
    try {
      file = await call('export.file', request(current.id));
    } catch (error) {
      const stopped = current.cancelled || STOPPED.test(errorMessage(error));
      setState(stopped ? CANCELLED : { state: 'failed', message: `The export stopped: ${errorMessage(error)}. Nothing was saved.` });
      return;
    } finally {
      job.current = null;
    }
    if (current.cancelled) return setState(CANCELLED);
    setState({ state: 'saving' });
    const contents = describeExport(choice.subject, use, file.counts);
    const outcome = await saveFile({ suggestedName: file.fileName, formatName: choice.label, mime: file.mime, content: current.parts.join('') });
    switch (outcome.state) {
      case 'saved':
        return setState({ state: 'done', message: `Saved ${outcome.path}: ${contents}` });
      case 'downloading':
        return setState({ state: 'done', message: `Your browser is saving ${outcome.name} to its downloads: ${contents}` });
      case 'cancelled':
        return setState({ state: 'done', message: 'Not saved: the save dialog was closed without choosing where. Export again to save it.' });
      case 'failed':
        return setState({ state: 'failed', message: `The export was not saved: ${outcome.message}` });
    }
  };

  const busy = state.state === 'writing' || state.state === 'saving';
  const words = EXPORT_SUBJECTS[choice.subject].records;
  return (
    <Dialog title={title} onClose={busy ? cancel : onClose} className="export-dialog list-export-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
        noValidate
      >
        <RadioGroup
          name={`${name}-format`}
          path="format"
          legend="Format"
          value={String(choiceIndex)}
          options={choices.map((c, i) => ({ value: String(i), label: c.label, hint: c.hint }))}
          onChange={(v) => setChoiceIndex(Number(v))}
          disabled={busy}
        />
        <RadioGroup
          name={`${name}-use`}
          path="use"
          legend="What is the file for?"
          value={use}
          options={EXPORT_USES.map((u) => ({ value: u, label: USE_LABEL[u], hint: USE_HINT[u] }))}
          onChange={setUse}
          disabled={busy}
        />
        <p className="muted">{description}</p>
        {/* Polite, not a status: the progress and outcome below are the dialog's status. */}
        <p className="export-summary" aria-live="polite">
          {before === null
            ? 'Counting what the file will hold…'
            : 'error' in before
              ? `Could not count what the file will hold: ${before.error}`
              : `The file will hold ${describeExport(choice.subject, use, before.counts)}`}
        </p>
        {state.state === 'writing' && (
          <div className="export-progress">
            <progress value={state.done} max={state.total || undefined} aria-label="Export progress" />
            <span role="status">
              {state.total === null ? 'Starting…' : `Written ${state.done.toLocaleString('en-GB')} of ${formatCount(state.total, words[0], words[1])}`}
            </span>
          </div>
        )}
        {state.state === 'saving' && <p role="status">Choose where to save the file…</p>}
        {state.state === 'done' && (
          <p className="banner" role="status">
            {state.message}
          </p>
        )}
        <DialogActions
          error={state.state === 'failed' ? state.message : null}
          onCancel={busy ? cancel : onClose}
          cancelLabel={busy ? 'Cancel export' : 'Close'}
          busy={busy}
          submitLabel="Export"
        />
      </form>
    </Dialog>
  );
}
