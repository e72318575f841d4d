/** RFC 5321's limit on a path: no address may be longer. */
export const EMAIL_MAX_LENGTH = 254;

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** A plausible e-mail address (what a form can check; deliverability is the mail server's business). */
export function isValidEmail(email: string): boolean {
  return email.length <= EMAIL_MAX_LENGTH && EMAIL.test(email);
}
