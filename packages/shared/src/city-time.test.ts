import { describe, expect, it } from 'vitest';
import { addDays, cityDay, daysBetween, isCalendarDay } from './city-time';
import { parseCommaList } from './query';

describe('the city clock', () => {
  it('names the Paris day of an instant, across midnight UTC and the DST change', () => {
    expect(cityDay(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(cityDay(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(cityDay(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
    expect(cityDay(new Date('2026-03-29T01:30:00Z'))).toBe('2026-03-29');
  });

  it('accepts real days only', () => {
    expect(isCalendarDay('2028-02-29')).toBe(true);
    for (const bad of [
      '0000-01-01',
      '2026-02-30',
      '2026-13-01',
      '2026-1-01',
      '20260101',
      '2026-01-01T00:00',
      ' 2026-01-01',
      '',
    ])
      expect(isCalendarDay(bad), bad).toBe(false);
  });

  it('counts and adds days over month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1);
  });
});

describe('comma lists in queries', () => {
  it('trims, drops empty items and repeats, and reads empty as no restriction', () => {
    expect(parseCommaList('new, acknowledged,,new')).toEqual(['new', 'acknowledged']);
    expect(parseCommaList(' , ')).toBeNull();
    expect(parseCommaList('')).toBeNull();
    expect(parseCommaList(undefined)).toBeNull();
  });
});
