import path from 'node:path';
import type { Locator } from 'playwright-core';
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
  it('signs in, acknowledges, schedules and resolves a report with an after photo in at most 8 taps; the public page and the reporter’s mail show it', async () => {
    const report = await fileReport(stack.deps, { description: 'Trou devant l’école', email: 'habitant@example.org' });
    await expect
      .poll(
        async () => (await stack.pool.query('SELECT team_id FROM reports WHERE id = $1', [report.id])).rows[0].team_id,
        { timeout: 10_000 },
      )
      .not.toBeNull();

    // A crew member's phone keeps the city's time: the visit they type is the visit the public reads.
    const page = await openPage(stack, { ...PHONE, timezoneId: 'Europe/Paris' });
    const context = page.context();
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.equipe.email);
    await page.getByRole('heading', { name: 'File des signalements' }).waitFor();
    await page.getByRole('button', { name: new RegExp(report.ref) }).waitFor();

    // A report filed now appears in the open queue within 2 seconds, without a reload.
    const live = await fileReport(stack.deps, { category: 'regard-descelle' });
    const filedAt = Date.now();
    await page.getByRole('button', { name: new RegExp(live.ref) }).waitFor({ timeout: 10_000 });
    expect(Date.now() - filedAt).toBeLessThan(2_000 + 1_000 /* routing by the worker happens first */);

    // From opening the report to "resolved with an after photo", through acknowledged and scheduled:
    // every tap the crew member makes is counted (choosing the photo is one).
    let taps = 0;
    const tap = async (target: Locator) => {
      taps += 1;
      await target.click();
    };
    const notice = page.getByRole('status').filter({ hasText: `Signalement ${report.ref}` });
    await page.screenshot({ path: artifact('staff-1-queue.png'), fullPage: true });
    // The report opens as a screen of its own.
    await tap(page.getByRole('button', { name: new RegExp(report.ref) }));
    await page.getByRole('button', { name: 'Retour à la liste' }).waitFor();
    await page.screenshot({ path: artifact('staff-1a-report-screen.png'), fullPage: true });

    await tap(page.getByRole('button', { name: 'Prendre en compte', exact: true }));
    await notice.getByText(`Signalement ${report.ref} : pris en compte. Le déclarant est prévenu.`).waitFor();
    expect(await page.getByTestId('report-status').first().textContent()).toBe('Pris en compte');

    await tap(page.getByRole('button', { name: 'Programmer…' }));
    // The next working morning is filled in; the crew keeps it.
    const visit = await page.getByLabel("Date d'intervention").inputValue();
    expect(visit).toMatch(/^\d{4}-\d{2}-\d{2}T08:00$/);
    await tap(page.getByRole('button', { name: 'Programmer', exact: true }));
    await notice
      .getByText(new RegExp(`Signalement ${report.ref} : intervention programmée le \\d+ \\S+ à 08:00\\.`))
      .waitFor();
    // The confirmation is where the crew member's thumb is: on screen, its top and bottom not under
    // the sticky header nor below the fold.
    const isOnScreen = (el: Element) => {
      const box = el.getBoundingClientRect();
      const x = box.left + box.width / 2;
      return [box.top + 4, box.bottom - 4].every((y) => el.contains(document.elementFromPoint(x, y)));
    };
    expect(await notice.evaluate(isOnScreen)).toBe(true);
    await page.screenshot({ path: artifact('staff-1b-scheduled.png') });

    // The public page says when the crew will come.
    const publicPage = await context.newPage();
    await publicPage.goto(`${stack.baseUrl}/r/${report.ref}`);
    await publicPage
      .getByTestId('report-scheduled')
      .getByText(/^Intervention prévue le \d+ \S+ à 08:00$/)
      .waitFor();
    await publicPage.screenshot({ path: artifact('staff-1c-public-scheduled.png'), fullPage: true });

    await tap(page.getByRole('button', { name: 'Résolu…' }));
    taps += 1; // choosing the after photo
    await page
      .getByLabel('Photo « après » (facultative)')
      .setInputFiles(path.join(FIXTURES_DIR, 'photos', 'jpg_orientation_portrait_6.jpg'));
    // The usual message is already there.
    expect(await page.getByLabel('Message public (envoyé au déclarant)').inputValue()).toBe(
      'Intervention réalisée, merci pour votre signalement.',
    );
    await tap(page.getByRole('button', { name: 'Marquer résolu' }));
    await notice
      .getByText(`Signalement ${report.ref} : résolu. Le déclarant est prévenu. Photo « après » jointe.`)
      .waitFor();
    expect(await page.getByTestId('report-status').first().textContent()).toBe('Résolu');
    console.info(`staff-flow: opened → acknowledged → scheduled → resolved with an after photo in ${taps} taps`);
    expect(taps).toBeLessThanOrEqual(8);
    expect((await stack.pool.query('SELECT status FROM reports WHERE id = $1', [report.id])).rows[0].status).toBe(
      'resolved',
    );
    // Resolved, its screen stays until the crew member goes back; the list then no longer holds it.
    await page.screenshot({ path: artifact('staff-2-resolved.png'), fullPage: true });
    await page.getByRole('button', { name: 'Retour à la liste' }).click();
    await page.getByRole('button', { name: new RegExp(live.ref) }).waitFor();
    expect(await page.getByRole('button', { name: new RegExp(report.ref) }).count()).toBe(0);

    // The reporter's mail: the resolution, with the usual message.
    await expect
      .poll(async () => (await stack.smtp.waitForMails(1)).find((m) => m.subject === `${report.ref} : Résolu`)?.text, {
        timeout: 20_000,
      })
      .toContain('Intervention réalisée, merci pour votre signalement.');

    await publicPage.goto(`${stack.baseUrl}/r/${report.ref}`);
    await expect.poll(() => publicPage.getByTestId('report-status').first().textContent()).toBe('Résolu');
    await expect
      .poll(() => publicPage.getByText('Intervention réalisée, merci pour votre signalement.').count())
      .toBeGreaterThan(0);
    await expect
      .poll(() => publicPage.locator('img[src*="/media/photos/"]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await publicPage.screenshot({ path: artifact('staff-3-public-page.png'), fullPage: true });
    await context.close();
  });
});
