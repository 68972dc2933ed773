// A sync server's check code: the first 80 bits of its TLS certificate's SHA-256, as four
// groups of Crockford base32 (`7KQ2-M9XD-4TRB-1HNC`; shared/crockford-code.ts). A server on a team's own network has
// no certificate a computer trusts (no authority signs one for a laptop's address), so the
// lead gives the code with the address, and a device trusts only the certificate it names:
// someone else on the same Wi-Fi cannot stand in for the server and read what is synced.
// 80 bits: finding another certificate with the same code is far out of reach; short enough
// to read off a screen and type.
import { createHash } from 'node:crypto';
import { CROCKFORD_BASE32, inGroups, normaliseCode } from './crockford-code';

const CODE_BITS = 80;
const LENGTH = CODE_BITS / 5;
const GROUP_LENGTH = 4;

/** The check code of a certificate, from its DER bytes. */
export function checkCodeOf(certificateDer: Uint8Array): string {
  const digest = createHash('sha256').update(certificateDer).digest();
  let bits = '';
  for (const byte of digest.subarray(0, CODE_BITS / 8)) bits += byte.toString(2).padStart(8, '0');
  const chars = Array.from({ length: LENGTH }, (_, i) => CROCKFORD_BASE32[parseInt(bits.slice(i * 5, i * 5 + 5), 2)]!);
  return inGroups(chars.join(''), GROUP_LENGTH);
}

/** A check code as typed, in its canonical form; null if it cannot be one. */
export function normaliseCheckCode(typed: string): string | null {
  return normaliseCode(typed, LENGTH, GROUP_LENGTH);
}
