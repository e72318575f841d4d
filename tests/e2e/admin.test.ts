import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { routeReport } from '@pave/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, LAPTOP, openPage, signInAt, trackPageErrors } from '../support/browser';
import { multipart, POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

// A 300 m square around a point of the 11th arrondissement: inside Paris, smaller than the
// arrondissement, so routing picks it (the smallest area containing a report wins).
const { lon, lat } = POINT_PARIS_11;
const d = 0.0015;
const SQUARE = {
  type: 'Feature',
  properties: {},
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ],
  },
};
// A "bow tie": its edges cross at (lon, lat), which PostGIS names as the fault.
const BOW_TIE = {
  type: 'Polygon',
  coordinates: [
    [
      [lon - d, lat - d],
      [lon + d, lat + d],
      [lon + d, lat - d],
      [lon - d, lat + d],
      [lon - d, lat - d],
    ],
  ],
};

// TILE_URL empty: no tiles on this closed network; the preview draws the polygon alone.
const stack = useStack({
  web: true,
  browser: true,
  env: { TILE_URL: '' },
  staff: { admin: { role: 'admin', displayName: 'Admin Test' }, elu: { role: 'council', displayName: 'Élu Test' } },
});
let files: { square: string; bowTie: string };

beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-admin-'));
  files = { square: path.join(dir, 'roquette.geojson'), bowTie: path.join(dir, 'noeud.geojson') };
  writeFileSync(files.square, JSON.stringify(SQUARE));
  writeFileSync(files.bowTie, JSON.stringify(BOW_TIE));
});

/** A laptop's page, signed in as `who` through the staff page. */
async function signIn(who: 'admin' | 'elu'): Promise<Page> {
  const page = await openPage(stack, LAPTOP);
  await signInAt(page, `${stack.baseUrl}/staff`, stack.staff[who].email);
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  return page;
}

/** Waits for the section's answer, success or refusal, so a refusal fails the test with its own words. */
async function expectNotice(page: Page, text: string): Promise<void> {
  const answer = page.locator('.admin-notice, .admin-error').first();
  await answer.waitFor();
  expect(await answer.textContent()).toContain(text);
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true }).click();

describe('the administration page', () => {
  let page: Page;

  afterAll(async () => {
    await page?.context().close();
  });

  it('creates a team, an area from a GeoJSON file and a rule that routes the next report there; refuses a crossing outline', async () => {
    page = await signIn('admin');
    const pageErrors = trackPageErrors(page);

    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    await expect.poll(() => page.locator('[data-testid="rules-table"] tbody tr').count()).toBeGreaterThan(0);
    // The seeded city has over a hundred rules: the top of the table, then the form below it.
    await page.screenshot({ path: artifact('admin-1-rules.png') });
    await page.locator('form.admin-form').screenshot({ path: artifact('admin-1-rule-form.png') });

    // A team for the new area.
    await tab(page, 'Équipes');
    await page.getByLabel('Code', { exact: true }).fill('roquette-test');
    await page.getByLabel('Nom', { exact: true }).fill('Équipe Roquette');
    await page.getByRole('button', { name: 'Créer l’équipe' }).click();
    await expectNotice(page, 'Équipe créée');
    await page.getByRole('rowheader', { name: 'roquette-test' }).waitFor();

    // A valid outline: listed, and drawn in the preview.
    await tab(page, 'Secteurs');
    await page.getByLabel('Code', { exact: true }).fill('roquette-test');
    await page.getByLabel('Nom', { exact: true }).fill('Roquette (test)');
    await page.getByLabel('Fichier GeoJSON').setInputFiles(files.square);
    await expectNotice(page, 'Secteur « Roquette (test) » créé');
    await page.getByTestId('areas-table').getByRole('rowheader', { name: 'Roquette (test)' }).waitFor();
    await expect.poll(() => page.locator('[data-testid="area-preview"] path').count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifact('admin-2-area-created.png'), fullPage: true });

    // A crossing outline: refused, with the reason and the point where the edges cross.
    await page.getByLabel('Code', { exact: true }).fill('noeud-test');
    await page.getByLabel('Nom', { exact: true }).fill('Nœud');
    await page.getByLabel('Fichier GeoJSON').setInputFiles(files.bowTie);
    const refusal = page.getByRole('alert').filter({ hasText: 'Le contour n’est pas valide' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Self-intersection\[2\.379 48\.859\]/);
    // The fault is marked on the preview, beside the outline.
    await expect.poll(() => page.locator('[data-testid="area-preview"] path').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: artifact('admin-3-area-refused.png'), fullPage: true });
    const stored = await stack.pool.query('SELECT code FROM service_areas WHERE code = $1', ['noeud-test']);
    expect(stored.rowCount).toBe(0);

    // A rule for the area, placed first.
    await tab(page, 'Règles d’aiguillage');
    await page.getByLabel('Secteur', { exact: true }).selectOption({ label: 'Roquette (test)' });
    await page.getByLabel('Équipe', { exact: true }).selectOption({ label: 'Équipe Roquette' });
    await page.getByLabel('Place dans la liste').selectOption('first');
    await page.getByRole('button', { name: 'Ajouter la règle' }).click();
    await expectNotice(page, 'Règle ajoutée');
    const firstRow = page.locator('[data-testid="rules-table"] tbody tr').first();
    await expect.poll(() => firstRow.textContent()).toContain('secteur Roquette (test)');
    expect(await firstRow.getByLabel('Équipe de la règle 1').inputValue()).toBe('roquette-test');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifact('admin-4-rule-added.png') });

    // A report filed through the public API inside the area goes to the rule's team.
    const body = await multipart({
      category: 'nid-de-poule',
      lat: String(lat),
      lon: String(lon),
      description: 'Trou dans le secteur de test',
      email: 'habitant@example.org',
    });
    const filed = await stack.app.inject({ method: 'POST', url: '/api/reports', ...body });
    expect(filed.statusCode, filed.body).toBe(201);
    const reportId = (filed.json() as { id: string }).id;
    expect((await routeReport(stack.pool, reportId)).outcome).toBe('routed');
    const { rows } = await stack.pool.query<{ team: string; area: string }>(
      `SELECT t.code AS team, a.code AS area FROM reports r
         JOIN teams t ON t.id = r.team_id JOIN service_areas a ON a.id = r.area_id WHERE r.id = $1`,
      [reportId],
    );
    expect(rows[0]).toEqual({ team: 'roquette-test', area: 'roquette-test' });

    // Edited in place: limited to night-time week-ends, then back to every day at any hour.
    await firstRow.getByRole('button', { name: 'Modifier la règle 1' }).click();
    const edit = page.getByRole('form', { name: 'Modifier la règle 1' });
    expect(await edit.getByLabel('Secteur', { exact: true }).inputValue()).toBe('roquette-test');
    await edit.getByLabel('Jours').selectOption('weekend');
    await edit.getByLabel('De (heure de Paris)').fill('20:00');
    await edit.getByLabel('À (heure de Paris)').fill('07:00');
    await edit.screenshot({ path: artifact('admin-4b-rule-edit.png') });
    await edit.getByRole('button', { name: 'Enregistrer la règle' }).click();
    await expectNotice(page, 'Règle enregistrée');
    const ruleRow = async () =>
      (
        await stack.pool.query<{ days: number[] | null; time_from: string | null }>(
          `SELECT days, to_char(time_from, 'HH24:MI') AS time_from FROM routing_rules
            WHERE area_id = (SELECT id FROM service_areas WHERE code = 'roquette-test')`,
        )
      ).rows[0];
    await expect.poll(ruleRow).toEqual({ days: [6, 7], time_from: '20:00' });
    await firstRow.getByRole('button', { name: 'Modifier la règle 1' }).click();
    await edit.getByLabel('Jours').selectOption('all');
    await edit.getByLabel('De (heure de Paris)').fill('');
    await edit.getByLabel('À (heure de Paris)').fill('');
    await edit.getByRole('button', { name: 'Enregistrer la règle' }).click();
    await expect.poll(ruleRow).toEqual({ days: null, time_from: null });

    // A crew account: the generated password is shown once, and it signs in.
    await tab(page, 'Utilisateurs');
    await page.getByLabel('Adresse e-mail', { exact: true }).fill('nouvelle.equipe@ville.test');
    await page.getByLabel('Rôle', { exact: true }).selectOption('crew');
    await page.getByLabel('Équipe', { exact: true }).selectOption('roquette-test');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    const shown = page.getByTestId('generated-password');
    await shown.waitFor();
    const password = (await shown.locator('code').textContent())!.trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: artifact('admin-5-user-password.png'), fullPage: true });
    const login = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nouvelle.equipe@ville.test', password },
    });
    expect(login.statusCode, login.body).toBe(200);
    await page.getByTestId('users-table').getByRole('rowheader', { name: 'nouvelle.equipe@ville.test' }).waitFor();
    // Never again: after a reload the list has the account, not its password.
    await page.reload();
    await tab(page, 'Utilisateurs');
    await page.getByTestId('users-table').getByRole('rowheader', { name: 'nouvelle.equipe@ville.test' }).waitFor();
    expect(await page.getByTestId('generated-password').count()).toBe(0);
    expect(await page.content()).not.toContain(password);

    // The log lists the changes made above, by this admin.
    await tab(page, 'Journal');
    await expect.poll(() => page.locator('[data-testid="audit-table"] tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByTestId('audit-table').textContent()).toContain(stack.staff.admin.email);
    await page.screenshot({ path: artifact('admin-6-audit.png'), fullPage: true });

    // The same page on a phone-sized screen stays usable (tables scroll sideways).
    await page.setViewportSize({ width: 390, height: 844 });
    await tab(page, 'Règles d’aiguillage');
    await page.getByTestId('rules-table').waitFor();
    await page.screenshot({ path: artifact('admin-7-phone.png'), fullPage: false });

    expect(pageErrors).toEqual([]);
  });

  it('refuses a council member, with a way back to the staff area', async () => {
    const page = await signIn('elu');
    const council = page.context();
    try {
      expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
      await page.goto(`${stack.baseUrl}/admin`);
      await page.getByTestId('admin-refused').waitFor();
      expect(await page.getByTestId('admin-refused').textContent()).toContain('réservée aux administrateurs');
      expect(await page.getByRole('tab').count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Espace agents' }).getAttribute('href')).toBe('/staff');
      await page.screenshot({ path: artifact('admin-8-council-refused.png') });
      // The API says the same, whatever the page shows.
      const cookies = await council.cookies();
      const session = cookies.find((c) => c.name === 'pave_session')!.value;
      const answer = await stack.app.inject({
        method: 'GET',
        url: '/api/admin/rules',
        headers: { cookie: `pave_session=${session}` },
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await council.close();
    }
  });
});
