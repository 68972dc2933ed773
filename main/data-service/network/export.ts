// The consent rule exports apply today (main/data-service/export/consent-gate.ts asks it):
// whether a person's consents allow their details to be shared outside the workspace.
import type { Consent } from '../../../shared/domain';

/** A consent's purpose that speaks of sharing details ("Share my details with partner organisations"). */
const SHARING_PURPOSE = /\bshar(e|ed|ing)\b/i;

/**
 * Whether a person's consents allow their details to be shared outside the workspace:
 * at least one consent whose purpose is sharing, given on or before `today`, and not
 * withdrawn. Consent to be contacted or to be kept on the map is not consent to sharing.
 */
export function allowsSharing(consents: readonly Consent[], today: string): boolean {
  return consents.some((c) => c.withdrawnAt === null && c.givenAt <= today && SHARING_PURPOSE.test(c.purpose));
}
