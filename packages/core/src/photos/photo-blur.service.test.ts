import { AppError } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { checkBlurBoxes } from './photo-blur.service';

const codeOf = (boxes: Parameters<typeof checkBlurBoxes>[0]) => {
  try {
    checkBlurBoxes(boxes);
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'other';
  }
};

describe('checkBlurBoxes', () => {
  it('accepts boxes inside the photo, up to its very edge', () => {
    expect(checkBlurBoxes([{ x: 0.7, y: 0.6, width: 0.3, height: 0.4 }])).toEqual([
      { x: 0.7, y: 0.6, width: expect.closeTo(0.3, 9), height: expect.closeTo(0.4, 9) },
    ]);
  });

  it('refuses a box outside the photo, of no size, or not a number', () => {
    for (const box of [
      { x: 0.8, y: 0, width: 0.3, height: 0.1 },
      { x: 0, y: -0.01, width: 0.1, height: 0.1 },
      { x: 0.1, y: 0.1, width: 0, height: 0.1 },
      { x: 0.1, y: 0.1, width: 0.1, height: 0.0001 },
      { x: Number.NaN, y: 0.1, width: 0.1, height: 0.1 },
      { x: 0.1, y: 0.1, width: Number.POSITIVE_INFINITY, height: 0.1 },
    ])
      expect(codeOf([box]), JSON.stringify(box)).toBe('BLUR_BOX_INVALID');
  });
});
