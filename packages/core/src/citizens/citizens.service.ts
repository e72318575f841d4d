import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  CITIZEN_LIMITS,
  publicStatusLabel,
  type CitizenProfile,
  type ClaimableReports,
  type ClaimedReports,
  type Locale,
  type MagicLinkRequest,
  type MyReports,
  type UpdateCitizenProfile,
  isValidEmail,
} from '@pave/shared';
import type { RedisConnection } from '../queue/queue';
import { withTransaction, type Pool } from '../db/pool';
import { sendLinkMail } from '../notifications/link-mail';
import type { Mailer } from '../notifications/notifications.service';
import { enforceRateLimits } from '../rate-limit/rate-limit';
import {
  claimDeviceReports,
  consumeMagicLink,
  countClaimableReports,
  eraseCitizen,
  findCitizenAccount,
  findCitizenBySession,
  findMyReports,
  insertCitizenSession,
  insertMagicLink,
  revokeCitizenSession,
  updateCitizenAccount,
  upsertCitizenByEmail,
  type CitizenAccount,
} from './citizens.repo';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A random, URL-safe secret of 256 bits. */
const newSecret = () => randomBytes(32).toString('base64url');

const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const DEVICE = /^[A-Za-z0-9_-]{8,64}$/;
const DEFAULT_RETURN_TO = '/compte';
const MY_REPORTS_LIMIT = 200;

/**
 * Where to go after signing in: a path of this site, never another origin. `//evil.example` and
 * `/\evil.example` are what browsers read as other hosts, so only a single leading slash passes.
 */
export function safeReturnTo(value: string | undefined | null): string {
  if (!value || value.length > CITIZEN_LIMITS.returnToMaxLength) return DEFAULT_RETURN_TO;
  if (!/^\/(?![/\\])[^\s\\]*$/.test(value)) return DEFAULT_RETURN_TO;
  return value;
}

/** The device id the web app sends as X-Pave-Device, when it has the expected shape. */
export function parseDeviceId(value: unknown): string | null {
  return typeof value === 'string' && DEVICE.test(value) ? value : null;
}

export interface CitizenSession {
  accountId: string;
  sessionToken: string;
  expiresAt: Date;
}

/** Opens a session; only a hash of the returned token is stored. */
export async function openCitizenSession(
  db: Pool,
  accountId: string,
  oidc: { provider: string; idToken: string } | null = null,
): Promise<CitizenSession> {
  const sessionToken = newSecret();
  const expiresAt = new Date(Date.now() + CITIZEN_LIMITS.sessionDays * 86_400_000);
  await insertCitizenSession(db, sha256(sessionToken), accountId, expiresAt, oidc);
  return { accountId, sessionToken, expiresAt };
}

/** The citizen behind a session cookie, or null. */
export async function authenticateCitizen(db: Pool, sessionToken: string | undefined): Promise<CitizenAccount | null> {
  if (!sessionToken || !SECRET_SHAPE.test(sessionToken)) return null;
  return findCitizenBySession(db, sha256(sessionToken));
}

/** Revokes the session; returns the provider sign-in it came from (to sign out there too), or null. */
export async function logOutCitizen(
  db: Pool,
  sessionToken: string | undefined,
): Promise<{ provider: string; idToken: string } | null> {
  if (!sessionToken || !SECRET_SHAPE.test(sessionToken)) return null;
  return revokeCitizenSession(db, sha256(sessionToken));
}

export interface MagicLinkDeps {
  db: Pool;
  redis: RedisConnection;
  mailer: Mailer;
  rateLimitPrefix: string;
  publicBaseUrl: string;
}

const MAIL_TEXT: Record<Locale, { subject: string; intro: string; expiry: string; ignore: string }> = {
  fr: {
    subject: 'Votre lien de connexion à Pavé',
    intro: 'Pour vous connecter à Pavé, ouvrez ce lien :',
    expiry: `Il fonctionne une seule fois, pendant ${CITIZEN_LIMITS.magicLinkMinutes} minutes.`,
    ignore: 'Si vous n’avez rien demandé, ignorez ce message : personne ne peut se connecter sans ce lien.',
  },
  en: {
    subject: 'Your Pavé sign-in link',
    intro: 'To sign in to Pavé, open this link:',
    expiry: `It works once, for ${CITIZEN_LIMITS.magicLinkMinutes} minutes.`,
    ignore: 'If you did not ask for it, ignore this message: nobody can sign in without this link.',
  },
};

/**
 * Mails a one-use sign-in link to any valid address. Whether the address has an account changes
 * nothing (the account is created when the link is used), so the answer reveals nothing.
 * Limited per address (no mail-bombing someone) and per IP.
 */
export async function requestMagicLink(deps: MagicLinkDeps, input: MagicLinkRequest & { ip: string }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  if (!isValidEmail(email)) throw new AppError('EMAIL_INVALID', 'The e-mail address is not valid.');
  await enforceRateLimits(
    deps.redis,
    deps.rateLimitPrefix,
    [
      { key: `magic:email:${email}`, max: 5, windowSeconds: 15 * 60 },
      { key: `magic:ip:${input.ip}`, max: 30, windowSeconds: 15 * 60 },
    ],
    'Too many sign-in links asked for; try again later.',
  );
  const token = newSecret();
  await insertMagicLink(deps.db, {
    tokenHash: sha256(token),
    email,
    returnTo: safeReturnTo(input.returnTo),
    expiresAt: new Date(Date.now() + CITIZEN_LIMITS.magicLinkMinutes * 60_000),
  });
  // In the fragment: the token never reaches a server log or a Referer, and a mail scanner that
  // prefetches links cannot spend it — the page posts it.
  const link = `${deps.publicBaseUrl.replace(/\/$/, '')}/compte/connexion#token=${token}`;
  const text = MAIL_TEXT[input.language ?? 'fr'];
  await sendLinkMail(deps.mailer, {
    to: email,
    subject: text.subject,
    intro: text.intro,
    link,
    details: text.expiry,
    ignore: text.ignore,
    failure: 'The sign-in mail could not be sent; try again shortly.',
  });
}

/** Spends a magic link: one use, within its lifetime. Opens a session on the address's account. */
export async function verifyMagicLink(
  db: Pool,
  input: { token: string; language?: Locale },
): Promise<CitizenSession & { returnTo: string; profile: CitizenProfile }> {
  if (!SECRET_SHAPE.test(input.token)) throw new AppError('MAGIC_LINK_INVALID', 'This sign-in link is not valid.');
  const outcome = await consumeMagicLink(db, sha256(input.token));
  if (outcome.status === 'used') {
    throw new AppError('MAGIC_LINK_USED', 'This sign-in link was already used; ask for a new one.');
  }
  if (outcome.status === 'expired') {
    throw new AppError('MAGIC_LINK_EXPIRED', 'This sign-in link has expired; ask for a new one.');
  }
  if (outcome.status !== 'ok') throw new AppError('MAGIC_LINK_INVALID', 'This sign-in link is not valid.');
  const accountId = await upsertCitizenByEmail(db, outcome.value.email, input.language ?? 'fr');
  const account = await findCitizenAccount(db, accountId);
  return {
    ...(await openCitizenSession(db, accountId)),
    returnTo: outcome.value.returnTo,
    profile: toCitizenProfile(account!),
  };
}

/** The account as its owner sees it. */
export function toCitizenProfile(account: CitizenAccount): CitizenProfile {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    showName: account.showName,
    language: account.language,
    emailPrefs: account.emailPrefs,
    providers: account.providers,
    createdAt: account.createdAt.toISOString(),
  };
}

/** Updates the profile fields given; a display name is trimmed (empty clears it). */
export async function updateCitizenProfile(
  db: Pool,
  account: CitizenAccount,
  patch: UpdateCitizenProfile,
): Promise<CitizenProfile> {
  const displayName = patch.displayName?.trim();
  if (displayName !== undefined && /[\p{Cc}]/u.test(displayName)) {
    throw new AppError('VALIDATION_FAILED', 'The display name contains control characters.');
  }
  await updateCitizenAccount(db, account.id, { ...patch, displayName });
  const updated = await findCitizenAccount(db, account.id);
  if (!updated) throw new AppError('AUTH_REQUIRED', 'This account no longer exists.');
  return toCitizenProfile(updated);
}

/** "Mes signalements": filed (by the account, or with its address) and followed, with public status. */
export async function listMyReports(db: Pool, account: CitizenAccount): Promise<MyReports> {
  const rows = await findMyReports(db, { accountId: account.id, email: account.email, limit: MY_REPORTS_LIMIT });
  return {
    reports: rows.map(({ isRouted, ...r }) => ({ ...r, statusLabel: publicStatusLabel(r.status, isRouted) })),
  };
}

function requireDevice(deviceId: unknown): string {
  const device = parseDeviceId(deviceId);
  if (!device) {
    throw new AppError(
      'VALIDATION_FAILED',
      'The X-Pave-Device header must be a device id of 8–64 URL-safe characters.',
    );
  }
  return device;
}

/** How many reports filed from this browser could join the account. */
export async function countClaimable(db: Pool, deviceId: unknown): Promise<ClaimableReports> {
  return { claimable: await countClaimableReports(db, requireDevice(deviceId)) };
}

/** Attaches the reports filed anonymously from this browser (same device id, no account yet). */
export async function claimReports(db: Pool, account: CitizenAccount, deviceId: unknown): Promise<ClaimedReports> {
  return { claimed: await claimDeviceReports(db, requireDevice(deviceId), account.id) };
}

/**
 * Deletes the account and the personal data around it, in one transaction. The reports stay,
 * public as before, with no trace of who filed them.
 */
export async function deleteCitizenAccount(
  db: Pool,
  account: CitizenAccount,
): Promise<{ reports: number; followers: number }> {
  return withTransaction(db, (tx) => eraseCitizen(tx, account.id, account.email));
}

/**
 * What a web report takes from its request rather than its form: the browser's id (to claim it
 * later) and the signed-in citizen, whose address becomes the contact when none was typed and the
 * citizen asked for updates by e-mail.
 */
export function reportOwnership(
  citizen: CitizenAccount | null,
  deviceHeader: unknown,
  formEmail: string | undefined,
): { deviceId: string | null; citizenId: string | null; email: string | undefined } {
  const typed = formEmail?.trim();
  const fromAccount = citizen?.emailPrefs.reportUpdates ? (citizen.email ?? undefined) : undefined;
  return { deviceId: parseDeviceId(deviceHeader), citizenId: citizen?.id ?? null, email: typed || fromAccount };
}
