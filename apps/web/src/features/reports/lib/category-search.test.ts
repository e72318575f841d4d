import { describe, expect, it } from 'vitest';
import { scoreCategory, type SearchableCategory } from './category-search';

const pothole: SearchableCategory = { label: 'nid de poule', synonyms: ['trou', 'chaussee'], others: ['voirie'] };
const pavement: SearchableCategory = {
  label: 'trottoir affaissement trou bosse pave arrache',
  synonyms: ['pave', 'trottoir', 'bosse'],
  others: ['voirie'],
};

describe('scoreCategory', () => {
  it('ranks a category named by its synonym above one that mentions the word in its label', () => {
    expect(scoreCategory(pothole, ['trou'])).toBeGreaterThan(scoreCategory(pavement, ['trou']));
  });

  it('matches label words by their start, and refuses when one word matches nothing', () => {
    expect(scoreCategory(pothole, ['nid'])).toBe(3);
    expect(scoreCategory(pavement, ['affais'])).toBe(3);
    expect(scoreCategory(pothole, ['voi'])).toBe(1);
    expect(scoreCategory(pothole, ['nid', 'graffiti'])).toBe(0);
  });
});
