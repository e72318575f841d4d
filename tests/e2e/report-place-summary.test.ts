import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact, openPage, PHONE, trackPageErrors } from '../support/browser';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

// Issue #15: on a 360×740 phone the map of step 2 sits below the suggested categories; the place is
// said at the top of the step, with a control that brings the map into view.
const stack = useStack({ web: true, browser: true, geocoder: true, env: { TILE_URL: '' } });

/** Whether the whole element is inside the viewport, above the bottom bar. */
function isOnScreen(target: Locator): Promise<boolean> {
  return target.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const bar = document.querySelector('.step-bar')?.getBoundingClientRect().top ?? window.innerHeight;
    return box.top >= 0 && box.bottom <= Math.min(bar, window.innerHeight);
  });
}

describe('step 2 on a phone', () => {
  for (const locale of ['fr', 'en'] as const) {
    it(`says where the report is above the fold and leads to the map (${locale})`, async () => {
      const page = await openPage(stack, { ...PHONE, at: POINT_PARIS_11, locale: locale === 'fr' ? 'fr-FR' : 'en-GB' });
      const errors = trackPageErrors(page);
      const say =
        locale === 'fr'
          ? {
              skip: 'Continuer sans photo',
              none: 'Lieu pas encore choisi',
              choose: 'Choisir le lieu sur la carte',
              mine: 'Utiliser ma position',
              change: 'Modifier le lieu sur la carte',
            }
          : {
              skip: 'Continue without a photo',
              none: 'No place chosen yet',
              choose: 'Choose the place on the map',
              mine: 'Use my location',
              change: 'Change the place on the map',
            };
      await page.goto(`${stack.baseUrl}/signaler`);
      await page.getByRole('button', { name: say.skip }).click();
      const summary = page.getByTestId('place-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain(say.none);
      expect(await isOnScreen(summary)).toBe(true);

      await page.getByRole('button', { name: say.choose }).click();
      const map = page.locator('#report-location .location-map');
      await expect.poll(() => isOnScreen(map)).toBe(true);
      await page.getByRole('button', { name: say.mine }).click();
      await expect.poll(() => summary.textContent()).not.toContain(say.none);

      await page.evaluate(() => window.scrollTo(0, 0));
      expect(await isOnScreen(summary)).toBe(true);
      expect(await page.getByRole('button', { name: say.change }).isVisible()).toBe(true);
      await page.screenshot({ path: artifact(`step2-place-summary-phone-${locale}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
