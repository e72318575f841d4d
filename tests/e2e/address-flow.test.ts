import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact, DESKTOP, openPage, PHONE, signInAt, trackPageErrors } from '../support/browser';
import { useStack } from '../support/stack';

const stack = useStack({
  web: true,
  browser: true,
  worker: true,
  smtp: true,
  staff: { dominique: { role: 'crew', teamCode: 'voirie-09', displayName: 'Dominique Voirie' } },
});

/** A numbered address of the demo index (the city's own, in PostgreSQL): found by its first letters. */
const VICTOIRE = { label: '90 Rue de la Victoire 75009 Paris', lon: 2.331058, lat: 48.875065 } as const;
const PLACE_FAILED = 'Adresse introuvable pour le moment : le point choisi sur la carte suffit.';

function isLocal(url: URL): boolean {
  return url.protocol === 'data:' || url.protocol === 'blob:' || ['127.0.0.1', 'localhost'].includes(url.hostname);
}

/**
 * Cuts the context off from anything but the stack, like the closed network the city's phones
 * may be on, and records what tried to leave: only map tiles may (they fail, the outlines stay).
 */
async function offline(context: BrowserContext): Promise<{ notTiles: () => string[]; tiles: () => string[] }> {
  const leaving: string[] = [];
  await context.route(
    (url) => !isLocal(url),
    (route) => {
      leaving.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  const isTile = (url: string) => /\/\d+\/\d+\/\d+\.(png|jpg|webp)(\?|$)/.test(url);
  return { notTiles: () => leaving.filter((url) => !isTile(url)), tiles: () => leaving.filter(isTile) };
}

/** Leaflet redraws the area outlines of a resized map on a debounced moveend: waits for it. */
const mapsRedrawn = (page: Page) =>
  page.waitForFunction(() =>
    [...document.querySelectorAll('.base-map')].every((map) => {
      const drawn = map.querySelector('.leaflet-areas-pane svg');
      return !drawn || drawn.getBoundingClientRect().width >= map.getBoundingClientRect().width;
    }),
  );

/** The page from its top, on the phone and on a desktop screen, as artefacts. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: artifact(`${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP.viewport);
  await mapsRedrawn(page);
  await page.screenshot({ path: artifact(`${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE.viewport);
  await mapsRedrawn(page);
}

const line = (page: Page, ref: string) => page.getByRole('button', { name: new RegExp(`^${ref}`) });

describe('an address, from the resident’s phone to the crew’s detail, with no internet', () => {
  it('is suggested as the resident types, placed and said under the map, shown on the report and to the crew with a map and directions', async () => {
    const page = await openPage(stack, PHONE);
    const context = page.context();
    const net = await offline(context);
    const errors = trackPageErrors(page);
    const searches: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/geocode/search') searches.push(url);
    });
    await page.goto(`${stack.baseUrl}/signaler`);
    // The form opens on the photo step: none here.
    await page.getByRole('button', { name: 'Continuer sans photo' }).click();

    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('trou chaussee');
    await page.getByRole('radio', { name: 'Nid-de-poule' }).check();

    // Typed, not pasted: the debounce sends one search for the words, with the map's centre.
    await page.getByRole('combobox', { name: 'Adresse' }).pressSequentially('90 rue de la vic', { delay: 40 });
    const option = page.getByRole('option', { name: new RegExp(`^${VICTOIRE.label}`) });
    await option.waitFor();
    expect(await option.getAttribute('data-kind')).toBe('address');
    expect(await option.textContent()).toContain('Adresse précise');
    expect(searches.length).toBeGreaterThan(0);
    expect(searches.length).toBeLessThanOrEqual(3);
    const lastSearch = searches.at(-1)!;
    expect(lastSearch.searchParams.get('q')).toBe('90 rue de la vic');
    expect(Number(lastSearch.searchParams.get('lon'))).toBeGreaterThan(2.2);
    expect(Number(lastSearch.searchParams.get('lat'))).toBeGreaterThan(48.8);
    await shoot(page, 'address-1-suggestions');

    await option.click();
    await expect.poll(() => page.getByTestId('location-address').textContent()).toBe(`Près du ${VICTOIRE.label}`);
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('9');
    expect(await page.getByTestId('location-value').textContent()).toContain('48.8750');
    const description = `Trou devant le 90 ${Date.now()}`;
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByLabel('Description').fill(description);
    await shoot(page, 'address-2-placed');

    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
    const ref = (await page.getByTestId('report-ref').textContent())!.trim();

    const { rows } = await stack.pool.query<{ lon: number; lat: number }>(
      'SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM reports WHERE ref = $1',
      [ref],
    );
    expect(rows[0]!.lon).toBeCloseTo(VICTOIRE.lon, 6);
    expect(rows[0]!.lat).toBeCloseTo(VICTOIRE.lat, 6);

    // The report's page says where, under its title.
    await page.goto(`${stack.baseUrl}/r/${ref}`);
    await page.getByTestId('report-page-ref').waitFor();
    await expect.poll(() => page.getByTestId('report-address').textContent()).toContain(VICTOIRE.label);
    await shoot(page, 'address-3-report-page');
    await context.close();

    // The crew of the 9th: the address in the queue and the detail, a small map, directions.
    const crew = await openPage(stack, PHONE);
    const crewNet = await offline(crew.context());
    const crewErrors = trackPageErrors(crew);
    await signInAt(crew, `${stack.baseUrl}/staff`, stack.staff.dominique.email);
    await line(crew, ref).waitFor({ timeout: 20_000 });
    expect(await line(crew, ref).textContent()).toContain(VICTOIRE.label);
    await line(crew, ref).click();
    const place = crew.getByTestId('staff-place');
    await expect.poll(() => place.getByTestId('staff-address').textContent()).toContain(VICTOIRE.label);
    const map = place.locator('.staff-place-map');
    await map.locator('.map-pin').waitFor();
    // Offline, the service areas are the map: the report's own outline is drawn over them.
    await expect.poll(() => map.locator('.leaflet-areas-pane path').count()).toBeGreaterThan(1);
    const directions = place.getByRole('link', { name: 'Itinéraire' });
    const href = (await directions.getAttribute('href'))!;
    expect(href.startsWith('geo:48.875065,2.331058?q=48.875065,2.331058(')).toBe(true);
    expect(decodeURIComponent(href)).toBe(`geo:48.875065,2.331058?q=48.875065,2.331058(${VICTOIRE.label})`);
    const box = (await directions.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await shoot(crew, 'address-4-crew-detail');

    expect(errors).toEqual([]);
    expect(crewErrors).toEqual([]);
    expect(net.notTiles()).toEqual([]);
    expect(crewNet.notTiles()).toEqual([]);
    await crew.context().close();
  });

  it('says plainly when the address at the pin cannot be looked up, and the pin still counts', async () => {
    const page = await openPage(stack, PHONE);
    const context = page.context();
    const net = await offline(context);
    const errors = trackPageErrors(page);
    // Only this one answer fails, as a server in trouble would.
    await page.route('**/api/geocode/reverse?**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: '{"message":"Internal Server Error"}' }),
    );
    await page.goto(`${stack.baseUrl}/signaler`);
    // The form opens on the photo step: none here.
    await page.getByRole('button', { name: 'Continuer sans photo' }).click();
    await page.getByRole('button', { name: 'Placer le point au centre' }).click();
    await expect.poll(() => page.getByTestId('location-address').textContent()).toBe(PLACE_FAILED);
    expect(await page.getByTestId('location-value').textContent()).toMatch(/48\.\d{5}/);
    expect(await page.getByTestId('location-area').count()).toBe(1);
    await shoot(page, 'address-5-lookup-failed');

    expect(errors).toEqual([]);
    expect(net.notTiles()).toEqual([]);
    await context.close();
  });
});
