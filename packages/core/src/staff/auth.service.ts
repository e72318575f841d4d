import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError, STAFF_ROLES, type StaffRole, isValidEmail } from '@pave/shared';
import type { RedisConnection } from '../queue/queue';
import type { Pool } from '../db/pool';
import { enforceRateLimits } from '../rate-limit/rate-limit';
import {
  findSessionUser,
  findStaffCredentials,
  findTeamIdByCode,
  insertStaffSession,
  insertStaffUser,
  revokeSession,
  type StaffUser,
} from './staff.repo';

export const SESSION_TTL_HOURS = 12;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Verifying against a real hash when the e-mail is unknown keeps login time the same either way.
let decoyHash: Promise<string> | null = null;

/** A new staff account; the password is hashed with argon2id. */
export async function createStaffUser(
  db: Pool,
  input: {
    email: string;
    password: string;
    role: string;
    teamCode?: string;
    service?: string;
    displayName?: string;
    /** The town the account works for (INSEE code); none for a metropolitan account. */
    townCode?: string;
  },
): Promise<StaffUser> {
  const email = input.email.trim().toLowerCase();
  if (!isValidEmail(email)) throw new AppError('EMAIL_INVALID', 'The e-mail address is not valid.');
  if (!(STAFF_ROLES as readonly string[]).includes(input.role)) {
    throw new AppError('VALIDATION_FAILED', `role must be one of ${STAFF_ROLES.join(', ')}.`);
  }
  if (input.password.length < 12) throw new AppError('VALIDATION_FAILED', 'A password needs at least 12 characters.');
  const teamId = input.teamCode ? await findTeamIdByCode(db, input.teamCode) : null;
  if (input.teamCode && teamId === null) throw new AppError('VALIDATION_FAILED', `Unknown team ${input.teamCode}.`);
  return insertStaffUser(db, {
    email,
    displayName: input.displayName ?? email.split('@')[0]!,
    passwordHash: await hash(input.password),
    role: input.role as StaffRole,
    teamId,
    service: input.service ?? null,
    townCode: input.townCode ?? null,
  });
}

/**
 * Checks an e-mail and password and opens a session. Attempts are limited per account *and* client
 * address, and per client address: a guesser is slowed down where it stands, but cannot lock the
 * owner out, who signs in from another address at once (an account-wide limit would be a weapon).
 * Every failure gets the same answer, so the API does not tell which accounts exist.
 */
export async function logIn(
  deps: { db: Pool; redis: RedisConnection; rateLimitPrefix: string },
  input: { email: string; password: string; ip: string },
): Promise<{ user: StaffUser; sessionToken: string; expiresAt: Date }> {
  const email = input.email.trim().toLowerCase();
  await enforceRateLimits(
    deps.redis,
    deps.rateLimitPrefix,
    [
      { key: `login:account-ip:${email}|${input.ip}`, max: 10, windowSeconds: 15 * 60 },
      { key: `login:ip:${input.ip}`, max: 50, windowSeconds: 15 * 60 },
    ],
    'Too many login attempts; try again later.',
  );
  const account = await findStaffCredentials(deps.db, email);
  decoyHash ??= hash('decoy-password-for-timing');
  const ok = await verify(account?.passwordHash ?? (await decoyHash), input.password).catch(() => false);
  if (!account || !ok) throw new AppError('AUTH_INVALID', 'Wrong e-mail or password.');
  const sessionToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_HOURS * 3_600_000);
  await insertStaffSession(deps.db, sha256(sessionToken), account.id, expiresAt);
  const { passwordHash: _passwordHash, ...user } = account;
  return { user, sessionToken, expiresAt };
}

/** The staff user behind a session cookie, or null. */
export async function authenticate(db: Pool, sessionToken: string | undefined): Promise<StaffUser | null> {
  if (!sessionToken || sessionToken.length > 100) return null;
  return findSessionUser(db, sha256(sessionToken));
}

export async function logOut(db: Pool, sessionToken: string | undefined): Promise<void> {
  if (sessionToken) await revokeSession(db, sha256(sessionToken));
}
