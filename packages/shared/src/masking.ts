/**
 * Contact details and plates a resident types into a description or comment are masked before anything
 * is published: the public page, the map, Open311 and mails to third parties show a bracketed notice in
 * their place. Staff read the original. Isomorphic: no Node, no DOM.
 */

/** What a masked piece of text is replaced by, in plain French (the city's public language). */
export const MASKS = {
  phone: '[téléphone masqué]',
  email: '[e-mail masqué]',
  plate: '[plaque masquée]',
} as const;

// Separators residents type between digit pairs: space, dot, dash, and the no-break spaces phones insert.
const SEP = '[ .\\-\\u00a0\\u202f]?';

// A French number: national (0X XX XX XX XX) or international (+33 / 0033, with an optional "(0)").
// Not preceded by a digit, a letter or "-" (a reference like 2026-000653), not followed by a digit.
const PHONE = new RegExp(
  `(?<![\\w+\\-/])(?:(?:\\+|00)33${SEP}(?:\\(0\\)${SEP})?|0)[1-9](?:${SEP}\\d{2}){4}(?![\\d/])`,
  'gu',
);

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// SIV plates (since 2009): AA-123-AA, AA 123 AA, AA123AA. I, O and U are never used; capitals only,
// so that "au 123 bd Voltaire" stays an address.
const PLATE_LETTERS = '[A-HJ-NP-TV-Z]{2}';
const PLATE_SIV = new RegExp(
  `(?<![\\p{L}\\p{N}])${PLATE_LETTERS}([ \\-]?)\\d{3}\\1${PLATE_LETTERS}(?![\\p{L}\\p{N}])`,
  'gu',
);

// FNI plates (before 2009): 1234 AB 75, 123 ABC 2A, 12 AB 971; capitals only.
const PLATE_FNI = /(?<![\p{L}\p{N}])\d{1,4}([ -]?)[A-Z]{2,3}\1(?:\d{2}|2A|2B|97\d)(?![\p{L}\p{N}])/gu;

/** The text with French phone numbers, e-mail addresses and plate numbers replaced by `MASKS`. */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, MASKS.email)
    .replace(PHONE, MASKS.phone)
    .replace(PLATE_SIV, MASKS.plate)
    .replace(PLATE_FNI, MASKS.plate);
}

/** `maskPersonalData` for a nullable text. */
export function maskPersonalDataOrNull(text: string | null): string | null {
  return text === null ? null : maskPersonalData(text);
}
