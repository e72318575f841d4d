import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; cid: string }[];
  /** The sender, when not the deployment's own (a town's identity: towns/town-mail.ts). */
  from?: { name: string; address: string };
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * Sends mail through SMTP (`SMTP_URL`, e.g. smtp://user:pass@host:587). With no URL configured,
 * mails are rendered and logged instead of sent, so a demo shows what residents would receive.
 */
export function createMailer(options: { smtpUrl: string; from: string; log?: (mail: Mail) => void }): Mailer {
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl, { from: options.from })
    : nodemailer.createTransport({ jsonTransport: true }, { from: options.from });
  return {
    async send(mail) {
      await transport.sendMail({ ...mail, from: mail.from ?? options.from });
      if (!options.smtpUrl) options.log?.(mail);
    },
    close: () => transport.close(),
  };
}
