import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact, DESKTOP, LARGE_PHONE, openPage, signInAt } from '../support/browser';
import { fileReport } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const METRE_LAT = 1 / 111_320;
const stack = useStack({
  web: true,
  browser: true,
  worker: true,
  smtp: true,
  staff: { camille: { role: 'crew', teamCode: 'voirie-11', displayName: 'Camille Voirie' } },
});

/** Files a report `north` metres north of the base point, with the reporter's e-mail. */
function fileNorth(category: string, description: string, north: number, email: string) {
  return fileReport(stack.deps, {
    category,
    description,
    email,
    point: { lat: POINT_PARIS_11.lat + north * METRE_LAT, lon: POINT_PARIS_11.lon },
  });
}

async function support(id: string, device: string, email?: string) {
  const response = await stack.app.inject({
    method: 'POST',
    url: `/api/reports/${id}/support`,
    headers: { 'x-pave-device': device },
    payload: email ? { email } : {},
  });
  expect(response.statusCode, response.body).toBe(200);
}

const teamOf = async (id: string) =>
  (
    await stack.pool.query<{ code: string | null }>(
      'SELECT t.code FROM reports r LEFT JOIN teams t ON t.id = r.team_id WHERE r.id = $1',
      [id],
    )
  ).rows[0]!.code;

// The queue's line, not the map marker of the same report (on a desktop both are on screen).
const line = (page: Page, ref: string) =>
  page.getByRole('button', { name: new RegExp(`^${ref}`) }).and(page.locator('.staff-item'));
/** From a report's screen on a phone, back to the list. */
const back = (page: Page) => page.getByRole('button', { name: 'Retour à la liste' }).click();

describe('a crew member working report details on a phone', () => {
  it('merges a near duplicate in one click, resolves with a template, and requalifies one out of the queue', async () => {
    const original = await fileNorth('nid-de-poule', 'Gros trou devant la boulangerie', 0, 'alice@example.org');
    const copy = await fileNorth('nid-de-poule', 'Nid de poule devant le 12', 20, 'bruno@example.org');
    const toResolve = await fileNorth('nid-de-poule', 'Trou au passage piéton', 400, 'chloe@example.org');
    const misfiled = await fileNorth('nid-de-poule', 'Sacs poubelle et carton sur le trottoir', 800, 'dan@example.org');
    // The copy's "+1"s and followers: they must end up on the original.
    await support(copy.id, 'device-voisin-1', 'voisin@example.org');
    await support(copy.id, 'device-voisin-2');
    await support(original.id, 'device-voisin-1');
    for (const report of [original, copy, toResolve, misfiled]) {
      await expect.poll(() => teamOf(report.id), { timeout: 10_000 }).toBe('voirie-11');
    }

    const page = await openPage(stack, LARGE_PHONE);
    const context = page.context();
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.camille.email);
    for (const report of [original, copy, toResolve, misfiled]) await line(page, report.ref).waitFor();

    // 1. The newer report lists the older one 20 m away; one tap, one confirmation, merged.
    await line(page, copy.ref).click();
    const nearby = page.getByTestId('nearby-item');
    await expect.poll(() => nearby.count()).toBe(1);
    expect(await nearby.textContent()).toContain(original.ref);
    expect(await nearby.textContent()).toMatch(/à (19|20|21) m/);
    await page.screenshot({ path: artifact('staff-detail-1-nearby.png'), fullPage: true });
    await page.getByRole('button', { name: `Ce signalement est un doublon de ${original.ref}` }).click();
    await page.getByText(`${copy.ref} sera clos comme doublon de ${original.ref}`).waitFor();
    await page.screenshot({ path: artifact('staff-detail-2-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Confirmer le doublon' }).click();
    const merged = async () =>
      (await stack.pool.query('SELECT status, duplicate_of FROM reports WHERE id = $1', [copy.id])).rows[0];
    await expect.poll(merged, { timeout: 10_000 }).toEqual({ status: 'duplicate', duplicate_of: original.id });
    // A duplicate is closed, so it has left the open queue: back in the list, its line is gone.
    await back(page);
    await expect.poll(() => line(page, copy.ref).count()).toBe(0);
    const followers = await stack.pool.query<{ email: string }>(
      'SELECT email FROM report_followers WHERE report_id = $1 ORDER BY email',
      [original.id],
    );
    expect(followers.rows.map((r) => r.email)).toEqual(
      expect.arrayContaining(['bruno@example.org', 'voisin@example.org']),
    );
    const supports = await stack.pool.query<{ device_id: string }>(
      'SELECT device_id FROM report_supports WHERE report_id = $1 ORDER BY device_id',
      [original.id],
    );
    expect(supports.rows.map((r) => r.device_id)).toEqual(['device-voisin-1', 'device-voisin-2']);
    // Two devices, plus the duplicate itself (one more resident who saw the problem).
    expect((await stack.pool.query('SELECT support_count FROM reports WHERE id = $1', [original.id])).rows[0]).toEqual({
      support_count: 3,
    });
    // The original's own detail no longer offers the merged copy.
    await line(page, original.ref).click();
    await page.getByText('Aucun signalement de la même catégorie à moins de 50 m.').waitFor();
    await page.getByRole('button', { name: 'Fermer la fiche' }).click();

    // 2. Resolve with a ready-made public message, left as it is.
    await line(page, toResolve.ref).click();
    await page.getByText('Autre action (rejet, doublon, transmission…)').click();
    await page.getByLabel('Nouvel état').selectOption('resolved');
    await page
      .getByTestId('message-template')
      .selectOption({ label: 'Intervention réalisée, merci pour votre signalement.' });
    expect(await page.getByLabel('Message public (envoyé au déclarant)').inputValue()).toBe(
      'Intervention réalisée, merci pour votre signalement.',
    );
    await page.screenshot({ path: artifact('staff-detail-3-template.png'), fullPage: true });
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText(`Signalement ${toResolve.ref} : résolu.`, { exact: false }).waitFor({ timeout: 10_000 });
    await back(page);
    await expect.poll(() => line(page, toResolve.ref).count()).toBe(0);
    const publicPage = await context.newPage();
    await publicPage.goto(`${stack.baseUrl}/r/${toResolve.ref}`);
    await publicPage.getByText('Intervention réalisée, merci pour votre signalement.').first().waitFor();
    await publicPage.close();

    // 3. Requalify: rubbish is the cleaning service's; the report leaves this crew's queue live.
    await line(page, misfiled.ref).click();
    await page.getByLabel('Nouvelle catégorie').selectOption('depot-sauvage');
    await page.screenshot({ path: artifact('staff-detail-4-requalify.png'), fullPage: true });
    await page.getByRole('button', { name: 'Changer de catégorie' }).click();
    await expect
      .poll(async () => (await teamOf(misfiled.id)) ?? 'voirie-11', { timeout: 15_000 })
      .not.toBe('voirie-11');
    await page.screenshot({ path: artifact('staff-detail-5-requalified.png'), fullPage: true });
    // Routed to another team, it has left this crew's queue: back in the list, its line is gone.
    await back(page);
    await expect.poll(() => line(page, misfiled.ref).count(), { timeout: 15_000 }).toBe(0);

    // The pin map, opened on the original (desktop width too, for the screenshot).
    await line(page, original.ref).click();
    await page.getByRole('button', { name: 'Déplacer le point' }).click();
    const pin = page.locator('.staff-requalify .leaflet-marker-icon');
    await pin.waitFor();
    await page.getByRole('button', { name: 'Enregistrer le nouvel emplacement' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('staff-detail-6-pin.png'), fullPage: true });
    // Dragged by a finger's worth to the east, then saved: the point moves and the report is routed again.
    const place = async () =>
      (
        await stack.pool.query<{ lon: number; lat: number; routed: number }>(
          `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat,
                  (SELECT count(*)::int FROM report_history h WHERE h.report_id = r.id AND h.event = 'routed') AS routed
             FROM reports r WHERE id = $1`,
          [original.id],
        )
      ).rows[0]!;
    const before = await place();
    const box = (await pin.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 4);
    await page.mouse.down();
    for (let step = 1; step <= 10; step += 1)
      await page.mouse.move(box.x + box.width / 2 + step * 6, box.y + box.height - 4);
    await page.mouse.up();
    await page.getByRole('button', { name: 'Enregistrer le nouvel emplacement' }).click();
    await page.getByText('Enregistré. Le signalement est réacheminé').waitFor();
    await expect.poll(async () => (await place()).routed, { timeout: 15_000 }).toBeGreaterThan(before.routed);
    const after = await place();
    expect(after.lon).toBeGreaterThan(before.lon);
    expect(Math.abs(after.lat - before.lat)).toBeLessThan(0.0002);
    await context.close();

    // The same detail on a desktop screen.
    const desk = await openPage(stack, DESKTOP);
    await signInAt(desk, `${stack.baseUrl}/staff`, stack.staff.camille.email);
    await line(desk, original.ref).click();
    await desk.getByRole('heading', { name: 'Signalements proches' }).waitFor();
    await desk.screenshot({ path: artifact('staff-detail-desktop.png'), fullPage: true });
    await desk.context().close();
  });
});
