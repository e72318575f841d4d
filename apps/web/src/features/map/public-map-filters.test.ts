import { describe, expect, it } from 'vitest';
import { matchesFilters, NO_FILTERS, readFilters, toApiQuery, writeFilters } from './public-map-filters';

describe('map filters in the URL', () => {
  it('round-trips through a query string and drops what is malformed', () => {
    const params = new URLSearchParams(
      'lat=48.8&group=voirie,Bad;Code&status=new,lost&period=custom&from=2026-01-02&to=x',
    );
    const filters = readFilters(params);
    expect(filters).toEqual({ groups: ['voirie'], tones: ['new'], period: 'custom', from: '2026-01-02', to: '' });
    writeFilters(params, filters);
    expect(params.toString()).toBe('lat=48.8&group=voirie&status=new&period=custom&from=2026-01-02');
    writeFilters(params, NO_FILTERS);
    expect(params.toString()).toBe('lat=48.8');
  });

  it('turns status colours into statuses and relative periods into dates', () => {
    const now = new Date(2026, 10, 29, 15, 0);
    const query = toApiQuery({ ...NO_FILTERS, tones: ['active', 'reopened'], period: '7d' }, now);
    expect(query.get('status')).toBe('acknowledged,scheduled,in_progress,reopened');
    expect(query.get('since')).toBe('2026-11-23');
    expect(
      toApiQuery({ ...NO_FILTERS, period: 'custom', from: '2026-02-01', to: '2026-01-01' }, now).has('until'),
    ).toBe(false);
  });

  it('tells whether a live report passes the filters', () => {
    const now = new Date(2026, 10, 29, 15, 0);
    const report = { status: 'new', group: 'voirie', createdAt: now.toISOString() };
    expect(matchesFilters(NO_FILTERS, report, now)).toBe(true);
    expect(matchesFilters({ ...NO_FILTERS, groups: ['graffitis'] }, report, now)).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, tones: ['resolved'] }, report, now)).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, period: 'custom', to: '2026-11-01' }, report, now)).toBe(false);
  });
});
