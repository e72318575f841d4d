import { expect, it } from 'vitest';
import { artifact, LAPTOP, openPage, PHONE, signInAt } from '../support/browser';
import { fileRoutedReport } from '../support/factories';
import { useStack } from '../support/stack';
import { MONTREUIL, PARIS, seedTwoTowns, signInStaffOf } from '../support/towns';

// The metropolitan council sees every town side by side (issue #19): the figures broken down by
// town, on a laptop and a phone. TILE_URL empty: no base map on this closed network.
const stack = useStack({ web: true, browser: true, env: { TILE_URL: '' } });

it('shows a metropolitan council the figures of each town, side by side', async () => {
  await seedTwoTowns(stack.pool);
  const staff = await signInStaffOf(stack, { metro: { role: 'council' } } as const);
  for (let i = 0; i < 6; i += 1) {
    await fileRoutedReport(stack.deps, { point: PARIS.point });
    await fileRoutedReport(stack.deps, { point: MONTREUIL.point });
  }
  for (const [name, options] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    const page = await openPage(stack, options);
    await signInAt(page, `${stack.baseUrl}/council?by=town&period=30d`, staff.metro.email);
    const figures = page.locator('section', { has: page.locator('#council-figures-title') });
    await figures.getByText('Montreuil').first().waitFor({ timeout: 30_000 });
    for (const town of ['Montreuil', 'Paris']) {
      const cells = await figures.getByRole('row').filter({ hasText: town }).getByRole('cell').allTextContents();
      expect(cells.slice(0, 3).map((c) => c.trim())).toEqual([town, '6', '6']);
    }
    await expect.poll(() => figures.getByRole('button', { name: 'Commune' }).getAttribute('aria-pressed')).toBe('true');
    await figures.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact(`council-towns-${name}.png`) });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(options.viewport.width);
    await page.context().close();
  }
});
