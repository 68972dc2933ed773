// The retention review: people past the retention period since their last contact, consents
// due for renewal, and a lead's decisions on them — keep for another period (the reason kept
// on each record, so its history says who decided what and when) or record a renewal.
import { addMonths, currentWording, purposeOf, renewalDue, wordingSuperseded } from '../../../shared/privacy/consent-rules';
import { RpcError } from '../../../shared/rpc';
import type { LastContactSource, RenewalDue, RetentionDue, RetentionReview } from '../../../shared/rpc';
import { activePeople, lastSessionDays, type PersonRow } from '../read/people';
import type { Workspace } from '../workspace';

/** How long before its renewal date a consent is listed, so it can be renewed before it lapses. */
const RENEWAL_NOTICE_DAYS = 30;

const addDays = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A person's last contact: the latest session they came to or facilitated (under any id
 * merged into theirs), consent they gave or renewed, or the day they were added. Edits of
 * the record are not contact with the person (fixing a typo, or this review's own decision).
 */
function lastContact(person: PersonRow, sessionDays: Map<string, string>, aliases: string[], today: string): { day: string; was: LastContactSource } {
  let best = { day: person.added, was: 'added' as LastContactSource };
  const consider = (day: string | null | undefined, was: LastContactSource) => {
    if (day && day <= today && day > best.day) best = { day, was };
  };
  for (const id of aliases) consider(sessionDays.get(id), 'session');
  for (const c of person.data.consents) consider(c.renewedAt ?? c.givenAt, 'consent');
  return best;
}

export function retentionReview(ws: Workspace, today: string): RetentionReview {
  const policy = ws.records.policy();
  const sessionDays = lastSessionDays(ws.db);
  const people = activePeople(ws.db);
  const retention: RetentionDue[] = [];
  const renewals: RenewalDue[] = [];
  for (const person of people) {
    const last = lastContact(person, sessionDays, ws.aliasesOf(person.id), today);
    const due = addMonths(last.day, policy.retentionMonths);
    const kept = person.data.retention?.keptUntil;
    const reviewFrom = kept && kept > due ? kept : due;
    if (reviewFrom <= today) retention.push({ id: person.id, name: person.name, lastContact: last.day, lastContactWas: last.was, reviewFrom });
    for (const c of person.data.consents) {
      if (c.withdrawnAt || c.givenAt > today || !purposeOf(c, policy)) continue;
      const renewBy = renewalDue(c, policy);
      const reason = renewBy <= today ? 'lapsed' : renewBy <= addDays(today, RENEWAL_NOTICE_DAYS) ? 'due-soon' : wordingSuperseded(c, policy, today) ? 'wording-changed' : null;
      if (reason) renewals.push({ id: person.id, name: person.name, consentId: c.id, purpose: c.purpose, wordingVersion: c.wordingVersion, due: renewBy, reason });
    }
  }
  renewals.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  return { retention, renewals };
}

const contactOf = (ws: Workspace, id: string) => {
  const contact = ws.get('contact', id);
  if (contact.deletedAt || contact.mergedInto) throw new RpcError('conflict', `${contact.data.name} was deleted or merged since the review was listed; list it again`);
  return contact;
};

/** Keeps each record for another retention period from today, the decision and its reason written on it. */
export function keepForAnotherPeriod(ws: Workspace, contactIds: string[], reason: string, today: string): { kept: number; keptUntil: string } {
  const keptUntil = addMonths(today, ws.records.policy().retentionMonths);
  ws.transaction(() => {
    for (const id of contactIds) {
      contactOf(ws, id);
      ws.update('contact', id, { retention: { keptUntil, reason, decidedBy: ws.author.name, decidedOn: today } });
    }
  });
  return { kept: contactIds.length, keptUntil };
}

/** Records that each consent was given again today, to its purpose's wording current today. */
export function renewConsents(ws: Workspace, items: { contactId: string; consentId: string }[], today: string): { renewed: number } {
  const policy = ws.records.policy();
  const byContact = new Map<string, string[]>();
  for (const { contactId, consentId } of items) byContact.set(contactId, [...(byContact.get(contactId) ?? []), consentId]);
  ws.transaction(() => {
    for (const [contactId, chosen] of byContact) {
      const contact = contactOf(ws, contactId);
      const ids = new Set(chosen);
      for (const id of ids) {
        const consent = contact.data.consents.find((c) => c.id === id);
        if (!consent || consent.withdrawnAt) throw new RpcError('conflict', `a consent of ${contact.data.name} was withdrawn or removed since the review was listed; list it again`);
      }
      const consents = contact.data.consents.map((c) => {
        if (!ids.has(c.id)) return c;
        const purpose = purposeOf(c, policy);
        const wording = purpose && currentWording(purpose, today);
        return { ...c, renewedAt: today, ...(wording && { wordingVersion: wording.label, purposeId: purpose.id, purpose: purpose.name }) };
      });
      ws.update('contact', contactId, { consents });
    }
  });
  return { renewed: items.length };
}
