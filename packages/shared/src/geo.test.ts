import { describe, expect, it } from 'vitest';
import { isAppError } from './errors';
import { parseBbox, parseCoordinate } from './geo';

describe('parseBbox', () => {
  it('parses four numbers in lon,lat order', () => {
    expect(parseBbox('2.25,48.81,2.42,48.91')).toEqual([2.25, 48.81, 2.42, 48.91]);
    expect(parseBbox(' -1.5 , -2 ,3,4')).toEqual([-1.5, -2, 3, 4]);
  });

  it.each([
    ['', 'empty'],
    ['1,2,3', 'three numbers'],
    ['1,2,3,4,5', 'five numbers'],
    ['a,b,c,d', 'not numbers'],
    ['1e2,2,3,4', 'exponent notation'],
    ['0x1,2,3,4', 'hex'],
    ['Infinity,2,3,4', 'infinity'],
    ['-181,0,1,1', 'longitude out of range'],
    ['0,-91,1,1', 'latitude out of range'],
    ['3,2,1,4', 'min above max'],
    ['1,2,1,4', 'zero width'],
  ])('refuses %j (%s)', (raw) => {
    let caught: unknown;
    try {
      parseBbox(raw);
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe('BBOX_INVALID');
  });
});

describe('parseCoordinate', () => {
  it('accepts decimals and refuses the rest', () => {
    expect(parseCoordinate('48.85')).toBe(48.85);
    expect(parseCoordinate('-2')).toBe(-2);
    expect(parseCoordinate('')).toBeNull();
    expect(parseCoordinate('NaN')).toBeNull();
    expect(parseCoordinate('1,5')).toBeNull();
    expect(parseCoordinate(undefined)).toBeNull();
  });
});
