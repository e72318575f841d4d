/** A category's words for the search, each already through `normalizeForSearch`. */
export interface SearchableCategory {
  /** The label in the reader's language. */
  label: string;
  /** Words chosen for this category: "trou" for a pothole. */
  synonyms: string[];
  /** The French label (when reading in English) and the group's name. */
  others: string[];
}

/**
 * How well a category answers the query's words; 0 when some word matches nothing. A synonym named
 * for the category outranks a word met in passing in a longer label: "trou" finds the pothole
 * (synonym) before "Trottoir : affaissement, trou, bosse…" (label).
 */
export function scoreCategory(entry: SearchableCategory, words: readonly string[]): number {
  const startsAWord = (text: string, word: string) => text.split(' ').some((part) => part.startsWith(word));
  let total = 0;
  for (const word of words) {
    if (entry.synonyms.some((synonym) => synonym.split(' ').includes(word))) total += 4;
    else if (startsAWord(entry.label, word)) total += 3;
    else if (entry.label.includes(word)) total += 2;
    else if ([...entry.synonyms, ...entry.others].some((text) => startsAWord(text, word))) total += 1;
    else return 0;
  }
  return total;
}
