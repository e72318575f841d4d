import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, readCouncilFilters, toAnalyticsQuery, writeCouncilFilters } from './council-filters';
import { formatEuros, formatHours, formatPercent, monthsOf } from './council-format';
import { colourOf, densityClasses } from './council-scale';

describe('council formats', () => {
  it('writes durations as a reader says them: minutes, hours, days and hours, days', () => {
    expect(formatHours(0.25, 'fr')).toBe('15 min');
    expect(formatHours(0.999, 'fr')).toBe('1 h');
    expect(formatHours(3, 'fr')).toBe('3 h');
    expect(formatHours(23.4, 'fr')).toBe('23 h');
    expect(formatHours(23.6, 'fr')).toBe('1 j');
    expect(formatHours(28, 'fr')).toBe('1 j 4 h');
    expect(formatHours(28, 'en')).toBe('1 d 4 h');
    expect(formatHours(60, 'fr')).toBe('2 j 12 h');
    expect(formatHours(48.2, 'fr')).toBe('2 j');
    expect(formatHours(239.4, 'fr')).toBe('9 j 23 h');
    expect(formatHours(24 * 12.3, 'fr')).toBe('12 j');
    expect(formatHours(24 * 18.6, 'en')).toBe('19 d');
    // Medians of 2 to 3 days no longer all read the same.
    expect(new Set([49, 55, 61, 70].map((h) => formatHours(h, 'fr'))).size).toBe(4);
  });

  it('writes rates as whole percentages, never "0 %" for a share that is not zero', () => {
    const plain = (text: string) => text.replace(/\s/g, ' ');
    expect(plain(formatPercent(0.82, 'fr'))).toBe('82 %');
    expect(formatPercent(0.04, 'en')).toBe('4%');
    expect(plain(formatPercent(2 / 623, 'fr'))).toBe('< 1 %');
    expect(formatPercent(2 / 623, 'en')).toBe('< 1%');
    expect(plain(formatPercent(0, 'fr'))).toBe('0 %');
    expect(plain(formatPercent(0.006, 'fr'))).toBe('1 %');
    expect(plain(formatPercent(621 / 623, 'fr'))).toBe('> 99 %');
    expect(plain(formatPercent(1, 'fr'))).toBe('100 %');
  });

  it("writes euro amounts in the reader's form, whole euros past 100 €", () => {
    const plain = (text: string) => text.replace(/\s/g, ' ');
    expect(plain(formatEuros(1250, 'fr'))).toBe('12,50 €');
    expect(plain(formatEuros(1_234_567, 'fr'))).toBe('12 346 €');
    expect(formatEuros(1250, 'en')).toBe('€12.50');
  });

  it('lists the months of a period across a year end', () => {
    expect(monthsOf('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('council filters', () => {
  it('round-trips through the URL, dropping malformed values and keeping other parameters', () => {
    const params = new URLSearchParams('lat=48.86&group=voirie&status=nope&period=custom&from=2026-01-01&to=x');
    const filters = readCouncilFilters(params);
    expect(filters).toEqual({ ...DEFAULT_FILTERS, group: 'voirie', period: 'custom', from: '2026-01-01' });
    const out = new URLSearchParams('lat=48.86');
    writeCouncilFilters(out, { ...filters, by: 'team' });
    expect(out.toString()).toBe('lat=48.86&period=custom&from=2026-01-01&group=voirie&by=team');
  });

  it('turns "the last 30 days" into Paris dates and leaves 12 months to the API default', () => {
    const now = new Date('2026-03-31T22:30:00Z'); // already 1 April in Paris
    expect(toAnalyticsQuery({ ...DEFAULT_FILTERS, period: '30d' }, now).toString()).toBe(
      'from=2026-03-03&to=2026-04-01',
    );
    expect(toAnalyticsQuery({ ...DEFAULT_FILTERS, status: 'open', team: 'voirie-11' }, now).toString()).toBe(
      'status=open&team=voirie-11',
    );
  });
});

describe('density scale', () => {
  it('covers 1..max without gaps, every count with a colour', () => {
    for (const max of [1, 2, 5, 6, 13, 250, 9999]) {
      const classes = densityClasses(max);
      expect(classes[0]!.min).toBe(1);
      expect(classes[classes.length - 1]!.max).toBe(max);
      for (let i = 1; i < classes.length; i += 1) expect(classes[i]!.min).toBe(classes[i - 1]!.max + 1);
      expect(colourOf(max, classes)).toBe(classes[classes.length - 1]!.colour);
    }
    expect(colourOf(0, densityClasses(10))).toBeNull();
  });
});
