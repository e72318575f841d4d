import { normaliseWords } from './suggest-words';

/** What the model knows of a category before any report: its labels and synonyms. */
export interface SuggestCategory {
  code: string;
  words: string[];
}

/** A labelled example: a report's description and the category it was filed under. */
export interface SuggestDocument {
  code: string;
  text: string;
}

/** A multinomial naive-Bayes model over normalised words, plus how often each category is reported. */
export interface SuggestModel {
  codes: string[];
  /** Word counts per category (labels and synonyms weighted as several reports). */
  wordCounts: Map<string, Map<string, number>>;
  totalWords: Map<string, number>;
  vocabularySize: number;
  /** Reports per category, Laplace-smoothed into the global prior. */
  reportCounts: Map<string, number>;
  totalReports: number;
}

// A category's own label and synonyms count as this many reports' words: enough for "poubelle" to win
// before any report mentions it, few enough that residents' words take over once there are some.
const LABEL_WEIGHT = 3;
// Laplace smoothing of word counts.
const ALPHA = 0.5;
// How many reports' worth of the city-wide mix the nearby counts are blended with (an m-estimate):
// two reports nearby should not outweigh everything the city knows.
const NEARBY_M = 5;

/** Builds the model from the category tree's words and earlier reports' descriptions. */
export function buildSuggestModel(categories: SuggestCategory[], documents: SuggestDocument[]): SuggestModel {
  const codes = categories.map((c) => c.code);
  const wordCounts = new Map<string, Map<string, number>>(codes.map((code) => [code, new Map()]));
  const totalWords = new Map<string, number>(codes.map((code) => [code, 0]));
  const reportCounts = new Map<string, number>(codes.map((code) => [code, 0]));
  const vocabulary = new Set<string>();
  const add = (code: string, words: string[], weight: number) => {
    const counts = wordCounts.get(code);
    if (!counts) return;
    for (const word of words) {
      counts.set(word, (counts.get(word) ?? 0) + weight);
      totalWords.set(code, totalWords.get(code)! + weight);
      vocabulary.add(word);
    }
  };
  for (const category of categories) add(category.code, normaliseWords(category.words.join(' ')), LABEL_WEIGHT);
  let totalReports = 0;
  for (const document of documents) {
    if (!reportCounts.has(document.code)) continue;
    reportCounts.set(document.code, reportCounts.get(document.code)! + 1);
    totalReports += 1;
    // A report's words count once each: a description repeating "trou trou trou" is one vote.
    add(document.code, [...new Set(normaliseWords(document.text))], 1);
  }
  return { codes, wordCounts, totalWords, vocabularySize: vocabulary.size, reportCounts, totalReports };
}

export interface SuggestInput {
  /** Normalised words of the description (may be empty). */
  words: string[];
  /** Reports per category near the point (empty when there is no point). */
  nearby?: Map<string, number>;
}

/**
 * Categories ranked by posterior probability: prior from what is reported nearby (blended with the
 * city-wide mix), times the likelihood of the description's known words. Scores sum to 1.
 */
export function rankCategories(model: SuggestModel, input: SuggestInput): { code: string; score: number }[] {
  const k = model.codes.length;
  if (k === 0) return [];
  const nearbyTotal = [...(input.nearby?.values() ?? [])].reduce((sum, n) => sum + n, 0);
  const known = input.words.filter((word) => model.codes.some((code) => model.wordCounts.get(code)!.has(word)));
  const logScores = model.codes.map((code) => {
    const cityShare = (model.reportCounts.get(code)! + 1) / (model.totalReports + k);
    const near = input.nearby?.get(code) ?? 0;
    let score = Math.log((near + NEARBY_M * cityShare) / (nearbyTotal + NEARBY_M));
    const counts = model.wordCounts.get(code)!;
    const denominator = model.totalWords.get(code)! + ALPHA * model.vocabularySize;
    for (const word of known) score += Math.log(((counts.get(word) ?? 0) + ALPHA) / denominator);
    return score;
  });
  const best = Math.max(...logScores);
  const weights = logScores.map((s) => Math.exp(s - best));
  const sum = weights.reduce((a, b) => a + b, 0);
  return model.codes
    .map((code, i) => ({ code, score: weights[i]! / sum }))
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
}

// A suggestion must be at least this many times likelier than a blind pick among all categories:
// three arbitrary tiles are worse than none (the resident then opens the full picker).
const MIN_LIFT = 2;

/** The few ranked categories worth showing: at most `max`, each clearly above chance. */
export function pickSuggestions<T extends { score: number }>(ranked: T[], max: number): T[] {
  if (ranked.length === 0) return [];
  const floor = MIN_LIFT / ranked.length;
  return ranked.filter((entry) => entry.score >= floor).slice(0, max);
}
