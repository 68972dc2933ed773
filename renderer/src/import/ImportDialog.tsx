// Contacts or Assets → "Import…": choose a file → its format and the mapping of its columns
// (for assets, a category for rows without one) → a preview of the first rows as they will
// be stored, with every row's problems → rows that look like records already here or earlier
// rows, each skipped, merged or created → for contacts, the consent or lawful basis (from the
// privacy settings) that covers the batch →
// the import, a chunk at a time with progress and Cancel → what it did, with "Undo this
// import". Earlier imports are listed on the first step, to resume (a partial one, from the
// same file) or undo.
import { useEffect, useId, useRef, useState } from 'react';
import { ASSET_CATEGORIES, SESSION_TYPES, type AssetCategory } from '../../../shared/domain';
import { IMPORT_CHUNK_BYTES, MAX_IMPORT_BYTES, type DuplicateDecision, type ImportKind, type ImportTarget, type ImportBatch, type ImportDuplicate, type ImportFile, type ImportPreview, type RegisterDefaults, type UndoResult, valueText } from '../../../shared/rpc-import';
import { call, errorMessage } from '../app/connection';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { SelectField, TextField } from '../components/fields';
import { useFormState } from '../lib/form-state';
import { formatCount, formatDateTime, formatMegabytes, humanize } from '../../../shared/format';
import { base64Chunks } from '../lib/read-file';
import { usePolicy } from '../privacy/privacy-settings';
import { BasisStep, blankBasis, toImportBasis, type BasisDraft } from './BasisStep';
import { describeBatch, describeImportFile, rowWord, targetOptions } from './import-words';
import './import.css';

type Step = 'choose' | 'map' | 'preview' | 'duplicates' | 'basis' | 'importing' | 'summary';

const decisionOptions = (kind: ImportKind): { value: DuplicateDecision; label: string }[] => [
  { value: 'skip', label: 'Skip this row' },
  { value: 'merge', label: `Merge into the existing ${WORDS[kind].one}` },
  { value: 'create', label: 'Create anyway' },
];

const STEP_TITLE: Record<Step, string> = {
  choose: 'Choose a file',
  map: 'Match the columns',
  preview: 'Check the rows',
  duplicates: 'Already here?',
  basis: 'Lawful basis for this import',
  importing: 'Importing',
  summary: 'Import finished',
};

/** What each kind of import is called and makes. */
const WORDS: Record<ImportKind, { title: string; file: string; one: string; many: string }> = {
  contact: { title: 'Import contacts', file: 'Contacts file', one: 'contact', many: 'contacts' },
  asset: { title: 'Import assets', file: 'Assets file', one: 'asset', many: 'assets' },
  register: { title: 'Import an attendance register', file: 'Register file', one: 'session', many: 'sessions' },
};

export function ImportDialog({ kind, onClose }: { kind: ImportKind; onClose: () => void }) {
  const [step, setStep] = useState<Step>('choose');
  const [file, setFile] = useState<ImportFile | null>(null);
  const [targets, setTargets] = useState<ImportTarget[]>([]);
  const [category, setCategory] = useState<AssetCategory | ''>('');
  const [register, setRegister] = useState<RegisterDefaults>({ title: '', type: 'event', venue: '', time: '10:00' });
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [duplicates, setDuplicates] = useState<ImportDuplicate[]>([]);
  const [defaultDecision, setDefaultDecision] = useState<DuplicateDecision>('skip');
  const [decisions, setDecisions] = useState<Record<string, DuplicateDecision>>({});
  const [basis, setBasis] = useState<BasisDraft>(blankBasis);
  const policy = usePolicy();
  const [batch, setBatch] = useState<ImportBatch | null>(null);
  const [undone, setUndone] = useState<UndoResult | null>(null);
  const [resuming, setResuming] = useState<ImportBatch | null>(null);
  /** The share of the chosen file sent to the data service so far, while it is sent. */
  const [reading, setReading] = useState<number | null>(null);
  const form = useFormState();
  const cancelled = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // Each step's heading takes focus, so a screen reader says where the dialog has got to.
  useEffect(() => {
    if (step !== 'choose') heading.current?.focus();
  }, [step]);

  const go = (next: Step, action: () => Promise<void> = async () => {}) =>
    form.submit(async () => {
      await action();
      setStep(next);
    });

  const chooseFile = (chosen: File) =>
    form.submit(async () => {
      if (chosen.size === 0) throw new Error(`${chosen.name} is empty: choose the file that holds the rows`);
      if (chosen.size > MAX_IMPORT_BYTES) throw new Error(`${chosen.name} is larger than ${formatMegabytes(MAX_IMPORT_BYTES)}: split it into smaller files`);
      // The file travels in pieces: one message could not hold a large spreadsheet.
      const { uploadId } = await call('import.upload', { kind, fileName: chosen.name, bytes: chosen.size });
      setReading(0);
      try {
        for await (const { offset, data } of base64Chunks(chosen, IMPORT_CHUNK_BYTES)) {
          const { received } = await call('import.uploadChunk', { uploadId, offset, data });
          setReading(received / chosen.size);
        }
      } finally {
        setReading(null);
      }
      const opened = await call('import.open', { uploadId });
      setFile(opened);
      setTargets(opened.targets);
      if (resuming) return runBatch(opened, await call('import.resume', { fileId: opened.fileId, batchId: resuming.id }));
      setStep('map');
    });

  const runBatch = async (opened: ImportFile, started: ImportBatch) => {
    cancelled.current = false;
    setBatch(started);
    setStep('importing');
    let current = started;
    try {
      while (current.status === 'partial' && !cancelled.current) {
        current = await call('import.step', { fileId: opened.fileId, batchId: current.id });
        setBatch(current);
      }
    } finally {
      setStep('summary');
    }
  };

  const mapping = () => ({ fileId: file!.fileId, targets, category: category || null, register: kind === 'register' ? register : null });

  const startImport = () =>
    form.submit(async () => {
      if (!file) return;
      const started = await call('import.start', { ...mapping(), basis: kind === 'asset' || !policy ? null : toImportBasis(basis, policy), defaultDecision, decisions });
      await runBatch(file, started);
    });

  const undo = () =>
    form.submit(async () => {
      if (!batch) return;
      setUndone(await call('import.undo', { batchId: batch.id }));
      setBatch(null);
    });

  const title = step === 'summary' && undone ? 'Import undone' : STEP_TITLE[step];
  return (
    <Dialog title={WORDS[kind].title} onClose={step === 'importing' ? () => (cancelled.current = true) : onClose} className="import-dialog">
      <div className="dialog-body">
        <h3 ref={heading} tabIndex={-1} className="import-step">
          {title}
        </h3>
        {step === 'choose' && (
          <ChooseStep
            kind={kind}
            busy={form.busy}
            reading={reading}
            resuming={resuming}
            onChoose={(f) => void chooseFile(f)}
            onResume={setResuming}
            onUndone={(result) => {
              setUndone(result);
              setStep('summary');
            }}
          />
        )}
        {step === 'map' && file && (
          <MapStep kind={kind} file={file} targets={targets} onChange={setTargets} category={category} onCategory={setCategory} register={register} onRegister={setRegister} issues={form.issues} onSave={() => form.submit(async () => void (await call('import.saveMapping', { fileId: file.fileId, targets })))} />
        )}
        {step === 'preview' && file && preview && <PreviewStep kind={kind} file={file} preview={preview} />}
        {step === 'duplicates' && file && (
          <DuplicatesStep kind={kind} file={file} duplicates={duplicates} defaultDecision={defaultDecision} onDefault={setDefaultDecision} decisions={decisions} onDecide={setDecisions} />
        )}
        {step === 'basis' && <BasisStep adds={kind === 'contact' ? 'it creates or adds to' : 'it creates for people new to the workspace'} policy={policy} draft={basis} onChange={setBasis} issues={form.issues} />}
        {(step === 'importing' || step === 'summary') && batch && <Progress batch={batch} running={step === 'importing'} />}
        {step === 'summary' && undone && <UndoSummary kind={kind} result={undone} />}
        {step === 'summary' && batch?.status === 'partial' && (
          <p className="banner banner--warning">
            The import was stopped. The rows before the stop are stored as whole contacts; choose this import under “Earlier imports” and the same file to carry
            on, or undo it.
          </p>
        )}
        <StepActions
          step={step}
          busy={form.busy}
          error={form.error}
          onClose={onClose}
          onCancelImport={() => (cancelled.current = true)}
          onBack={() => setStep(step === 'basis' ? (kind === 'register' ? 'preview' : 'duplicates') : step === 'duplicates' ? 'preview' : step === 'preview' ? 'map' : 'choose')}
          onNext={() => {
            if (!file) return;
            if (step === 'map') void go('preview', async () => setPreview(await call('import.preview', mapping())));
            // A register's attendees are matched as it is imported: no row-by-row decisions.
            if (step === 'preview') void (kind === 'register' ? go('basis') : go('duplicates', async () => setDuplicates(await call('import.duplicates', mapping()))));
            // Assets need no consent: the import starts from the duplicates.
            if (step === 'duplicates') void (kind === 'contact' ? go('basis') : startImport());
            if (step === 'basis') void startImport();
          }}
          onUndo={batch && batch.status !== 'undone' && !undone ? () => void undo() : null}
          importLabel={step === 'basis' || (step === 'duplicates' && kind === 'asset') ? `Import ${formatCount(preview?.importable ?? 0, WORDS[kind].one)}` : null}
        />
      </div>
    </Dialog>
  );
}

function ChooseStep(props: { kind: ImportKind; busy: boolean; reading: number | null; resuming: ImportBatch | null; onChoose: (file: File) => void; onResume: (batch: ImportBatch | null) => void; onUndone: (result: UndoResult) => void }) {
  const inputId = useId();
  const [batches, setBatches] = useState<ImportBatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('import.batches', {}).then((all) => setBatches(all.filter((b) => b.kind === props.kind)), (e: unknown) => setError(errorMessage(e)));
  }, [props.kind]);
  const undo = async (batch: ImportBatch) => {
    try {
      props.onUndone(await call('import.undo', { batchId: batch.id }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <div className="field">
        <label htmlFor={inputId}>{props.resuming ? `Choose ${props.resuming.fileName} again to carry on` : WORDS[props.kind].file}</label>
        <p className="field-hint" id={`${inputId}-hint`}>
          {props.kind === 'contact'
            ? 'A CSV file (from Google Contacts, Outlook or any spreadsheet saved as CSV) or a vCard file (.vcf) from a phone or a mail program.'
            : props.kind === 'asset'
              ? 'A spreadsheet saved as CSV, a row per asset: its name, category, description, address, postcode, latitude and longitude, themes, opening times.'
              : 'A sign-in sheet saved as CSV: a row per person at each session (date, session, venue, name), or a row per person with a column per date marked when they came.'}{' '}
          Nothing is stored until you have checked the rows.
        </p>
        <input
          id={inputId}
          type="file"
          accept={props.kind === 'contact' ? '.csv,.tsv,.txt,.vcf,.vcard,text/csv,text/vcard' : '.csv,.tsv,.txt,text/csv'}
          aria-describedby={`${inputId}-hint`}
          disabled={props.busy}
          data-autofocus=""
          onChange={(e) => {
            const chosen = e.currentTarget.files?.[0];
            if (chosen) props.onChoose(chosen);
          }}
        />
      </div>
      {props.busy && <p role="status">{props.reading === null ? 'Reading the file…' : `Reading the file… ${Math.floor(props.reading * 100)}%`}</p>}
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {batches && batches.length > 0 && (
        <section aria-labelledby={`${inputId}-earlier`}>
          <h4 id={`${inputId}-earlier`}>Earlier imports</h4>
          <ul className="import-batches">
            {batches.map((b) => (
              <li key={b.id}>
                <span>
                  <strong>{b.fileName}</strong>, {formatDateTime(b.startedAt)}: {describeBatch(b)}
                </span>
                {b.status === 'partial' && (
                  <button type="button" className="button" onClick={() => props.onResume(b)}>
                    Carry on with {b.fileName}
                  </button>
                )}
                {b.status !== 'undone' && (
                  <button type="button" className="button" onClick={() => void undo(b)}>
                    Undo this import
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

function MapStep(props: {
  kind: ImportKind;
  file: ImportFile;
  targets: ImportTarget[];
  onChange: (targets: ImportTarget[]) => void;
  category: AssetCategory | '';
  onCategory: (category: AssetCategory | '') => void;
  register: RegisterDefaults;
  onRegister: (register: RegisterDefaults) => void;
  issues: Record<string, string>;
  onSave: () => void;
}) {
  const { file, targets, onChange, onSave } = props;
  const options = targetOptions(props.kind);
  const empty = file.samples.filter((s) => !s).length;
  return (
    <>
      <p role="status">
        {describeImportFile(file)} {file.savedMapping ? 'The mapping you saved for these columns is used.' : ''}
      </p>
      {file.photos > 0 && <p className="banner">{formatCount(file.photos, 'card')} had a photo. Photos are not imported.</p>}
      <table className="grid-table import-mapping">
        <caption className="visually-hidden">Each column of the file and what it becomes</caption>
        <thead>
          <tr>
            <th scope="col">Column in the file</th>
            <th scope="col">First value</th>
            <th scope="col">Becomes</th>
          </tr>
        </thead>
        <tbody>
          {file.headers.map((header, i) =>
            file.samples[i] ? (
              <tr key={i}>
                <th scope="row">{header || `(column ${i + 1}, no heading)`}</th>
                <td className="import-sample">{file.samples[i]}</td>
                <td>
                  <SelectField
                    label={`${header || `Column ${i + 1}`} becomes`}
                    value={targets[i] ?? 'skip'}
                    options={options}
                    onChange={(target) => onChange(targets.map((t, j) => (j === i ? target : t)))}
                  />
                </td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
      {empty > 0 && <p className="muted">{formatCount(empty, 'column')} empty in every row {empty === 1 ? 'is' : 'are'} not shown.</p>}
      {props.kind === 'register' && <RegisterDefaultsFields value={props.register} onChange={props.onRegister} issues={props.issues} />}
      {props.kind === 'asset' && (
        <SelectField
          label="Category for rows without one"
          hint="Used where a row has no category, or one the app does not know (a “club” is read as an association, a “café” as economic)."
          value={props.category}
          emptyLabel="None: leave such rows out"
          options={ASSET_CATEGORIES.map((c) => ({ value: c, label: humanize(c) }))}
          onChange={props.onCategory}
        />
      )}
      <p>
        <button type="button" className="button" onClick={onSave}>
          Save this mapping for files with these columns
        </button>
      </p>
    </>
  );
}

function RegisterDefaultsFields({ value, onChange, issues }: { value: RegisterDefaults; onChange: (value: RegisterDefaults) => void; issues: Record<string, string> }) {
  return (
    <fieldset className="import-register-defaults">
      <legend>Where the columns do not say</legend>
      <TextField path="register.title" label="Session title" error={issues['register.title']} value={value.title} onChange={(title) => onChange({ ...value, title })} hint="Otherwise the session’s type names it." />
      <SelectField label="Session type" value={value.type} options={SESSION_TYPES.map((t) => ({ value: t, label: humanize(t) }))} onChange={(type) => onChange({ ...value, type })} />
      <TextField path="register.venue" label="Venue" error={issues['register.venue']} value={value.venue} onChange={(venue) => onChange({ ...value, venue })} hint="An asset of this name is the session’s venue." />
      <TextField path="register.time" label="Start time" error={issues['register.time']} value={value.time} onChange={(time) => onChange({ ...value, time })} hint="As HH:mm, for example 10:00." />
    </fieldset>
  );
}

/** The fields the preview shows, with their headings. */
const PREVIEW_FIELDS: Record<ImportKind, [field: string, heading: string][]> = {
  contact: [
    ['name', 'Name'],
    ['email', 'Email'],
    ['phone', 'Phone'],
    ['address', 'Address'],
    ['postcode', 'Postcode'],
    ['notes', 'Notes'],
  ],
  asset: [
    ['name', 'Name'],
    ['category', 'Category'],
    ['address', 'Address'],
    ['postcode', 'Postcode'],
    ['location', 'Location'],
    ['availability', 'Opening times'],
    ['description', 'Description'],
  ],
  register: [
    ['startsAt', 'When'],
    ['title', 'Session'],
    ['type', 'Type'],
    ['venue', 'Venue'],
    ['attendees', 'Who came'],
  ],
};

const PREVIEW_CHARS = 140;
/** A cell of the preview: a date and time or a category in words, long text cut. */
function previewCell(field: string, value: unknown): string {
  if (field === 'startsAt' && typeof value === 'string') return formatDateTime(value);
  if ((field === 'type' || field === 'category') && typeof value === 'string') return humanize(value);
  return shorten(valueText(value));
}
/** Long notes are cut in the preview so each row stays readable; they are stored whole. */
const shorten = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);

function PreviewStep({ kind, file, preview }: { kind: ImportKind; file: ImportFile; preview: ImportPreview }) {
  const fields = PREVIEW_FIELDS[kind];
  return (
    <>
      <p role="status">
        {kind === 'register' ? `${formatCount(preview.importable, 'session')} will be created` : `${formatCount(preview.importable, file.format === 'vcard' ? 'card' : 'row')} will become ${WORDS[kind].many}`}
        {preview.unreadable > 0 ? `; ${formatCount(preview.unreadable, 'row')} cannot (listed below) and will be left out` : ''}.
        {preview.problemRows > 0 ? ` ${formatCount(preview.problemRows, 'row')} ${preview.problemRows === 1 ? 'has' : 'have'} a problem.` : ' No problems found.'}
      </p>
      <div className="import-preview-scroll" tabIndex={0} role="region" aria-label="The first rows as they will be stored">
        <table className="grid-table import-preview">
          <caption className="visually-hidden">The first rows as they will be stored</caption>
          <thead>
            <tr>
              <th scope="col">{file.format === 'vcard' ? 'Card' : kind === 'register' ? 'From row' : 'Row'}</th>
              {fields.map(([f, heading]) => (
                <th key={f} scope="col">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.line}>
                <th scope="row">{row.line}</th>
                {row.data ? (
                  fields.map(([f]) => <td key={f}>{previewCell(f, row.data![f])}</td>)
                ) : (
                  <td colSpan={fields.length}>Left out: {row.problems[0]}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.problems.length > 0 && (
        <section aria-label="Problems">
          <h4>Problems</h4>
          <ul className="import-problems">
            {preview.problems.flatMap((row) =>
              row.problems.map((problem, k) => (
                <li key={`${row.line}-${k}`}>
                  {rowWord(file.format, row.line)}: {problem}
                </li>
              )),
            )}
          </ul>
        </section>
      )}
    </>
  );
}

function DuplicatesStep(props: {
  kind: ImportKind;
  file: ImportFile;
  duplicates: ImportDuplicate[];
  defaultDecision: DuplicateDecision;
  onDefault: (d: DuplicateDecision) => void;
  decisions: Record<string, DuplicateDecision>;
  onDecide: (d: Record<string, DuplicateDecision>) => void;
}) {
  const one = WORDS[props.kind].one;
  const decisions = decisionOptions(props.kind);
  if (props.duplicates.length === 0) return <p role="status">No row looks like {/^[aeiou]/.test(one) ? 'an' : 'a'} {one} already here, or like another row of the file.</p>;
  return (
    <>
      <p role="status">
        {formatCount(props.duplicates.length, 'row')} {props.duplicates.length === 1 ? 'looks' : 'look'} like someone already here or an earlier row.
      </p>
      <SelectField label="For every row below" value={props.defaultDecision} options={decisions} onChange={props.onDefault} />
      <ul className="import-duplicates">
        {props.duplicates.map((d) => (
          <li key={d.line}>
            <p>
              <strong>
                {rowWord(props.file.format, d.line)}: {d.title}
              </strong>{' '}
              looks like {'existing' in d.match ? `${d.match.existing.title}, already here` : `${rowWord(props.file.format, d.match.row).toLowerCase()}, ${d.match.title}`} (
              {d.reasons.join('; ')}).
            </p>
            <SelectField
              label={`${rowWord(props.file.format, d.line)}, ${d.title}`}
              value={props.decisions[String(d.line)] ?? ''}
              emptyLabel={`As for every row (${decisions.find((x) => x.value === props.defaultDecision)!.label.toLowerCase()})`}
              options={decisions}
              onChange={(value) => {
                const next = { ...props.decisions };
                if (value) next[String(d.line)] = value;
                else delete next[String(d.line)];
                props.onDecide(next);
              }}
            />
          </li>
        ))}
      </ul>
    </>
  );
}

function Progress({ batch, running }: { batch: ImportBatch; running: boolean }) {
  return (
    <div className="import-progress">
      <progress value={batch.done} max={batch.total} aria-label="Import progress" />
      <p role="status">
        {running ? `Imported ${batch.done.toLocaleString('en-GB')} of ${formatCount(batch.total, 'row')}…` : `${batch.fileName}: ${describeBatch(batch)}.`}
      </p>
    </div>
  );
}

function UndoSummary({ kind, result }: { kind: ImportKind; result: UndoResult }) {
  const one = WORDS[kind].one;
  return (
    <div className="banner" role="status">
      <p>
        Import undone: {formatCount(result.removed, one)} removed, {formatCount(result.reverted, `merged ${one}`)} put back as {result.reverted === 1 ? 'it was' : 'they were'}.
      </p>
      {result.kept.length > 0 && (
        <>
          <p>Changes made since the import were kept:</p>
          <ul>
            {result.kept.map((k) => (
              <li key={k}>{k}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function StepActions(props: {
  step: Step;
  busy: boolean;
  error: string | null;
  onClose: () => void;
  onBack: () => void;
  onNext: () => void;
  onCancelImport: () => void;
  onUndo: (() => void) | null;
  /** The main action's label where it starts the import. */
  importLabel: string | null;
}) {
  const { step } = props;
  // Choosing a file moves on by itself; Close is the only button.
  if (step === 'choose') return <DialogActions error={props.error} submitLabel="Close" onSubmit={props.onClose} />;
  if (step === 'importing') return <DialogActions onCancel={props.onCancelImport} cancelLabel="Cancel import" submitLabel="Importing…" busy onSubmit={() => {}} />;
  if (step === 'summary') {
    return props.onUndo ? (
      <DialogActions error={props.error} onCancel={props.onUndo} cancelLabel="Undo this import" submitLabel="Done" busy={props.busy} onSubmit={props.onClose} />
    ) : (
      <DialogActions error={props.error} submitLabel="Done" onSubmit={props.onClose} />
    );
  }
  const next = props.importLabel ?? 'Next';
  return <DialogActions error={props.error} onCancel={props.onBack} cancelLabel="Back" submitLabel={next} busy={props.busy} onSubmit={props.onNext} />;
}
