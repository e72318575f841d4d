/** A resident's address query, split into what the index matches separately. */
export interface AddressQuery {
  /** The street words, as typed (the database normalises them). */
  street: string;
  number: number | null;
  /** `bis`, `ter`, `quater` or a letter; '' when none was typed. */
  suffix: string;
  postcode: string | null;
}

const SUFFIXES: Record<string, string> = { b: 'bis', bis: 'bis', t: 'ter', ter: 'ter', q: 'quater', quater: 'quater' };

/**
 * Finds the house number (with its suffix) and the postcode in a query, wherever they are typed:
 * "12 r. de la Roquette 75011", "rue roquette 12" and "12bis rue X" all work. What is left is the street.
 */
export function parseAddressQuery(text: string): AddressQuery {
  let number: number | null = null;
  let suffix = '';
  let postcode: string | null = null;
  const street: string[] = [];
  const words = text.split(/[\s,;]+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (postcode === null && /^\d{5}$/.test(word)) {
      postcode = word;
      continue;
    }
    const numbered: RegExpExecArray | null = number === null ? /^(\d{1,4})(?:-\d{1,4})?([a-z]*)\.?$/i.exec(word) : null;
    if (numbered) {
      number = Number(numbered[1]);
      const attached = numbered[2]!.toLowerCase();
      const next = words[i + 1]?.toLowerCase().replace(/\.$/, '');
      if (attached) suffix = SUFFIXES[attached] ?? (attached.length === 1 ? attached : '');
      else if (next && next in SUFFIXES && next.length > 1) {
        suffix = SUFFIXES[next]!;
        i++;
      }
      continue;
    }
    street.push(word);
  }
  return { street: street.join(' '), number, suffix, postcode };
}
