import { describe, expect, it } from 'vitest';
import { browserLocale } from './i18n-context';

describe('browserLocale', () => {
  it('takes the first of the browser’s languages that Pavé speaks, French otherwise', () => {
    expect(browserLocale(['en-GB', 'fr-FR'])).toBe('en');
    expect(browserLocale(['fr-CA', 'en'])).toBe('fr');
    expect(browserLocale(['de-DE', 'EN-us'])).toBe('en');
    expect(browserLocale(['it-IT', 'es'])).toBe('fr');
    expect(browserLocale([])).toBe('fr');
  });
});
