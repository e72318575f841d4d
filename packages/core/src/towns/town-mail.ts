import type { Db } from '../db/pool';
import type { Mail } from '../notifications/mailer';
import { findTownMailIdentityOfReport } from './towns.repo';

/**
 * A mail about a report, in its town's name (issue #19): sent as the town's sender (`towns.mail_from_name`
 * and `mail_from`, when both are set) and signed with its signature. A report of a town without its own
 * identity, or of none, keeps the deployment's sender and words.
 */
export async function withTownIdentity(db: Db, reportId: string, mail: Mail): Promise<Mail> {
  const town = await findTownMailIdentityOfReport(db, reportId);
  if (!town) return mail;
  const from =
    town.mail_from_name && town.mail_from ? { name: town.mail_from_name, address: town.mail_from } : undefined;
  const signature = town.signature?.trim();
  return {
    ...mail,
    ...(from && { from }),
    ...(signature && {
      text: `${mail.text}\n\n-- \n${signature}`,
      html: `${mail.html}\n<p style="color:#555">${escapeHtml(signature)}</p>`,
    }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
