import { describe, expect, it } from 'vitest';
import { computeDeadline, easterSunday, frenchPublicHolidays } from './deadlines';

describe('French public holidays', () => {
  it('computes Easter and the moveable feasts', () => {
    expect(easterSunday(2024).toISOString().slice(0, 10)).toBe('2024-03-31');
    expect(easterSunday(2026).toISOString().slice(0, 10)).toBe('2026-04-05');
    expect(easterSunday(2027).toISOString().slice(0, 10)).toBe('2027-03-28');
    const h2026 = frenchPublicHolidays(2026);
    for (const day of [
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]) {
      expect(h2026.has(day)).toBe(true);
    }
    expect(h2026.size).toBe(11);
  });
});

describe('computeDeadline', () => {
  it('adds calendar hours as they are', () => {
    expect(computeDeadline(new Date('2026-11-27T16:00:00Z'), 72, 'calendar').toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
  });

  it('counts working hours Monday–Friday 08:00–17:00 Paris time', () => {
    // Friday 27 Nov 2026, 16:00 Paris (15:00 UTC): 1 h left on Friday, then Monday from 08:00.
    expect(computeDeadline(new Date('2026-11-27T15:00:00Z'), 4, 'working').toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    ); // Mon 11:00 Paris
    // Filed on a Saturday: the clock starts Monday 08:00.
    expect(computeDeadline(new Date('2026-11-28T10:00:00Z'), 9, 'working').toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    ); // Mon 17:00 Paris
    // Filed at night: starts the next morning.
    expect(computeDeadline(new Date('2026-12-01T22:00:00Z'), 1, 'working').toISOString()).toBe(
      '2026-12-02T08:00:00.000Z',
    ); // Wed 09:00 Paris
  });

  it('skips public holidays and follows daylight saving time', () => {
    // Thursday 24 Dec 2026 16:00 Paris; Friday 25 Dec is Christmas: 2 h → Monday 28 Dec 09:00 Paris.
    expect(computeDeadline(new Date('2026-12-24T15:00:00Z'), 2, 'working').toISOString()).toBe(
      '2026-12-28T08:00:00.000Z',
    );
    // Friday 27 Mar 2026 16:00 Paris (CET, UTC+1); clocks go forward on Sunday: Monday 09:00 is 07:00 UTC.
    expect(computeDeadline(new Date('2026-03-27T15:00:00Z'), 2, 'working').toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });
});
