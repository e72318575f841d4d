import { describe, expect, it } from 'vitest';
import { normaliseWords } from './suggest-words';

describe('normaliseWords', () => {
  it('lowers case, drops accents, elisions, stop words and short words', () => {
    expect(normaliseWords("L'Éclairage de la rue ne fonctionne pas, c'est très sombre")).toEqual([
      'eclairage',
      'fonctionne',
      'sombre',
    ]);
  });

  it('trims plurals so singular and plural meet', () => {
    expect(normaliseWords('Pavés descellés, trous')).toEqual(['pave', 'descelle', 'trou']);
    expect(normaliseWords('des pavé descellé, un trou')).toEqual(['pave', 'descelle', 'trou']);
    expect(normaliseWords('Bus, gaz')).toEqual(['bus', 'gaz']);
  });

  it('keeps ligatures and digits readable, drops bare numbers', () => {
    expect(normaliseWords('Œuvre taguée au 12 bis, 3e étage, 2024')).toEqual(['oeuvre', 'taguee', 'etage']);
  });

  it('gives nothing for empty or punctuation-only text', () => {
    expect(normaliseWords('')).toEqual([]);
    expect(normaliseWords(' !!! … ?')).toEqual([]);
  });
});
