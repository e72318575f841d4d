import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact, DESKTOP, openPage, PHONE, trackPageErrors } from '../support/browser';
import { fileReport } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

// Issue #15: offline, every resident page says so, and the public map shows what it last saw.
const stack = useStack({ web: true, browser: true, env: { TILE_URL: '' } });

// Street zoom: reports are DOM markers fetched as GeoJSON, which a test can count.
const STREET = `/?lat=${POINT_PARIS_11.lat}&lon=${POINT_PARIS_11.lon}&z=17`;

async function installServiceWorker(page: Page): Promise<void> {
  // The worker takes control of the page once installed (skipWaiting + clients.claim).
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
}

describe('offline', () => {
  it('says so on every resident page, in French and English, and the map shows the reports it last saw', async () => {
    const filed = await Promise.all(
      [0, 1, 2].map((i) =>
        fileReport(stack.deps, {
          description: `Hors ligne ${i}`,
          point: { lat: POINT_PARIS_11.lat + i * 0.0002, lon: POINT_PARIS_11.lon },
        }),
      ),
    );
    for (const [name, device] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const page = await openPage(stack, device);
      const context = page.context();
      const errors = trackPageErrors(page);
      await page.goto(stack.baseUrl + STREET);
      await installServiceWorker(page);
      // Seen once online, with the worker in control: it keeps the answer.
      await page.reload();
      await expect.poll(() => page.locator('path.report-marker').count(), { timeout: 15_000 }).toBe(filed.length);
      await expect(page.getByTestId('offline-banner').count()).resolves.toBe(0);

      await context.setOffline(true);
      const banner = page.getByTestId('offline-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('la carte montre ce qu’elle a vu en dernier');

      // A fresh visit of the map offline: the shell from the cache, the reports from the last answer.
      await page.goto(stack.baseUrl + STREET);
      await banner.waitFor();
      await expect.poll(() => page.locator('path.report-marker').count(), { timeout: 15_000 }).toBe(filed.length);
      await page.screenshot({ path: artifact(`offline-map-${name}.png`) });

      // The other resident pages say it too, in the reader's language.
      for (const path of ['/signaler', '/reports', '/compte']) {
        await page.goto(stack.baseUrl + path);
        expect({ path, text: await banner.textContent() }).toEqual({
          path,
          text: expect.stringContaining('Vous êtes hors ligne'),
        });
      }
      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => banner.textContent()).toContain('You are offline');
      await page.screenshot({ path: artifact(`offline-account-en-${name}.png`) });

      await context.setOffline(false);
      await expect.poll(() => banner.count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
