import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Private links without stored secrets: a token is an HMAC of what it opens, keyed by TOKEN_SECRET,
 * so the API can check it and the worker can put it in a mail without either storing it.
 * - reporter: `r.<mac of report id>` (the report id is in the URL's report)
 * - follower: `f<followerId>.<mac of follower id>` (also the one-click unsubscribe link)
 * - follow confirmation: `c<followerId>.<mac of follower id>`, mailed to the address that asked to
 *   follow; spending it proves the address and hands out the follower token
 * Rotating TOKEN_SECRET invalidates every link.
 */
export interface TokenSigner {
  reporterToken(reportId: string): string;
  followerToken(followerId: string): string;
  followConfirmationToken(followerId: string): string;
  /** The follower a confirmation token was made for, or null. */
  readFollowConfirmation(token: string): string | null;
  /** The role a token grants on this report, or null; `followerId` for followers. */
  read(reportId: string, token: string): { role: 'reporter' } | { role: 'follower'; followerId: string } | null;
  /** The bare MAC of `purpose:id`, for other private links built the same way (area alerts). */
  signature(purpose: string, id: string): string;
}

const SHAPE = /^(r|f(\d{1,15}))\.([A-Za-z0-9_-]{43})$/;
const CONFIRMATION_SHAPE = /^c(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

export function createTokenSigner(secret: string): TokenSigner {
  const mac = (purpose: string, id: string) =>
    createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url');
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return {
    signature: (purpose, id) => mac(purpose, id),
    reporterToken: (reportId) => `r.${mac('report', reportId)}`,
    followerToken: (followerId) => `f${followerId}.${mac('follower', followerId)}`,
    followConfirmationToken: (followerId) => `c${followerId}.${mac('follow-confirmation', followerId)}`,
    readFollowConfirmation(token) {
      const match = CONFIRMATION_SHAPE.exec(token);
      if (!match) return null;
      return same(match[2]!, mac('follow-confirmation', match[1]!)) ? match[1]! : null;
    },
    read(reportId, token) {
      const match = SHAPE.exec(token);
      if (!match) return null;
      const [, kind, followerId, signature] = match;
      if (kind === 'r') return same(signature!, mac('report', reportId)) ? { role: 'reporter' } : null;
      return same(signature!, mac('follower', followerId!)) ? { role: 'follower', followerId: followerId! } : null;
    },
  };
}
