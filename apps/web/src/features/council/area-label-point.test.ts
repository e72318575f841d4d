import { describe, expect, it } from 'vitest';
import { pointOnSurface, type Ring } from './area-label-point';

/** Even-odd rule: is `[x, y]` inside the polygon (outer ring minus holes)? */
function isInside([x, y]: [number, number], polygon: Ring[]): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[j] as [number, number];
      const [x2, y2] = ring[i] as [number, number];
      if (y1 > y !== y2 > y && x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
    }
  }
  return inside;
}

describe('pointOnSurface', () => {
  it('puts a name inside a U-shaped area, where the bounds centre falls outside', () => {
    // A "U": the middle of its bounds (2, 2) is in the notch, outside the area.
    const u: Ring[] = [
      [
        [0, 0],
        [4, 0],
        [4, 4],
        [3, 4],
        [3, 1],
        [1, 1],
        [1, 4],
        [0, 4],
        [0, 0],
      ],
    ];
    expect(isInside([2, 2], u)).toBe(false);
    const point = pointOnSurface(u)!;
    expect(isInside(point, u)).toBe(true);
  });

  it('avoids a hole, and takes the widest stretch', () => {
    const withHole: Ring[] = [
      [
        [0, 0],
        [10, 0],
        [10, 2],
        [0, 2],
        [0, 0],
      ],
      [
        [2, 0.5],
        [5, 0.5],
        [5, 1.5],
        [2, 1.5],
        [2, 0.5],
      ],
    ];
    expect(pointOnSurface(withHole)).toEqual([7.5, 1]);
  });

  it('gives nothing for a degenerate ring', () => {
    expect(pointOnSurface([[[0, 0]]])).toBeNull();
  });
});
