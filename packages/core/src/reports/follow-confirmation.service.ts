import { AppError, type Locale, isValidEmail } from '@pave/shared';
import type { RedisConnection } from '../queue/queue';
import type { Pool } from '../db/pool';
import { sendLinkMail } from '../notifications/link-mail';
import type { Mailer } from '../notifications/mailer';
import { enforceRateLimits } from '../rate-limit/rate-limit';
import { confirmFollower, findReportRefById, insertPendingFollower } from './follow-up.repo';
import { assertReportId, notFound } from './follow-up.service';
import type { TokenSigner } from '../tokens/report-tokens';

export interface FollowRequestDeps {
  db: Pool;
  redis: RedisConnection;
  tokens: TokenSigner;
  mailer: Mailer;
  rateLimitPrefix: string;
  publicBaseUrl: string;
}

const MAIL_TEXT: Record<Locale, { subject: string; intro: string; action: string; ignore: string }> = {
  fr: {
    subject: 'Confirmez le suivi du signalement {ref}',
    intro: 'Vous avez demandé à suivre le signalement {ref} sur Pavé. Pour recevoir ses nouvelles, ouvrez ce lien :',
    action: 'Vous pourrez ensuite commenter, dire si le problème est réglé, et arrêter le suivi à tout moment.',
    ignore: 'Si vous n’avez rien demandé, ignorez ce message : vous ne recevrez rien d’autre.',
  },
  en: {
    subject: 'Confirm that you follow report {ref}',
    intro: 'You asked to follow report {ref} on Pavé. To get its news, open this link:',
    action: 'You can then comment, say whether the problem is fixed, and stop following at any time.',
    ignore: 'If you did not ask for this, ignore this message: you will get nothing else.',
  },
};

/**
 * Someone asks to follow a report by e-mail: the address gets a confirmation link, and nothing else
 * until it is opened — no status mails, no private link with a resident's powers (comment, reopen,
 * rate). The answer is the same whether or not the address already follows. Limited per address
 * (nobody's mailbox is flooded through Pavé) and per client address.
 */
export async function requestFollow(
  deps: FollowRequestDeps,
  input: { reportId: string; email: string | undefined; ip: string; language: Locale },
): Promise<{ confirmationSent: true }> {
  assertReportId(input.reportId);
  const email = input.email?.trim() ?? '';
  if (!isValidEmail(email)) throw new AppError('EMAIL_INVALID', 'The e-mail address is not valid.');
  await enforceRateLimits(
    deps.redis,
    deps.rateLimitPrefix,
    [
      { key: `follow:email:${email.toLowerCase()}`, max: 5, windowSeconds: 60 * 60 },
      { key: `follow:ip:${input.ip}`, max: 30, windowSeconds: 60 * 60 },
    ],
    'Too many follow requests; try again later.',
  );
  const ref = await findReportRefById(deps.db, input.reportId);
  if (!ref) throw notFound();
  const followerId = await insertPendingFollower(deps.db, input.reportId, email, input.language);
  // In the fragment: the token never reaches a server log or a Referer, and a mail scanner that
  // prefetches links does not confirm anything — the page posts it.
  const link = `${deps.publicBaseUrl.replace(/\/$/, '')}/r/${encodeURIComponent(ref)}#suivre=${deps.tokens.followConfirmationToken(followerId)}`;
  const text = MAIL_TEXT[input.language];
  const fill = (line: string) => line.replace('{ref}', ref);
  await sendLinkMail(deps.mailer, {
    to: email,
    subject: fill(text.subject),
    intro: fill(text.intro),
    link,
    details: text.action,
    ignore: text.ignore,
    failure: 'The confirmation mail could not be sent; try again shortly.',
  });
  return { confirmationSent: true };
}

/** The link of the confirmation mail was opened: the follower is confirmed and gets their private link. */
export async function confirmFollow(
  deps: { db: Pool; tokens: TokenSigner },
  input: { reportId: string; token: string },
): Promise<{ followerToken: string }> {
  assertReportId(input.reportId);
  const followerId = deps.tokens.readFollowConfirmation(input.token);
  if (!followerId || !(await confirmFollower(deps.db, input.reportId, followerId))) {
    throw new AppError('FOLLOW_CONFIRMATION_INVALID', 'This confirmation link is not valid.');
  }
  return { followerToken: deps.tokens.followerToken(followerId) };
}
