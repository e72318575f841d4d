import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { artifact, launchChromium } from '../support/browser';
import { createTestSettings, testApiConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { POINT_PARIS_11 } from '../support/multipart';

let db: TestDatabase;

async function countReports(description: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE description = $1', [
    description,
  ]);
  return rows[0]!.n;
}

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

  it('opens the report form offline once installed, takes a report there, and sends it when the network is back', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
      geolocation: { latitude: POINT_PARIS_11.lat, longitude: POINT_PARIS_11.lon, accuracy: 12 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    // Only the map is visited online: the report form's lazy chunk must come from the install-time
    // precache, and the categories and areas from the copy the map's visit left.
    await page.goto(`${baseUrl}/`);
    await page.locator('.leaflet-container').waitFor();
    // The worker takes control of the page once installed (skipWaiting + clients.claim).
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 });
    await page.evaluate(() => navigator.serviceWorker.ready);

    await context.setOffline(true);
    await page.goto(`${baseUrl}/signaler`);
    await page.getByRole('heading', { level: 1, name: 'Signaler un problème' }).waitFor();
    // The API itself is never served from a cache: offline, it fails.
    const api = await page.evaluate(() =>
      fetch('/api/categories').then(
        () => 'answered',
        () => 'failed',
      ),
    );
    expect(api).toBe('failed');

    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('graffiti');
    await page.getByRole('radio', { name: 'Tag sur façade' }).check();
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('11');
    const description = `Saisi hors ligne ${Date.now()}`;
    await page.getByLabel('Description').fill(description);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect.poll(() => page.getByTestId('waiting-network').textContent()).toContain('En attente de réseau');
    await page.screenshot({ path: artifact('pwa-offline-report-waiting-phone.png'), fullPage: true });
    expect(await countReports(description)).toBe(0);

    await context.setOffline(false);
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor({ timeout: 20_000 });
    expect(await countReports(description)).toBe(1);
    await context.close();
  });
});
