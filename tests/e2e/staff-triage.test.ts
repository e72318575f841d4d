import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact, DESKTOP, LARGE_PHONE, openPage, signInAt } from '../support/browser';
import { fileReport } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({
  web: true,
  browser: true,
  worker: true,
  smtp: true,
  staff: {
    chef: { role: 'supervisor', service: 'voirie' },
    camille: { role: 'crew', teamCode: 'voirie-11', displayName: 'Camille Voirie' },
  },
});

/** Files a report `offset` degrees north-east of the base point. */
function fileOffset(category: string, description: string, offset = 0) {
  return fileReport(stack.deps, {
    category,
    description,
    point: { lat: POINT_PARIS_11.lat + offset, lon: POINT_PARIS_11.lon + offset },
  });
}

async function waitUntilRouted(id: string) {
  await expect
    .poll(async () => (await stack.pool.query('SELECT team_id FROM reports WHERE id = $1', [id])).rows[0].team_id, {
      timeout: 10_000,
    })
    .not.toBeNull();
}

const line = (page: Page, ref: string) => page.getByRole('button', { name: new RegExp(`^${ref}`) });

describe('a supervisor triaging on a phone', () => {
  it('filters, searches, maps, bulk-acknowledges, assigns, and sees a new report arrive live', async () => {
    const holeA = await fileOffset('nid-de-poule', 'Trou profond devant la boulangerie');
    const holeB = await fileOffset('nid-de-poule', 'Nid de poule sur la piste cyclable', 0.002);
    const cover = await fileOffset('regard-descelle', 'La plaque bouge quand les voitures passent', -0.002);
    await stack.pool.query(`UPDATE reports SET address = $2 WHERE id = $1`, [
      cover.id,
      "8 rue de l'Église, 75011 Paris",
    ]);
    for (const report of [holeA, holeB, cover]) await waitUntilRouted(report.id);

    const page = await openPage(stack, LARGE_PHONE);
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.chef.email);
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
    const search = page.getByLabel('Rechercher : n°, adresse ou mot');
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
    await page.getByRole('group', { name: 'Actions rapides' }).waitFor();
    await page.screenshot({ path: artifact('staff-triage-4-map.png'), fullPage: true });
    // Its screen leads back to the map, with every marker.
    await page.getByRole('button', { name: 'Retour à la carte' }).click();
    await expect.poll(() => page.locator('.staff-marker').count()).toBe(3);
    await page.getByRole('button', { name: 'Liste', exact: true }).click();

    // Select two reports and acknowledge them in one go, from the sticky bottom bar.
    await page.getByRole('button', { name: 'Sélectionner', exact: true }).click();
    await page.getByLabel(`Sélectionner ${holeA.ref}`).check();
    await page.getByLabel(`Sélectionner ${holeB.ref}`).check();
    await page.getByText('2 sélectionnés').waitFor();
    await page.screenshot({ path: artifact('staff-triage-5-selection.png') });
    await page
      .getByRole('region', { name: 'Actions sur la sélection' })
      .getByRole('button', { name: 'Prendre en compte' })
      .click();
    await page.getByText('2 signalements mis à jour.').waitFor();
    const { rows } = await stack.pool.query('SELECT id, status FROM reports WHERE id = ANY($1) ORDER BY id', [
      [holeA.id, holeB.id, cover.id],
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [holeA.id]: 'acknowledged',
      [holeB.id]: 'acknowledged',
      [cover.id]: 'new',
    });
    await page.screenshot({ path: artifact('staff-triage-6-bulk-done.png') });
    await page.getByRole('button', { name: 'Terminer' }).click();

    // Assign one report to a crew member from its screen; back in the list, its line says who has it.
    await line(page, cover.ref).click();
    await page.getByLabel('Attribuer à').selectOption(String(stack.staff.camille.id));
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await expect
      .poll(async () => (await stack.pool.query('SELECT assigned_to FROM reports WHERE id = $1', [cover.id])).rows[0])
      .toEqual({ assigned_to: stack.staff.camille.id });
    await page.screenshot({ path: artifact('staff-triage-7-assigned.png'), fullPage: true });
    await page.getByRole('button', { name: 'Retour à la liste' }).click();
    await expect.poll(() => line(page, cover.ref).textContent()).toContain('Attribué à Camille Voirie');

    // A report filed now shows up without a reload, through GET /api/staff/events.
    await page.evaluate(() => Object.assign(window, { paveNoReload: true }));
    const filedAt = Date.now();
    const live = await fileOffset('nid-de-poule', 'Affaissement de la chaussée', 0.001);
    await line(page, live.ref).waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - filedAt;
    expect(elapsed).toBeLessThan(2_000);
    expect(await page.evaluate(() => (window as unknown as { paveNoReload?: boolean }).paveNoReload)).toBe(true);
    console.info(`staff-triage: a new report appeared in the supervisor's queue ${elapsed} ms after it was filed`);
    await page.screenshot({ path: artifact('staff-triage-8-live.png'), fullPage: true });
    await page.context().close();

    // The same queue on a desktop screen: the list and the map side by side, every report on the
    // map (near ones gathered in a counted bubble).
    const desk = await openPage(stack, DESKTOP);
    await signInAt(desk, `${stack.baseUrl}/staff`, stack.staff.chef.email);
    await desk
      .locator('.staff-list')
      .getByRole('button', { name: new RegExp(`^${live.ref}`) })
      .waitFor();
    await desk.screenshot({ path: artifact('staff-triage-desktop-1-list.png'), fullPage: true });
    const onMap = () =>
      desk.evaluate(
        () =>
          document.querySelectorAll('.staff-marker').length +
          [...document.querySelectorAll('.staff-cluster-count')].reduce((sum, el) => sum + Number(el.textContent), 0),
      );
    await expect.poll(onMap).toBe(4);
    await desk.screenshot({ path: artifact('staff-triage-desktop-2-map.png'), fullPage: true });
    await desk.context().close();
  });
});
