import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifact, openPage, PHONE, signInAt } from '../support/browser';
import { fileReport } from '../support/factories';
import { FIXTURES_DIR } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({
  web: true,
  browser: true,
  worker: true,
  smtp: true,
  staff: { equipe: { role: 'crew', teamCode: 'voirie-11' } },
});

describe('a crew member on a phone', () => {
  it('signs in, acknowledges a new report, resolves it with an after photo; the public page and the reporter’s mail show it', async () => {
    const report = await fileReport(stack.deps, { description: 'Trou devant l’école', email: 'habitant@example.org' });
    await expect
      .poll(
        async () => (await stack.pool.query('SELECT team_id FROM reports WHERE id = $1', [report.id])).rows[0].team_id,
        { timeout: 10_000 },
      )
      .not.toBeNull();

    const page = await openPage(stack, PHONE);
    const context = page.context();
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.equipe.email);
    await page.getByRole('heading', { name: 'File des signalements' }).waitFor();
    await page.getByRole('button', { name: new RegExp(report.ref) }).waitFor();

    // A report filed now appears in the open queue within 2 seconds, without a reload.
    const live = await fileReport(stack.deps, { category: 'regard-descelle' });
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
    const mails = await stack.smtp.waitForMails(3, 20_000);
    const resolution = mails.find((m) => m.subject === `${report.ref} : Résolu`);
    expect(resolution?.text).toContain('Trou rebouché ce matin.');

    const publicPage = await context.newPage();
    await publicPage.goto(`${stack.baseUrl}/r/${report.ref}`);
    await expect.poll(() => publicPage.getByTestId('report-status').first().textContent()).toBe('Résolu');
    await expect.poll(() => publicPage.getByText('Trou rebouché ce matin.').count()).toBeGreaterThan(0);
    await expect
      .poll(() => publicPage.locator('img[src*="/media/photos/"]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await publicPage.screenshot({ path: artifact('staff-3-public-page.png'), fullPage: true });
    await context.close();
  });
});
