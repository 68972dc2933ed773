// Recovery codes: 25 random characters of Crockford's base32 (no I, L, O or U, so nothing
// reads as another character), 125 bits, shown in five groups of five to be written down or
// printed. Typed back, case, spaces and dashes do not matter, and the letters people mistake
// for digits are read as the digits.
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 5;
const GROUP_LENGTH = 5;

export function newRecoveryCode(): string {
  const chars = Array.from({ length: GROUPS * GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return Array.from({ length: GROUPS }, (_, g) => chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join('')).join('-');
}

/** The code as it was generated, from however it was typed; null when it cannot be one (wrong length or characters). */
export function normaliseRecoveryCode(typed: string): string | null {
  const chars = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (chars.length !== GROUPS * GROUP_LENGTH || [...chars].some((c) => !ALPHABET.includes(c))) return null;
  return chars.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-');
}
