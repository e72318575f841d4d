import path from 'node:path';
import { createLocalStorage, createReport, createStaffUser, createTokenSigner } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../../apps/worker/src/runtime';
import { artifact, launchChromium } from '../support/browser';
import { createTestSettings, testApiConfig, testWorkerConfig, type TestSettings } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { FIXTURES_DIR, POINT_PARIS_11 } from '../support/multipart';
import { startTestSmtp, type TestSmtp } from '../support/smtp';

const SECRET = 'staff-e2e-token-secret';
let db: TestDatabase;
let settings: TestSettings;
let app: FastifyInstance;
let runtime: WorkerRuntime;
let smtp: TestSmtp;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  settings = createTestSettings(db.url);
  smtp = await startTestSmtp();
  app = await buildApp(testApiConfig(settings, { WEB_DIST_DIR: path.resolve('apps/web/dist'), TOKEN_SECRET: SECRET }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  runtime = await startWorker(
    testWorkerConfig(settings, { SMTP_URL: smtp.url, TOKEN_SECRET: SECRET, PUBLIC_BASE_URL: baseUrl }),
  );
  browser = await launchChromium();
  await createStaffUser(db.pool, {
    email: 'equipe@ville.test',
    password: 'mot de passe solide',
    role: 'crew',
    teamCode: 'voirie-11',
  });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
  await app?.close();
  await smtp?.close();
  await db?.drop();
});

describe('a crew member on a phone', () => {
  it('signs in, acknowledges a new report, resolves it with an after photo; the public page and the reporter’s mail show it', async () => {
    const report = await createReport(
      { db: db.pool, storage: createLocalStorage(settings.storageDir), tokens: createTokenSigner(SECRET) },
      {
        category: 'nid-de-poule',
        lat: String(POINT_PARIS_11.lat),
        lon: String(POINT_PARIS_11.lon),
        description: 'Trou devant l’école',
        email: 'habitant@example.org',
        photos: [],
      },
    );
    await expect
      .poll(
        async () => (await db.pool.query('SELECT team_id FROM reports WHERE id = $1', [report.id])).rows[0].team_id,
        { timeout: 10_000 },
      )
      .not.toBeNull();

    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'fr-FR',
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/staff`);
    await page.getByLabel('Adresse e-mail professionnelle').fill('equipe@ville.test');
    await page.getByLabel('Mot de passe').fill('mot de passe solide');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'File des signalements' }).waitFor();
    await page.getByRole('button', { name: new RegExp(report.ref) }).waitFor();

    // A report filed now appears in the open queue within 2 seconds, without a reload.
    const live = await createReport(
      { db: db.pool, storage: createLocalStorage(settings.storageDir), tokens: createTokenSigner(SECRET) },
      { category: 'regard-descelle', lat: String(POINT_PARIS_11.lat), lon: String(POINT_PARIS_11.lon), photos: [] },
    );
    const filedAt = Date.now();
    await page.getByRole('button', { name: new RegExp(live.ref) }).waitFor({ timeout: 10_000 });
    expect(Date.now() - filedAt).toBeLessThan(2_000 + 1_000 /* routing by the worker happens first */);

    await page.getByRole('button', { name: new RegExp(report.ref) }).click();
    await page.screenshot({ path: artifact('staff-1-queue.png'), fullPage: true });

    await page.getByLabel('Nouvel état').selectOption('acknowledged');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByTestId('report-status').first().textContent()).toBe('Pris en compte');

    await page.getByLabel('Nouvel état').selectOption('resolved');
    await page
      .getByLabel('Photo « après » (facultative)')
      .setInputFiles(path.join(FIXTURES_DIR, 'photos', 'jpg_orientation_portrait_6.jpg'));
    await page.getByLabel('Message public (envoyé au déclarant)').fill('Trou rebouché ce matin.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByTestId('report-status').first().textContent()).toBe('Résolu');
    // Resolved, it has left the open queue, but stays on screen, marked, until the crew member closes it.
    const line = page.getByRole('button', { name: new RegExp(report.ref) });
    await expect.poll(() => line.textContent()).toContain('Sorti de cette file');
    await page.screenshot({ path: artifact('staff-2-resolved.png'), fullPage: true });
    await line.click();
    await expect.poll(() => line.count()).toBe(0);

    // The reporter's mail: acknowledgement, then "Pris en compte", then the resolution with the after photo.
    const mails = await smtp.waitForMails(3, 20_000);
    const resolution = mails.find((m) => m.subject === `${report.ref} : Résolu`);
    expect(resolution?.text).toContain('Trou rebouché ce matin.');

    const publicPage = await context.newPage();
    await publicPage.goto(`${baseUrl}/r/${report.ref}`);
    await expect.poll(() => publicPage.getByTestId('report-status').first().textContent()).toBe('Résolu');
    await expect.poll(() => publicPage.getByText('Trou rebouché ce matin.').count()).toBeGreaterThan(0);
    await expect
      .poll(() => publicPage.locator('img[src*="/media/photos/"]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await publicPage.screenshot({ path: artifact('staff-3-public-page.png'), fullPage: true });
    await context.close();
  });
});
