import { describe, expect, it } from 'vitest';
import { faceBlurBox } from '../photos/image';
import { mergeDetections } from './face-detector';

describe('mergeDetections', () => {
  it('keeps one box per face, the best scored, when passes overlap', () => {
    const whole = { x: 0.1, y: 0.1, width: 0.1, height: 0.2, score: 0.7 };
    const tile = { x: 0.105, y: 0.11, width: 0.1, height: 0.19, score: 0.9 };
    const other = { x: 0.6, y: 0.1, width: 0.1, height: 0.2, score: 0.6 };
    expect(mergeDetections([whole, other, tile])).toEqual([tile, other]);
  });

  it('keeps two faces side by side that barely touch', () => {
    const left = { x: 0.1, y: 0.1, width: 0.1, height: 0.2, score: 0.9 };
    const right = { x: 0.19, y: 0.1, width: 0.1, height: 0.2, score: 0.8 };
    expect(mergeDetections([left, right])).toHaveLength(2);
  });
});

describe('faceBlurBox', () => {
  it('covers hair and jaw around the detected face, inside the image', () => {
    expect(faceBlurBox({ x: 0.4, y: 0.4, width: 0.2, height: 0.2 })).toEqual({
      x: expect.closeTo(0.35, 6),
      y: expect.closeTo(0.33, 6),
      width: expect.closeTo(0.3, 6),
      height: expect.closeTo(0.31, 6),
    });
    const corner = faceBlurBox({ x: 0, y: 0, width: 0.1, height: 0.1 });
    expect(corner.x).toBe(0);
    expect(corner.y).toBe(0);
  });
});
