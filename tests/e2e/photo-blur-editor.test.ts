import { createReport } from '@pave/core';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { artifact, openPage, PHONE, trackPageErrors, type PageOptions } from '../support/browser';
import { routeFiledReport } from '../support/factories';
import { fixturePhoto, POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';
import { readFacePhoto } from '../worker/photo-faces';

const stack = useStack({
  web: true,
  browser: true,
  worker: true,
  staff: { camille: { role: 'crew', teamCode: 'voirie-11', displayName: 'Camille Voirie' } },
});
const DESKTOP_800: PageOptions = { viewport: { width: 1280, height: 800 } };

/** A routed pothole whose photo shows three people in front of the village (faces the worker blurs). */
async function reportWithPeople(description: string) {
  const village = await sharp(fixturePhoto('jpg_gps_DSCN0010.jpg')).toBuffer();
  const people = await sharp(readFacePhoto('face-api-sample1.jpg')).resize(320).toBuffer();
  const data = await sharp(village)
    .composite([{ input: people, left: 300, top: 240 }])
    .jpeg()
    .toBuffer();
  const report = await createReport(stack.deps, {
    category: 'nid-de-poule',
    lat: String(POINT_PARIS_11.lat),
    lon: String(POINT_PARIS_11.lon),
    description,
    photos: [{ data, filename: 'rue.jpg' }],
  });
  await routeFiledReport(stack.pool, report.id);
  await expect
    .poll(
      async () =>
        (await stack.pool.query('SELECT status FROM photos WHERE report_id = $1', [report.id])).rows[0]?.status,
      { timeout: 30_000 },
    )
    .toBe('ready');
  return report;
}

async function openReport(page: Page, ref: string) {
  await page.goto(`${stack.baseUrl}/staff`);
  await page
    .getByRole('button', { name: new RegExp(`^${ref}`) })
    .and(page.locator('.staff-item'))
    .click();
  await page.getByRole('heading', { name: 'Flouter des zones de la photo' }).waitFor();
}

async function drag(page: Page, from: [number, number], to: [number, number]) {
  const surface = page.getByTestId('blur-surface');
  await surface.locator('img').evaluate((img: HTMLImageElement) => img.decode());
  await surface.scrollIntoViewIfNeeded();
  const box = (await surface.boundingBox())!;
  await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + to[0] * box.width, box.y + to[1] * box.height, { steps: 5 });
  await page.mouse.up();
}

describe('a crew member blurring a number plate on a report photo', () => {
  it('draws a box with the pointer, removes one with the keyboard, saves, and sees the public photo blurred', async () => {
    const report = await reportWithPeople('Trou devant la voiture garée');
    const { rows: found } = await stack.pool.query(
      'SELECT jsonb_array_length(detected_faces) AS n FROM photos WHERE report_id = $1',
      [report.id],
    );
    expect(found[0].n).toBe(3);

    const page = await openPage(stack, { ...PHONE, signedIn: stack.staff.camille });
    const errors = trackPageErrors(page);
    await openReport(page, report.ref);
    await page.getByText('Visages floutés automatiquement : 3.').waitFor();
    await page.getByTestId('blur-surface').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('photo-blur-phone-1-open.png'), fullPage: true });
    await drag(page, [0.05, 0.1], [0.35, 0.3]);
    await page.getByText(/^Zone 1 : à 5 % du bord gauche/).waitFor();
    // Without a pointer: a box added in the middle, then removed from the list with the keyboard.
    await page.getByRole('button', { name: 'Ajouter une zone au centre' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Supprimer la zone 2' }).focus();
    await page.screenshot({ path: artifact('photo-blur-phone-2-boxes.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: /^Supprimer la zone/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Enregistrer et flouter' }).click();
    await page.getByText('La photo publique est floutée.').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifact('photo-blur-phone-3-saved.png'), fullPage: true });
    expect(await page.getByTestId('blur-surface').locator('img').getAttribute('src')).toMatch(/\/r1\/large\.jpg$/);
    expect(errors).toEqual([]);
    await page.context().close();

    // On a desktop the saved box is there, and a second one is drawn (not saved).
    const desktop = await openPage(stack, { ...DESKTOP_800, signedIn: stack.staff.camille });
    await openReport(desktop, report.ref);
    await desktop.getByText(/^Zone 1 : à 5 % du bord gauche/).waitFor();
    await drag(desktop, [0.6, 0.7], [0.9, 0.9]);
    await desktop.getByText(/^Zone 2 : à 60 % du bord gauche/).waitFor();
    await desktop.getByTestId('blur-surface').scrollIntoViewIfNeeded();
    await desktop.screenshot({ path: artifact('photo-blur-desktop.png') });
    await desktop.context().close();

    const { rows } = await stack.pool.query('SELECT blur_boxes FROM photos WHERE report_id = $1', [report.id]);
    expect(rows[0].blur_boxes).toHaveLength(1);
    const [box] = rows[0].blur_boxes as { x: number; y: number; width: number; height: number }[];
    expect(box!.x).toBeCloseTo(0.05, 1);
    expect(box!.width).toBeCloseTo(0.3, 1);
  });
});
