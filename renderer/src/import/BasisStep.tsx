// The import's basis step: what covers everyone a contacts file or register adds, chosen from
// the workspace's privacy settings — consent to one or more of its purposes (each in the
// wording shown, by default the one in force on the day it was given), or one of its lawful
// bases — and the batch's own account of it in the worker's words, kept with the batch (and,
// under a lawful basis, as its note on each contact).
import type { PolicyData } from '../../../shared/domain';
import { CONSENT_METHODS } from '../../../shared/domain';
import { currentWording, USE_LABELS } from '../../../shared/privacy/consent-rules';
import type { ImportBasis } from '../../../shared/rpc-import';
import { formatDate, humanize, today } from '../../../shared/format';
import { CheckboxGroup, DateField, RadioGroup, SelectField, TextField } from '../components/fields';
import type { Issues } from '../lib/issues';

type Method = (typeof CONSENT_METHODS)[number];

/** The step's fields; both grounds' stay filled while the user switches between them. */
export interface BasisDraft {
  statement: string;
  ground: ImportBasis['ground'];
  /** The purposes chosen, each with the label of the wording shown. */
  wordings: Record<string, string>;
  method: Method;
  /** The day consent was given, or the lawful basis applies from. */
  date: string;
  basisId: string;
}

export const blankBasis = (): BasisDraft => ({ statement: '', ground: 'consent', wordings: {}, method: 'written', date: today(), basisId: '' });

/** The lawful basis chosen: the select shows the first one until the user picks. */
const chosenBasisId = (draft: BasisDraft, policy: PolicyData) => draft.basisId || policy.lawfulBases[0]?.id || '';

/** The purposes chosen, in the settings' order (the order their wording fields and errors use). */
const chosenPurposes = (draft: BasisDraft, policy: PolicyData) => policy.purposes.filter((p) => p.id in draft.wordings);

export function toImportBasis(draft: BasisDraft, policy: PolicyData): ImportBasis {
  if (draft.ground === 'lawful-basis') return { ground: 'lawful-basis', statement: draft.statement, basisId: chosenBasisId(draft, policy), since: draft.date };
  return {
    ground: 'consent',
    statement: draft.statement,
    purposes: chosenPurposes(draft, policy).map((p) => ({ purposeId: p.id, wordingVersion: draft.wordings[p.id]! })),
    method: draft.method,
    givenAt: draft.date,
  };
}

const usesInWords = (uses: readonly (keyof typeof USE_LABELS)[]) => (uses.length ? uses.map((u) => USE_LABELS[u].toLowerCase()).join('; ') : 'nothing');

export function BasisStep({ adds, policy, draft, onChange, issues }: { adds: string; policy: PolicyData | null; draft: BasisDraft; onChange: (d: BasisDraft) => void; issues: Issues }) {
  if (!policy) return <p role="status">Reading the privacy settings…</p>;
  const inForce = (purposeId: string, on: string) => {
    const purpose = policy.purposes.find((p) => p.id === purposeId);
    return (purpose && currentWording(purpose, on)?.label) ?? purpose?.versions[0]?.label ?? '';
  };
  const choosePurposes = (ids: string[]) => onChange({ ...draft, wordings: Object.fromEntries(ids.map((id) => [id, draft.wordings[id] ?? inForce(id, draft.date)])) });
  // A new date picks, for each purpose, the wording in force on it.
  const setDate = (date: string) => onChange({ ...draft, date, wordings: draft.ground === 'consent' ? Object.fromEntries(Object.keys(draft.wordings).map((id) => [id, inForce(id, date)])) : draft.wordings });
  const chosen = chosenPurposes(draft, policy);
  const noPurposes = policy.purposes.length === 0;
  const noBases = policy.lawfulBases.length === 0;
  return (
    <>
      <p>Say on what ground you keep these people’s details, as the privacy settings define them. It is recorded on every contact {adds}, and kept with the import.</p>
      <TextField
        path="basis.statement"
        label="The basis in your words"
        hint="For example: consent on paper form v2, collected at events in 2025"
        value={draft.statement}
        onChange={(statement) => onChange({ ...draft, statement })}
        error={issues['basis.statement']}
        required
        autoFocus
      />
      <RadioGroup
        path="basis.ground"
        name="import-basis-ground"
        legend="Their details are kept with"
        value={draft.ground}
        onChange={(ground) => onChange({ ...draft, ground })}
        options={[
          { value: 'consent', label: 'Their consent', hint: noPurposes ? 'The privacy settings have no consent purposes yet: a team lead adds them under Privacy.' : 'To one or more of the purposes in the privacy settings.' },
          { value: 'lawful-basis', label: 'A lawful basis besides consent', hint: noBases ? 'The privacy settings have no lawful bases yet: a team lead adds them under Privacy.' : 'One of the lawful bases in the privacy settings.' },
        ]}
      />
      {draft.ground === 'consent' ? (
        <>
          <CheckboxGroup
            path="basis.purposes"
            legend="They consented to"
            options={policy.purposes.map((p) => ({ value: p.id, label: `${p.name} (allows: ${usesInWords(p.uses)})` }))}
            value={Object.keys(draft.wordings)}
            onChange={choosePurposes}
            error={issues['basis.purposes']}
          />
          {chosen.map((purpose, i) => (
            <SelectField
              key={purpose.id}
              path={`basis.purposes.${i}.wordingVersion`}
              label={`Wording shown for “${purpose.name}”`}
              value={draft.wordings[purpose.id]!}
              options={purpose.versions.map((v) => ({ value: v.label, label: `${v.label} (from ${formatDate(v.from)})` }))}
              onChange={(label) => onChange({ ...draft, wordings: { ...draft.wordings, [purpose.id]: label } })}
              error={issues[`basis.purposes.${i}.wordingVersion`] ?? issues[`basis.purposes.${i}.purposeId`]}
            />
          ))}
          <div className="import-basis-row">
            <SelectField path="basis.method" label="How it was given" value={draft.method} options={CONSENT_METHODS.map((m) => ({ value: m, label: humanize(m) }))} onChange={(method) => onChange({ ...draft, method })} />
            <DateField path="basis.givenAt" label="Given on or by" value={draft.date} onChange={setDate} error={issues['basis.givenAt']} required />
          </div>
        </>
      ) : (
        <div className="import-basis-row">
          <SelectField
            path="basis.basisId"
            label="Lawful basis"
            value={chosenBasisId(draft, policy)}
            options={policy.lawfulBases.map((b) => ({ value: b.id, label: `${b.name} (allows: ${usesInWords(b.uses)})` }))}
            onChange={(basisId) => onChange({ ...draft, basisId })}
            error={issues['basis.basisId']}
          />
          <DateField path="basis.since" label="Since" value={draft.date} onChange={setDate} error={issues['basis.since']} required />
        </div>
      )}
    </>
  );
}

