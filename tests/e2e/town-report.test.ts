import { seedDemoTowns } from '@pave/core/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifact, DESKTOP, openPage, PHONE, signInAt, trackPageErrors } from '../support/browser';
import { signInNewStaff, type SignedInStaff } from '../support/factories';
import { useStack } from '../support/stack';

// Issue #19: a resident files in a neighbouring town from the form, sees that town's categories; the
// town's crew sees the report, Paris's crew does not.
const stack = useStack({
  web: true,
  browser: true,
  worker: true,
  staff: { parisCrew: { role: 'crew', teamCode: 'voirie-11' } },
});
// Rue de Paris, Montreuil: about 500 m past the boulevard périphérique.
const MONTREUIL = { lon: 2.4485, lat: 48.8638 };
let montreuilCrew: SignedInStaff;

beforeAll(async () => {
  await seedDemoTowns(stack.pool);
  montreuilCrew = await signInNewStaff(stack, 'montreuil', { role: 'crew', teamCode: '93048-voirie' });
  await stack.pool.query("UPDATE staff_users SET town_code = '93048' WHERE id = $1", [montreuilCrew.id]);
  await stack.pool.query("UPDATE staff_users SET town_code = '75056' WHERE id = $1", [stack.staff.parisCrew.id]);
});

describe('a report in a neighbouring town', () => {
  it("offers Montreuil's categories at a Montreuil pin, files there, and only Montreuil's crew sees it", async () => {
    const page = await openPage(stack, { ...PHONE, at: MONTREUIL });
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/signaler`);
    await page.getByRole('button', { name: 'Continuer sans photo' }).click();
    // The pin first: the offer is the town's there.
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('48.86');
    await expect.poll(() => page.getByTestId('category-suggestions').getAttribute('data-state')).not.toBe('loading');
    const other = page.getByRole('button', { name: 'Autre catégorie' });
    if ((await other.count()) > 0 && (await other.getAttribute('aria-expanded')) === 'false') await other.click();
    await expect.poll(() => page.getByTestId('category-town').textContent()).toBe('Catégories proposées à Montreuil');
    const picker = page.locator('.category-picker');
    // Montreuil's own words, and no water service of its own: the category is not offered.
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('encombrant');
    await picker.getByRole('radio', { name: 'Encombrant sur le trottoir' }).waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('fuite');
    expect(await picker.getByRole('radio', { name: "Fuite d'eau sur la voie" }).count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('nid');
    await picker.getByRole('radio', { name: 'Nid-de-poule' }).check();
    await page.screenshot({ path: artifact('town-1-form-phone.png'), fullPage: true });

    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByLabel('Description').fill('Nid-de-poule profond devant la boulangerie');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();

    const { rows } = await stack.pool.query<{ id: string; ref: string; town_code: string }>(
      "SELECT id, ref, town_code FROM reports WHERE description LIKE 'Nid-de-poule profond%'",
    );
    const report = rows[0]!;
    expect(report.town_code).toBe('93048');
    // Routed by the worker to Montreuil's road team.
    await expect
      .poll(
        async () =>
          (
            await stack.pool.query('SELECT t.code FROM reports r JOIN teams t ON t.id = r.team_id WHERE r.id = $1', [
              report.id,
            ])
          ).rows[0]?.code,
        { timeout: 10_000 },
      )
      .toBe('93048-voirie');

    // The public page names the town and links its page; both pages at phone and desktop sizes.
    await page.goto(`${stack.baseUrl}/reports/${report.id}`);
    await expect.poll(() => page.getByTestId('report-town').textContent()).toBe('Montreuil');
    await expect.poll(() => page.getByTestId('report-team').textContent()).toBe('Voirie — Montreuil');
    await page.screenshot({ path: artifact('town-2-report-phone.png'), fullPage: true });
    await page.getByTestId('report-town').getByRole('link').click();
    await page.getByTestId('town-page').waitFor();
    await page.getByRole('heading', { name: 'Montreuil', level: 1 }).waitFor();
    await page.getByTestId('town-reports').getByRole('link', { name: report.ref }).waitFor();
    await page.screenshot({ path: artifact('town-3-page-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();

    const desktop = await openPage(stack, DESKTOP);
    await desktop.goto(`${stack.baseUrl}/villes/93048`);
    await desktop.getByTestId('town-reports').getByRole('link', { name: report.ref }).waitFor();
    await desktop.screenshot({ path: artifact('town-4-page-desktop.png'), fullPage: true });
    await desktop.goto(`${stack.baseUrl}/reports/${report.id}`);
    await expect.poll(() => desktop.getByTestId('report-town').textContent()).toBe('Montreuil');
    await desktop.screenshot({ path: artifact('town-5-report-desktop.png'), fullPage: true });
    await desktop.context().close();

    // Montreuil's crew finds it in its queue; Paris's crew does not.
    const crew = await openPage(stack, PHONE);
    await signInAt(crew, `${stack.baseUrl}/staff`, montreuilCrew.email);
    await crew.getByRole('heading', { name: 'File des signalements' }).waitFor();
    await crew
      .getByRole('button', { name: new RegExp(report.ref) })
      .first()
      .waitFor();
    await crew.screenshot({ path: artifact('town-6-montreuil-crew-phone.png'), fullPage: true });
    await crew.context().close();

    const parisCrew = await openPage(stack, PHONE);
    await signInAt(parisCrew, `${stack.baseUrl}/staff`, stack.staff.parisCrew.email);
    await parisCrew.getByRole('heading', { name: 'File des signalements' }).waitFor();
    await parisCrew.getByText('Aucun signalement dans cette file.').first().waitFor();
    expect(await parisCrew.getByRole('button', { name: new RegExp(report.ref) }).count()).toBe(0);
    const asParis = await stack.app.inject({ url: '/api/staff/reports', headers: stack.staff.parisCrew.headers });
    expect(asParis.statusCode).toBe(200);
    expect(asParis.body).not.toContain(report.id);
    await parisCrew.context().close();
  });
});
