import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact, openPage, PHONE, signInAt, trackPageErrors } from '../support/browser';
import { fileRoutedReport } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({
  web: true,
  browser: true,
  staff: {
    chef: { role: 'supervisor', service: 'voirie', displayName: 'Amina Diallo' },
    equipe: { role: 'crew', teamCode: 'voirie-11', displayName: 'Équipe Voirie 11e' },
  },
});

const DESKTOP_800 = { viewport: { width: 1280, height: 800 } };
const line = (page: Page, ref: string) =>
  page.locator('.staff-list').getByRole('button', { name: new RegExp(`^${ref}`) });
const boxOf = async (page: Page, selector: string) => {
  const box = await page.locator(selector).boundingBox();
  expect(box, selector).not.toBeNull();
  return box!;
};

/** How many reports the staff map shows: single markers plus the counts of the bubbles. */
const reportsOnMap = (page: Page) =>
  page.evaluate(
    () =>
      document.querySelectorAll('.staff-pane--map .staff-marker, .staff-map .staff-marker').length +
      [...document.querySelectorAll('.staff-cluster-count')].reduce((sum, el) => sum + Number(el.textContent), 0),
  );

describe('the crews’ workspace', () => {
  it('on a desktop: list, report and map side by side, a search by number, counted bubbles, bulk actions that say why not', async () => {
    // 30 potholes on one block (a few metres apart) and two a street away: on the map they must not
    // look like a handful of dots.
    const block = [];
    for (let i = 0; i < 30; i++) {
      block.push(
        await fileRoutedReport(stack.deps, {
          description: `Nid de poule ${i + 1} sur le trottoir`,
          point: { lat: POINT_PARIS_11.lat + (i % 6) * 0.00004, lon: POINT_PARIS_11.lon + Math.floor(i / 6) * 0.00004 },
        }),
      );
    }
    const away = await fileRoutedReport(stack.deps, {
      description: 'Plaque descellée devant le square',
      point: { lat: POINT_PARIS_11.lat + 0.004, lon: POINT_PARIS_11.lon + 0.004 },
    });
    const total = block.length + 1;
    // One already acknowledged: bulk "acknowledge" does not apply to it.
    const acknowledged = block[1]!;
    await stack.pool.query(`UPDATE reports SET status = 'acknowledged' WHERE id = $1`, [acknowledged.id]);

    const page = await openPage(stack, DESKTOP_800);
    const errors = trackPageErrors(page);
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.chef.email);
    await line(page, away.ref).waitFor();
    await page.getByText(`${total} signalements`).first().waitFor();

    // Side by side, and the map in the first screen.
    const [list, detail, map] = [
      await boxOf(page, '.staff-pane--list'),
      await boxOf(page, '.staff-pane--detail'),
      await boxOf(page, '.staff-pane--map .staff-map'),
    ];
    expect(list.x + list.width).toBeLessThanOrEqual(detail.x);
    expect(detail.x + detail.width).toBeLessThanOrEqual(map.x);
    expect(map.y).toBeLessThan(800 / 2);
    expect(map.y + map.height).toBeLessThanOrEqual(800);
    await page.screenshot({ path: artifact('staff-workspace-desktop-0.png') });
    await page.getByText('Choisissez un signalement dans la liste ou sur la carte pour le voir ici.').waitFor();

    // Counted bubbles: every report is on the map, and the block is one bubble, not 30 dots.
    await expect.poll(() => reportsOnMap(page)).toBe(total);
    const counts = await page.locator('.staff-cluster-count').allTextContents();
    expect(Math.max(...counts.map(Number))).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: artifact('staff-workspace-desktop-1.png') });
    // A bubble is a button that zooms in to split.
    const before = await page.locator('.staff-cluster').count();
    await page.locator('.staff-cluster').first().click();
    await expect
      .poll(async () => (await page.locator('.staff-marker').count()) + (await page.locator('.staff-cluster').count()))
      .toBeGreaterThan(before);

    // Search by the number alone, as read on a phone: "000017" and "17" find PAV-…-000017.
    const target = block[7]!;
    const number = target.ref.split('-').at(-1)!;
    const search = page.getByLabel('Rechercher : n°, adresse ou mot');
    for (const q of [number, String(Number(number))]) {
      await search.fill(q);
      await expect.poll(() => line(page, away.ref).count()).toBe(0);
      await line(page, target.ref).waitFor();
    }
    // Opening it shows it beside the list, the map still in view.
    await line(page, target.ref).click();
    await page.getByRole('heading', { name: new RegExp(`^${target.ref}`) }).waitFor();
    await page.getByRole('group', { name: 'Actions rapides' }).waitFor();
    expect((await boxOf(page, '.staff-pane--map .staff-map')).y).toBeLessThan(400);
    await page.screenshot({ path: artifact('staff-workspace-desktop-2-search.png') });
    await search.fill('');
    await line(page, away.ref).waitFor();

    // "Late" narrows the chosen status, and says so.
    await page.getByText('En retard', { exact: true }).click();
    await page.getByText('Seulement les signalements en retard, parmi « À traiter ».').waitFor();
    await page.getByText('En retard', { exact: true }).click();

    // Bulk: acknowledging applies to one of these two; the button says so, and the answer too.
    await page.getByRole('button', { name: 'Sélectionner', exact: true }).click();
    await page.getByLabel(`Sélectionner ${acknowledged.ref}`).check();
    await page.getByLabel(`Sélectionner ${away.ref}`).check();
    const bar = page.getByRole('region', { name: 'Actions sur la sélection' });
    await bar.getByRole('button', { name: 'Prendre en compte (1 sur 2)' }).click();
    await bar.getByText('1 signalement mis à jour. 1 laissé tel quel :').waitFor();
    await bar
      .getByRole('listitem')
      .filter({ hasText: acknowledged.ref })
      .getByText('son état « Pris en compte » ne permet pas cette action')
      .waitFor();
    const { rows } = await stack.pool.query('SELECT status FROM reports WHERE id = $1', [away.id]);
    expect(rows[0].status).toBe('acknowledged');
    // The bar never hides the last row: scrolled to the end, the last row ends above the bar.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const lastRow = await page.locator('.staff-row').last().boundingBox();
    const barBox = await bar.boundingBox();
    expect(lastRow!.y + lastRow!.height).toBeLessThanOrEqual(barBox!.y);
    await page.screenshot({ path: artifact('staff-workspace-desktop-3-bulk.png') });

    // The internal history names who acknowledged it, by name, not by e-mail.
    await page.getByRole('button', { name: 'Terminer' }).click();
    await line(page, away.ref).click();
    await page.getByText('Historique interne').click();
    const history = page.locator('.staff-history-list');
    await history.getByText(/Amina Diallo · Pris en compte/).waitFor();
    expect(await history.textContent()).not.toContain('@');
    await page.screenshot({ path: artifact('staff-workspace-desktop-4-history.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('on a phone: a compact top, the first report on the first screen; a report opens as its own screen, and Back returns to the list where it was', async () => {
    // Enough reports for the list to scroll on a phone, whichever test ran before.
    for (let i = 0; i < 12; i++) {
      await fileRoutedReport(stack.deps, { description: `Affaissement de la chaussée ${i + 1}` });
    }
    const page = await openPage(stack, PHONE);
    const errors = trackPageErrors(page);
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.equipe.email);
    const first = page.locator('.staff-item').first();
    await first.waitFor();
    const box = await first.boundingBox();
    expect(box!.y + Math.min(box!.height, 80)).toBeLessThanOrEqual(740);
    // Nothing is wider than the phone: the chips scroll sideways in their row, the page does not.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // "Sélectionner" sits in the list's header row, beside the count and the list/map switch.
    const [count, select, views] = [
      await boxOf(page, '.staff-count'),
      await boxOf(page, '.staff-select-toggle'),
      await boxOf(page, '.staff-view'),
    ];
    for (const other of [select, views]) {
      expect(Math.abs(other.y + other.height / 2 - (count.y + count.height / 2))).toBeLessThan(12);
    }
    await page.screenshot({ path: artifact('staff-workspace-phone-1.png') });

    // Scrolled down the list, a report opens as a screen of its own, in the URL.
    const target = page.locator('.staff-item').nth(9);
    await target.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 120));
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(200);
    const ref = (await target.locator('.staff-item-ref').textContent())!;
    await target.click();
    const title = page.getByRole('heading', { name: new RegExp(`^${ref} · `) });
    await title.waitFor();
    await page.getByRole('group', { name: 'Actions rapides' }).waitFor();
    expect(new URL(page.url()).searchParams.get('report')).toBeTruthy();
    expect(await page.locator('.staff-list').isVisible()).toBe(false);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const back = page.getByRole('button', { name: 'Retour à la liste' });
    const backBox = (await back.boundingBox())!;
    expect(backBox.y + backBox.height).toBeLessThanOrEqual(740 / 2);
    expect((await boxOf(page, '.staff-report-screen')).width).toBeGreaterThanOrEqual(320);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: artifact('staff-workspace-phone-2-detail.png') });
    await page.screenshot({ path: artifact('staff-workspace-phone-2b-detail-full.png'), fullPage: true });

    // The browser's Back: the list, scrolled where it was, the focus on the report's line.
    const backAtList = async () => {
      await page.locator('.staff-list').waitFor({ state: 'visible' });
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
      expect(new URL(page.url()).searchParams.get('report')).toBeNull();
      expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.reportId)).toBe(
        await target.getAttribute('data-report-id'),
      );
    };
    await page.goBack();
    await backAtList();
    await page.screenshot({ path: artifact('staff-workspace-phone-3-back.png') });
    // "Retour à la liste" does the same, and Forward opens the report again.
    await target.click();
    await title.waitFor();
    await back.click();
    await backAtList();
    await page.goForward();
    await title.waitFor();
    // A reload keeps the report open; going back to the list from there leaves a plain URL.
    await page.reload();
    await title.waitFor();
    await back.click();
    await page.locator('.staff-list').waitFor({ state: 'visible' });
    expect(new URL(page.url()).searchParams.get('report')).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
