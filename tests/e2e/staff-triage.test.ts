import path from 'node:path';
import { createStaffUser } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../../apps/worker/src/runtime';
import { artifact, launchChromium } from '../support/browser';
import { createTestSettings, testApiConfig, testWorkerConfig, type TestSettings } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { multipart, POINT_PARIS_11 } from '../support/multipart';
import { startTestSmtp, type TestSmtp } from '../support/smtp';

const SECRET = 'staff-triage-e2e-secret';
const PASSWORD = 'mot de passe du chef';
let db: TestDatabase;
let settings: TestSettings;
let app: FastifyInstance;
let runtime: WorkerRuntime;
let smtp: TestSmtp;
let browser: Browser;
let baseUrl: string;
let crewId: number;

/** Files a report through the public API, as a resident's phone does; returns its id and reference. */
async function fileReport(category: string, description: string, offset = 0) {
  const body = await multipart({
    category,
    description,
    lat: String(POINT_PARIS_11.lat + offset),
    lon: String(POINT_PARIS_11.lon + offset),
  });
  const response = await app.inject({ method: 'POST', url: '/api/reports', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; ref: string };
}

async function waitUntilRouted(id: string) {
  await expect
    .poll(async () => (await db.pool.query('SELECT team_id FROM reports WHERE id = $1', [id])).rows[0].team_id, {
      timeout: 10_000,
    })
    .not.toBeNull();
}

const line = (page: Page, ref: string) => page.getByRole('button', { name: new RegExp(`^${ref}`) });

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
    email: 'chef@ville.test',
    password: PASSWORD,
    role: 'supervisor',
    service: 'voirie',
  });
  crewId = (
    await createStaffUser(db.pool, {
      email: 'camille@ville.test',
      password: PASSWORD,
      role: 'crew',
      teamCode: 'voirie-11',
      displayName: 'Camille Voirie',
    })
  ).id;
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
  await app?.close();
  await smtp?.close();
  await db?.drop();
});

describe('a supervisor triaging on a phone', () => {
  it('filters, searches, maps, bulk-acknowledges, assigns, and sees a new report arrive live', async () => {
    const holeA = await fileReport('nid-de-poule', 'Trou profond devant la boulangerie');
    const holeB = await fileReport('nid-de-poule', 'Nid de poule sur la piste cyclable', 0.002);
    const cover = await fileReport('regard-descelle', 'La plaque bouge quand les voitures passent', -0.002);
    await db.pool.query(`UPDATE reports SET address = $2 WHERE id = $1`, [cover.id, "8 rue de l'Église, 75011 Paris"]);
    for (const report of [holeA, holeB, cover]) await waitUntilRouted(report.id);

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'fr-FR',
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/staff`);
    await page.getByLabel('Adresse e-mail professionnelle').fill('chef@ville.test');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'File des signalements' }).waitFor();
    for (const report of [holeA, holeB, cover]) await line(page, report.ref).waitFor();
    await page.screenshot({ path: artifact('staff-triage-1-queue.png'), fullPage: true });

    // Filter by category: the choice lands in the URL, so a reload keeps it.
    await page.getByText('Plus de filtres').click();
    await page.getByLabel('Catégorie').selectOption('regard-descelle');
    await expect.poll(() => line(page, holeA.ref).count()).toBe(0);
    await line(page, cover.ref).waitFor();
    expect(new URL(page.url()).searchParams.get('category')).toBe('regard-descelle');
    await page.screenshot({ path: artifact('staff-triage-2-filtered.png'), fullPage: true });
    await page.reload();
    await line(page, cover.ref).waitFor();
    expect(await line(page, holeA.ref).count()).toBe(0);
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await line(page, holeA.ref).waitFor();

    // Full-text search, accents aside: "eglise" finds "rue de l'Église", "pistes" finds "piste".
    const search = page.getByLabel('Rechercher (référence, description, adresse)');
    await search.fill('eglise');
    await expect.poll(() => line(page, holeA.ref).count()).toBe(0);
    await line(page, cover.ref).waitFor();
    await search.fill('pistes');
    await line(page, holeB.ref).waitFor();
    await expect.poll(() => line(page, cover.ref).count()).toBe(0);
    await page.screenshot({ path: artifact('staff-triage-3-search.png'), fullPage: true });
    await search.fill('');
    await line(page, cover.ref).waitFor();

    // The map view: one marker per report; tapping one opens it.
    await page.getByRole('button', { name: 'Carte', exact: true }).click();
    await expect.poll(() => page.locator('.staff-marker').count()).toBe(3);
    // Markers are focusable buttons named by reference: open one from the keyboard, as a screen
    // reader user would (a tap is the same Leaflet "click").
    await page.getByRole('button', { name: new RegExp(`${cover.ref} — `) }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Nouvel état').waitFor();
    await page.screenshot({ path: artifact('staff-triage-4-map.png'), fullPage: true });
    await page.getByRole('button', { name: 'Liste', exact: true }).click();

    // Select two reports and acknowledge them in one go, from the sticky bottom bar.
    await page.getByRole('button', { name: 'Sélectionner', exact: true }).click();
    await page.getByLabel(`Sélectionner ${holeA.ref}`).check();
    await page.getByLabel(`Sélectionner ${holeB.ref}`).check();
    await page.getByText('2 sélectionnés').waitFor();
    await page.screenshot({ path: artifact('staff-triage-5-selection.png') });
    await page.getByRole('button', { name: 'Prendre en compte' }).click();
    await page.getByText('2 signalements mis à jour.').waitFor();
    const { rows } = await db.pool.query('SELECT id, status FROM reports WHERE id = ANY($1) ORDER BY id', [
      [holeA.id, holeB.id, cover.id],
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [holeA.id]: 'acknowledged',
      [holeB.id]: 'acknowledged',
      [cover.id]: 'new',
    });
    await page.screenshot({ path: artifact('staff-triage-6-bulk-done.png') });
    await page.getByRole('button', { name: 'Terminer' }).click();

    // Assign one report to a crew member from its detail (still open from the map: the view changed, not the task).
    expect(await line(page, cover.ref).getAttribute('aria-expanded')).toBe('true');
    await page.getByLabel('Attribuer à').selectOption(String(crewId));
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await expect.poll(() => line(page, cover.ref).textContent()).toContain('Attribué à Camille Voirie');
    expect((await db.pool.query('SELECT assigned_to FROM reports WHERE id = $1', [cover.id])).rows[0]).toEqual({
      assigned_to: crewId,
    });
    await page.screenshot({ path: artifact('staff-triage-7-assigned.png'), fullPage: true });

    // A report filed now shows up without a reload, through GET /api/staff/events.
    await page.evaluate(() => Object.assign(window, { paveNoReload: true }));
    const filedAt = Date.now();
    const live = await fileReport('nid-de-poule', 'Affaissement de la chaussée', 0.001);
    await line(page, live.ref).waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - filedAt;
    expect(elapsed).toBeLessThan(2_000);
    expect(await page.evaluate(() => (window as unknown as { paveNoReload?: boolean }).paveNoReload)).toBe(true);
    console.info(`staff-triage: a new report appeared in the supervisor's queue ${elapsed} ms after it was filed`);
    await page.screenshot({ path: artifact('staff-triage-8-live.png'), fullPage: true });
    await context.close();

    // The same queue on a desktop screen, map view.
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const desk = await desktop.newPage();
    await desk.goto(`${baseUrl}/staff`);
    await desk.getByLabel('Adresse e-mail professionnelle').fill('chef@ville.test');
    await desk.getByLabel('Mot de passe').fill(PASSWORD);
    await desk.getByRole('button', { name: 'Se connecter' }).click();
    await line(desk, live.ref).waitFor();
    await desk.screenshot({ path: artifact('staff-triage-desktop-1-list.png'), fullPage: true });
    await desk.getByRole('button', { name: 'Carte', exact: true }).click();
    await expect.poll(() => desk.locator('.staff-marker').count()).toBe(4);
    await desk.screenshot({ path: artifact('staff-triage-desktop-2-map.png'), fullPage: true });
    await desktop.close();
  });
});
