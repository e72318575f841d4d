import { maskPersonalData, PUBLIC_STATUS } from '@pave/shared';
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
      link: `${base}/r/${subject.ref}?t=${token}`,
      unsubscribeUrl: `${base}/api/reports/${subject.reportId}/followers/${token}/unsubscribe`,
    };
  });
  const seen = new Set<string>();
  return [...reporter, ...followers].filter((r) => !seen.has(r.email.toLowerCase()) && seen.add(r.email.toLowerCase()));
}

async function render(deps: NotifyDeps, subject: NotificationSubject, recipient: Recipient): Promise<Mail> {
  const place = subject.areaName ? ` (${subject.areaName})` : '';
  // Where it is, in words: the area alone does not tell a resident which of their reports this is.
  const address = subject.address ? [`Adresse : ${subject.address}`] : [];
  const lines: string[] = [];
  let title: string;
  const attachments: Mail['attachments'] = [];
  if (subject.event === 'created') {
    title = `Signalement ${subject.ref} reçu : ${subject.categoryFr}`;
    lines.push(
      `Merci ! Votre signalement « ${subject.categoryFr} »${place} a bien été reçu sous la référence ${subject.ref}.`,
      ...address,
      'Il est transmis automatiquement à l’équipe chargée de ce secteur.',
      'Suivez-le, ajoutez une photo ou dites-nous s’il est réparé grâce à ce lien personnel (ne le partagez pas) :',
    );
  } else {
    const label = subject.toStatus ? PUBLIC_STATUS[subject.toStatus].label.fr : 'mis à jour';
    title = `${subject.ref} : ${label}`;
    lines.push(
      `Le signalement ${subject.ref} « ${subject.categoryFr} »${place} est maintenant : ${label}.`,
      ...address,
    );
    // The city's voice: why it was rejected, where it went.
    if (subject.toStatus === 'rejected' && subject.reasonFr) lines.push(`Motif : ${subject.reasonFr}.`);
    const transferredTo = subject.data.transferredTo;
    if (subject.toStatus === 'transferred' && typeof transferredTo === 'string' && transferredTo) {
      lines.push(`Transmis à : ${transferredTo}.`);
    }
    const message = subject.data.message;
    // Followers are third parties: what the message quotes from a resident reaches them masked.
    const isFollower = recipient.unsubscribeUrl !== null;
    if (typeof message === 'string' && message) {
      lines.push(`Message de l’équipe : ${isFollower ? maskPersonalData(message) : message}`);
    }
    if (subject.toStatus === 'resolved') {
      for (const [i, photoId] of (await findReadyAfterPhotoIds(deps.db, subject.reportId)).entries()) {
        attachments.push({
          filename: `apres-${i + 1}.jpg`,
          content: await deps.storage.get(renditionKey(photoId, 'large')),
          cid: `after-${i}@pave`,
        });
      }
      lines.push('Est-ce vraiment réparé, et êtes-vous satisfait (de 1 à 5) ? Dites-le-nous sur cette page :');
    } else {
      lines.push('Suivre le signalement :');
    }
  }
  const footer = recipient.unsubscribeUrl ? `Ne plus suivre ce signalement : ${recipient.unsubscribeUrl}` : '';
  const text = [...lines, recipient.link, '', 'Votre adresse n’est jamais publiée.', footer]
    .filter((l) => l !== null)
    .join('\n');
  const html = [
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(recipient.link)}">${escapeHtml(recipient.link)}</a></p>`,
    ...attachments.map((a) => `<p><img src="cid:${a.cid}" alt="Photo après intervention" width="480"></p>`),
    '<p style="color:#555">Votre adresse n’est jamais publiée.</p>',
    recipient.unsubscribeUrl
      ? `<p><a href="${escapeHtml(recipient.unsubscribeUrl)}">Ne plus suivre ce signalement</a></p>`
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
