// RPC handlers of consent and retention's part of the contract (shared/rpc-consent.ts).
import type { CONSENT_RPC_METHODS } from '../../../shared/rpc-consent';
import { eraseContacts } from '../privacy/erasure';
import { leadsOnly } from '../roles';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { keepForAnotherPeriod, renewConsents, retentionReview } from './retention';
import { peopleWithoutGround, privacySettings, savePrivacySettings } from './settings';

export function consentHandlers({ service }: HandlerContext): HandlersFor<keyof typeof CONSENT_RPC_METHODS> {
  const ws = () => service.workspace;
  return {
    'consent.settings': () => privacySettings(ws()),
    'consent.saveSettings': leadsOnly(service, 'change the privacy settings', (p) => savePrivacySettings(ws(), p.policy)),
    'consent.withoutGround': leadsOnly(service, 'list people held without a lawful ground', (p) => peopleWithoutGround(ws(), p.today)),
    'retention.review': leadsOnly(service, 'review retention', (p) => retentionReview(ws(), p.today)),
    'retention.keep': leadsOnly(service, 'keep records for another period', (p) => keepForAnotherPeriod(ws(), p.contactIds, p.reason, p.today)),
    'consent.renew': leadsOnly(service, 'record renewed consents', (p) => renewConsents(ws(), p.consents, p.today)),
    'privacy.erase': leadsOnly(service, 'erase people', (p) => eraseContacts(ws(), p.contactIds, p.reason)),
  };
}
