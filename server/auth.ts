// Signed tokens and invite codes. A token names one workspace, one role, the user it was
// issued to and the device registration (`jti`); the server checks them on every
// connection and every push, attests that user as the author of what the token pushes,
// and refuses a token whose registration a lead revoked. Invite codes are stored only as hashes.
import { createHash } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { randomCode } from '../shared/crockford-code';
import { SYNC_ROLES, type SyncRole, type SyncUser } from '../shared/sync-protocol';

const ISSUER = 'fieldbook-sync';
const ALGORITHM = 'HS256';
/** How long a device's token stays valid; a device that syncs gets a fresh one (RENEW_AFTER_SECONDS). */
export const TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;
/** A token older than this is replaced at the next hello: a device that syncs monthly never expires. */
export const RENEW_AFTER_SECONDS = 24 * 3600;

export interface TokenClaims {
  workspaceId: string;
  role: SyncRole;
  /** Who the token was issued to (the device id given when redeeming). */
  subject: string;
  /** The device's user (the app's author), given when redeeming: every change it pushes must name them. */
  user: SyncUser;
  /** The device registration (server/store.ts DeviceRecord); null in tokens issued before registrations. */
  deviceRegistration?: string | null;
}

export interface VerifiedClaims extends TokenClaims {
  deviceRegistration: string | null;
  /** Seconds since 1970. */
  issuedAt: number;
}

export class AuthError extends Error {}

export async function issueToken(
  key: Uint8Array,
  claims: TokenClaims,
  lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const jwt = new SignJWT({ ws: claims.workspaceId, role: claims.role, user: { id: claims.user.id, name: claims.user.name } });
  if (claims.deviceRegistration) jwt.setJti(claims.deviceRegistration);
  return jwt
    .setProtectedHeader({ alg: ALGORITHM })
    .setIssuer(ISSUER)
    .setSubject(claims.subject)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(key);
}

/** The token's claims, or an AuthError saying in plain words why it is refused. */
export async function verifyToken(key: Uint8Array, token: string): Promise<VerifiedClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: [ALGORITHM] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AuthError('the token has expired; redeem a new invite code');
    throw new AuthError('the token is not valid for this server');
  }
  const role = payload.role as SyncRole;
  if (typeof payload.ws !== 'string' || !SYNC_ROLES.includes(role) || typeof payload.sub !== 'string') {
    throw new AuthError('the token lacks a workspace or role');
  }
  const user = payload.user as Partial<SyncUser> | undefined;
  if (typeof user?.id !== 'string' || typeof user.name !== 'string') {
    throw new AuthError('the token does not name its user (it was issued by an older server); redeem a new invite code');
  }
  return {
    workspaceId: payload.ws,
    role,
    subject: payload.sub,
    user: { id: user.id, name: user.name },
    deviceRegistration: typeof payload.jti === 'string' ? payload.jti : null,
    issuedAt: payload.iat ?? 0,
  };
}

/** A new invite code such as `7KQ2-M9XD-4TRB` (60 bits of Crockford's base32: easy to read out across a room). */
export function newInviteCode(): string {
  return randomCode(12, 4);
}

/** The stored form of a code; case, spaces and dashes do not matter when typing it. */
export function hashInviteCode(code: string): string {
  const normal = code.toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return createHash('sha256').update(normal).digest('hex');
}
