import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/**
 * Through the resident's three-step form without a photo: skip the photo step, pick the category
 * with the full picker's search, "use my position", then a description on the last step, and send.
 * Resolves once the confirmation shows.
 */
export async function fileReportWithoutPhoto(
  page: Page,
  baseUrl: string,
  report: { search: string; category: string; description: string },
): Promise<void> {
  await page.goto(`${baseUrl}/signaler`);
  await page.getByRole('button', { name: 'Continuer sans photo' }).click();
  // Suggestions answered (or none asked): the full picker is open, or one tap away.
  await expect.poll(() => page.getByTestId('category-suggestions').getAttribute('data-state')).not.toBe('loading');
  const other = page.getByRole('button', { name: 'Autre catégorie' });
  if ((await other.count()) > 0 && (await other.getAttribute('aria-expanded')) === 'false') await other.click();
  await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill(report.search);
  await page.locator('.category-picker').getByRole('radio', { name: report.category }).check();
  await page.getByRole('button', { name: 'Utiliser ma position' }).click();
  await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('48.85');
  await page.getByRole('button', { name: 'Continuer', exact: true }).click();
  await page.getByLabel('Description').fill(report.description);
  await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
  await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
}
