import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { routeReport } from '@pave/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, LAPTOP, openPage, PHONE, signInAt, trackPageErrors } from '../support/browser';
import { signInNewStaff } from '../support/factories';
import { multipart, POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';
import { MONTREUIL, seedTwoTowns } from '../support/towns';

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
    // Said under the file field, which takes the focus.
    const refusal = page.locator('#admin-f-areas-file-error');
    await expect.poll(() => refusal.textContent()).toContain('Le contour n’est pas valide');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('admin-f-areas-file');
    // In words, in French, with the place of the fault; never the API's English detail.
    expect(await refusal.textContent()).toMatch(/Le défaut est au point 2\.379\d*, 48\.859\d* \(longitude, latitude\)/);
    expect(await refusal.textContent()).not.toMatch(/Self-intersection|Invalid|must/);
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
    await page.getByLabel(/Rechercher un compte/).fill('nouvelle.equipe');
    await page.getByTestId('users-table').getByRole('rowheader', { name: 'nouvelle.equipe@ville.test' }).waitFor();
    expect(await page.getByTestId('generated-password').count()).toBe(0);
    expect(await page.content()).not.toContain(password);

    // A role change saves at once and offers its undo in the row; the undo puts the old role back.
    const account = page.getByTestId('users-table').locator('tr', { hasText: 'nouvelle.equipe@ville.test' });
    await account.getByLabel('Rôle de nouvelle.equipe@ville.test').selectOption('council');
    const undo = account.getByRole('status');
    await expect.poll(() => undo.textContent()).toContain('équipe → élu·e (lecture)');
    const roleOf = async () =>
      (
        await stack.pool.query<{ role: string }>(
          `SELECT role FROM staff_users WHERE email = 'nouvelle.equipe@ville.test'`,
        )
      ).rows[0]!.role;
    await expect.poll(roleOf).toBe('council');
    await page.screenshot({ path: artifact('admin-5b-user-undo.png') });
    await undo.getByRole('button', { name: 'Annuler ce changement' }).click();
    await expect.poll(roleOf).toBe('crew');
    // The database has it as soon as the undo commits; the row once its answer is back.
    await expect.poll(() => account.getByLabel('Rôle de nouvelle.equipe@ville.test').inputValue()).toBe('crew');
    // Deactivating asks first, in the row; "No" leaves the account as it was.
    await account.getByRole('button', { name: 'Désactiver' }).click();
    await account.getByRole('button', { name: 'Non, garder actif' }).click();
    expect(
      (await stack.pool.query(`SELECT is_active FROM staff_users WHERE email = 'nouvelle.equipe@ville.test'`)).rows[0]
        .is_active,
    ).toBe(true);

    // The journal: sentences, each with its date and time, naming the admin by name.
    await tab(page, 'Journal');
    const journal = page.getByTestId('audit-list');
    await expect.poll(() => journal.locator('li').count()).toBeGreaterThanOrEqual(4);
    const lines = await journal.locator('li').allTextContents();
    expect(lines.join('\n')).toContain('Admin Test a créé l’équipe Équipe Roquette (roquette-test)');
    expect(lines.join('\n')).toContain('Admin Test a changé le rôle de nouvelle.equipe : élu·e (lecture) → équipe');
    for (const line of lines) expect(line).toMatch(/^\d{1,2} \S+ \d{4} à \d{2}:\d{2} — Admin Test /);
    await page.screenshot({ path: artifact('admin-6-audit.png'), fullPage: true });

    // The same page on a phone-sized screen stays usable (tables scroll sideways).
    await page.setViewportSize({ width: 390, height: 844 });
    await tab(page, 'Règles d’aiguillage');
    await page.getByTestId('rules-table').waitFor();
    await page.screenshot({ path: artifact('admin-7-phone.png'), fullPage: false });

    expect(pageErrors).toEqual([]);
  });

  it('says a refused input beside its field, in French, and searches, pages and opens rules in view', async () => {
    const admin = await openPage(stack, { viewport: { width: 1280, height: 800 } });
    const pageErrors = trackPageErrors(admin);
    const consoleErrors: string[] = [];
    admin.on('console', (message) => {
      if (message.type() === 'error' || message.text().includes('pattern')) consoleErrors.push(message.text());
    });
    // /admin signs in by itself: no detour through /staff.
    await signInAt(admin, `${stack.baseUrl}/admin`, stack.staff.admin.email);
    await admin.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();

    // Rules: a search box, and pages of 20 rather than one very long table.
    const rows = admin.locator('[data-testid="rules-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    const total = (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM routing_rules')).rows[0]!.n;
    expect(await admin.locator('.admin-search__count').first().textContent()).toContain(String(total));
    await admin.getByRole('button', { name: 'Page suivante' }).click();
    await expect.poll(() => admin.locator('.admin-pager__where').textContent()).toMatch(/^Page 2 sur \d+/);
    await admin.getByLabel(/Rechercher une règle/).fill('Roquette (test)');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('secteur Roquette (test)');
    // "Modifier" brings its form into view and gives it the focus.
    await admin.getByLabel(/Rechercher une règle/).fill('');
    await admin.getByRole('button', { name: 'Page suivante' }).click();
    await rows
      .first()
      .getByRole('button', { name: /^Modifier la règle/ })
      .click();
    const form = admin.locator('form.admin-form').first();
    await expect
      .poll(() => form.evaluate((el) => el.contains(document.activeElement) && el.getBoundingClientRect().top < 800))
      .toBe(true);
    await admin.screenshot({ path: artifact('admin-9-rule-edit-in-view.png') });
    // Half a time window: said under the missing hour, in French, and nothing is sent.
    await form.getByLabel('De (heure de Paris)').fill('20:00');
    await form.getByLabel('À (heure de Paris)').fill('');
    await form.getByRole('button', { name: 'Enregistrer la règle' }).click();
    await expect.poll(() => form.locator('[id$="-timeTo-error"]').textContent()).toContain('Indiquez les deux heures');
    await form.getByRole('button', { name: 'Annuler', exact: true }).click();

    // Teams: a code the API would refuse is said under the Code field, which takes the focus.
    await tab(admin, 'Équipes');
    await admin.getByLabel('Code', { exact: true }).fill('Voirie 12');
    await admin.getByLabel('Nom', { exact: true }).fill('Voirie douzième');
    await admin.getByRole('button', { name: 'Créer l’équipe' }).click();
    const codeError = admin.locator('#admin-f-teams-code-error');
    await codeError.waitFor();
    expect(await codeError.textContent()).toContain('Utilisez seulement des minuscules sans accent');
    expect(await admin.getByLabel('Code', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => admin.evaluate(() => document.activeElement?.id)).toBe('admin-f-teams-code');
    // Beside the field: directly under it, not at the top of the page.
    const fieldBox = (await admin.getByLabel('Code', { exact: true }).boundingBox())!;
    const errorBox = (await codeError.boundingBox())!;
    expect(errorBox.y - (fieldBox.y + fieldBox.height)).toBeLessThan(40);
    expect(Math.abs(errorBox.x - fieldBox.x)).toBeLessThan(40);
    await codeError.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: artifact('admin-10-team-code-refused.png') });
    // A code already taken: the API's refusal, by its code, lands on the same field.
    await admin.getByLabel('Code', { exact: true }).fill('roquette-test');
    await admin.getByRole('button', { name: 'Créer l’équipe' }).click();
    await expect.poll(() => codeError.textContent()).toContain('Ce code est déjà pris');
    expect(await admin.content()).not.toMatch(/must match pattern|Invalid body/);
    const refusedTeam = await stack.pool.query(`SELECT 1 FROM teams WHERE name = 'Voirie douzième'`);
    expect(refusedTeam.rowCount).toBe(0);
    // The search box finds the team among the others.
    await admin.getByLabel(/Rechercher une équipe/).fill('roquette');
    await expect.poll(() => admin.locator('[data-testid="teams-table"] tbody tr').count()).toBe(1);
    // A row's refusal is said under its cell: a service with a space.
    const teamRow = admin.locator('[data-testid="teams-table"] tbody tr').first();
    await teamRow.getByLabel('Service de l’équipe roquette-test').fill('Voirie Est');
    await teamRow.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => teamRow.locator('.field-error').textContent())
      .toContain('Utilisez seulement des minuscules sans accent');
    expect(await teamRow.getByLabel('Service de l’équipe roquette-test').getAttribute('aria-invalid')).toBe('true');
    const service = await stack.pool.query(`SELECT service FROM teams WHERE code = 'roquette-test'`);
    expect(service.rows[0].service).not.toBe('Voirie Est');

    // Accounts: an address already in use is said under the address field.
    await tab(admin, 'Utilisateurs');
    await admin.getByLabel('Adresse e-mail', { exact: true }).fill(stack.staff.elu.email);
    await admin.getByLabel('Rôle', { exact: true }).selectOption('council');
    await admin.getByRole('button', { name: 'Créer le compte' }).click();
    await expect
      .poll(() => admin.locator('#admin-f-users-email-error').textContent())
      .toBe('Un compte existe déjà avec cette adresse.');
    await expect.poll(() => admin.evaluate(() => document.activeElement?.id)).toBe('admin-f-users-email');

    // Unit costs: a malformed amount is said beside its field; a good one is stored in cents.
    await tab(admin, 'Coûts par canal');
    await admin.getByLabel('Coût par signalement — Accueil en mairie').fill('douze euros');
    await admin.getByLabel('Coût par signalement — Téléphone').fill('11,40');
    await admin.getByRole('button', { name: 'Enregistrer les coûts' }).click();
    await expect
      .poll(() => admin.locator('#admin-f-cost-counter-error').textContent())
      .toContain('Indiquez un montant en euros');
    await admin.screenshot({ path: artifact('admin-13-costs-refused.png') });
    await admin.getByLabel('Coût par signalement — Accueil en mairie').fill('18,50');
    await admin.getByRole('button', { name: 'Enregistrer les coûts' }).click();
    await expectNotice(admin, 'Coûts enregistrés');
    const stored = async () =>
      Object.fromEntries(
        (
          await stack.pool.query<{ channel: string; cost_cents: number }>(
            'SELECT channel, cost_cents FROM channel_unit_costs',
          )
        ).rows.map((r) => [r.channel, r.cost_cents]),
      );
    expect(await stored()).toEqual({ counter: 1850, phone: 1140 });

    expect(consoleErrors.filter((m) => /pattern/i.test(m))).toEqual([]);
    expect(pageErrors).toEqual([]);

    // The same on a phone.
    await admin.setViewportSize({ width: 360, height: 740 });
    await tab(admin, 'Utilisateurs');
    await admin.getByLabel('Adresse e-mail', { exact: true }).fill('pas-une-adresse');
    await admin.getByRole('button', { name: 'Créer le compte' }).click();
    await admin.locator('#admin-f-users-email-error').waitFor();
    await admin.locator('#admin-f-users-email-error').scrollIntoViewIfNeeded();
    await admin.screenshot({ path: artifact('admin-11-phone-account-refused.png') });
    await tab(admin, 'Journal');
    await admin.getByTestId('audit-list').waitFor();
    await admin.screenshot({ path: artifact('admin-12-phone-journal.png') });
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await admin.context().close();
  });

  it('says a refused row action in its row, and a refused area upload under its field, not at the top', async () => {
    const admin = await openPage(stack, LAPTOP);
    const pageErrors = trackPageErrors(admin);
    await signInAt(admin, `${stack.baseUrl}/admin`, stack.staff.admin.email);
    const rows = admin.locator('[data-testid="rules-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    const idOf = async (n: number) => Number(await rows.nth(n).getAttribute('data-rule-id'));
    const [first, second] = [await idOf(0), await idOf(1)];
    const row = (id: number) => admin.locator(`[data-testid="rules-table"] tr[data-rule-id="${id}"]`);
    const sectionTop = admin.locator('.admin-section > .admin-error');

    // Another admin deletes the second rule meanwhile: moving the first one down is refused (the
    // order sent names a rule that is gone), said in the first rule's row, and the list is read again.
    await stack.pool.query('DELETE FROM routing_rules WHERE id = $1', [second]);
    const down = row(first).getByRole('button', { name: 'Descendre la règle 1' });
    await down.click();
    const orderError = row(first).locator(`#admin-rule-${first}-order-error`);
    await expect.poll(() => orderError.textContent()).toContain('La liste des règles a changé entre-temps');
    expect(await orderError.getAttribute('role')).toBe('alert');
    expect(await down.getAttribute('aria-describedby')).toBe(`admin-rule-${first}-order-error`);
    await expect.poll(() => row(second).count()).toBe(0);
    expect(await sectionTop.count()).toBe(0);
    // Beside the buttons: in the same cell, just below them.
    const downBox = (await down.boundingBox())!;
    const orderBox = (await orderError.boundingBox())!;
    expect(orderBox.y - (downBox.y + downBox.height)).toBeLessThan(60);
    expect(orderBox.y).toBeGreaterThan(downBox.y);
    await row(first).screenshot({ path: artifact('admin-14-rule-order-refused-row.png') });
    await admin.screenshot({ path: artifact('admin-14-rule-order-refused.png') });

    // Then the first rule itself is deleted behind the page: deactivating it is refused under its box.
    await stack.pool.query('DELETE FROM routing_rules WHERE id = $1', [first]);
    const active = row(first).getByRole('checkbox');
    const wasActive = await active.isChecked();
    await active.click();
    const activeError = row(first).locator(`#admin-rule-${first}-active-error`);
    await expect.poll(() => activeError.textContent()).toContain('Cette règle n’existe plus');
    expect(await orderError.count()).toBe(0);
    expect(await active.isChecked()).toBe(wasActive);
    expect(await active.getAttribute('aria-invalid')).toBe('true');
    expect(await sectionTop.count()).toBe(0);
    await admin.screenshot({ path: artifact('admin-15-rule-gone-refused.png') });

    // Categories: hours the API would refuse are said under the field, and nothing is sent.
    await tab(admin, 'Catégories');
    const hours = admin.getByLabel(/^Délai en heures pour/).first();
    const hoursBefore = await hours.inputValue();
    await hours.fill('0');
    await hours.blur();
    const hoursError = admin.locator('[data-testid="categories-table"] tbody tr').first().locator('.field-error');
    await expect.poll(() => hoursError.textContent()).toContain('Indiquez un nombre entier d’heures');
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    const deadlines = await stack.pool.query('SELECT 1 FROM categories WHERE deadline_hours < 1');
    expect(deadlines.rowCount).toBe(0);
    await hours.fill(hoursBefore);
    await hours.blur();
    await expect.poll(() => hoursError.count()).toBe(0);

    // Areas: a code already taken is said under the Code field, which takes the focus; no area is made.
    await tab(admin, 'Secteurs');
    await admin.getByLabel('Code', { exact: true }).fill('paris-11');
    await admin.getByLabel('Nom', { exact: true }).fill('Doublon du 11e');
    await admin.getByLabel('Fichier GeoJSON').setInputFiles(files.square);
    const codeError = admin.locator('#admin-f-areas-code-error');
    await expect.poll(() => codeError.textContent()).toBe('Ce code est déjà pris : choisissez-en un autre.');
    await expect.poll(() => admin.evaluate(() => document.activeElement?.id)).toBe('admin-f-areas-code');
    expect(await admin.getByLabel('Code', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    const codeBox = (await admin.getByLabel('Code', { exact: true }).boundingBox())!;
    const codeErrorBox = (await codeError.boundingBox())!;
    expect(codeErrorBox.y - (codeBox.y + codeBox.height)).toBeLessThan(40);
    expect(Math.abs(codeErrorBox.x - codeBox.x)).toBeLessThan(40);
    expect(await admin.locator('#admin-f-areas-file-error').count()).toBe(0);
    expect(await sectionTop.count()).toBe(0);
    expect((await stack.pool.query(`SELECT 1 FROM service_areas WHERE name = 'Doublon du 11e'`)).rowCount).toBe(0);
    await admin.screenshot({ path: artifact('admin-16-area-code-refused.png') });
    // A code the API would refuse is said there before anything is sent.
    await admin.getByLabel('Code', { exact: true }).fill('Paris Onze');
    await admin.getByLabel('Fichier GeoJSON').setInputFiles(files.square);
    await expect.poll(() => codeError.textContent()).toContain('Utilisez seulement des minuscules sans accent');
    await admin.setViewportSize({ width: 360, height: 740 });
    await codeError.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: artifact('admin-17-phone-area-code-refused.png') });
    // The areas tab fits the phone: its table scrolls sideways in its frame, the page does not.
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(pageErrors).toEqual([]);
    await admin.context().close();
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

// Last in the file: it makes Montreuil a served town beside Paris (the kit's two towns).
describe('towns on the administration page', () => {
  it('lets a metropolitan admin choose the town of a new team and shows each row’s town; a town’s admin sees neither, and its area drawn in Paris is refused', async () => {
    await seedTwoTowns(stack.pool);
    const page = await signIn('admin');
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/admin`);
    await page.getByRole('tab', { name: 'Équipes', exact: true }).waitFor();
    expect(await page.locator('.staff-who__town').textContent()).toBe('Métropole');
    await tab(page, 'Équipes');
    const teams = page.getByTestId('teams-table');
    expect(await teams.getByRole('columnheader', { name: 'Commune' }).count()).toBe(1);
    await page.getByLabel('Code', { exact: true }).fill('parcs-montreuil');
    await page.getByLabel('Nom', { exact: true }).fill('Parcs de Montreuil');
    const town = page.getByLabel('Commune', { exact: true });
    await expect
      .poll(() => town.locator('option').allTextContents())
      .toEqual(['Aucune (toutes les communes)', 'Montreuil', 'Paris']);
    await town.selectOption({ label: 'Montreuil' });
    await page.locator('form.admin-form').screenshot({ path: artifact('admin-18-team-town.png') });
    await page.getByRole('button', { name: 'Créer l’équipe' }).click();
    await expectNotice(page, 'Équipe créée');
    const row = teams.locator('tr', { hasText: 'parcs-montreuil' });
    await expect.poll(() => row.locator('td').first().textContent()).toBe('Montreuil');
    const { rows } = await stack.pool.query(`SELECT town_code FROM teams WHERE code = 'parcs-montreuil'`);
    expect(rows).toEqual([{ town_code: MONTREUIL.code }]);
    await page.screenshot({ path: artifact('admin-18-teams-towns.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();

    // Montreuil's admin, on a phone: its header names its town; no town column, no town field.
    const montreuil = await signInNewStaff(stack, 'adminMontreuil', {
      role: 'admin',
      displayName: 'Admin Montreuil',
      townCode: MONTREUIL.code,
    });
    const phone = await openPage(stack, PHONE);
    await signInAt(phone, `${stack.baseUrl}/admin`, montreuil.email);
    await phone.getByRole('tab', { name: 'Équipes', exact: true }).click();
    await phone.getByTestId('teams-table').locator('tr', { hasText: 'parcs-montreuil' }).waitFor();
    expect(await phone.locator('.staff-who__town').textContent()).toBe('Montreuil');
    expect(await phone.getByTestId('teams-table').getByRole('columnheader', { name: 'Commune' }).count()).toBe(0);
    expect(await phone.getByLabel('Commune', { exact: true }).count()).toBe(0);
    // Paris's teams are not its to see.
    expect(await phone.getByTestId('teams-table').locator('tr', { hasText: 'voirie-11' }).count()).toBe(0);
    await phone.screenshot({ path: artifact('admin-19-phone-town-admin.png'), fullPage: false });
    // An outline drawn in Paris is refused under the file field, in French, with how much lies outside.
    await phone.getByRole('tab', { name: 'Secteurs', exact: true }).click();
    await phone.getByLabel('Code', { exact: true }).fill('roquette-montreuil');
    await phone.getByLabel('Nom', { exact: true }).fill('Roquette à Montreuil');
    await phone.getByLabel('Fichier GeoJSON').setInputFiles(files.square);
    const refusal = phone.locator('#admin-f-areas-file-error');
    await expect.poll(() => refusal.textContent()).toContain('Le secteur déborde trop de sa commune');
    expect(await refusal.textContent()).toMatch(
      /au plus 5 % de sa surface, et 50 ha.*\d+,\d ha \(100 %\) hors de Montreuil, surtout dans Paris\./,
    );
    const stored = await stack.pool.query(`SELECT 1 FROM service_areas WHERE code = 'roquette-montreuil'`);
    expect(stored.rowCount).toBe(0);
    await refusal.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: artifact('admin-20-phone-area-outside-town.png'), fullPage: false });
    await phone.context().close();
  });
});
