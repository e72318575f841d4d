import { AppError } from '@pave/shared';
import type { Mailer } from './mailer';
import { escapeHtml } from './notifications.service';

/**
 * Sends a mail whose point is one private link (sign-in, follow confirmation), in text and HTML:
 * an intro, the link, what it does, and a quiet line for whoever did not ask. A mail server that
 * refuses it becomes a 503 with `failure` as its message: the resident can try again.
 */
export async function sendLinkMail(
  mailer: Mailer,
  mail: { to: string; subject: string; intro: string; link: string; details: string; ignore: string; failure: string },
): Promise<void> {
  try {
    await mailer.send({
      to: mail.to,
      subject: mail.subject,
      text: [mail.intro, mail.link, '', mail.details, mail.ignore].join('\n'),
      html: [
        `<p>${escapeHtml(mail.intro)}</p>`,
        `<p><a href="${escapeHtml(mail.link)}">${escapeHtml(mail.link)}</a></p>`,
        `<p>${escapeHtml(mail.details)}</p>`,
        `<p style="color:#555">${escapeHtml(mail.ignore)}</p>`,
      ].join('\n'),
    });
  } catch {
    throw new AppError('SERVICE_UNAVAILABLE', mail.failure);
  }
}
