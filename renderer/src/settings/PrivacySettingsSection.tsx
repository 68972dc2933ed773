// The workspace's privacy settings: consent purposes (their wordings and what each allows),
// the lawful bases used besides consent, retention and renewal periods. Leads edit and save
// them for the whole team; everyone else reads them.
import { useState } from 'react';
import { DATA_USES, POLICY_ID, type LawfulBasis, type PolicyData, type Purpose, type WordingVersion } from '../../../shared/domain';
import { USE_LABELS } from '../../../shared/privacy/consent-rules';
import { call } from '../app/connection';
import { useProfile } from '../app/profile';
import { CheckboxGroup, DateField, FieldError, NumberField, TextField } from '../components/fields';
import { formatDate, formatRelative, today } from '../../../shared/format';
import { useFormState } from '../lib/form-state';
import type { Issues } from '../lib/issues';
import { HistoryPanel } from '../records/HistoryPanel';
import { showSavedSettings, usePolicy, usePrivacySettings } from '../privacy/privacy-settings';

const USE_OPTIONS = DATA_USES.map((value) => ({ value, label: USE_LABELS[value] }));
const usesInWords = (uses: readonly string[]) => (uses.length ? uses.map((u) => USE_LABELS[u as keyof typeof USE_LABELS]).join('; ') : 'Nothing');

export function PrivacySettingsSection() {
  const policy = usePolicy();
  const saved = usePrivacySettings((s) => s.settings?.saved ?? null);
  const isLead = useProfile((s) => s.profile?.role === 'lead');
  return (
    <section className="form-section settings-section" aria-labelledby="privacy-settings-heading">
      <h2 id="privacy-settings-heading">Privacy</h2>
      <p className="muted">
        {saved
          ? `Saved by ${saved.by.name} ${formatRelative(saved.at)}.`
          : 'These are the starting settings; nobody has saved the workspace’s own yet.'}{' '}
        {isLead ? 'They apply to the whole team once saved.' : 'Only team leads can change them.'}
      </p>
      {!policy ? <p role="status">Loading…</p> : isLead ? <PolicyForm policy={policy} /> : <PolicyView policy={policy} />}
      {policy && saved && (
        // Read-only: a lead changes the settings with the form, which keeps history the same way.
        <HistoryPanel kind="policy" id={POLICY_ID} data={policy} version={saved.at} readOnly onRestore={() => Promise.resolve()} />
      )}
    </section>
  );
}

function PolicyView({ policy }: { policy: PolicyData }) {
  return (
    <>
      <h3>Consent purposes</h3>
      <ul className="settings-list">
        {policy.purposes.map((p) => (
          <li key={p.id}>
            <p>
              <strong>{p.name}</strong> — allows: {usesInWords(p.uses)}
            </p>
            <ul>
              {p.versions.map((v) => (
                <li key={v.label}>
                  Wording {v.label}, from {formatDate(v.from)}: “{v.wording}”
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <h3>Lawful bases besides consent</h3>
      <ul className="settings-list">
        {policy.lawfulBases.map((b) => (
          <li key={b.id}>
            <strong>{b.name}</strong> — allows: {usesInWords(b.uses)}
          </li>
        ))}
      </ul>
      <p>Records are reviewed {policy.retentionMonths} months after last contact; consents are renewed every {policy.renewalMonths} months.</p>
    </>
  );
}

function PolicyForm({ policy }: { policy: PolicyData }) {
  const [draft, setDraft] = useState(policy);
  const [shown, setShown] = useState(policy);
  const [saved, setSaved] = useState(false);
  const form = useFormState();
  if (policy !== shown) {
    // Settings saved elsewhere (another lead's, arriving by sync) replace the form only where nothing was changed in it yet.
    setShown(policy);
    if (JSON.stringify(draft) === JSON.stringify(shown)) setDraft(policy);
  }
  const issues: Issues = Object.fromEntries(Object.entries(form.issues).map(([path, message]) => [path.replace(/^policy\./, ''), message]));
  const setPurpose = (i: number, change: Partial<Purpose>) => setDraft({ ...draft, purposes: draft.purposes.map((p, j) => (j === i ? { ...p, ...change } : p)) });
  const setBasis = (i: number, change: Partial<LawfulBasis>) =>
    setDraft({ ...draft, lawfulBases: draft.lawfulBases.map((b, j) => (j === i ? { ...b, ...change } : b)) });
  const save = () =>
    form.submit(async () => {
      setSaved(false);
      const stored = await call('consent.saveSettings', { policy: draft });
      showSavedSettings(stored);
      setDraft(stored.policy);
      setSaved(true);
    });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
      aria-label="Privacy settings"
    >
      <h3>Consent purposes</h3>
      <p className="muted">
        Every consent given to a purpose allows what the purpose allows now: changing its uses changes what each of those consents allows, and
        removing a purpose leaves its consents allowing nothing. A new wording applies from its date; consents to an older one are listed for
        renewal.
      </p>
      {draft.purposes.map((purpose, i) => (
        <fieldset key={purpose.id} className="settings-item">
          <legend>{purpose.name || `Purpose ${i + 1}`}</legend>
          <TextField path={`purposes.${i}.name`} label="Purpose" value={purpose.name} onChange={(name) => setPurpose(i, { name })} error={issues[`purposes.${i}.name`]} className="field--wide" />
          <CheckboxGroup
            path={`purposes.${i}.uses`}
            legend={`What consent to “${purpose.name || `purpose ${i + 1}`}” allows`}
            options={USE_OPTIONS}
            value={purpose.uses}
            onChange={(uses) => setPurpose(i, { uses })}
          />
          <Wordings
            purposeIndex={i}
            versions={purpose.versions}
            issues={issues}
            onChange={(versions) => setPurpose(i, { versions })}
          />
          <button type="button" className="button button--small button--danger" onClick={() => setDraft({ ...draft, purposes: draft.purposes.filter((_, j) => j !== i) })}>
            Remove purpose {purpose.name}
          </button>
        </fieldset>
      ))}
      <FieldError id={undefined} label="Consent purposes" error={issues.purposes} />
      <button
        type="button"
        className="button"
        onClick={() =>
          setDraft({ ...draft, purposes: [...draft.purposes, { id: crypto.randomUUID(), name: '', uses: [], versions: [{ label: 'v1', from: today(), wording: '' }] }] })
        }
      >
        Add a consent purpose
      </button>

      <h3>Lawful bases besides consent</h3>
      {draft.lawfulBases.map((basis, i) => (
        <fieldset key={basis.id} className="settings-item">
          <legend>{basis.name || `Basis ${i + 1}`}</legend>
          <TextField path={`lawfulBases.${i}.name`} label="Lawful basis" value={basis.name} onChange={(name) => setBasis(i, { name })} error={issues[`lawfulBases.${i}.name`]} />
          <CheckboxGroup path={`lawfulBases.${i}.uses`} legend={`What “${basis.name || `basis ${i + 1}`}” allows`} options={USE_OPTIONS} value={basis.uses} onChange={(uses) => setBasis(i, { uses })} />
          <button type="button" className="button button--small button--danger" onClick={() => setDraft({ ...draft, lawfulBases: draft.lawfulBases.filter((_, j) => j !== i) })}>
            Remove basis {basis.name}
          </button>
        </fieldset>
      ))}
      <button type="button" className="button" onClick={() => setDraft({ ...draft, lawfulBases: [...draft.lawfulBases, { id: crypto.randomUUID(), name: '', uses: [] }] })}>
        Add a lawful basis
      </button>

      <h3>Retention</h3>
      <div className="field-row">
        <NumberField
          path="retentionMonths"
          label="Review records this many months after last contact"
          value={draft.retentionMonths}
          min={1}
          step={1}
          onChange={(v) => setDraft({ ...draft, retentionMonths: v ?? 0 })}
          error={issues.retentionMonths}
        />
        <NumberField
          path="renewalMonths"
          label="Consent must be renewed every (months)"
          value={draft.renewalMonths}
          min={1}
          step={1}
          onChange={(v) => setDraft({ ...draft, renewalMonths: v ?? 0 })}
          error={issues.renewalMonths}
        />
      </div>
      {form.error && (
        <p className="banner banner--error" role="alert">
          {form.error}
        </p>
      )}
      <p role="status" className="muted">
        {saved && !form.busy ? 'Privacy settings saved for the whole team.' : ''}
      </p>
      <button type="submit" className="button button--primary" disabled={form.busy}>
        Save privacy settings
      </button>
    </form>
  );
}

function Wordings({ purposeIndex, versions, issues, onChange }: { purposeIndex: number; versions: WordingVersion[]; issues: Issues; onChange: (versions: WordingVersion[]) => void }) {
  const set = (i: number, change: Partial<WordingVersion>) => onChange(versions.map((v, j) => (j === i ? { ...v, ...change } : v)));
  const at = (i: number, field: string) => `purposes.${purposeIndex}.versions.${i}.${field}`;
  return (
    <div className="wordings">
      {versions.map((v, i) => (
        <div key={i} className="field-row wording" role="group" aria-label={`Wording ${v.label || i + 1}`}>
          <TextField path={at(i, 'label')} label="Wording version" value={v.label} onChange={(label) => set(i, { label })} error={issues[at(i, 'label')]} className="field--short" />
          <DateField path={at(i, 'from')} label="Shown from" value={v.from} required onChange={(from) => set(i, { from })} error={issues[at(i, 'from')]} />
          <TextField path={at(i, 'wording')} label="Wording shown to the person" value={v.wording} multiline rows={2} onChange={(wording) => set(i, { wording })} error={issues[at(i, 'wording')]} className="field--wide" />
        </div>
      ))}
      <FieldError id={undefined} label="Wordings" error={issues[`purposes.${purposeIndex}.versions`]} />
      <button type="button" className="button button--small" onClick={() => onChange([...versions, { label: `v${versions.length + 1}`, from: today(), wording: '' }])}>
        Add a new wording
      </button>
    </div>
  );
}
