import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../apps/web/src/i18n/en';
import { enStaff } from '../../apps/web/src/i18n/en-staff';
import { fr, type Message } from '../../apps/web/src/i18n/fr';
import { frStaff } from '../../apps/web/src/i18n/fr-staff';
import { artifact, DESKTOP, openPage, PHONE, trackPageErrors } from '../support/browser';
import { fileRoutedReport } from '../support/factories';
import { useStack } from '../support/stack';

// The UI's strings come in two parts (apps/web/src/i18n/fr.ts): every page's, with the app, and the
// staff's pages' own, with those pages. A resident never downloads the second; a staff page never shows
// before its strings, in either language, nor after a switch of language.
const stack = useStack({
  web: true,
  browser: true,
  env: { TILE_URL: '' },
  staff: {
    chef: { role: 'supervisor', service: 'voirie', displayName: 'Amina Diallo' },
    elu: { role: 'council', displayName: 'Élu Test' },
  },
});

const KEYS = [...Object.keys(fr), ...Object.keys(frStaff)];
// The longer names first: `en-staff-<hash>.js` must not read as `en`.
const PARTS = /^\/assets\/(en-staff|fr-staff|en)-[\w-]+\.js$/;

/** A message without plural forms, as the page shows it. */
function plain(message: Message): string {
  if (typeof message !== 'string') throw new Error(`not a plain message: ${JSON.stringify(message)}`);
  return message;
}

/**
 * From the page's first mutation on, collects any dictionary key that shows as text or as an
 * accessible name: read `window.paveRawKeys` after. A flash between two renders counts too.
 */
async function watchForRawKeys(page: Page): Promise<void> {
  await page.addInitScript((keys: string[]) => {
    const seen = new Set<string>();
    (window as unknown as { paveRawKeys: Set<string> }).paveRawKeys = seen;
    const check = () => {
      const body = document.body;
      if (!body) return;
      const labels = [...body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')].map((element) =>
        ['aria-label', 'title', 'placeholder', 'alt'].map((name) => element.getAttribute(name) ?? '').join('\n'),
      );
      const text = `${body.textContent ?? ''}\n${labels.join('\n')}`;
      for (const key of keys) if (text.includes(key)) seen.add(key);
    };
    new MutationObserver(check).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  }, KEYS);
}

const rawKeys = (page: Page) =>
  page.evaluate(() => [...(window as unknown as { paveRawKeys: Set<string> }).paveRawKeys]);

/** The dictionary parts the page asks for, by name: `en`, `fr-staff`, `en-staff`. */
function trackParts(page: Page): string[] {
  const parts: string[] = [];
  page.on('request', (request) => {
    const match = PARTS.exec(new URL(request.url()).pathname);
    if (match) parts.push(match[1]!);
  });
  return parts;
}

describe('the strings a page downloads', () => {
  for (const [locale, parts] of [
    ['fr-FR', []],
    ['en-GB', ['en']],
  ] as const) {
    it(`a resident’s map and report form come without the staff’s strings (${locale})`, async () => {
      const page = await openPage(stack, { ...PHONE, locale });
      const errors = trackPageErrors(page);
      const asked = trackParts(page);
      await watchForRawKeys(page);
      await page.goto(`${stack.baseUrl}/`);
      await page.locator('.leaflet-control-zoom-in').waitFor();
      const messages = locale === 'fr-FR' ? fr : en;
      const cta = page.getByRole('link', { name: plain(messages['map.cta']) });
      await cta.waitFor();
      await page.screenshot({ path: artifact(`ui-strings-map-phone-${locale}.png`) });

      await cta.click();
      await page.getByTestId('photo-button').waitFor();
      expect(asked).toEqual(parts);
      expect(await rawKeys(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('a staff page opens in English with its English strings only, never a raw key', async () => {
    const report = await fileRoutedReport(stack.deps, { description: 'Nid de poule devant le 12' });
    const page = await openPage(stack, { ...PHONE, locale: 'en-GB', signedIn: stack.staff.chef });
    const errors = trackPageErrors(page);
    const asked = trackParts(page);
    await watchForRawKeys(page);
    await page.goto(`${stack.baseUrl}/staff`);
    await page
      .locator('.staff-list')
      .getByRole('button', { name: new RegExp(`^${report.ref}`) })
      .waitFor();
    await expect(page.locator('main h1').textContent()).resolves.toBe(plain(enStaff['staff.area.title']));
    await page.screenshot({ path: artifact('ui-strings-staff-phone-en-GB.png') });
    expect(asked.sort()).toEqual(['en', 'en-staff']);
    expect(await rawKeys(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switching language on a staff page brings the staff’s strings of the other language first', async () => {
    const page = await openPage(stack, { ...DESKTOP, locale: 'fr-FR', signedIn: stack.staff.elu });
    const errors = trackPageErrors(page);
    const asked = trackParts(page);
    await watchForRawKeys(page);
    await page.goto(`${stack.baseUrl}/council`);
    await page.getByRole('heading', { level: 1, name: frStaff['council.title'] }).waitFor();
    expect(asked).toEqual(['fr-staff']);

    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { level: 1, name: plain(enStaff['council.title']) }).waitFor();
    await page.getByRole('group', { name: plain(enStaff['council.exports.label']) }).waitFor();
    await page.screenshot({ path: artifact('ui-strings-council-desktop-en.png') });
    expect(asked.sort()).toEqual(['en', 'en-staff', 'fr-staff']);
    expect(await rawKeys(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
