import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact, openPage, PHONE, trackPageErrors } from '../support/browser';
import { useStack } from '../support/stack';

// Issue #15: the first screen on a slow phone. The boot script (apps/web/vite.config.ts) starts the
// route's own chunks and API answers with the entry instead of after it; bench/web.bench.ts measures
// what that is worth. Here: that it happens, on the routes it should and no other.
const stack = useStack({ web: true, browser: true, env: { TILE_URL: '' } });

// Slow enough that the entry (about 60 KB) is still arriving when the boot script (2 KB) has run.
const SLOW_LINK = { offline: false, latency: 200, downloadThroughput: 50_000, uploadThroughput: 50_000 };

interface Request {
  url: string;
  sentAt: number;
  finishedAt: number | null;
}

/**
 * Opens `path` on a slowed link. The list it returns fills as the page loads: each request's start and
 * end (CDP clock, seconds); read it after waiting on the page.
 */
async function openSlowly(page: Page, path: string): Promise<Request[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_LINK);
  const requests: Request[] = [];
  const byId = new Map<string, Request>();
  cdp.on('Network.requestWillBeSent', (event) => {
    const request = { url: event.request.url, sentAt: event.timestamp, finishedAt: null };
    byId.set(event.requestId, request);
    requests.push(request);
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = byId.get(event.requestId);
    if (request) request.finishedAt = event.timestamp;
  });
  await page.goto(stack.baseUrl + path, { waitUntil: 'commit' });
  return requests;
}

const pathOf = (request: Request) => new URL(request.url).pathname;
const find = (requests: Request[], pattern: RegExp) => requests.filter((r) => pattern.test(pathOf(r)));

describe('the first screen on a slow link', () => {
  it('on the map, fetches Leaflet and the map configuration while the entry is still arriving, once each', async () => {
    const page = await openPage(stack, PHONE);
    const errors = trackPageErrors(page);
    const requests = await openSlowly(page, '/');
    await page.locator('.leaflet-control-zoom-in').waitFor({ timeout: 60_000 });

    const [entry] = find(requests, /^\/assets\/index-[\w-]+\.js$/);
    const leaflet = find(requests, /^\/assets\/leaflet-[\w-]+\.js$/);
    const config = find(requests, /^\/api\/config$/);
    expect(entry?.finishedAt).toBeTypeOf('number');
    // Without the boot script, neither can be asked for before the entry has arrived and run.
    expect(leaflet).toHaveLength(1);
    expect(leaflet[0]!.sentAt).toBeLessThan(entry!.finishedAt!);
    expect(config).toHaveLength(1);
    expect(config[0]!.sentAt).toBeLessThan(entry!.finishedAt!);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('on the report form, starts the form’s chunks early and leaves Leaflet to the form', async () => {
    const page = await openPage(stack, PHONE);
    const errors = trackPageErrors(page);
    const requests = await openSlowly(page, '/signaler');
    await page.getByTestId('photo-button').waitFor({ timeout: 60_000 });

    const [entry] = find(requests, /^\/assets\/index-[\w-]+\.js$/);
    const form = find(requests, /^\/assets\/report-form-page-[\w-]+\.js$/);
    expect(form).toHaveLength(1);
    expect(form[0]!.sentAt).toBeLessThan(entry!.finishedAt!);
    // The form fetches Leaflet itself, for its map step, once its first step is idle: never ahead of the entry.
    for (const request of find(requests, /^\/(assets\/leaflet-[\w-]+\.js|api\/config)$/)) {
      expect({ url: request.url, isAfterEntry: request.sentAt > entry!.finishedAt! }).toEqual({
        url: request.url,
        isAfterEntry: true,
      });
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('elsewhere, loads nothing ahead', async () => {
    const page = await openPage(stack, PHONE);
    const requests = await openSlowly(page, '/reports');
    await page.locator('main h1').first().waitFor({ timeout: 60_000 });
    expect(find(requests, /^\/assets\/(leaflet|report-form-page|reports-map-page)-[\w-]+\.js$/)).toEqual([]);
    await page.context().close();
  });
});

describe('the public map’s legend on a phone', () => {
  for (const [locale, title, first, cells] of [
    ['fr-FR', 'Légende', 'Reçu', /Nombre de signalements/],
    ['en-GB', 'Legend', 'Received', /Number of reports/],
  ] as const) {
    it(`reads as a key, not a set of choices (${locale})`, async () => {
      const page = await openPage(stack, { ...PHONE, locale });
      await page.goto(`${stack.baseUrl}/`);
      const legend = page.getByRole('region', { name: title });
      await legend.waitFor();
      await expect(legend.getByRole('heading', { name: title }).isVisible()).resolves.toBe(true);
      const items = legend.getByRole('listitem');
      expect(await items.count()).toBe(6);
      await expect(items.first().textContent()).resolves.toBe(first);
      // Nothing in it can be pressed or ticked: filtering is the filters panel's.
      expect(await legend.locator('input, button, [role="radio"], [role="checkbox"]').count()).toBe(0);
      // What the numbered bubbles mean is said on a phone too.
      await expect(legend.getByText(cells).isVisible()).resolves.toBe(true);
      await page.screenshot({ path: artifact(`first-screen-legend-phone-${locale}.png`) });
      await page.context().close();
    });
  }
});
