import type { MessageKey } from '../../i18n/fr';
import { ApiError } from '../../lib/api-client';

/** A stable code as the API takes it (`^[a-z0-9-]+$`, 1 to 80 characters). */
const CODE = /^[a-z0-9-]+$/;
const CODE_MAX_LENGTH = 80;
// Loose on purpose: the API has the last word; this only catches what is plainly not an address.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The code rule as an HTML `pattern`. Browsers compile it with the `v` flag, where a bare `-` inside a
 * class is a syntax error (Chrome then ignores the pattern and logs it): it is escaped here.
 */
export const CODE_PATTERN_ATTRIBUTE = '[a-z0-9\\-]+';

/** What is wrong with a code, or null. */
export function codeProblem(value: string, isRequired: boolean): MessageKey | null {
  if (value === '') return isRequired ? 'admin.field.required' : null;
  if (value.length > CODE_MAX_LENGTH) return 'admin.field.codeTooLong';
  return CODE.test(value) ? null : 'admin.field.codeFormat';
}

/** What is wrong with an e-mail address, or null. */
export function emailProblem(value: string, isRequired: boolean): MessageKey | null {
  if (value === '') return isRequired ? 'admin.field.required' : null;
  return EMAIL.test(value) ? null : 'admin.error.EMAIL_INVALID';
}

/** What is wrong with a required text, or null. */
export function requiredProblem(value: string): MessageKey | null {
  return value.trim() === '' ? 'admin.field.required' : null;
}

export type FieldErrors<F extends string> = Partial<Record<F | 'form', MessageKey>>;

/**
 * Which field an API refusal belongs to, by its code (never its message): `byCode` names the field for
 * the codes this form knows; anything else is said beside the submit button.
 */
export function fieldErrorOf<F extends string>(
  error: unknown,
  byCode: Partial<Record<string, F>>,
  messageOf: (code: string) => MessageKey,
): FieldErrors<F> {
  const code = error instanceof ApiError ? error.code : 'UNKNOWN';
  const field = byCode[code] ?? 'form';
  return { [field]: messageOf(code) } as FieldErrors<F>;
}
