import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifact, openPage, PHONE, trackPageErrors } from '../support/browser';
import { FIXTURES_DIR, POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

// The default tile URL is a real web tile server: unreachable here, so this also proves the offline fallback.
const stack = useStack({ web: true, browser: true, worker: true });

describe('a resident on a phone', () => {
  it('reports a pothole in the 11th with an iPhone photo, sees it routed to the 11th road team and on the map', async () => {
    const page = await openPage(stack, { ...PHONE, at: POINT_PARIS_11 });
    const pageErrors = trackPageErrors(page);

    await page.goto(`${stack.baseUrl}/signaler`);
    // The photo first: it was taken in Madrid, so the pin it places is refused and moved to the phone's position.
    await page
      .locator('input[type="file"]')
      .setInputFiles(path.join(FIXTURES_DIR, 'photos', 'jpg_hdr_iphone_hdr_YES.jpg'));
    await page.getByTestId('photo-placed').waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('nid');
    await page.locator('.category-picker').getByRole('radio', { name: 'Nid-de-poule' }).check();
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('48.85');
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByLabel('Description').fill('Nid-de-poule profond au milieu du passage piéton.');
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

    await page.goto(`${stack.baseUrl}/?lat=${POINT_PARIS_11.lat}&lon=${POINT_PARIS_11.lon}&z=18`);
    const marker = page.locator('path.report-marker').first();
    await marker.waitFor({ timeout: 15_000 });
    await marker.click({ force: true });
    await expect.poll(() => page.locator('.leaflet-popup-content').textContent()).toContain(ref);
    await page.screenshot({ path: artifact('phone-4-map.png') });

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('is told plainly when the point is outside the service area', async () => {
    // In Lyon.
    const page = await openPage(stack, { viewport: PHONE.viewport, at: { lat: 45.764, lon: 4.8357, accuracy: 20 } });
    await page.goto(`${stack.baseUrl}/signaler`);
    // The form opens on the photo step: none here.
    await page.getByRole('button', { name: 'Continuer sans photo' }).click();
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('tag');
    await page.getByRole('radio', { name: 'Tag sur façade' }).check();
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('45.76');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toContain('hors de la zone couverte');
    await page.screenshot({ path: artifact('phone-5-outside-area.png'), fullPage: true });
    await page.context().close();
  });

  it('speaks the phone’s language on the first visit, and keeps the one the resident picks', async () => {
    const page = await openPage(stack, { ...PHONE, at: POINT_PARIS_11, locale: 'en-US' });
    await page.goto(`${stack.baseUrl}/signaler`);
    await page.getByRole('heading', { name: 'Report a problem' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.screenshot({ path: artifact('report-flow-english-phone.png') });
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: 'Signaler un problème' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Signaler un problème' }).waitFor();
    await page.context().close();
  });
});
