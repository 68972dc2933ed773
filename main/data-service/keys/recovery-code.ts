// Recovery codes: 25 random characters of Crockford's base32 (shared/crockford-code.ts), 125
// bits, shown in five groups of five to be written down or printed.
import { normaliseCode, randomCode } from '../../../shared/crockford-code';

const LENGTH = 25;
const GROUP_LENGTH = 5;

export function newRecoveryCode(): string {
  return randomCode(LENGTH, GROUP_LENGTH);
}

/** The code as it was generated, from however it was typed; null when it cannot be one (wrong length or characters). */
export function normaliseRecoveryCode(typed: string): string | null {
  return normaliseCode(typed, LENGTH, GROUP_LENGTH);
}
