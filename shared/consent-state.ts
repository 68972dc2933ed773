// A consent's state in words, the same wherever consents are listed (the contact page, the
// merge dialog, history and review), so a withdrawn consent never reads as if it held.
import type { Consent, WITHDRAWAL_METHODS } from './domain';
import { formatDate } from './format';

/** `given on 3 May 2026`, or `given on 3 May 2026, withdrawn on 1 Jun 2026`. */
export function consentState(consent: Pick<Consent, 'givenAt' | 'withdrawnAt'>): string {
  const given = `given on ${formatDate(consent.givenAt)}`;
  return consent.withdrawnAt ? `${given}, withdrawn on ${formatDate(consent.withdrawnAt)}` : given;
}

/** How a person told us they withdraw, as it reads after "withdrawn": `by phone`, `on their behalf`. */
export const WITHDRAWN_HOW: Record<(typeof WITHDRAWAL_METHODS)[number], string> = {
  'in-person': 'in person',
  phone: 'by phone',
  email: 'by email',
  letter: 'by letter',
  'on-their-behalf': 'on their behalf',
};
