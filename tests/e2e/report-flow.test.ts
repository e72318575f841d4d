import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../../apps/worker/src/runtime';
import { artifact, launchChromium } from '../support/browser';
import { createTestSettings, testApiConfig, testWorkerConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { FIXTURES_DIR, POINT_PARIS_11 } from '../support/multipart';

let db: TestDatabase;
let app: FastifyInstance;
let runtime: WorkerRuntime;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const settings = createTestSettings(db.url);
  // The default tile URL is a real web tile server: unreachable here, so this also proves the offline fallback.
  app = await buildApp(testApiConfig(settings, { WEB_DIST_DIR: path.resolve('apps/web/dist') }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  runtime = await startWorker(testWorkerConfig(settings));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
  await app?.close();
  await db?.drop();
});

async function phoneContext(locale = 'fr-FR'): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    geolocation: { latitude: POINT_PARIS_11.lat, longitude: POINT_PARIS_11.lon, accuracy: 12 },
    permissions: ['geolocation'],
  });
}

describe('a resident on a phone', () => {
  it('reports a pothole in the 11th with an iPhone photo, sees it routed to the 11th road team and on the map', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${baseUrl}/signaler`);
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('nid');
    await page.getByRole('radio', { name: 'Nid-de-poule' }).check();
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('48.85');
    await page.getByLabel('Description').fill('Nid-de-poule profond au milieu du passage piéton.');
    await page
      .locator('input[type="file"]')
      .setInputFiles(path.join(FIXTURES_DIR, 'photos', 'jpg_hdr_iphone_hdr_YES.jpg'));
    await expect.poll(() => page.getByTestId('photo-previews').locator('li').count()).toBe(1);
    await page.getByLabel('E-mail (facultatif)').fill('habitante@example.org');
    await page.screenshot({ path: artifact('phone-1-form.png'), fullPage: true });

    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
    const ref = (await page.getByTestId('report-ref').textContent())?.trim() ?? '';
    expect(ref).toMatch(/^PAV-\d{4}-\d{6}$/);
    await page.screenshot({ path: artifact('phone-2-confirmation.png'), fullPage: true });

    await page.getByRole('link', { name: 'Suivre ce signalement' }).click();
    await expect
      .poll(() => page.getByTestId('report-team').textContent(), { timeout: 15_000 })
      .toBe('Voirie — Paris 11e');
    await page.locator('.report-photos img, [data-testid="report-photos"] img').first().waitFor({ timeout: 15_000 });
    expect(await page.content()).not.toContain('habitante@example.org');
    await page.screenshot({ path: artifact('phone-3-report-page.png'), fullPage: true });

    await page.goto(`${baseUrl}/?lat=${POINT_PARIS_11.lat}&lon=${POINT_PARIS_11.lon}&z=18`);
    const marker = page.locator('path.report-marker').first();
    await marker.waitFor({ timeout: 15_000 });
    await marker.click({ force: true });
    await expect.poll(() => page.locator('.leaflet-popup-content').textContent()).toContain(ref);
    await page.screenshot({ path: artifact('phone-4-map.png') });

    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('is told plainly when the point is outside the service area', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'fr-FR',
      geolocation: { latitude: 45.764, longitude: 4.8357, accuracy: 20 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signaler`);
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('tag');
    await page.getByRole('radio', { name: 'Tag sur façade' }).check();
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('45.76');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toContain('hors de la zone couverte');
    await page.screenshot({ path: artifact('phone-5-outside-area.png'), fullPage: true });
    await context.close();
  });

  it('speaks the phone’s language on the first visit, and keeps the one the resident picks', async () => {
    const context = await phoneContext('en-US');
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signaler`);
    await page.getByRole('heading', { name: 'Report a problem' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.screenshot({ path: artifact('report-flow-english-phone.png') });
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: 'Signaler un problème' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Signaler un problème' }).waitFor();
    await context.close();
  });
});
