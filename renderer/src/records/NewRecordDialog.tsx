// "New …": asks only for what a record of the kind cannot exist without, creates it, and
// opens it, where everything else is filled in and saved as it is typed.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  ASSET_CATEGORIES,
  ASSET_CATEGORY_HELP,
  CONNECTION_KINDS,
  CONTACT_TYPES,
  SESSION_TYPES,
  type AssetCategory,
  type ConnectionKind,
  type ListedKind,
  type RecordKind,
  type SessionType,
} from '../../../shared/domain';
import type { DraftQuery, RpcParams } from '../../../shared/rpc';
import { call } from '../app/connection';
import { navigate, recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { DateField, FieldShell, RadioGroup, SelectField, TextField } from '../components/fields';
import { RecordCombobox, type PickedRecord } from '../components/RecordPicker';
import { humanize, nowLocal } from '../../../shared/format';
import { useFormState } from '../lib/form-state';
import { fieldId, type Issues } from '../lib/issues';
import { KIND_LABEL, fieldLabel } from '../../../shared/labels';
import { LikelyMatches, useLikelyMatches } from './LikelyMatches';
import { DialogActions } from '../components/DialogActions';

const options = <T extends string>(values: readonly T[]) => values.map((value) => ({ value, label: humanize(value) }));

export function NewRecordDialog({ kind, onClose }: { kind: ListedKind; onClose: () => void }) {
  const { busy, error, issues, submit } = useFormState();
  const [draft, setDraft] = useState<DraftQuery | null>(null);
  const likely = useLikelyMatches(draft);

  const create = (params: RpcParams<'record.create'>) =>
    void submit(async () => {
      const record = await call('record.create', params);
      onClose();
      navigate(recordHref(record.kind, record.id));
    });

  const Form = FORMS[kind];
  return (
    <Dialog title={`New ${KIND_LABEL[kind].one}`} onClose={onClose} className="new-record-dialog">
      <Form issues={issues} create={create} onDraft={setDraft}>
        <DialogActions
          error={error}
          onCancel={onClose}
          busy={busy}
          submitLabel={`Create ${KIND_LABEL[kind].one}${likely.matches.length > 0 ? ' anyway' : ''}`}
        />
        {draft && (
          <LikelyMatches
            kind={draft.kind}
            state={likely}
            onOpen={(to) => {
              onClose();
              navigate(to);
            }}
          />
        )}
      </Form>
    </Dialog>
  );
}

interface FormProps {
  issues: Issues;
  create: (params: RpcParams<'record.create'>) => void;
  /** The fields as typed so far, for the likely-duplicate warning (contacts and assets). */
  onDraft: (draft: DraftQuery) => void;
  children: ReactNode;
}

const submit = (fn: () => void) => (e: FormEvent) => {
  e.preventDefault();
  fn();
};

function ContactForm({ issues, create, onDraft, children }: FormProps) {
  const [name, setName] = useState('');
  const [type, setType] = useState<(typeof CONTACT_TYPES)[number]>('person');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [postcode, setPostcode] = useState('');
  useEffect(() => onDraft({ kind: 'contact', data: { name, type, phone, email, postcode } }), [onDraft, name, type, phone, email, postcode]);
  return (
    <form className="dialog-body" onSubmit={submit(() => create({ kind: 'contact', data: { name, type, phone, email, postcode } }))} noValidate>
      <TextField path="name" label="Name" value={name} onChange={setName} error={issues.name} autoFocus required />
      <RadioGroup path="type" name="new-contact-type" legend="This is" value={type} options={options(CONTACT_TYPES)} onChange={setType} />
      <TextField path="phone" type="tel" label="Phone (optional)" value={phone} onChange={setPhone} error={issues.phone} autoComplete="off" />
      <TextField path="email" type="email" label="Email (optional)" value={email} onChange={setEmail} error={issues.email} autoComplete="off" />
      <TextField path="postcode" label="Postcode (optional)" value={postcode} onChange={setPostcode} error={issues.postcode} autoComplete="off" />
      {children}
    </form>
  );
}

function AssetForm({ issues, create, onDraft, children }: FormProps) {
  const [name, setName] = useState('');
  const [category, setCategory] = useState<AssetCategory | ''>('');
  const [postcode, setPostcode] = useState('');
  useEffect(() => onDraft({ kind: 'asset', data: { name, category: category || undefined, postcode } }), [onDraft, name, category, postcode]);
  return (
    <form
      className="dialog-body"
      // An unchosen category goes to the data service too, which names what is missing.
      onSubmit={submit(() => create({ kind: 'asset', data: { name, category: category as AssetCategory, postcode } }))}
      noValidate
    >
      <TextField path="name" label="Name" value={name} onChange={setName} error={issues.name} autoFocus required />
      <RadioGroup
        path="category"
        name="new-asset-category"
        legend="Category"
        value={category as AssetCategory}
        error={issues.category}
        options={ASSET_CATEGORIES.map((c) => ({ value: c, label: humanize(c), hint: ASSET_CATEGORY_HELP[c] }))}
        onChange={setCategory}
      />
      <TextField path="postcode" label="Postcode (optional)" value={postcode} onChange={setPostcode} error={issues.postcode} autoComplete="off" />
      {children}
    </form>
  );
}

function SessionForm({ issues, create, children }: FormProps) {
  const [title, setTitle] = useState('');
  const [type, setType] = useState<SessionType>('community-conversation');
  const [startsAt, setStartsAt] = useState(nowLocal);
  const [startsAtProblem, setStartsAtProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState<Issues>({});
  const go = () => {
    setMissing(startsAtProblem ? { startsAt: startsAtProblem } : {});
    if (!startsAtProblem) create({ kind: 'session', data: { title, type, startsAt } });
  };
  const all = { ...issues, ...missing };
  return (
    <form className="dialog-body" onSubmit={submit(go)} noValidate>
      <TextField path="title" label="Title" value={title} onChange={setTitle} error={all.title} autoFocus required />
      <SelectField path="type" label="Type" value={type} options={options(SESSION_TYPES)} onChange={setType} error={all.type} />
      <DateField path="startsAt" withTime required label="Starts" value={startsAt} onChange={setStartsAt} onProblemChange={setStartsAtProblem} error={all.startsAt} />
      {children}
    </form>
  );
}

/** One end of a new connection: a contact or an asset, chosen by name. */
export function EndpointPicker({
  path,
  label,
  value,
  onChange,
  error,
  exclude,
}: {
  path: string;
  label: string;
  value: PickedRecord | null;
  onChange: (value: PickedRecord | null) => void;
  error?: string | undefined;
  exclude?: string[];
}) {
  const id = fieldId(path);
  return (
    <FieldShell id={id} label={label} error={error}>
      {(describedBy) =>
        value ? (
          <div className="chosen">
            <span className="chosen-name">
              {value.title} <span className="kind-tag">{KIND_LABEL[value.kind].one}</span>
            </span>
            <button type="button" id={id} className="button button--small button--ghost" onClick={() => onChange(null)}>
              Change
            </button>
          </div>
        ) : (
          <RecordCombobox
            id={id}
            kinds={['contact', 'asset']}
            onPick={onChange}
            exclude={exclude}
            describedBy={describedBy}
            invalid={Boolean(error)}
            placeholder="Search contacts and assets"
          />
        )
      }
    </FieldShell>
  );
}

function ConnectionForm({ issues, create, children }: FormProps) {
  const [from, setFrom] = useState<PickedRecord | null>(null);
  const [to, setTo] = useState<PickedRecord | null>(null);
  const [kind, setKind] = useState<ConnectionKind>('knows');
  const [date, setDate] = useState('');
  const [dateProblem, setDateProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState<Issues>({});
  const go = () => {
    // Without both ends there is nothing to send; say so at the fields.
    const needed: Issues = {};
    if (!from) needed.fromId = 'is required';
    if (!to) needed.toId = 'is required';
    if (dateProblem) needed.date = dateProblem;
    setMissing(needed);
    if (from && to && !dateProblem) create({ kind: 'connection', data: { fromId: from.id, toId: to.id, kind, date: date || null } });
  };
  const all = { ...issues, ...missing };
  return (
    <form className="dialog-body" onSubmit={submit(go)} noValidate>
      <EndpointPicker path="fromId" label={fieldLabel('connection', 'fromId')} value={from} onChange={setFrom} error={all.fromId} exclude={to ? [to.id] : []} />
      <SelectField path="kind" label="Kind of connection" value={kind} options={options(CONNECTION_KINDS)} onChange={setKind} error={all.kind} />
      <EndpointPicker path="toId" label={fieldLabel('connection', 'toId')} value={to} onChange={setTo} error={all.toId} exclude={from ? [from.id] : []} />
      <DateField path="date" label="Date (optional)" value={date} onChange={setDate} onProblemChange={setDateProblem} error={all.date} />
      {children}
    </form>
  );
}

const FORMS: Record<ListedKind, (props: FormProps) => ReactNode> = {
  contact: ContactForm,
  asset: AssetForm,
  session: SessionForm,
  connection: ConnectionForm,
};
