import { maskPersonalData, PUBLIC_STATUS, type Locale } from '@pave/shared';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { withTownIdentity } from '../towns/town-mail';
import { renditionKey } from '../photos/photos.service';
import type { TokenSigner } from '../tokens/report-tokens';
import type { Storage } from '../storage/storage';
import type { Mail, Mailer } from './mailer';
import {
  findActiveFollowers,
  findNotificationSubject,
  findReadyAfterPhotoIds,
  findSentRecipients,
  hasNewerStatusChange,
  markNotificationSent,
  type NotificationSubject,
} from './notifications.repo';
import { STATUS_MAIL_TEXTS } from './status-mail-texts';

export * from './mailer';

export interface NotifyDeps {
  db: Pool;
  storage: Storage;
  mailer: Mailer;
  tokens: TokenSigner;
  publicBaseUrl: string;
  logger: Logger;
}

interface Recipient {
  email: string;
  language: Locale;
  link: string;
  unsubscribeUrl: string | null;
}

/** Text made safe to put in a mail's HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

async function recipientsOf(deps: NotifyDeps, subject: NotificationSubject): Promise<Recipient[]> {
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const reporter: Recipient[] = subject.reporterEmail
    ? [
        {
          email: subject.reporterEmail,
          language: subject.reporterLanguage,
          link: `${base}/r/${subject.ref}?t=${deps.tokens.reporterToken(subject.reportId)}`,
          unsubscribeUrl: null,
        },
      ]
    : [];
  // The acknowledgement goes to the reporter alone; status changes to the reporter and every follower.
  if (subject.event === 'created') return reporter;
  if (subject.event !== 'status_changed') return [];
  const followers = (await findActiveFollowers(deps.db, subject.reportId)).map((f) => {
    const token = deps.tokens.followerToken(f.id);
    return {
      email: f.email,
      language: f.language,
      link: `${base}/r/${subject.ref}?t=${token}`,
      unsubscribeUrl: `${base}/api/reports/${subject.reportId}/followers/${token}/unsubscribe`,
    };
  });
  const seen = new Set<string>();
  return [...reporter, ...followers].filter((r) => !seen.has(r.email.toLowerCase()) && seen.add(r.email.toLowerCase()));
}

async function render(deps: NotifyDeps, subject: NotificationSubject, recipient: Recipient): Promise<Mail> {
  const lang = recipient.language;
  const say = STATUS_MAIL_TEXTS[lang];
  const category = subject.category[lang];
  const place = subject.areaName ? ` (${subject.areaName})` : '';
  // Where it is, in words: the area alone does not tell a resident which of their reports this is.
  const address = subject.address ? [say.address(subject.address)] : [];
  const lines: string[] = [];
  let title: string;
  const attachments: Mail['attachments'] = [];
  if (subject.event === 'created') {
    title = say.createdSubject(subject.ref, category);
    lines.push(say.createdThanks(subject.ref, category, place), ...address, say.createdRouted, say.createdLink);
  } else {
    const label = subject.toStatus ? PUBLIC_STATUS[subject.toStatus].label[lang] : say.updated;
    title = say.statusSubject(subject.ref, label);
    lines.push(say.statusNow(subject.ref, category, place, label), ...address);
    // The city's voice: why it was rejected, where it went.
    if (subject.toStatus === 'rejected' && subject.reason) lines.push(say.reason(subject.reason[lang]));
    const transferredTo = subject.data.transferredTo;
    if (subject.toStatus === 'transferred' && typeof transferredTo === 'string' && transferredTo) {
      lines.push(say.transferredTo(transferredTo));
    }
    const message = subject.data.message;
    // Followers are third parties: what the message quotes from a resident reaches them masked.
    const isFollower = recipient.unsubscribeUrl !== null;
    if (typeof message === 'string' && message) {
      lines.push(say.teamMessage(isFollower ? maskPersonalData(message) : message));
    }
    if (subject.toStatus === 'resolved') {
      for (const [i, photoId] of (await findReadyAfterPhotoIds(deps.db, subject.reportId)).entries()) {
        attachments.push({
          filename: say.afterPhotoFile(i + 1),
          content: await deps.storage.get(renditionKey(photoId, 'large')),
          cid: `after-${i}@pave`,
        });
      }
      lines.push(say.resolvedAsk);
    } else {
      lines.push(say.follow);
    }
  }
  const footer = recipient.unsubscribeUrl ? say.unsubscribeLine(recipient.unsubscribeUrl) : '';
  const text = [...lines, recipient.link, '', say.neverPublished, footer].filter((l) => l !== null).join('\n');
  const html = [
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(recipient.link)}">${escapeHtml(recipient.link)}</a></p>`,
    ...attachments.map((a) => `<p><img src="cid:${a.cid}" alt="${escapeHtml(say.afterPhotoAlt)}" width="480"></p>`),
    `<p style="color:#555">${escapeHtml(say.neverPublished)}</p>`,
    recipient.unsubscribeUrl
      ? `<p><a href="${escapeHtml(recipient.unsubscribeUrl)}">${escapeHtml(say.unsubscribe)}</a></p>`
      : '',
  ].join('\n');
  return {
    to: recipient.email,
    subject: title,
    text,
    html,
    attachments,
    // RFC 8058 one-click unsubscribe: mail clients POST to this URL.
    headers: recipient.unsubscribeUrl
      ? { 'List-Unsubscribe': `<${recipient.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      : {},
  };
}

export type NotifyOutcome =
  | { sent: number; skipped: number }
  /** A status change still inside its window: ask again at `deferUntil`. */
  | { deferUntil: Date }
  /** A newer status change of the same report followed within the window: its mail says the latest state. */
  | { coalesced: true };

/**
 * Mails everyone concerned by one history entry. Idempotent per recipient: a retried job skips
 * the recipients already served, so nobody gets the same mail twice. With `coalesceMs`, a status change
 * waits that long after it was made and is dropped when a newer one followed: four changes in a second
 * become one mail per recipient, and the newest change's own job (in the outbox with it) always sends.
 */
export async function notifyHistoryEntry(
  deps: NotifyDeps,
  historyId: string,
  options: { coalesceMs?: number; now?: Date } = {},
): Promise<NotifyOutcome> {
  const subject = await findNotificationSubject(deps.db, historyId);
  if (!subject) return { sent: 0, skipped: 0 };
  const coalesceMs = options.coalesceMs ?? 0;
  if (coalesceMs > 0 && subject.event === 'status_changed') {
    const due = subject.at.getTime() + coalesceMs;
    if (due > (options.now ?? new Date()).getTime()) return { deferUntil: new Date(due) };
    if (await hasNewerStatusChange(deps.db, subject.reportId, historyId)) return { coalesced: true };
  }
  const recipients = await recipientsOf(deps, subject);
  const already = await findSentRecipients(deps.db, historyId);
  let sent = 0;
  for (const recipient of recipients) {
    if (already.has(recipient.email)) continue;
    await deps.mailer.send(await withTownIdentity(deps.db, subject.reportId, await render(deps, subject, recipient)));
    await markNotificationSent(deps.db, historyId, recipient.email);
    sent += 1;
  }
  return { sent, skipped: recipients.length - sent };
}
