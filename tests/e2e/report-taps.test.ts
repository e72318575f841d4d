import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJpegGps } from '../../apps/web/src/features/reports/lib/exif-gps';
import { artifact, DESKTOP, openPage, PHONE, trackPageErrors } from '../support/browser';
import { fileReport } from '../support/factories';
import { FIXTURES_DIR } from '../support/multipart';
import { useStack } from '../support/stack';

// Issue #15: a report with a photo in five taps at most, on a 360×740 touch phone, from the home page
// to the confirmation: the category from the suggestions, the place from the photo's EXIF position.

const stack = useStack({ web: true, browser: true });

// Where the photo says it was taken: rue de la Roquette, Paris 11e.
const PHOTO_AT = { lat: 48.85795, lon: 2.37855 };
// Sidewalk reports 100 m north: within the suggestions' 150 m, outside the 50 m of the duplicates panel.
const NEIGHBOURS_AT = { lat: PHOTO_AT.lat + 100 / 111_320, lon: PHOTO_AT.lon };

/**
 * The fixture iPhone photo (real EXIF, taken in Madrid) with its GPS latitude and longitude rewritten
 * in place to `at`: none of the real phone photos we may ship was taken in Paris.
 */
function photoTakenAt(place: { lat: number; lon: number }): Buffer {
  const jpeg = Buffer.from(readFileSync(path.join(FIXTURES_DIR, 'photos', 'jpg_hdr_iphone_hdr_YES.jpg')));
  let offset = 2;
  while (!(jpeg[offset + 1] === 0xe1 && jpeg.toString('latin1', offset + 4, offset + 8) === 'Exif')) {
    offset += 2 + jpeg.readUInt16BE(offset + 2);
  }
  const tiff = offset + 10;
  const little = jpeg.toString('latin1', tiff, tiff + 2) === 'II';
  const u16 = (at: number) => (little ? jpeg.readUInt16LE(at) : jpeg.readUInt16BE(at));
  const u32 = (at: number) => (little ? jpeg.readUInt32LE(at) : jpeg.readUInt32BE(at));
  const w32 = (value: number, at: number) => (little ? jpeg.writeUInt32LE(value, at) : jpeg.writeUInt32BE(value, at));
  const entries = (ifd: number) =>
    Array.from({ length: u16(tiff + ifd) }, (_, i) => tiff + ifd + 2 + i * 12).map((at) => ({ tag: u16(at), at }));
  const gpsPointer = entries(u32(tiff + 4)).find((e) => e.tag === 0x8825)!;
  for (const { tag, at } of entries(u32(gpsPointer.at + 8))) {
    if (tag === 1 || tag === 3) jpeg.write(tag === 1 ? 'N\0' : 'E\0', at + 8, 'latin1');
    if (tag === 2 || tag === 4) {
      const degrees = tag === 2 ? place.lat : place.lon;
      const values = tiff + u32(at + 8);
      const whole = Math.floor(degrees);
      const minutes = Math.floor((degrees - whole) * 60);
      const seconds = Math.round(((degrees - whole) * 60 - minutes) * 60 * 10_000);
      [whole, 1, minutes, 1, seconds, 10_000].forEach((value, i) => w32(value, values + i * 4));
    }
  }
  return jpeg;
}

/**
 * Whether the element can be tapped where it is: its centre on screen and not under anything else
 * (the bottom bar). Playwright would otherwise scroll to it silently, hiding a scroll the resident must make.
 */
function isTappableInPlace(target: Locator): Promise<boolean> {
  return target.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && element.contains(hit);
  });
}

/** Every tap the resident makes goes through here, so the count is the test's own; none may need a scroll. */
function tapCounter(page: Page) {
  const taps: string[] = [];
  const scrolls: string[] = [];
  const check = async (target: Locator, what: string) => {
    await target.waitFor();
    taps.push(what);
    if (!(await isTappableInPlace(target))) scrolls.push(what);
  };
  return {
    taps,
    scrolls,
    async tap(target: Locator, what: string): Promise<void> {
      await check(target, what);
      await target.tap();
    },
    /** A tap that opens the phone's photo picker, which hands over `photo`. */
    async tapForPhoto(target: Locator, what: string, photo: Buffer): Promise<void> {
      await check(target, what);
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), target.tap()]);
      await chooser.setFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: photo });
    },
  };
}

const LANGUAGES = {
  fr: {
    locale: 'fr-FR',
    nav: 'Signaler',
    photo: 'Prendre ou choisir une photo',
    suggestion: 'Trottoir : affaissement',
    send: 'Envoyer le signalement',
    sent: 'Signalement envoyé',
    place: 'Quoi et où',
  },
  en: {
    locale: 'en-GB',
    nav: 'Report',
    photo: 'Take or choose a photo',
    suggestion: 'Pavement: sinking',
    send: 'Send the report',
    sent: 'Report sent',
    place: 'What and where',
  },
} as const;

beforeAll(async () => {
  for (const description of ['Pavés descellés devant le café', 'Trottoir affaissé', 'Dalle cassée sur le trottoir']) {
    await fileReport(stack.deps, { category: 'trottoir-degrade', description, point: NEIGHBOURS_AT });
  }
});

describe('a resident with a photo, on a 360×740 touch phone', () => {
  it('the photo fixture says it was taken in Paris', () => {
    const photo = photoTakenAt(PHOTO_AT);
    const [lon, lat] = parseJpegGps(new DataView(photo.buffer, photo.byteOffset, photo.byteLength))!;
    expect(lat).toBeCloseTo(PHOTO_AT.lat, 5);
    expect(lon).toBeCloseTo(PHOTO_AT.lon, 5);
  });

  for (const [language, words] of Object.entries(LANGUAGES)) {
    it(`reports from the home page to the confirmation in five taps or fewer (${language})`, async () => {
      const page = await openPage(stack, { ...PHONE, locale: words.locale });
      const errors = trackPageErrors(page);
      const { taps, scrolls, tap, tapForPhoto } = tapCounter(page);
      const shot = (name: string) => page.screenshot({ path: artifact(`taps-${language}-${name}.png`) });
      const started = performance.now();

      await page.goto(`${stack.baseUrl}/`);
      await tap(page.getByRole('link', { name: words.nav, exact: true }), 'open the form');
      await page.getByTestId('photo-button').waitFor();
      await shot('1-photo');

      await tapForPhoto(page.getByText(words.photo), 'take the photo', photoTakenAt(PHOTO_AT));
      // The photo carried its position: step 2 opens with the pin placed and the neighbours' category first.
      await page.getByTestId('step-title').filter({ hasText: words.place }).waitFor();
      await page.getByTestId('photo-placed').waitFor();
      const suggestion = page.locator('.suggestions-list label', { hasText: words.suggestion });
      await suggestion.waitFor();
      expect(await page.locator('.suggestions-list label').first().textContent()).toContain(words.suggestion);
      await shot('2-place');

      await tap(suggestion, 'pick the suggested category');
      const send = page.getByRole('button', { name: words.send });
      // "Send" is on screen, in the bar at the bottom, without scrolling.
      expect(await send.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
      await shot('2-place-chosen');
      await tap(send, 'send');

      await page.getByRole('heading', { name: words.sent }).waitFor();
      const seconds = (performance.now() - started) / 1000;
      await shot('3-sent');
      console.log(
        `${language}: ${taps.length} taps (${taps.join(', ')}), ${scrolls.length} scrolls, 0 keystrokes, ${seconds.toFixed(1)} s driven`,
      );
      expect(taps.length).toBeLessThanOrEqual(5);
      // Each tap was on screen where the resident stood: no scroll in between.
      expect(scrolls).toEqual([]);

      const ref = (await page.getByTestId('report-ref').textContent())!.trim();
      const { rows } = await stack.pool.query<{ code: string; lon: number; lat: number; photos: number }>(
        `SELECT c.code, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
                (SELECT count(*)::int FROM photos p WHERE p.report_id = r.id) AS photos
           FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.ref = $1`,
        [ref],
      );
      expect(rows[0]).toMatchObject({ code: 'trottoir-degrade', photos: 1 });
      expect(rows[0]!.lat).toBeCloseTo(PHOTO_AT.lat, 4);
      expect(rows[0]!.lon).toBeCloseTo(PHOTO_AT.lon, 4);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('takes a resident who sends too early back to what is missing, and the words then suggest a category', async () => {
    const page = await openPage(stack, PHONE);
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/signaler`);
    await page.getByRole('button', { name: 'Continuer sans photo' }).click();
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByLabel('Description').fill('Des pavés descellés devant le café');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();

    await page.getByTestId('step-title').filter({ hasText: 'Quoi et où' }).waitFor();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toBe('Choisissez une catégorie.');
    expect(await page.evaluate('document.activeElement?.matches(".category-search-input")')).toBe(true);
    // The description's words are enough for a suggestion, with no place chosen yet.
    await page.locator('.suggestions-list label', { hasText: 'Trottoir : affaissement' }).waitFor();
    // The picker the resident was sent to stays open under the suggestions.
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).waitFor();
    await page.screenshot({ path: artifact('steps-phone-fr-2-missing-category.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const [device, options] of Object.entries({
    phone: PHONE,
    desktop: { ...DESKTOP, viewport: { width: 1280, height: 800 } },
  })) {
    for (const language of ['fr', 'en'] as const) {
      it(`shows each step of the flow without a photo (${device}, ${language})`, async () => {
        const page = await openPage(stack, { ...options, locale: LANGUAGES[language].locale, at: PHOTO_AT });
        const errors = trackPageErrors(page);
        const shot = (name: string) => page.screenshot({ path: artifact(`steps-${device}-${language}-${name}.png`) });
        await page.goto(`${stack.baseUrl}/signaler`);
        await page.getByTestId('photo-button').waitFor();
        await shot('1-photo');
        await page.getByTestId('step-bar').getByRole('button').click();
        await page.getByRole('searchbox').waitFor();
        await shot('2-place-empty');
        await page.locator('.location-actions button').first().click();
        await page.locator('.suggestions-list label').first().waitFor();
        await page.locator('.suggestions-list label').first().click();
        await page.getByTestId('location-area').waitFor();
        await shot('2-place-chosen');
        await page.getByTestId('step-bar').locator('.step-next').click();
        await page.locator('textarea').waitFor();
        await shot('3-words');
        expect(errors).toEqual([]);
        await page.context().close();
      });
    }
  }
});
