import { describe, expect, it } from 'vitest';
import { artifact, openPage, PHONE, signInAt, trackPageErrors } from '../support/browser';
import { fileRoutedReport } from '../support/factories';
import { multipart } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({
  web: true,
  browser: true,
  staff: {
    chef: { role: 'supervisor', service: 'voirie', displayName: 'Chef Voirie' },
    admin: { role: 'admin', displayName: 'Admin Ville' },
    equipe: { role: 'crew', teamCode: 'voirie-11', displayName: 'Équipe Voirie 11e' },
  },
});

/** The brief's desktop: 1280×800. */
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const RUDE = 'Les agents de la voirie sont des incapables, honte à eux.';

describe('moderation in the browser', () => {
  it('a resident flags a comment; a supervisor hides it; the public page shows the notice', async () => {
    const report = await fileRoutedReport(stack.deps, {
      description: 'Trou profond devant le 12, dangereux pour les vélos.',
      email: 'reporter@example.org',
    });
    const t = new URL(report.trackingUrl, 'https://x').searchParams.get('t')!;
    for (const text of ['Toujours là ce matin.', RUDE]) {
      const body = await multipart({ t, text });
      const response = await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/comments`, ...body });
      expect(response.statusCode, response.body).toBe(201);
    }

    // 1. A resident, on a phone, flags the second comment.
    const resident = await openPage(stack, PHONE);
    const residentErrors = trackPageErrors(resident);
    await resident.goto(`${stack.baseUrl}/r/${report.ref}`);
    await resident.getByText(RUDE).waitFor();
    await resident.getByRole('button', { name: 'Signaler un abus' }).click();
    await resident.getByLabel('Quel contenu ?').selectOption({ label: `Commentaire 2 — « ${RUDE.slice(0, 40)}… »` });
    await resident.getByLabel('Injure ou propos haineux').check();
    await resident.screenshot({ path: artifact('moderation-1-flag-phone.png'), fullPage: true });
    await resident.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await resident.getByTestId('flag-sent').waitFor();
    const flags = await stack.pool.query('SELECT target_kind, reason FROM moderation_flags WHERE report_id = $1', [
      report.id,
    ]);
    expect(flags.rows).toEqual([{ target_kind: 'comment', reason: 'insult' }]);

    // 2. The supervisor opens the moderation queue on a desktop, and hides it with a reason.
    const chef = await openPage(stack, DESKTOP);
    const chefErrors = trackPageErrors(chef);
    await signInAt(chef, `${stack.baseUrl}/staff`, stack.staff.chef.email);
    await chef.getByRole('link', { name: 'Modération' }).click();
    const item = chef.getByTestId('moderation-queue-item');
    await item.waitFor();
    expect(await item.textContent()).toContain('1 signalement d’abus');
    expect(await item.textContent()).toContain(RUDE);
    await chef.screenshot({ path: artifact('moderation-2-queue-desktop.png'), fullPage: true });
    await chef.setViewportSize(PHONE.viewport);
    await chef.screenshot({ path: artifact('moderation-2-queue-phone.png'), fullPage: true });
    await chef.setViewportSize(DESKTOP.viewport);
    await item.getByRole('button', { name: 'Modérer' }).click();
    const comments = chef.getByTestId('moderation-comment');
    await expect.poll(() => comments.count()).toBe(2);
    await comments.nth(1).getByRole('button', { name: 'Masquer' }).click();
    await chef.getByLabel('Motif (conservé, visible des agents)').fill('Insulte envers les agents');
    await chef.screenshot({ path: artifact('moderation-3-hide-desktop.png'), fullPage: true });
    await chef.getByRole('button', { name: 'Confirmer' }).click();
    await chef.getByTestId('moderation-empty').waitFor();
    await chef.screenshot({ path: artifact('moderation-4-done-desktop.png'), fullPage: true });

    // 3. The public page shows the notice instead of the comment.
    await resident.reload();
    await resident.getByTestId('moderated-notice').waitFor();
    expect(await resident.getByTestId('report-timeline').textContent()).toContain('Masqué par la modération.');
    expect(await resident.content()).not.toContain(RUDE);
    expect(await resident.getByText('Toujours là ce matin.').count()).toBe(1);
    await resident.screenshot({ path: artifact('moderation-5-public-phone.png'), fullPage: true });
    const desktop = await openPage(stack, DESKTOP);
    await desktop.goto(`${stack.baseUrl}/r/${report.ref}`);
    await desktop.getByTestId('moderated-notice').waitFor();
    await desktop.screenshot({ path: artifact('moderation-6-public-desktop.png'), fullPage: true });

    expect(residentErrors).toEqual([]);
    expect(chefErrors).toEqual([]);
    for (const page of [resident, chef, desktop]) await page.context().close();
  });

  it('an admin adds a rejection reason in both languages and sets a category’s duplicate radius', async () => {
    const page = await openPage(stack, DESKTOP);
    const errors = trackPageErrors(page);
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.admin.email);
    await page.getByRole('link', { name: 'Modération' }).click();
    await page.getByRole('heading', { name: 'Motifs de rejet' }).waitFor();
    const reasons = page.locator('section', { has: page.getByRole('heading', { name: 'Motifs de rejet' }) });
    await reasons.getByLabel('Code (minuscules, chiffres, tirets)').fill('travaux-prevus');
    await reasons.getByLabel('Motif en français').fill('Travaux déjà prévus dans la rue');
    await reasons.getByLabel('Motif en anglais').fill('Works already planned in the street');
    await reasons.getByRole('button', { name: 'Enregistrer' }).click();
    await reasons.getByRole('button', { name: 'Travaux déjà prévus dans la rue' }).waitFor();
    const radius = page.getByRole('spinbutton', { name: 'Nid-de-poule' });
    await radius.fill('80');
    await radius.blur();
    await expect
      .poll(
        async () =>
          (await stack.pool.query(`SELECT duplicate_radius_m FROM categories WHERE code = 'nid-de-poule'`)).rows[0]
            .duplicate_radius_m,
      )
      .toBe(80);
    await page.screenshot({ path: artifact('moderation-7-admin-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE.viewport);
    await page.getByRole('heading', { name: 'Motifs de rejet' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('moderation-8-admin-phone.png') });
    const saved = await stack.pool.query(
      `SELECT label_fr, label_en FROM rejection_reasons WHERE code = 'travaux-prevus'`,
    );
    expect(saved.rows).toEqual([
      { label_fr: 'Travaux déjà prévus dans la rue', label_en: 'Works already planned in the street' },
    ]);

    // The reason is the city's voice on the public page.
    const report = await fileRoutedReport(stack.deps, { description: 'Trou dans la chaussée' });
    const rejected = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/transitions`,
      headers: stack.as('chef'),
      payload: { to: 'rejected', reason: 'travaux-prevus' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    await page.goto(`${stack.baseUrl}/r/${report.ref}`);
    const detail = page.getByTestId('report-status-detail');
    expect(await detail.textContent()).toBe('Motif : Travaux déjà prévus dans la rue');
    await page.screenshot({ path: artifact('moderation-9-rejected-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP.viewport);
    await page.screenshot({ path: artifact('moderation-10-rejected-desktop.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('signs a supervisor in on /moderation itself, as /admin does, and turns a crew member away', async () => {
    const page = await openPage(stack, PHONE);
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/moderation`);
    await page.getByText(/^Réservé aux responsables et aux administrateurs/).waitFor();
    await page.screenshot({ path: artifact('moderation-login-phone.png') });
    await signInAt(page, `${stack.baseUrl}/moderation`, stack.staff.chef.email);
    await page.getByRole('heading', { name: 'Modération', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'File des signalements' }).getAttribute('href')).toBe('/staff');
    expect(await page.locator('.staff-who').textContent()).toContain('Chef Voirie');
    await page.screenshot({ path: artifact('moderation-signed-in-phone.png') });
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByLabel('Adresse e-mail professionnelle').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();

    const crew = await openPage(stack, DESKTOP);
    await signInAt(crew, `${stack.baseUrl}/moderation`, stack.staff.equipe.email);
    const refused = crew.getByTestId('moderation-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('réservée aux responsables et aux administrateurs');
    expect(await crew.getByRole('link', { name: 'Espace agents' }).getAttribute('href')).toBe('/staff');
    await crew.screenshot({ path: artifact('moderation-refused-crew.png') });
    await crew.context().close();
  });
});
