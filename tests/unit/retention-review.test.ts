// The retention review a lead works through: people past the retention period since their
// last contact (a session, a consent, the day they were added), consents due for renewal,
// and the decisions taken on them in bulk, each recorded on the record with its reason.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { DEFAULT_POLICY, type Consent } from '../../shared/domain';
import { addMonths } from '../../shared/privacy/consent-rules';
import { keepForAnotherPeriod, renewConsents, retentionReview } from '../../main/data-service/consent/retention';
import { peopleWithoutGround, savePrivacySettings } from '../../main/data-service/consent/settings';
import { mergeRecords } from '../../main/data-service/team/merge';
import { localToday } from '../../main/data-service/today';
import { openTemp } from './helpers';

// Records are added today; the review is run as if five years had passed, each date below counted back from then.
const LATER = addMonths(localToday(), 60);
const before = (months: number) => addMonths(LATER, -months);
const evaluation = DEFAULT_POLICY.purposes.find((p) => p.uses.includes('evaluate'))!;
const consent = (givenAt: string): Consent => ({
  id: randomUUID(),
  purpose: evaluation.name,
  purposeId: evaluation.id,
  wordingVersion: 'v1',
  givenAt,
  method: 'written',
  withdrawnAt: null,
});

test('people past the retention period since their last contact are listed; a session or a consent is contact, an organisation is never listed', (t) => {
  const { ws } = openTemp(t);
  const dan = ws.create('contact', { name: 'Dan Quiet' });
  const ann = ws.create('contact', { name: 'Ann Attends' });
  const annBefore = ws.create('contact', { name: 'A. Attends' });
  const cara = ws.create('contact', { name: 'Cara Consents', consents: [consent(before(11))] });
  ws.create('contact', { name: 'Food Bank', type: 'organisation' });
  ws.create('session', { title: 'Drop-in', type: 'drop-in', startsAt: `${before(19)}T10:00`, attendeeIds: [annBefore.id] });
  mergeRecords(ws, { kind: 'contact', survivorId: ann.id, mergedIds: [annBefore.id], choices: {} });

  const { retention } = retentionReview(ws, LATER);
  assert.deepEqual(retention.map((p) => [p.name, p.lastContactWas]), [['Dan Quiet', 'added']]);
  assert.equal(retentionReview(ws, addMonths(LATER, 6)).retention.find((p) => p.id === ann.id)?.lastContact, before(19), 'a session of a record merged into hers counts');
  assert.equal(retentionReview(ws, LATER).retention.some((p) => p.id === cara.id), false);

  savePrivacySettings(ws, { ...DEFAULT_POLICY, retentionMonths: 6 });
  assert.ok(retentionReview(ws, LATER).retention.some((p) => p.id === cara.id), 'the settings decide the period');
  assert.ok(retentionReview(ws, LATER).retention.some((p) => p.id === dan.id));
});

test('keeping people for another period takes them off the review until it ends, the reason and decision written on each record', (t) => {
  const { ws } = openTemp(t);
  const dan = ws.create('contact', { name: 'Dan Quiet' });
  const eve = ws.create('contact', { name: 'Eve Quiet' });
  assert.equal(retentionReview(ws, LATER).retention.length, 2);

  const { kept, keptUntil } = keepForAnotherPeriod(ws, [dan.id, eve.id], 'Open safeguarding referral', LATER);
  assert.deepEqual([kept, keptUntil], [2, addMonths(LATER, 24)]);
  assert.deepEqual(retentionReview(ws, LATER).retention, []);
  assert.deepEqual(ws.get('contact', dan.id).data.retention, { keptUntil: addMonths(LATER, 24), reason: 'Open safeguarding referral', decidedBy: 'Asha Patel', decidedOn: LATER });
  const entry = ws.history(eve.id).find((h) => h.field === 'retention');
  assert.equal(entry?.author.name, 'Asha Patel', 'history says who decided');
  assert.deepEqual(retentionReview(ws, addMonths(LATER, 24)).retention.map((p) => [p.name, p.reviewFrom]), [
    ['Dan Quiet', addMonths(LATER, 24)],
    ['Eve Quiet', addMonths(LATER, 24)],
  ]);
  ws.delete('contact', eve.id);
  assert.throws(() => keepForAnotherPeriod(ws, [dan.id, eve.id], 'again', addMonths(LATER, 12)), /deleted or merged/);
  assert.equal(ws.get('contact', dan.id).data.retention?.keptUntil, addMonths(LATER, 24), 'nothing of a refused batch is written');
});

test('consents lapsed, due within a month or given to an older wording are listed for renewal; a renewal takes them off', (t) => {
  const { ws } = openTemp(t);
  const lapsed = consent(before(31));
  // Renewal due a fortnight after the review.
  const dueSoon = consent(new Date(Date.parse(before(24)) + 14 * 86_400_000).toISOString().slice(0, 10));
  const fine = consent(before(7));
  const withdrawn = { ...consent(before(31)), withdrawnAt: before(24) };
  const fay = ws.create('contact', { name: 'Fay Renews', consents: [lapsed, dueSoon, fine, withdrawn] });
  const renewals = () => retentionReview(ws, LATER).renewals.map((r) => [r.consentId, r.reason]);
  assert.deepEqual(renewals(), [
    [lapsed.id, 'lapsed'],
    [dueSoon.id, 'due-soon'],
  ]);

  const reworded = DEFAULT_POLICY.purposes.map((p) => (p.id === evaluation.id ? { ...p, versions: [...p.versions, { label: 'v2', from: before(4), wording: 'New words.' }] } : p));
  savePrivacySettings(ws, { ...DEFAULT_POLICY, purposes: reworded });
  assert.deepEqual(renewals(), [
    [lapsed.id, 'lapsed'],
    [dueSoon.id, 'due-soon'],
    [fine.id, 'wording-changed'],
  ]);

  assert.deepEqual(renewConsents(ws, [{ contactId: fay.id, consentId: lapsed.id }, { contactId: fay.id, consentId: fine.id }], LATER), { renewed: 2 });
  assert.deepEqual(renewals(), [[dueSoon.id, 'due-soon']]);
  const renewed = ws.get('contact', fay.id).data.consents.find((c) => c.id === lapsed.id)!;
  assert.deepEqual([renewed.renewedAt, renewed.wordingVersion, renewed.givenAt], [LATER, 'v2', before(31)], 'renewed to the current wording; first given stays');
});

test('people with no consent that counts and no lawful basis are listed for the lead', (t) => {
  const { ws } = openTemp(t);
  const today = localToday();
  ws.create('contact', { name: 'Gil Nothing' });
  ws.create('contact', { name: 'Hana Withdrew', consents: [{ ...consent(addMonths(today, -3)), withdrawnAt: addMonths(today, -1) }] });
  ws.create('contact', { name: 'Ida Consents', consents: [consent(addMonths(today, -3))] });
  ws.create('contact', { name: 'Jo Basis', lawfulBasis: { basis: 'Legitimate interests', since: addMonths(today, -3), note: 'Tenant of the housing partner' } });
  ws.create('contact', { name: 'Kind Org', type: 'organisation' });
  assert.deepEqual(peopleWithoutGround(ws, today).map((p) => p.name), ['Gil Nothing', 'Hana Withdrew']);
});
