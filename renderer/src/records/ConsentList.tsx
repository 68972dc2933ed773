// Consent is a record, not a checkbox: which of the workspace's purposes it was for, which
// wording was shown, when and how it was given — and, when withdrawn, when, how and who
// recorded it. Withdrawn consent stays visible, struck through, and is never deleted. What
// each consent allows, and what withdrawing one ends, comes from the consent rules
// (shared/privacy/consent-rules.ts), the same ones exports and figures ask.
import { useState } from 'react';
import { CONSENT_METHODS, Consent, ContactLawfulBasis, WITHDRAWAL_METHODS, type ContactData, type PolicyData } from '../../../shared/domain';
import {
  consentStanding,
  coveredUses,
  currentWording,
  describeEndedUses,
  lacksLawfulGround,
  purposeOf,
  renewalDue,
  USE_LABELS,
  usesEndedByWithdrawing,
  wordingSuperseded,
} from '../../../shared/privacy/consent-rules';
import { useProfile } from '../app/profile';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { DateField, FieldError, SelectField, TextField } from '../components/fields';
import { addOnEnter } from '../lib/add-on-enter';
import { consentState, WITHDRAWN_HOW } from '../../../shared/consent-state';
import { formatDate, humanize, today } from '../../../shared/format';
import type { Issues } from '../lib/issues';
import { itemIssues } from '../lib/item-issues';
import { usePolicy } from '../privacy/privacy-settings';
import '../privacy/privacy.css';

interface Props {
  contact: ContactData;
  onConsents: (consents: Consent[]) => void;
  onLawfulBasis: (basis: ContactLawfulBasis | null) => void;
  issues: Issues;
}

const usesInWords = (uses: Iterable<keyof typeof USE_LABELS>) => [...uses].map((u) => USE_LABELS[u]).join('; ') || 'nothing';

/** The flag on a person's page held with no consent that counts and no lawful basis. */
export function NoGroundFlag({ contact }: { contact: ContactData }) {
  const policy = usePolicy();
  if (!policy || !lacksLawfulGround(contact, policy, today())) return null;
  return (
    <div className="banner banner--warning privacy-flag" role="note" aria-label="No lawful ground">
      <p>
        <strong>No consent or lawful basis recorded.</strong> Nothing about this person may be used until one is: record what they agreed to, or
        the lawful basis the organisation holds their details on, under Consent below.
      </p>
    </div>
  );
}

export function ConsentList({ contact, onConsents, onLawfulBasis, issues }: Props) {
  const policy = usePolicy();
  const [withdrawing, setWithdrawing] = useState<Consent | null>(null);
  const day = today();
  const { consents } = contact;
  return (
    <section className="form-section" aria-labelledby="consent-heading">
      <h2 id="consent-heading">Consent</h2>
      {policy && (
        <p className="consent-uses">
          <strong>Their details may be used today for:</strong> {usesInWords(coveredUses(contact, policy, day))}.
        </p>
      )}
      {consents.length > 0 ? (
        <ul className="consents">
          {consents.map((c) => {
            const withdrawn = c.withdrawnAt !== null;
            return (
              <li key={c.id} className={withdrawn ? 'consent consent--withdrawn' : 'consent'}>
                <div>
                  <p className="consent-purpose">
                    {withdrawn ? <s>{c.purpose}</s> : c.purpose}
                    {withdrawn && <span className="visually-hidden"> (withdrawn)</span>}
                  </p>
                  <p className="consent-detail">
                    {humanize(c.method)} consent {consentState(c)} · wording {c.wordingVersion}
                    {c.renewedAt && ` · renewed on ${formatDate(c.renewedAt)}`}
                  </p>
                  {withdrawn && (c.withdrawnBy || c.withdrawalMethod) && (
                    <p className="consent-detail">
                      {[c.withdrawalMethod && `Withdrawn ${WITHDRAWN_HOW[c.withdrawalMethod]}`, c.withdrawnBy && `recorded by ${c.withdrawnBy}`].filter(Boolean).join(', ')}
                    </p>
                  )}
                  {policy && <ConsentStandingNote consent={c} policy={policy} day={day} />}
                </div>
                {!withdrawn && (
                  <button type="button" className="button button--small" onClick={() => setWithdrawing(c)} aria-label={`Withdraw consent for ${c.purpose}`}>
                    Withdraw
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">No consent recorded. Record what this person agreed to before storing more about them.</p>
      )}
      <FieldError id={undefined} label="Consent" error={issues.consents} />
      {policy && <AddConsent policy={policy} onAdd={(consent) => onConsents([...consents, consent])} />}
      {policy && <LawfulBasisPart basis={contact.lawfulBasis} policy={policy} onChange={onLawfulBasis} issues={issues} />}
      {contact.retention && (
        <p className="muted">
          Kept for another period until {formatDate(contact.retention.keptUntil)}, decided by {contact.retention.decidedBy} on{' '}
          {formatDate(contact.retention.decidedOn)}: “{contact.retention.reason}”
        </p>
      )}
      {withdrawing && policy && (
        <WithdrawDialog
          consent={withdrawing}
          contact={contact}
          policy={policy}
          onClose={() => setWithdrawing(null)}
          onWithdraw={(withdrawal) => {
            onConsents(consents.map((x) => (x.id === withdrawing.id ? { ...x, ...withdrawal } : x)));
            setWithdrawing(null);
          }}
        />
      )}
    </section>
  );
}

function ConsentStandingNote({ consent, policy, day }: { consent: Consent; policy: PolicyData; day: string }) {
  const standing = consentStanding(consent, policy, day);
  const note =
    standing.state === 'active'
      ? `Allows: ${usesInWords(standing.purpose.uses)}${wordingSuperseded(consent, policy, day) ? ' · given to an older wording: renew it' : ''}`
      : standing.state === 'lapsed'
        ? `Lapsed on ${formatDate(renewalDue(consent, policy))}: it no longer counts until renewed`
        : standing.state === 'not-yet-given'
          ? 'Counts from the day it is given'
          : standing.state === 'unknown-purpose'
            ? 'Not one of the workspace’s consent purposes, so it allows nothing'
            : null;
  return note ? <p className="consent-detail">{note}</p> : null;
}

type Withdrawal = Pick<Consent, 'withdrawnAt' | 'withdrawnBy' | 'withdrawalMethod'>;

function WithdrawDialog({
  consent,
  contact,
  policy,
  onClose,
  onWithdraw,
}: {
  consent: Consent;
  contact: ContactData;
  policy: PolicyData;
  onClose: () => void;
  onWithdraw: (withdrawal: Withdrawal) => void;
}) {
  const me = useProfile((s) => s.profile?.author?.name ?? null);
  const [method, setMethod] = useState<(typeof WITHDRAWAL_METHODS)[number]>('in-person');
  const [on, setOn] = useState(today());
  const [dateProblem, setDateProblem] = useState<string | null>(null);
  const ended = usesEndedByWithdrawing(contact, consent.id, policy, today());
  return (
    <Dialog title={`Withdraw consent for ${consent.purpose}?`} onClose={onClose}>
      {/* Not a form: the dialog opens inside the record's own form. */}
      <div className="dialog-body">
        <h3>What will follow for {contact.name}</h3>
        <p className="withdraw-effects">{describeEndedUses(ended)}</p>
        <p className="muted">The consent stays on their record, struck through, with when and how it was withdrawn and who recorded it.</p>
        <SelectField
          path="withdrawal-method"
          label="How they told us"
          value={method}
          options={WITHDRAWAL_METHODS.map((m) => ({ value: m, label: humanize(WITHDRAWN_HOW[m]) }))}
          onChange={setMethod}
        />
        <DateField path="withdrawal-date" label="Withdrawn on" value={on} required onChange={setOn} onProblemChange={setDateProblem} />
        <DialogActions
          onCancel={onClose}
          submitLabel="Withdraw consent"
          onSubmit={() => {
            if (!dateProblem) onWithdraw({ withdrawnAt: on, withdrawnBy: me, withdrawalMethod: method });
          }}
        />
      </div>
    </Dialog>
  );
}

function AddConsent({ policy, onAdd }: { policy: PolicyData; onAdd: (consent: Consent) => void }) {
  const first = policy.purposes[0];
  const blank = { purposeId: first?.id ?? '', wordingVersion: (first && currentWording(first, today())?.label) ?? '', givenAt: today(), method: 'verbal' as Consent['method'] };
  const [item, setItem] = useState(blank);
  const [givenAtProblem, setGivenAtProblem] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issues>({});
  const purpose = policy.purposes.find((p) => p.id === item.purposeId);
  const wording = purpose?.versions.find((v) => v.label === item.wordingVersion);
  const add = () => {
    const consent: Consent = { id: crypto.randomUUID(), ...item, purpose: purpose?.name ?? '', renewedAt: null, withdrawnAt: null };
    const found: Issues = { ...itemIssues(Consent, consent), ...(givenAtProblem && { givenAt: givenAtProblem }) };
    if (found.purpose || found.purposeId) found.purposeId = 'is required: choose one of the workspace’s purposes';
    setIssues(found);
    if (Object.keys(found).length) return;
    onAdd(consent);
    setItem(blank);
  };
  return (
    <div className="add-row" role="group" aria-labelledby="new-consent-heading" onKeyDown={addOnEnter(add)}>
      <h3 id="new-consent-heading">Record consent</h3>
      <div className="add-row-fields">
        <SelectField
          path="new-consent-purpose"
          label="Purpose"
          value={item.purposeId}
          options={policy.purposes.map((p) => ({ value: p.id, label: p.name }))}
          onChange={(purposeId) => {
            const chosen = policy.purposes.find((p) => p.id === purposeId);
            setItem({ ...item, purposeId, wordingVersion: (chosen && currentWording(chosen, today())?.label) ?? '' });
          }}
          error={issues.purposeId}
          className="field--wide"
        />
        <SelectField
          path="new-consent-wording"
          label="Wording version"
          value={item.wordingVersion}
          options={(purpose?.versions ?? []).map((v) => ({ value: v.label, label: `${v.label} (from ${formatDate(v.from)})` }))}
          onChange={(wordingVersion) => setItem({ ...item, wordingVersion })}
          error={issues.wordingVersion}
        />
        <DateField label="Date given" value={item.givenAt} required onChange={(givenAt) => setItem({ ...item, givenAt })} onProblemChange={setGivenAtProblem} error={issues.givenAt} />
        <SelectField
          label="How given"
          value={item.method}
          options={CONSENT_METHODS.map((m) => ({ value: m, label: humanize(m) }))}
          onChange={(method) => setItem({ ...item, method })}
        />
        <button type="button" className="button" onClick={add}>
          Record consent
        </button>
      </div>
      {wording && <p className="muted consent-wording">Wording shown: “{wording.wording}”</p>}
    </div>
  );
}

function LawfulBasisPart({ basis, policy, onChange, issues }: { basis: ContactLawfulBasis | null; policy: PolicyData; onChange: (basis: ContactLawfulBasis | null) => void; issues: Issues }) {
  const [item, setItem] = useState<ContactLawfulBasis>({ basis: policy.lawfulBases[0]?.name ?? '', since: today(), note: '' });
  const [sinceProblem, setSinceProblem] = useState<string | null>(null);
  const [found, setFound] = useState<Issues>({});
  if (basis) {
    const known = policy.lawfulBases.some((b) => b.name === basis.basis);
    return (
      <div className="lawful-basis">
        <h3>Lawful basis</h3>
        <p>
          {basis.basis} since {formatDate(basis.since)}
          {basis.note && ` — ${basis.note}`}
          {!known && ' (not one of the workspace’s bases, so it allows nothing)'}
        </p>
        <FieldError id={undefined} label="Lawful basis" error={issues.lawfulBasis} />
        <button type="button" className="button button--small" onClick={() => onChange(null)}>
          Remove lawful basis
        </button>
      </div>
    );
  }
  const record = () => {
    const problems = { ...itemIssues(ContactLawfulBasis, item), ...(sinceProblem && { since: sinceProblem }) };
    setFound(problems);
    if (!Object.keys(problems).length) onChange(item);
  };
  return (
    <div className="add-row" role="group" aria-labelledby="lawful-basis-heading" onKeyDown={addOnEnter(record)}>
      <h3 id="lawful-basis-heading">Record a lawful basis besides consent</h3>
      <div className="add-row-fields">
        <SelectField
          path="lawful-basis"
          label="Lawful basis"
          value={item.basis}
          options={policy.lawfulBases.map((b) => ({ value: b.name, label: b.name }))}
          onChange={(name) => setItem({ ...item, basis: name })}
          error={found.basis}
        />
        <DateField path="lawful-basis-since" label="Since" value={item.since} required onChange={(since) => setItem({ ...item, since })} onProblemChange={setSinceProblem} error={found.since} />
        <TextField path="lawful-basis-note" label="Note (optional)" value={item.note} onChange={(note) => setItem({ ...item, note })} error={found.note} className="field--wide" />
        <button type="button" className="button" onClick={record}>
          Record lawful basis
        </button>
      </div>
    </div>
  );
}
