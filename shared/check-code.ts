// A sync server's check code: the first 80 bits of its TLS certificate's SHA-256, as four
// groups of Crockford base32 (`7KQ2-M9XD-4TRB-1HNC`). A server on a team's own network has
// no certificate a computer trusts (no authority signs one for a laptop's address), so the
// lead gives the code with the address, and a device trusts only the certificate it names:
// someone else on the same Wi-Fi cannot stand in for the server and read what is synced.
// 80 bits: finding another certificate with the same code is far out of reach; short enough
// to read off a screen and type.
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BITS = 80;

/** The check code of a certificate, from its DER bytes. */
export function checkCodeOf(certificateDer: Uint8Array): string {
  const digest = createHash('sha256').update(certificateDer).digest();
  let bits = '';
  for (const byte of digest.subarray(0, CODE_BITS / 8)) bits += byte.toString(2).padStart(8, '0');
  const chars = Array.from({ length: CODE_BITS / 5 }, (_, i) => ALPHABET[parseInt(bits.slice(i * 5, i * 5 + 5), 2)]!);
  return [0, 4, 8, 12].map((at) => chars.slice(at, at + 4).join('')).join('-');
}

/** A check code as typed, in its canonical form; null if it cannot be one (Crockford's O, I, L read as 0, 1, 1). */
export function normalizeCheckCode(typed: string): string | null {
  const chars = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (chars.length !== CODE_BITS / 5 || [...chars].some((c) => !ALPHABET.includes(c))) return null;
  return [0, 4, 8, 12].map((at) => chars.slice(at, at + 4)).join('-');
}
