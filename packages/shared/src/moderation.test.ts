import { describe, expect, it } from 'vitest';
import { findListedWords, normaliseWord } from './moderation';

describe('findListedWords', () => {
  const words = ['abruti', 'connard', 'va te faire'];

  it('finds whole words whatever their case and accents', () => {
    expect(findListedWords('Quel ABRUTI ce voisin', words)).toEqual(['abruti']);
    expect(findListedWords('connârd !', words)).toEqual(['connard']);
    expect(findListedWords('Va te faire voir', words)).toEqual(['va te faire']);
  });

  it('leaves a word that only contains a listed one, and clean text', () => {
    expect(findListedWords('Les abrutissements du bruit', words)).toEqual([]);
    expect(findListedWords('Le trou est toujours là, merci de passer.', words)).toEqual([]);
    expect(findListedWords('va, te faire plaisir', ['va te faire'])).toEqual(['va te faire']);
  });

  it('normalises to lower case without accents', () => {
    expect(normaliseWord('Élève Ça')).toBe('eleve ca');
  });
});
