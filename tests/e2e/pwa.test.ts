import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { artifact, launchChromium } from '../support/browser';
import { createTestSettings, testApiConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const settings = createTestSettings(db.url);
  app = await buildApp(testApiConfig(settings, { WEB_DIST_DIR: path.resolve('apps/web/dist'), TILE_URL: '' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

describe('the installable app', () => {
  it('has a manifest with icons that exist', async () => {
    const manifest = await (await fetch(`${baseUrl}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ name: expect.any(String), start_url: '/', display: 'standalone' });
    const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const response = await fetch(new URL(icon.src, baseUrl));
      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get('content-type'), icon.src).toContain(icon.type);
    }
  });

  it('opens a page never visited without a network once installed, and never serves the API from a cache', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      locale: 'fr-FR',
    });
    const page = await context.newPage();
    // Only the map is visited: the report form's lazy chunk must come from the install-time precache.
    await page.goto(`${baseUrl}/`);
    await page.locator('.leaflet-container').waitFor();
    // The worker takes control of the page once installed (skipWaiting + clients.claim).
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 });
    await page.evaluate(() => navigator.serviceWorker.ready);

    await context.setOffline(true);
    await page.goto(`${baseUrl}/signaler`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await heading.textContent()).toMatch(/signal/i);
    const cachedApi = await page.evaluate(async () => {
      try {
        await fetch('/api/categories');
        return 'answered';
      } catch {
        return 'failed';
      }
    });
    // The API is never served from a cache: offline, it fails, and the page says so.
    expect(cachedApi).toBe('failed');
    await page.getByText("Les catégories n'ont pas pu être chargées", { exact: false }).waitFor();
    await page.screenshot({ path: artifact('pwa-offline-signaler-phone.png') });
    await context.close();
  });
});
