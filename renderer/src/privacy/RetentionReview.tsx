// The retention review: people past the retention period since their last contact, and
// consents due for renewal, each chosen in bulk for a decision — keep for another period
// (with the reason, recorded on each record), renew consent, or erase.
import { useState } from 'react';
import type { RenewalDue, RenewalReason, RetentionDue } from '../../../shared/rpc';
import { call } from '../app/connection';
import { recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { TextField } from '../components/fields';
import { formatCount, formatDate, today } from '../../../shared/format';
import { useFormState } from '../lib/form-state';
import { useLiveAnswer } from './use-live-answer';

const LAST_CONTACT_WORDS: Record<RetentionDue['lastContactWas'], string> = {
  session: 'a session',
  consent: 'consent given',
  added: 'added',
};
const RENEWAL_WORDS: Record<RenewalReason, string> = {
  lapsed: 'Lapsed: no longer counts',
  'due-soon': 'Due soon',
  'wording-changed': 'Given to an older wording',
};

type Decision = { kind: 'keep' | 'erase'; people: RetentionDue[] } | { kind: 'renew'; consents: RenewalDue[] };

export function RetentionReviewSection() {
  const { answer: review, error, reload } = useLiveAnswer(() => call('retention.review', { today: today() }), ['contact', 'session', 'policy']);
  const [people, setPeople] = useState<Set<string>>(new Set());
  const [consents, setConsents] = useState<Set<string>>(new Set());
  const [decision, setDecision] = useState<Decision | null>(null);
  const [done, setDone] = useState('');
  const chosenPeople = review?.retention.filter((p) => people.has(p.id)) ?? [];
  const chosenConsents = review?.renewals.filter((c) => consents.has(c.consentId)) ?? [];
  const decided = (message: string) => {
    setDecision(null);
    setPeople(new Set());
    setConsents(new Set());
    setDone(message);
    reload();
  };

  return (
    <section className="form-section privacy-section" aria-labelledby="retention-review-heading">
      <h2 id="retention-review-heading">Review</h2>
      <p role="status" className="muted">
        {done}
      </p>
      {error ? (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      ) : !review ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <h3 id="retention-heading">Past the retention period</h3>
          {review.retention.length === 0 ? (
            <p>No one is past the retention period since their last contact.</p>
          ) : (
            <>
              <table className="privacy-table" aria-labelledby="retention-heading">
                <thead>
                  <tr>
                    <th scope="col">
                      <SelectAll label="Choose everyone past the retention period" all={review.retention.map((p) => p.id)} chosen={people} onChange={setPeople} />
                    </th>
                    <th scope="col">Person</th>
                    <th scope="col">Last contact</th>
                    <th scope="col">Due for review since</th>
                  </tr>
                </thead>
                <tbody>
                  {review.retention.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Choose label={`Choose ${p.name}`} id={p.id} chosen={people} onChange={setPeople} />
                      </td>
                      <td>
                        <a href={recordHref('contact', p.id)}>{p.name}</a>
                      </td>
                      <td>
                        {formatDate(p.lastContact)} ({LAST_CONTACT_WORDS[p.lastContactWas]})
                      </td>
                      <td>{formatDate(p.reviewFrom)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="privacy-actions" role="group" aria-label="Decide for the people chosen">
                <button type="button" className="button" disabled={!chosenPeople.length} onClick={() => setDecision({ kind: 'keep', people: chosenPeople })}>
                  Keep for another period{chosenPeople.length ? ` (${chosenPeople.length})` : ''}
                </button>
                <button type="button" className="button button--danger" disabled={!chosenPeople.length} onClick={() => setDecision({ kind: 'erase', people: chosenPeople })}>
                  Erase{chosenPeople.length ? ` (${chosenPeople.length})` : ''}
                </button>
              </div>
            </>
          )}
          <h3 id="renewals-heading">Consents to renew</h3>
          {review.renewals.length === 0 ? (
            <p>No consent is due for renewal.</p>
          ) : (
            <>
              <table className="privacy-table" aria-labelledby="renewals-heading">
                <thead>
                  <tr>
                    <th scope="col">
                      <SelectAll label="Choose every consent to renew" all={review.renewals.map((c) => c.consentId)} chosen={consents} onChange={setConsents} />
                    </th>
                    <th scope="col">Person</th>
                    <th scope="col">Consent</th>
                    <th scope="col">Renew by</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {review.renewals.map((c) => (
                    <tr key={c.consentId}>
                      <td>
                        <Choose label={`Choose ${c.name}: ${c.purpose}`} id={c.consentId} chosen={consents} onChange={setConsents} />
                      </td>
                      <td>
                        <a href={recordHref('contact', c.id)}>{c.name}</a>
                      </td>
                      <td>
                        {c.purpose} (wording {c.wordingVersion})
                      </td>
                      <td>{formatDate(c.due)}</td>
                      <td>{RENEWAL_WORDS[c.reason]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="privacy-actions" role="group" aria-label="Decide for the consents chosen">
                <button type="button" className="button" disabled={!chosenConsents.length} onClick={() => setDecision({ kind: 'renew', consents: chosenConsents })}>
                  Record renewal{chosenConsents.length ? ` (${chosenConsents.length})` : ''}
                </button>
              </div>
            </>
          )}
        </>
      )}
      {decision?.kind === 'renew' && <RenewDialog consents={decision.consents} onClose={() => setDecision(null)} onDone={decided} />}
      {decision && decision.kind !== 'renew' && <ReasonDialog kind={decision.kind} people={decision.people} onClose={() => setDecision(null)} onDone={decided} />}
    </section>
  );
}

function SelectAll({ label, all, chosen, onChange }: { label: string; all: string[]; chosen: Set<string>; onChange: (ids: Set<string>) => void }) {
  const every = all.length > 0 && all.every((id) => chosen.has(id));
  return <input type="checkbox" aria-label={label} checked={every} onChange={() => onChange(new Set(every ? [] : all))} />;
}

function Choose({ label, id, chosen, onChange }: { label: string; id: string; chosen: Set<string>; onChange: (ids: Set<string>) => void }) {
  return (
    <input
      type="checkbox"
      aria-label={label}
      checked={chosen.has(id)}
      onChange={(e) => {
        const next = new Set(chosen);
        if (e.target.checked) next.add(id);
        else next.delete(id);
        onChange(next);
      }}
    />
  );
}

function ReasonDialog({ kind, people, onClose, onDone }: { kind: 'keep' | 'erase'; people: RetentionDue[]; onClose: () => void; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const form = useFormState();
  const who = formatCount(people.length, 'person', 'people');
  const go = () =>
    form.submit(async () => {
      const contactIds = people.map((p) => p.id);
      if (kind === 'keep') {
        const { keptUntil } = await call('retention.keep', { today: today(), contactIds, reason });
        onDone(`Kept ${who} until ${formatDate(keptUntil)}.`);
      } else {
        const { erased } = await call('privacy.erase', { contactIds, reason });
        onDone(`Erased ${formatCount(erased, 'person', 'people')}.`);
      }
    });
  return (
    <Dialog title={kind === 'keep' ? `Keep ${who} for another period` : `Erase ${who}`} onClose={onClose}>
      <form
        className="dialog-body"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void go();
        }}
      >
        <p>
          {kind === 'keep'
            ? 'Their records stay for another retention period from today. The reason is written on each record, with who decided and when.'
            : 'They will be removed from this workspace and every device for good. This cannot be undone.'}
        </p>
        <ul className="privacy-people">
          {people.map((p) => (
            <li key={p.id}>{p.name}</li>
          ))}
        </ul>
        <TextField path="reason" label="Reason" value={reason} onChange={setReason} required multiline rows={2} error={form.issues.reason} />
        <DialogActions error={form.error} onCancel={onClose} submitLabel={kind === 'keep' ? 'Keep for another period' : 'Erase for good'} busy={form.busy} />
      </form>
    </Dialog>
  );
}

function RenewDialog({ consents, onClose, onDone }: { consents: RenewalDue[]; onClose: () => void; onDone: (message: string) => void }) {
  const form = useFormState();
  const go = () =>
    form.submit(async () => {
      const { renewed } = await call('consent.renew', { today: today(), consents: consents.map((c) => ({ contactId: c.id, consentId: c.consentId })) });
      onDone(`Recorded ${formatCount(renewed, 'renewed consent')}.`);
    });
  return (
    <Dialog title={`Record ${formatCount(consents.length, 'renewed consent')}`} onClose={onClose}>
      <div className="dialog-body">
        <p>Record only consents each person has given again. Each is recorded as given today, to its purpose’s current wording.</p>
        <ul className="privacy-people">
          {consents.map((c) => (
            <li key={c.consentId}>
              {c.name}: {c.purpose}
            </li>
          ))}
        </ul>
        <DialogActions error={form.error} onCancel={onClose} submitLabel="Record renewal" busy={form.busy} onSubmit={() => void go()} />
      </div>
    </Dialog>
  );
}
