import { describe, expect, it } from 'vitest';
import { artifact, LARGE_PHONE, openPage } from '../support/browser';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({ web: true, browser: true, env: { TILE_URL: '' } });

async function countReports(description: string): Promise<number> {
  const { rows } = await stack.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reports WHERE description = $1',
    [description],
  );
  return rows[0]!.n;
}

describe('the installable app', () => {
  it('has a manifest with icons that exist', async () => {
    const manifest = await (await fetch(`${stack.baseUrl}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ name: expect.any(String), start_url: '/', display: 'standalone' });
    const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const response = await fetch(new URL(icon.src, stack.baseUrl));
      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get('content-type'), icon.src).toContain(icon.type);
    }
  });

  it('opens the report form offline once installed, takes a report there, and sends it when the network is back', async () => {
    const page = await openPage(stack, { ...LARGE_PHONE, at: POINT_PARIS_11 });
    const context = page.context();
    // Only the map is visited online: the report form's lazy chunk must come from the install-time
    // precache, and the categories and areas from the copy the map's visit left.
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('.leaflet-container').waitFor();
    // The worker takes control of the page once installed (skipWaiting + clients.claim).
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 });
    await page.evaluate(() => navigator.serviceWorker.ready);

    await context.setOffline(true);
    await page.goto(`${stack.baseUrl}/signaler`);
    await page.getByRole('heading', { level: 1, name: 'Signaler un problème' }).waitFor();
    // The API itself is never served from a cache: offline, it fails.
    const api = await page.evaluate(() =>
      fetch('/api/categories').then(
        () => 'answered',
        () => 'failed',
      ),
    );
    expect(api).toBe('failed');

    // The form opens on the photo step: none here.
    await page.getByRole('button', { name: 'Continuer sans photo' }).click();
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill('graffiti');
    await page.getByRole('radio', { name: 'Tag sur façade' }).check();
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('11');
    const description = `Saisi hors ligne ${Date.now()}`;
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByLabel('Description').fill(description);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect.poll(() => page.getByTestId('waiting-network').textContent()).toContain('En attente de réseau');
    await page.screenshot({ path: artifact('pwa-offline-report-waiting-phone.png'), fullPage: true });
    expect(await countReports(description)).toBe(0);

    await context.setOffline(false);
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor({ timeout: 20_000 });
    expect(await countReports(description)).toBe(1);
    await context.close();
  });
});
