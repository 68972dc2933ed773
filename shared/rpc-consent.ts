// Consent and retention's part of the RPC contract: the workspace's privacy settings, the
// people held without a lawful ground, and the retention review with its bulk decisions.
// Listed in RPC_AREAS by shared/rpc.ts.
import { z } from 'zod';
import { PolicyFields, recordId, type Author, type PolicyData } from './domain';
import { requiredText } from './kinds/field-types';
import { returns } from './rpc-area';

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const contactIds = z.array(recordId).min(1, 'must name at least one person').max(500, 'must name at most 500 people at once');

export interface PrivacySettings {
  policy: PolicyData;
  /** Who last saved them and when; null while the workspace uses the defaults. */
  saved: { by: Author; at: string } | null;
}

/** A person listed for a lead: by id and name only. */
export interface PersonRef {
  id: string;
  name: string;
}

/** Why a person is past the retention period, from what their record shows. */
export const LAST_CONTACT_SOURCES = ['session', 'consent', 'added'] as const;
export type LastContactSource = (typeof LAST_CONTACT_SOURCES)[number];

export interface RetentionDue extends PersonRef {
  /** The latest of: a session they came to or facilitated, a consent given or renewed, the day they were added. */
  lastContact: string;
  lastContactWas: LastContactSource;
  /** The day their record was due for review: last contact plus the retention period (or the end of a period a lead kept it for). */
  reviewFrom: string;
}

export const RENEWAL_REASONS = ['lapsed', 'due-soon', 'wording-changed'] as const;
export type RenewalReason = (typeof RENEWAL_REASONS)[number];

export interface RenewalDue extends PersonRef {
  consentId: string;
  purpose: string;
  wordingVersion: string;
  /** The day it must be (or had to be) given again by. */
  due: string;
  reason: RenewalReason;
}

export interface RetentionReview {
  retention: RetentionDue[];
  renewals: RenewalDue[];
}

const today = { today: isoDate };

export const CONSENT_RPC_METHODS = {
  /** The workspace's privacy settings, for everyone to read. */
  'consent.settings': { params: z.strictObject({}), result: returns<PrivacySettings>() },
  /** Leads only: saves the privacy settings (the sync server refuses anyone else's change too). */
  'consent.saveSettings': { params: z.strictObject({ policy: PolicyFields }), result: returns<PrivacySettings>() },
  /** Leads only: people held with no consent that counts today and no lawful basis recorded. */
  'consent.withoutGround': { params: z.strictObject(today), result: returns<PersonRef[]>() },
  /** Leads only: people past the retention period since last contact, and consents due for renewal. */
  'retention.review': { params: z.strictObject(today), result: returns<RetentionReview>() },
  /** Leads only: keeps these people's records for another retention period, with the reason recorded on each. */
  'retention.keep': {
    params: z.strictObject({ ...today, contactIds, reason: requiredText(500) }),
    result: returns<{ kept: number; keptUntil: string }>(),
  },
  /** Leads only: records that these consents were given again today, to their purposes' current wording. */
  'consent.renew': {
    params: z.strictObject({
      ...today,
      consents: z.array(z.strictObject({ contactId: recordId, consentId: recordId })).min(1, 'must name at least one consent').max(500),
    }),
    result: returns<{ renewed: number }>(),
  },
  /**
   * Leads only: erases these people from the workspace and every replica (privacy/erasure.ts),
   * each an erasure of its own, the reason kept beside each in this device's erasure log.
   */
  'privacy.erase': {
    params: z.strictObject({ contactIds, reason: requiredText(500) }),
    result: returns<{ erased: number }>(),
  },
} as const;
