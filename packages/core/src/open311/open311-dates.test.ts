import { describe, expect, it } from 'vitest';
import { parseOpen311DateTime } from './open311.service';

describe('parseOpen311DateTime', () => {
  it.each([
    ['2026-11-01T00:00:00Z', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T01:00:00+01:00', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T00:00Z', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T00:00:00.123-05:00', '2026-11-01T05:00:00.123Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
  ])('reads %s', (raw, iso) => {
    expect(parseOpen311DateTime(raw)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-11-01',
    '2026-11-01T00:00:00',
    '2026-11-01 00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-01T24:00:00Z',
    '2026-11-01T00:00:00+24:00',
    'yesterday',
    '1730419200',
    '',
  ])('refuses %j', (raw) => {
    expect(parseOpen311DateTime(raw)).toBeNull();
  });
});
