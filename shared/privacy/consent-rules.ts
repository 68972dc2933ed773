// The one place that answers "may this person's data be used for <use> today?" — every
// export, partner-facing output, evaluation figure and contact reminder asks here, and the
// contact page and the withdrawal dialog say in words what these rules decide. Pure
// functions of a contact's consents and lawful basis, the workspace's privacy settings
// (shared/kinds/policy.ts) and today's date, so the data service and the renderer agree.
import type { Consent, ContactLawfulBasis } from '../kinds/contact';
import type { DataUse, PolicyData, Purpose } from '../kinds/policy';
import { DATA_USES } from '../kinds/policy';

/** What the rules read of a contact (the contact's data, or the columns of it a query took). */
export interface PersonGrounds {
  consents: readonly Consent[];
  lawfulBasis: ContactLawfulBasis | null;
}

/** Each use as a setting names it. */
export const USE_LABELS: Record<DataUse, string> = {
  contact: 'Contact the person',
  share: 'Share their details with partners',
  evaluate: 'Include in evaluation',
  photos: 'Keep photos',
};

/** What stops for a person once a use is no longer covered, as the withdrawal dialog says it. */
const USE_ENDS: Record<DataUse, string> = {
  contact: 'no one should contact them any more, and no reminder will ask anyone to',
  share: 'their name, phone and email will no longer be in exports shared with partners',
  evaluate: 'they will not be counted in evaluation figures (how many came to sessions)',
  photos: 'photos of them must no longer be kept (the app holds none: remove any kept elsewhere)',
};

const byName = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The workspace purpose a consent was given for: by its id, or — for a consent recorded as
 * free text before purposes were settings — by the same name. Null: it names no purpose the
 * settings know, and allows no use (it is shown as it was written).
 */
export function purposeOf(consent: Pick<Consent, 'purpose' | 'purposeId'>, policy: PolicyData): Purpose | null {
  if (consent.purposeId) {
    const found = policy.purposes.find((p) => p.id === consent.purposeId);
    if (found) return found;
  }
  return policy.purposes.find((p) => byName(p.name) === byName(consent.purpose)) ?? null;
}

/** The wording of a purpose shown to people today: the latest version in effect on or before `today`. */
export function currentWording(purpose: Purpose, today: string) {
  const inEffect = purpose.versions.filter((v) => v.from <= today).sort((a, b) => (a.from < b.from ? 1 : -1));
  return inEffect[0] ?? null;
}

/** `2026-03-31` plus months, clamped to the month's last day (31 Jan + 1 month = 28 Feb). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The day a consent must be given again by: its last confirmation plus the settings' renewal period. */
export function renewalDue(consent: Pick<Consent, 'givenAt' | 'renewedAt'>, policy: PolicyData): string {
  return addMonths(consent.renewedAt ?? consent.givenAt, policy.renewalMonths);
}

export type ConsentStanding =
  | { state: 'active'; purpose: Purpose }
  | { state: 'withdrawn' | 'not-yet-given' | 'lapsed' | 'unknown-purpose' };

/**
 * Whether a consent counts today: given on or before today, not withdrawn, confirmed within
 * the renewal period, for a purpose the settings know. A consent to an older wording still
 * counts (the person agreed to what they were shown) and is listed for renewal.
 */
export function consentStanding(consent: Consent, policy: PolicyData, today: string): ConsentStanding {
  if (consent.withdrawnAt) return { state: 'withdrawn' };
  if (consent.givenAt > today) return { state: 'not-yet-given' };
  if (renewalDue(consent, policy) <= today) return { state: 'lapsed' };
  const purpose = purposeOf(consent, policy);
  return purpose ? { state: 'active', purpose } : { state: 'unknown-purpose' };
}

/** Whether a consent was given to a wording its purpose has since replaced. */
export function wordingSuperseded(consent: Consent, policy: PolicyData, today: string): boolean {
  const purpose = purposeOf(consent, policy);
  const current = purpose && currentWording(purpose, today);
  return !!current && current.label !== consent.wordingVersion;
}

function basisUses(person: PersonGrounds, policy: PolicyData, today: string): readonly DataUse[] {
  const recorded = person.lawfulBasis;
  if (!recorded || recorded.since > today) return [];
  return policy.lawfulBases.find((b) => byName(b.name) === byName(recorded.basis))?.uses ?? [];
}

/** Every use this person's data may be put to today, by any consent that counts or their lawful basis. */
export function coveredUses(person: PersonGrounds, policy: PolicyData, today: string, leaveOutConsentId?: string): Set<DataUse> {
  const covered = new Set<DataUse>(basisUses(person, policy, today));
  for (const consent of person.consents) {
    if (consent.id === leaveOutConsentId) continue;
    const standing = consentStanding(consent, policy, today);
    if (standing.state === 'active') for (const use of standing.purpose.uses) covered.add(use);
  }
  return covered;
}

/** May this person's data be used for `use` today? */
export function mayUse(person: PersonGrounds, use: DataUse, policy: PolicyData, today: string): boolean {
  return coveredUses(person, policy, today).has(use);
}

/** Uses that withdrawing this consent ends: those it covers today that no other consent or lawful basis covers. */
export function usesEndedByWithdrawing(person: PersonGrounds, consentId: string, policy: PolicyData, today: string): DataUse[] {
  const before = coveredUses(person, policy, today);
  const after = coveredUses(person, policy, today, consentId);
  return DATA_USES.filter((use) => before.has(use) && !after.has(use));
}

/** What follows for a person once these uses end, in one paragraph. */
export function describeEndedUses(uses: readonly DataUse[]): string {
  if (uses.length === 0) return 'Nothing else changes: their other consents or lawful basis still cover everything this one did.';
  const clauses = uses.map((use) => USE_ENDS[use]);
  const sentence = clauses.length === 1 ? clauses[0]! : `${clauses.slice(0, -1).join('; ')}; and ${clauses.at(-1)!}`;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/**
 * A person the organisation holds data about without any ground: no consent that counts
 * today and no lawful basis recorded. Organisations hold no consent of their own.
 */
export function lacksLawfulGround(person: PersonGrounds & { type: string }, policy: PolicyData, today: string): boolean {
  if (person.type !== 'person' || person.lawfulBasis) return false;
  return !person.consents.some((c) => consentStanding(c, policy, today).state === 'active');
}
