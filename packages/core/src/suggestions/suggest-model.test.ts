import { describe, expect, it } from 'vitest';
import { buildSuggestModel, pickSuggestions, rankCategories } from './suggest-model';
import { normaliseWords } from './suggest-words';

const CATEGORIES = [
  { code: 'nid-de-poule', words: ['Nid-de-poule', 'Pothole', 'trou', 'chaussée'] },
  { code: 'corbeille-pleine', words: ['Corbeille de rue pleine', 'Overflowing street bin', 'poubelle'] },
  { code: 'tag-facade', words: ['Tag sur façade', 'graffiti'] },
];

const rank = (model: ReturnType<typeof buildSuggestModel>, text: string, nearby?: Record<string, number>) =>
  rankCategories(model, { words: normaliseWords(text), nearby: nearby && new Map(Object.entries(nearby)) });

describe('category suggestion model', () => {
  it('ranks by the synonyms before any report exists', () => {
    const model = buildSuggestModel(CATEGORIES, []);
    expect(rank(model, 'Une poubelle déborde')[0]!.code).toBe('corbeille-pleine');
    expect(rank(model, 'gros trous')[0]!.code).toBe('nid-de-poule');
  });

  it("learns residents' own words from earlier reports", () => {
    const before = buildSuggestModel(CATEGORIES, []);
    const after = buildSuggestModel(CATEGORIES, [
      { code: 'tag-facade', text: 'Inscription à la bombe sur le mur' },
      { code: 'tag-facade', text: 'bombe de peinture sur la vitrine' },
    ]);
    // "bombe" means nothing before; afterwards it points at tags.
    const unknown = rank(before, 'bombe');
    expect(new Set(unknown.map((s) => s.score.toFixed(6))).size).toBe(1);
    expect(rank(after, 'bombe')[0]!.code).toBe('tag-facade');
  });

  it('with no words, follows what is reported nearby, blended with the city-wide mix', () => {
    const model = buildSuggestModel(CATEGORIES, [
      ...Array.from({ length: 20 }, () => ({ code: 'nid-de-poule', text: '' })),
      { code: 'tag-facade', text: '' },
    ]);
    expect(rank(model, '')[0]!.code).toBe('nid-de-poule');
    expect(rank(model, '', { 'tag-facade': 6 })[0]!.code).toBe('tag-facade');
    // One report nearby does not outweigh the city's twenty.
    expect(rank(model, '', { 'tag-facade': 1 })[0]!.code).toBe('nid-de-poule');
  });

  it('gives probabilities that sum to 1, best first', () => {
    const model = buildSuggestModel(CATEGORIES, [{ code: 'nid-de-poule', text: 'trou' }]);
    const ranked = rank(model, 'poubelle trou', { 'tag-facade': 2 });
    expect(ranked.map((s) => s.code).sort()).toEqual(CATEGORIES.map((c) => c.code).sort());
    expect(ranked.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 9);
    expect(ranked[0]!.score).toBeGreaterThanOrEqual(ranked[1]!.score);
  });

  it('ignores documents of unknown categories', () => {
    const model = buildSuggestModel(CATEGORIES, [{ code: 'retired', text: 'trou' }]);
    expect(model.totalReports).toBe(0);
  });
});

describe('pickSuggestions', () => {
  it('keeps at most `max`, each at least twice as likely as a blind pick', () => {
    const ranked = [0.5, 0.2, 0.15, 0.1, 0.05].map((score, i) => ({ code: `c${i}`, score }));
    // Floor: 2 / 5 categories = 0.4.
    expect(pickSuggestions(ranked, 3).map((s) => s.code)).toEqual(['c0']);
    // Floor: 2 / 8 = 0.25.
    const confident = [0.3, 0.3, 0.3, 0.025, 0.025, 0.025, 0.0125, 0.0125].map((score, i) => ({
      code: `c${i}`,
      score,
    }));
    expect(pickSuggestions(confident, 2).map((s) => s.code)).toEqual(['c0', 'c1']);
  });

  it('suggests nothing when the model knows nothing', () => {
    const model = buildSuggestModel(CATEGORIES, []);
    expect(pickSuggestions(rankCategories(model, { words: [] }), 3)).toEqual([]);
    expect(pickSuggestions([], 3)).toEqual([]);
  });
});
