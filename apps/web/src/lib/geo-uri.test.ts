import { describe, expect, it } from 'vitest';
import { toGeoUri } from './geo-uri';

describe('toGeoUri', () => {
  it('puts latitude first, to the micro-degree, with the address as the pin label', () => {
    expect(toGeoUri([2.331058, 48.875065], '90 Rue de la Victoire 75009 Paris')).toBe(
      'geo:48.875065,2.331058?q=48.875065,2.331058(90%20Rue%20de%20la%20Victoire%2075009%20Paris)',
    );
  });

  it('keeps a label from closing early, and leaves it out when there is none', () => {
    expect(decodeURIComponent(toGeoUri([2.3, 48.8], 'Square (entrée nord)'))).toBe(
      'geo:48.800000,2.300000?q=48.800000,2.300000(Square entrée nord)',
    );
    expect(toGeoUri([2.3, 48.8], null)).toBe('geo:48.800000,2.300000?q=48.800000,2.300000');
  });
});
