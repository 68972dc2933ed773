// Codes people read out, write down and type (recovery codes, invite codes, a server's check
// code): Crockford's base32, without I, L, O or U so nothing reads as another character, in
// dash-separated groups. Typed back, case, spaces and dashes do not matter, and the letters
// people mistake for digits are read as the digits.
import { randomInt } from 'node:crypto';

export const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `chars` in dash-separated groups of `groupLength` (the last may be shorter). */
export function inGroups(chars: string, groupLength: number): string {
  return chars.match(new RegExp(`.{1,${groupLength}}`, 'g'))!.join('-');
}

/** `length` random characters, in groups. */
export function randomCode(length: number, groupLength: number): string {
  return inGroups(Array.from({ length }, () => CROCKFORD_BASE32[randomInt(CROCKFORD_BASE32.length)]).join(''), groupLength);
}

/** A code of `length` characters as it was made, from however it was typed; null when it cannot be one (wrong length or characters). */
export function normaliseCode(typed: string, length: number, groupLength: number): string | null {
  const chars = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (chars.length !== length || [...chars].some((c) => !CROCKFORD_BASE32.includes(c))) return null;
  return inGroups(chars, groupLength);
}
