import { isAppError } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { parseMapFilter, parseTileAddress } from './tiles.service';

function codeOf(run: () => unknown): string | null {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.code : 'OTHER';
  }
  return null;
}

describe('parseTileAddress', () => {
  it('accepts a tile inside its zoom grid', () => {
    expect(parseTileAddress({ z: '14', x: '8299', y: '5635' })).toEqual({ z: 14, x: 8299, y: 5635 });
    expect(parseTileAddress({ z: '0', x: '0', y: '0' })).toEqual({ z: 0, x: 0, y: 0 });
    expect(parseTileAddress({ z: '22', x: '4194303', y: '0' })).toEqual({ z: 22, x: 4194303, y: 0 });
  });

  it.each([
    ['23', '0', '0'],
    ['a', '0', '0'],
    ['1', '2', '0'],
    ['1', '0', '2'],
    ['14', '-1', '0'],
    ['14', '1.5', '0'],
    ['14', '', '0'],
    ['14', '1e3', '0'],
  ])('refuses z=%s x=%s y=%s with TILE_INVALID', (z, x, y) => {
    expect(codeOf(() => parseTileAddress({ z, x, y }))).toBe('TILE_INVALID');
  });
});

describe('parseMapFilter', () => {
  it('parses lists and dates, and refuses unknown values', () => {
    expect(parseMapFilter({ group: 'voirie, eau', status: 'new', since: '2026-01-31' })).toEqual({
      groups: ['voirie', 'eau'],
      statuses: ['new'],
      since: '2026-01-31',
      until: null,
    });
    expect(parseMapFilter({})).toEqual({ groups: null, statuses: null, since: null, until: null });
    expect(codeOf(() => parseMapFilter({ status: 'lost' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parseMapFilter({ since: '2026-02-30' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parseMapFilter({ since: '2026-02-02', until: '2026-02-01' }))).toBe('VALIDATION_FAILED');
  });
});
