// The consent rules every export, evaluation figure and contact reminder asks: what each
// consent and lawful basis allows today, what withdrawing one ends, and who is held with no
// ground at all — against the workspace's privacy settings.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { DATA_USES, DEFAULT_POLICY, type Consent, type PolicyData } from '../../shared/domain';
import {
  addMonths,
  consentStanding,
  coveredUses,
  describeEndedUses,
  lacksLawfulGround,
  mayUse,
  usesEndedByWithdrawing,
  wordingSuperseded,
  type PersonGrounds,
} from '../../shared/privacy/consent-rules';

const TODAY = '2026-06-01';
/** One purpose per use, so each use can be given and withdrawn on its own. */
const policy: PolicyData = {
  ...DEFAULT_POLICY,
  purposes: DATA_USES.map((use) => ({ id: randomUUID(), name: `Purpose for ${use}`, uses: [use], versions: [{ label: 'v1', from: '2024-01-01', wording: `We ${use}.` }] })),
  renewalMonths: 24,
};
const purposeFor = (use: string) => policy.purposes.find((p) => p.name === `Purpose for ${use}`)!;

const consent = (use: string, changes: Partial<Consent> = {}): Consent => ({
  id: randomUUID(),
  purpose: purposeFor(use).name,
  purposeId: purposeFor(use).id,
  wordingVersion: 'v1',
  givenAt: '2026-01-10',
  method: 'written',
  withdrawnAt: null,
  ...changes,
});
const person = (consents: Consent[], lawfulBasis: PersonGrounds['lawfulBasis'] = null): PersonGrounds => ({ consents, lawfulBasis });

test('a consent to a purpose allows exactly the uses the settings give that purpose, each one', () => {
  for (const use of DATA_USES) {
    const grounds = person([consent(use)]);
    assert.deepEqual([...coveredUses(grounds, policy, TODAY)], [use], use);
    for (const other of DATA_USES.filter((u) => u !== use)) assert.equal(mayUse(grounds, other, policy, TODAY), false, `${use} does not allow ${other}`);
  }
  const wider = { ...policy, purposes: policy.purposes.map((p) => (p.uses[0] === 'share' ? { ...p, uses: ['share' as const, 'contact' as const] } : p)) };
  assert.equal(mayUse(person([consent('share')]), 'contact', wider, TODAY), true, 'a lead widening a purpose widens every consent to it');
});

test('a withdrawn consent allows nothing, whatever it was for', () => {
  for (const use of DATA_USES) assert.equal(mayUse(person([consent(use, { withdrawnAt: '2026-05-01' })]), use, policy, TODAY), false, use);
});

test('a consent dated after today counts only from that day', () => {
  const later = person([consent('share', { givenAt: '2026-06-02' })]);
  assert.equal(mayUse(later, 'share', policy, TODAY), false);
  assert.equal(mayUse(later, 'share', policy, '2026-06-02'), true);
  assert.equal(consentStanding(later.consents[0]!, policy, TODAY).state, 'not-yet-given');
});

test('a consent to a superseded wording still counts and is marked for renewal; a lapsed one does not count until renewed', () => {
  const reworded = {
    ...policy,
    purposes: policy.purposes.map((p) => ({ ...p, versions: [...p.versions, { label: 'v2', from: '2026-03-01', wording: 'Newer words.' }] })),
  };
  const old = consent('evaluate');
  assert.equal(mayUse(person([old]), 'evaluate', reworded, TODAY), true);
  assert.equal(wordingSuperseded(old, reworded, TODAY), true);
  assert.equal(wordingSuperseded(old, reworded, '2026-02-28'), false, 'v2 is not shown before its date');

  const twoYearsOld = consent('evaluate', { givenAt: '2024-05-31' });
  assert.equal(consentStanding(twoYearsOld, policy, TODAY).state, 'lapsed');
  assert.equal(mayUse(person([twoYearsOld]), 'evaluate', policy, TODAY), false);
  assert.equal(mayUse(person([{ ...twoYearsOld, renewedAt: '2026-05-01' }]), 'evaluate', policy, TODAY), true, 'a renewal counts from its own date');
  assert.equal(mayUse(person([twoYearsOld]), 'evaluate', { ...policy, renewalMonths: 36 }, TODAY), true, 'the settings decide the period');
});

test('a lawful basis allows what the settings give that basis, from its date; an unknown one allows nothing but is a ground', () => {
  const publicTask = person([], { basis: 'public task', since: '2026-01-01', note: '' });
  assert.deepEqual([...coveredUses(publicTask, DEFAULT_POLICY, TODAY)].sort(), ['contact', 'evaluate']);
  assert.equal(mayUse(publicTask, 'share', DEFAULT_POLICY, TODAY), false);
  assert.equal(mayUse(person([], { basis: 'Public task', since: '2026-07-01', note: '' }), 'contact', DEFAULT_POLICY, TODAY), false, 'not yet');
  const unknown = { type: 'person', ...person([], { basis: 'Vital interests', since: '2026-01-01', note: '' }) };
  assert.equal(coveredUses(unknown, DEFAULT_POLICY, TODAY).size, 0);
  assert.equal(lacksLawfulGround(unknown, DEFAULT_POLICY, TODAY), false);
});

test('a consent recorded as free text before purposes were settings is matched by name, otherwise allows nothing', () => {
  const legacy = (purpose: string): Consent => ({ id: randomUUID(), purpose, wordingVersion: 'v1', givenAt: '2025-01-01', method: 'verbal', withdrawnAt: null });
  assert.equal(mayUse(person([legacy('  share DETAILS with partner   organisations')]), 'share', DEFAULT_POLICY, TODAY), true);
  const unmatched = legacy('Share my details with partner organisations');
  assert.equal(consentStanding(unmatched, DEFAULT_POLICY, TODAY).state, 'unknown-purpose');
  assert.equal(mayUse(person([unmatched]), 'share', DEFAULT_POLICY, TODAY), false, 'its words are not read for meaning');
});

test('withdrawing ends only the uses no other consent or basis covers, and says so in words', () => {
  const sharing = consent('share');
  const evaluating = consent('evaluate');
  const alsoEvaluating = consent('evaluate');
  const grounds = person([sharing, evaluating, alsoEvaluating]);
  assert.deepEqual(usesEndedByWithdrawing(grounds, sharing.id, policy, TODAY), ['share']);
  assert.deepEqual(usesEndedByWithdrawing(grounds, evaluating.id, policy, TODAY), [], 'another consent still covers evaluation');
  const both = { ...policy, purposes: [...policy.purposes, { id: randomUUID(), name: 'Both', uses: ['share' as const, 'evaluate' as const], versions: policy.purposes[0]!.versions }] };
  const one = { ...consent('share'), purpose: 'Both', purposeId: both.purposes.at(-1)!.id };
  assert.deepEqual(usesEndedByWithdrawing(person([one]), one.id, both, TODAY), ['share', 'evaluate']);
  assert.equal(
    describeEndedUses(['share', 'evaluate']),
    'Their name, phone and email will no longer be in exports shared with partners; and they will not be counted in evaluation figures (how many came to sessions).',
  );
  assert.match(describeEndedUses([]), /Nothing else changes/);
  const withBasis = person([consent('contact')], { basis: 'Legitimate interests', since: '2025-01-01', note: '' });
  assert.deepEqual(usesEndedByWithdrawing(withBasis, withBasis.consents[0]!.id, DEFAULT_POLICY, TODAY), [], 'contact covered by the basis');
});

test('a person with no consent that counts and no lawful basis is held without a ground; an organisation never is', () => {
  assert.equal(lacksLawfulGround({ type: 'person', ...person([]) }, policy, TODAY), true);
  assert.equal(lacksLawfulGround({ type: 'person', ...person([consent('photos', { withdrawnAt: '2026-01-20' })]) }, policy, TODAY), true);
  assert.equal(lacksLawfulGround({ type: 'person', ...person([consent('photos')]) }, policy, TODAY), false);
  assert.equal(lacksLawfulGround({ type: 'organisation', ...person([]) }, policy, TODAY), false);
});

test('adding months keeps to the month’s last day', () => {
  assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
  assert.equal(addMonths('2024-02-29', 24), '2026-02-28');
  assert.equal(addMonths('2025-11-15', 3), '2026-02-15');
});
