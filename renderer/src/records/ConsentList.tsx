// Consent is a record, not a checkbox: what it was for, which wording was shown, when and
// how it was given — and, when withdrawn, when. Withdrawn consent stays visible, struck
// through, and is never deleted.
import { useState } from 'react';
import { CONSENT_METHODS, Consent } from '../../../shared/domain';
import { DateField, FieldError, SelectField, TextField } from '../components/fields';
import { addOnEnter } from '../lib/add-on-enter';
import { consentState } from '../../../shared/consent-state';
import { humanize, today } from '../../../shared/format';
import type { Issues } from '../lib/issues';
import { itemIssues } from '../lib/item-issues';

interface Props {
  consents: Consent[];
  onChange: (consents: Consent[]) => void;
  issues: Issues;
}

export function ConsentList({ consents, onChange, issues }: Props) {
  return (
    <section className="form-section" aria-labelledby="consent-heading">
      <h2 id="consent-heading">Consent</h2>
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
                  </p>
                </div>
                {!withdrawn && (
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => onChange(consents.map((x) => (x.id === c.id ? { ...x, withdrawnAt: today() } : x)))}
                    aria-label={`Withdraw consent for ${c.purpose}`}
                  >
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
      <AddConsent onAdd={(consent) => onChange([...consents, consent])} />
    </section>
  );
}

function AddConsent({ onAdd }: { onAdd: (consent: Consent) => void }) {
  const blank = { purpose: '', wordingVersion: '', givenAt: today(), method: 'verbal' as Consent['method'] };
  const [item, setItem] = useState(blank);
  const [givenAtProblem, setGivenAtProblem] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issues>({});
  const add = () => {
    const consent = { id: crypto.randomUUID(), ...item, withdrawnAt: null };
    const found = { ...itemIssues(Consent, consent), ...(givenAtProblem && { givenAt: givenAtProblem }) };
    setIssues(found);
    if (Object.keys(found).length) return;
    onAdd(consent);
    setItem(blank);
  };
  return (
    <div className="add-row" role="group" aria-labelledby="new-consent-heading" onKeyDown={addOnEnter(add)}>
      <h3 id="new-consent-heading">Record consent</h3>
      <div className="add-row-fields">
        <TextField label="Purpose" value={item.purpose} placeholder="e.g. Contact about local events" onChange={(purpose) => setItem({ ...item, purpose })} error={issues.purpose} className="field--wide" />
        <TextField label="Wording version" value={item.wordingVersion} placeholder="e.g. v2" onChange={(wordingVersion) => setItem({ ...item, wordingVersion })} error={issues.wordingVersion} />
        <DateField
          label="Date given"
          value={item.givenAt}
          required
          onChange={(givenAt) => setItem({ ...item, givenAt })}
          onProblemChange={setGivenAtProblem}
          error={issues.givenAt}
        />
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
    </div>
  );
}
