import { describe, expect, it } from 'vitest';
import { parseAddressQuery } from './address-query';

describe('parseAddressQuery', () => {
  it.each([
    ['12 rue de la roq', { street: 'rue de la roq', number: 12, suffix: '', postcode: null }],
    ['rue roquette 12', { street: 'rue roquette', number: 12, suffix: '', postcode: null }],
    ['12 r. de la Roquette 75011', { street: 'r. de la Roquette', number: 12, suffix: '', postcode: '75011' }],
    ['place hotel de ville', { street: 'place hotel de ville', number: null, suffix: '', postcode: null }],
    ['12bis rue X', { street: 'rue X', number: 12, suffix: 'bis', postcode: null }],
    ['12 bis, rue X', { street: 'rue X', number: 12, suffix: 'bis', postcode: null }],
    ['7 B rue X', { street: 'B rue X', number: 7, suffix: '', postcode: null }],
    ['43-45 rue X', { street: 'rue X', number: 43, suffix: '', postcode: null }],
    ['75011', { street: '', number: null, suffix: '', postcode: '75011' }],
  ])('%s', (text, expected) => {
    expect(parseAddressQuery(text)).toEqual(expected);
  });

  it('keeps a second number as part of the street ("rue du 4 septembre")', () => {
    expect(parseAddressQuery('10 rue du 4 septembre')).toEqual({
      street: 'rue du 4 septembre',
      number: 10,
      suffix: '',
      postcode: null,
    });
  });
});
