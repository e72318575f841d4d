import { describe, expect, it } from 'vitest';
import { csvField } from './exports';
import { clusterSameProblem, diameterM } from './clusters';

describe('csvField (RFC 4180, formula injection)', () => {
  it('quotes separators, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(null)).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+33 6')).toBe("'+33 6");
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField(-2.3522, true)).toBe('-2.3522');
  });
});

describe('clusterSameProblem', () => {
  it('never lets two members of a cluster be farther apart than twice the radius, on a chain', () => {
    // 40 points 25 m apart on a line: transitively all "neighbours" at 50 m.
    const points = Array.from({ length: 40 }, (_, k) => ({
      lon: 2.35 + (k * 25) / (111_320 * Math.cos((48.86 * Math.PI) / 180)),
      lat: 48.86,
      key: 1,
      createdMs: k,
    }));
    const groups = clusterSameProblem(points, 50);
    expect(groups.flat().sort((a, b) => a - b)).toEqual(points.map((_, i) => i));
    for (const g of groups) expect(diameterM(g.map((i) => points[i]!))).toBeLessThanOrEqual(100);
    expect(Math.max(...groups.map((g) => g.length))).toBeLessThanOrEqual(5);
  });
});

describe('csvField with ";" (the French file)', () => {
  it('quotes semicolons instead of commas', () => {
    expect(csvField('Rue de la Paix; Paris', false, ';')).toBe('"Rue de la Paix; Paris"');
    expect(csvField('48,8566', true, ';')).toBe('48,8566');
    expect(csvField('Nid-de-poule, trottoir', false, ';')).toBe('Nid-de-poule, trottoir');
  });
});
