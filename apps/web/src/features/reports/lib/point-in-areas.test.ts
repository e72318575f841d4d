import type { AreaFeatureCollection } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { findAreaAt } from './point-in-areas';

// A 10×10 square with a 2×2 hole in the middle, and a separate triangle, as two areas.
const AREAS = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      id: '1',
      properties: { code: 'square', name: 'Carré' },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [10, 0],
              [10, 10],
              [0, 10],
              [0, 0],
            ],
            [
              [4, 4],
              [6, 4],
              [6, 6],
              [4, 6],
              [4, 4],
            ],
          ],
        ],
      },
    },
    {
      type: 'Feature',
      id: '2',
      properties: { code: 'triangle', name: 'Triangle' },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [20, 0],
              [30, 0],
              [25, 8],
              [20, 0],
            ],
          ],
        ],
      },
    },
  ],
} as AreaFeatureCollection;

describe('findAreaAt', () => {
  it('names the area holding the point', () => {
    expect(findAreaAt([1, 1], AREAS)).toBe('Carré');
    expect(findAreaAt([25, 2], AREAS)).toBe('Triangle');
  });

  it('is null outside every area, in a hole, and between areas', () => {
    expect(findAreaAt([5, 5], AREAS)).toBeNull();
    expect(findAreaAt([15, 5], AREAS)).toBeNull();
    expect(findAreaAt([-1, 5], AREAS)).toBeNull();
    expect(findAreaAt([29, 7], AREAS)).toBeNull();
  });
});
