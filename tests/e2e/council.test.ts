import { readFileSync } from 'node:fs';
import {
  EXPORT_COLUMNS,
  EXPORT_HEADINGS_FR,
  type Clusters,
  type Evaluation,
  type SatisfactionFigures,
  type Summary,
  type Trends,
} from '@pave/shared';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedScaleFixture } from '../support/bench-fixture';
import {
  formatCount,
  formatEuros,
  formatHours,
  formatPercent,
} from '../../apps/web/src/features/council/council-format';
import { artifact, LAPTOP, LARGE_PHONE, openPage, PHONE, signInAt, TABLET, trackPageErrors } from '../support/browser';
import { useStack } from '../support/stack';

const FIXTURE_SIZE = 100_000;
// The centre of the fixture, where the real DansMaRue points are densest.
const VIEW = '?lat=48.8600&lon=2.3500&z=13';

// TILE_URL empty: no base map on this closed network, the area outlines are the backdrop.
const stack = useStack({
  web: true,
  browser: true,
  env: { TILE_URL: '' },
  staff: {
    elue: { role: 'council', displayName: 'Élue Test' },
    equipe: { role: 'crew', teamCode: 'voirie-11' },
    admin: { role: 'admin', displayName: 'Admin Test' },
  },
});
beforeAll(() => seedScaleFixture(stack.pool, FIXTURE_SIZE));

/** The API's answer for the same filters as the page, asked as the same council member. */
async function api<T>(url: string, who: 'elue' | 'equipe' = 'elue'): Promise<{ status: number; body: T }> {
  const response = await stack.app.inject({ method: 'GET', url, headers: stack.as(who) });
  return { status: response.statusCode, body: response.json() as T };
}

/** "12 345" (with French narrow spaces) → 12345. */
function parseCount(text: string | null): number {
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

const figures = (page: Page) => page.locator('section', { has: page.locator('#council-figures-title') });
const totalReceived = (page: Page) => figures(page).locator('[data-testid="summary-total"] [data-col="received"]');

describe('the council analytics page over 100,000 reports', () => {
  it('signs in, draws the heat-map, filters, breaks figures down, shows trends and exports the CSV', async () => {
    const page = await openPage(stack, { ...LAPTOP, acceptDownloads: true });
    const pageErrors = trackPageErrors(page);

    await signInAt(page, `${stack.baseUrl}/council${VIEW}`, stack.staff.elue.email);
    const signedIn = Date.now();
    await page.getByRole('heading', { name: 'Analyses des signalements', level: 1 }).waitFor();

    // Heat-map: cells drawn as SVG paths, a legend with its count classes.
    await expect.poll(() => page.locator('path.council-cell').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    const cellsAfterMs = Date.now() - signedIn;
    const legend = page.getByTestId('heatmap-legend');
    expect(await legend.locator('li').count()).toBeGreaterThanOrEqual(3);
    expect(parseCount(await page.getByTestId('heatmap-total').textContent())).toBeGreaterThan(1000);
    await expect.poll(() => page.locator('[data-testid="nav-council"]').count()).toBe(1);

    // Figures: the total row equals the API's answer for the same (default) filters.
    const all = await api<Summary>('/api/analytics/summary?by=area');
    expect(all.status).toBe(200);
    await expect.poll(() => totalReceived(page).textContent(), { timeout: 30_000 }).not.toBeNull();
    await expect.poll(async () => parseCount(await totalReceived(page).textContent())).toBe(all.body.total.received);
    // The times are estimates, and the page says how close, in the API's own words.
    const precision = (all.body.durationPrecision * 100).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
    expect(await figures(page).textContent()).toContain(`Les délais sont estimés à ${precision} % près.`);
    await page.screenshot({ path: artifact('council-1-desktop.png') });

    // A filter: the "voirie" group. The URL keeps it and the figures become the API's for that filter.
    const filterStarted = Date.now();
    await page.getByLabel('Catégorie', { exact: true }).selectOption('voirie');
    const voirie = await api<Summary>('/api/analytics/summary?by=area&group=voirie');
    expect(voirie.body.total.received).toBeLessThan(all.body.total.received);
    expect(voirie.body.total.received).toBeGreaterThan(100);
    await expect
      .poll(async () => parseCount(await totalReceived(page).textContent()), { timeout: 30_000 })
      .toBe(voirie.body.total.received);
    const filterMs = Date.now() - filterStarted;
    expect(new URL(page.url()).searchParams.get('group')).toBe('voirie');
    const firstArea = voirie.body.rows[0]!;
    const areaRow = figures(page).locator(`[data-testid="summary-row"][data-key="${firstArea.key}"]`);
    expect(parseCount(await areaRow.locator('[data-col="received"]').textContent())).toBe(firstArea.received);
    // No ranking: rows come in label order, not by a figure.
    const labels = await figures(page).locator('[data-testid="summary-row"] .council-table__label').allTextContents();
    const named = labels.slice(0, voirie.body.rows.filter((r) => r.key !== null).length);
    expect(named).toEqual([...named].sort((a, b) => a.localeCompare(b, 'fr', { numeric: true })));

    // By team.
    await figures(page).getByRole('button', { name: 'Équipe' }).click();
    await figures(page).locator('table[data-by="team"]').waitFor({ timeout: 30_000 });
    const byTeam = await api<Summary>('/api/analytics/summary?by=team&group=voirie');
    const teamRows = figures(page).locator('[data-testid="summary-row"]');
    await expect.poll(() => teamRows.count()).toBe(byTeam.body.rows.length);
    const someTeam = byTeam.body.rows.find((r) => r.key !== null)!;
    expect(
      parseCount(
        await figures(page)
          .locator(`[data-testid="summary-row"][data-key="${someTeam.key}"] [data-col="received"]`)
          .textContent(),
      ),
    ).toBe(someTeam.received);
    // Under the threshold the page says so instead of a figure.
    const thin = byTeam.body.rows.find((r) => r.resolve.insufficient);
    if (thin) {
      await expect
        .poll(() =>
          figures(page)
            .locator(`[data-testid="summary-row"][data-key="${thin.key ?? ''}"]`)
            .first()
            .textContent(),
        )
        .toContain(`Données insuffisantes (n = ${thin.resolve.n})`);
    }
    expect(new URL(page.url()).searchParams.get('by')).toBe('team');

    // Hexagons, then the smooth heat layer (a canvas with coloured pixels), then squares again.
    const cellIds = async () => page.locator('path.council-cell').count();
    await page.getByRole('button', { name: 'Hexagones' }).click();
    await expect.poll(() => page.url()).toContain('mode=hexagon');
    await expect.poll(cellIds, { timeout: 30_000 }).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Chaleur' }).click();
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const canvas = document.querySelector<HTMLCanvasElement>('canvas.council-heat');
            if (!canvas || canvas.width === 0) return 0;
            const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted += 1;
            return painted;
          }),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(1000);
    await page.screenshot({ path: artifact('council-2-heat.png') });
    await page.getByRole('button', { name: 'Carrés' }).click();
    await expect.poll(cellIds, { timeout: 30_000 }).toBeGreaterThan(20);

    // The month slider: the last month's cells only, fewer reports than the whole period.
    const periodTotal = parseCount(await page.getByTestId('heatmap-total').textContent());
    await page.getByLabel(/Mois affiché/).focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('heatmap-month').textContent()).not.toBe('Toute la période');
    await expect
      .poll(async () => parseCount(await page.getByTestId('heatmap-total').textContent()))
      .toBeLessThan(periodTotal);
    await page.keyboard.press('Home');

    // Trends: the weekly chart drawn, and its table sums to the figures' total for the same filter.
    const trends = await api<Trends>('/api/analytics/trends?group=voirie');
    expect(trends.body.weeks.reduce((s, w) => s + w.received, 0)).toBe(voirie.body.total.received);
    const weekly = page.getByTestId('trends-weekly');
    await weekly.scrollIntoViewIfNeeded();
    await expect.poll(() => weekly.locator('rect').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    await page.getByText('Voir les chiffres en tableau').click();
    const weekCells = await page.getByTestId('trends-table').locator('[data-col="received"]').allTextContents();
    expect(weekCells.length).toBe(trends.body.weeks.length);
    expect(weekCells.reduce((s, c) => s + parseCount(c), 0)).toBe(voirie.body.total.received);
    await page.getByTestId('clusters-summary').waitFor({ timeout: 30_000 });
    // "Même problème": the page's count of open reports and problems is the API's; a cluster shows on the map.
    const clusters = await api<Clusters>('/api/analytics/clusters?group=voirie&limit=30');
    const clustersText = await page.getByTestId('clusters-summary').textContent();
    expect(parseCount(clustersText?.split('correspondent')[0] ?? '')).toBe(clusters.body.reports);
    expect(await page.getByTestId('cluster').count()).toBe(clusters.body.clusters.length);
    if (clusters.body.clusters.length > 0) {
      await page.getByTestId('cluster').first().getByRole('button', { name: 'Voir sur la carte' }).click();
      await page.locator('path.council-highlight').waitFor({ timeout: 10_000 });
    }
    await page.screenshot({ path: artifact('council-3-desktop-full.png'), fullPage: true });
    // Each section on its own, readable at full size.
    const section = (titleId: string) => page.locator('section', { has: page.locator(`#${titleId}`) });
    await section('council-figures-title').screenshot({ path: artifact('council-3a-figures.png') });
    await section('council-trends-title').screenshot({ path: artifact('council-3b-trends.png') });
    await section('council-clusters-title').screenshot({ path: artifact('council-3c-clusters.png') });
    await section('council-feedback-title').screenshot({ path: artifact('council-3d-feedback.png') });

    // The CSV of the filtered reports: French headings, ';', one line per report, no e-mail address.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByRole('link', { name: 'Tableur (CSV)' }).click(),
    ]);
    const csvPath = artifact('council-export.csv');
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split(/\r?\n/).filter((line) => line.length > 0);
    expect(lines[0]).toBe(EXPORT_COLUMNS.map((c) => EXPORT_HEADINGS_FR[c]).join(';'));
    expect(lines[1]).toContain(';Voirie et espace public;');
    expect(lines.length - 1).toBe(voirie.body.total.received);
    expect(csv.includes('@')).toBe(false);

    // Printed: no filters bar nor buttons, but a line saying which filters the figures follow.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.council-filters').isVisible()).toBe(false);
    expect(await page.locator('.council-print-only').textContent()).toContain('Catégorie : Voirie');
    await page.screenshot({ path: artifact('council-7-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    console.log(
      `council page: cells ${cellsAfterMs} ms after sign-in; figures for a new group in ${filterMs} ms; ` +
        `CSV ${lines.length - 1} rows, ${(csv.length / 1e6).toFixed(1)} MB`,
    );
    // What each request the page makes costs over the fixture (server time, one request at a time).
    const timings: string[] = [];
    for (const url of [
      '/api/analytics/heatmap?zoom=13&shape=square&by=month&bbox=2.25,48.82,2.42,48.90',
      '/api/analytics/heatmap?zoom=13&shape=square&bbox=2.25,48.82,2.42,48.90',
      '/api/analytics/summary?by=area',
      '/api/analytics/trends',
      '/api/analytics/clusters?limit=30',
      '/api/exports/reports.csv',
    ]) {
      const started = performance.now();
      const response = await stack.app.inject({ method: 'GET', url, headers: stack.as('elue') });
      expect(response.statusCode).toBe(200);
      timings.push(
        `${url.split('?')[0]}${url.includes('by=month') ? ' (by=month)' : ''} ${Math.round(performance.now() - started)} ms`,
      );
    }
    console.log(`API over ${FIXTURE_SIZE.toLocaleString('en')} reports, 12 months: ${timings.join('; ')}`);

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it("opens on a headline row whose figures, each with its count, are the API's", async () => {
    const page = await openPage(stack, { viewport: { width: 1280, height: 800 } });
    const pageErrors = trackPageErrors(page);
    await signInAt(page, `${stack.baseUrl}/council${VIEW}`, stack.staff.elue.email);
    const headline = page.locator('section.council-headline');
    await headline.waitFor();
    // Above the map: the first thing under the filters.
    const headlineBox = (await headline.boundingBox())!;
    const mapBox = (await page.locator('#council-map-title').boundingBox())!;
    expect(headlineBox.y).toBeLessThan(mapBox.y);
    expect(headlineBox.y + headlineBox.height).toBeLessThan(800);

    // The page's default period is the API's own (365 days): the same answers without dates.
    const summary = (await api<Summary>('/api/analytics/summary?by=area')).body.total;
    const satisfaction = (await api<SatisfactionFigures>('/api/analytics/satisfaction')).body.overall;
    const part = (id: string, which: 'value' | 'count') =>
      page.getByTestId(`headline-${id}`).locator(`[data-part="${which}"]`).textContent();
    await expect.poll(() => part('received', 'value'), { timeout: 30_000 }).not.toBe('…');

    expect(parseCount(await part('received', 'value'))).toBe(summary.received);
    expect(parseCount(await part('received', 'count'))).toBe(summary.open);
    for (const id of ['acknowledge', 'resolve'] as const) {
      const figure = summary[id];
      expect(parseCount(await part(id, 'count'))).toBe(figure.n);
      expect(await part(id, 'value')).toBe(
        figure.medianHours === null ? 'Trop peu de données' : formatHours(figure.medianHours, 'fr'),
      );
    }
    const onTime = summary.withinDeadline;
    expect(await part('withinDeadline', 'value')).toBe(
      onTime.rate === null ? 'Trop peu de données' : formatPercent(onTime.rate, 'fr'),
    );
    expect((await part('withinDeadline', 'count'))!.replace(/\s/g, ' ')).toBe(
      `${formatCount(onTime.count, 'fr')} sur ${formatCount(onTime.n, 'fr')}`.replace(/\s/g, ' '),
    );
    await expect.poll(() => part('satisfaction', 'value'), { timeout: 30_000 }).not.toBe('…');
    expect(parseCount(await part('satisfaction', 'count'))).toBe(satisfaction.ratings);
    expect(await part('satisfaction', 'value')).toBe(
      satisfaction.averageRating === null || satisfaction.insufficient
        ? 'Trop peu de données'
        : `${satisfaction.averageRating.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} / 5`,
    );
    // Every figure comes with its count.
    for (const id of ['received', 'acknowledge', 'resolve', 'withinDeadline', 'satisfaction']) {
      expect(await part(id, 'count')).toMatch(/\d/);
    }
    await page.screenshot({ path: artifact('council-0-headline-desktop.png') });

    // The heat-map's names: some shown, none touching another, and none at the city-wide zoom.
    const map = page.locator('section', { has: page.locator('#council-map-title') });
    await map.scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('path.council-cell').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    const shownLabels = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.council-area-label > span')]
          .filter((el) => getComputedStyle(el).visibility === 'visible')
          .map((el) => {
            const r = el.getBoundingClientRect();
            return { text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          }),
      );
    await expect.poll(async () => (await shownLabels()).length, { timeout: 10_000 }).toBeGreaterThan(3);
    const boxes = await shownLabels();
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        expect(apart, `${a.text} and ${b.text} overlap`).toBe(true);
      }
    }
    expect(await page.getByTestId('heatmap-legend').locator('li').count()).toBeGreaterThanOrEqual(3);
    await map.screenshot({ path: artifact('council-0-map-desktop.png') });
    // Clusters name their place and never say "within 0 m"; no non-zero share reads "0 %".
    const clustersSection = page.locator('section', { has: page.locator('#council-clusters-title') });
    await page.getByTestId('clusters-summary').waitFor({ timeout: 30_000 });
    const clusterCount = await page.getByTestId('cluster').count();
    if (clusterCount > 0) {
      expect(await page.getByTestId('cluster-place').count()).toBe(clusterCount);
      const firstPlace = await page.getByTestId('cluster-place').first().textContent();
      expect(firstPlace).toMatch(/^près de \S/);
    }
    expect(await clustersSection.textContent()).not.toMatch(/\b0 m\b/);
    await clustersSection.screenshot({ path: artifact('council-0-clusters.png') });
    const trendsSection = page.locator('section', { has: page.locator('#council-trends-title') });
    await trendsSection.getByTestId('trends-backlog').waitFor({ timeout: 30_000 });
    await trendsSection.screenshot({ path: artifact('council-0-trends.png') });
    // Every week date lies inside its chart: none is cut by the edge.
    for (const chart of ['trends-weekly', 'trends-backlog']) {
      const spill = await page.getByTestId(chart).evaluate((svg) => {
        const frame = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].filter((text) => {
          const box = text.getBoundingClientRect();
          return box.left < frame.left - 0.5 || box.right > frame.right + 0.5;
        }).length;
      });
      expect(spill, chart).toBe(0);
    }
    const shares = await page.locator('section', { has: page.locator('#council-figures-title') }).textContent();
    expect(shares).not.toMatch(/(^|[^\d])0\s?%\s*\(\s*[1-9]/);
    await map.scrollIntoViewIfNeeded();

    for (const zoom of ['12', '11']) {
      await page.getByRole('button', { name: 'Dézoomer' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('z')).toBe(zoom);
    }
    await expect.poll(async () => (await shownLabels()).length, { timeout: 10_000 }).toBe(0);

    // Satisfaction follows the other filters too: answers about resolved reports across the city,
    // then the page narrowed to the 11th shows the 11th's ratings only, as the API counts them.
    await stack.pool.query(
      `INSERT INTO report_feedback (report_id, role, resolved_at, fixed, rating)
       SELECT r.id, 'reporter', coalesce(r.closed_at, now()), true, 1 + (hashtext(r.id::text) & 3)
         FROM reports r WHERE r.status = 'resolved' ORDER BY r.id LIMIT 400
       ON CONFLICT DO NOTHING`,
    );
    const cityWide = (await api<SatisfactionFigures>('/api/analytics/satisfaction')).body.overall;
    const eleventh = (await api<SatisfactionFigures>('/api/analytics/satisfaction?area=paris-11')).body.overall;
    expect(eleventh.ratings).toBeGreaterThan(0);
    expect(eleventh.ratings).toBeLessThan(cityWide.ratings);
    await page.goto(`${stack.baseUrl}/council${VIEW}&area=paris-11`);
    await expect
      .poll(async () => parseCount(await part('satisfaction', 'count')), { timeout: 30_000 })
      .toBe(eleventh.ratings);
    expect(pageErrors).toEqual([]);
    await page.context().close();

    const phone = await openPage(stack, PHONE);
    await signInAt(phone, `${stack.baseUrl}/council${VIEW}`, stack.staff.elue.email);
    await expect
      .poll(() => phone.getByTestId('headline-received').locator('[data-part="value"]').textContent(), {
        timeout: 30_000,
      })
      .not.toBe('…');
    await phone.locator('section.council-headline').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: artifact('council-0-headline-phone.png') });
    await phone.locator('#council-map-title').scrollIntoViewIfNeeded();
    await expect.poll(() => phone.locator('path.council-cell').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await phone.screenshot({ path: artifact('council-0-map-phone.png') });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.context().close();
  });

  it("evaluates the channels with the costs an admin set: the page shows the API's figures", async () => {
    const costs = { web: 150, app: 120, counter: 1800, phone: 1200, open311: 100, email: 900 };
    const put = await stack.app.inject({
      method: 'PUT',
      url: '/api/admin/unit-costs',
      headers: stack.as('admin'),
      payload: { costs: Object.entries(costs).map(([channel, costCents]) => ({ channel, costCents })) },
    });
    expect(put.statusCode, put.body).toBe(200);
    const evaluation = (await api<Evaluation>('/api/analytics/evaluation')).body;
    expect(evaluation.total).toBeGreaterThan(1000);

    const page = await openPage(stack, { viewport: { width: 1280, height: 800 } });
    const pageErrors = trackPageErrors(page);
    await signInAt(page, `${stack.baseUrl}/council${VIEW}`, stack.staff.elue.email);
    const section = page.locator('section', { has: page.locator('#council-evaluation-title') });
    await section.getByTestId('evaluation-channels').waitFor({ timeout: 60_000 });
    await section.scrollIntoViewIfNeeded();

    const digital = section.getByTestId('evaluation-digital');
    expect(await digital.locator('[data-part="value"]').textContent()).toBe(
      formatPercent(evaluation.digital.share!, 'fr'),
    );
    expect((await digital.locator('[data-part="count"]').textContent())!.replace(/\s/g, ' ')).toBe(
      `${formatCount(evaluation.digital.count, 'fr')} sur ${formatCount(evaluation.total, 'fr')}`.replace(/\s/g, ' '),
    );
    expect(evaluation.digital.savingsCents).not.toBeNull();
    expect(await section.getByTestId('evaluation-savings').locator('[data-part="value"]').textContent()).toBe(
      formatEuros(evaluation.digital.savingsCents!, 'fr'),
    );
    for (const channel of evaluation.channels) {
      const row = section.locator(`[data-testid="evaluation-channels"] tr[data-channel="${channel.channel}"]`);
      expect(parseCount((await row.locator('[data-col="count"]').textContent())!.split('(')[0]!)).toBe(channel.count);
      expect(await row.locator('[data-col="cost"]').textContent()).toBe(formatEuros(channel.costCents!, 'fr'));
    }
    const monthTotals = await section.locator('[data-testid="evaluation-months"] [data-col="total"]').allTextContents();
    expect(monthTotals.map(parseCount)).toEqual(evaluation.months.map((m) => m.total));
    expect(await section.locator('[data-testid="evaluation-teams"] tbody tr').count()).toBe(evaluation.teams.length);
    await section.screenshot({ path: artifact('council-9-evaluation.png') });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('fits a tablet, keeping the shared filters from the URL', async () => {
    const page = await openPage(stack, { ...TABLET, acceptDownloads: true });
    await signInAt(page, `${stack.baseUrl}/council${VIEW}&group=proprete&by=group&period=30d`, stack.staff.elue.email);
    await expect.poll(() => page.locator('path.council-cell').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    expect(await page.getByLabel('Catégorie', { exact: true }).inputValue()).toBe('proprete');
    expect(await page.getByLabel('Période', { exact: true }).inputValue()).toBe('30d');
    await figures(page).locator('table[data-by="group"]').waitFor({ timeout: 30_000 });
    // No horizontal scrolling of the page itself (the wide table scrolls inside its own box).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await page.screenshot({ path: artifact('council-4-tablet.png') });
    await page.screenshot({ path: artifact('council-5-tablet-full.png'), fullPage: true });
    await page.context().close();

    // Usable on a phone too (the page is made for a laptop first): nothing wider than the screen.
    const phone = await openPage(stack, { viewport: LARGE_PHONE.viewport, acceptDownloads: true });
    await signInAt(phone, `${stack.baseUrl}/council${VIEW}&group=proprete`, stack.staff.elue.email);
    await expect.poll(() => phone.locator('path.council-cell').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await phone.locator('[data-testid="nav-council"]').waitFor();
    await figures(phone).locator('[data-testid="summary-total"]').waitFor({ timeout: 30_000 });
    await phone.getByTestId('trends-weekly').waitFor({ timeout: 30_000 });
    await phone.getByTestId('clusters-summary').waitFor({ timeout: 30_000 });
    await phone.getByTestId('channels-table').waitFor({ timeout: 30_000 });
    await phone.screenshot({ path: artifact('council-8-phone.png'), fullPage: true });
    const overflowing = await phone.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el) => !el.closest('.council-table-wrap, .leaflet-container'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 5),
    );
    expect(overflowing).toEqual([]);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.context().close();
  });

  it('refuses a crew member, in the page and in the API', async () => {
    const page = await openPage(stack, { ...LAPTOP, acceptDownloads: true });
    await signInAt(page, `${stack.baseUrl}/council`, stack.staff.equipe.email);
    await page.getByTestId('council-refused').waitFor();
    expect(await page.locator('path.council-cell').count()).toBe(0);
    expect(await page.locator('[data-testid="nav-council"]').count()).toBe(0);
    const refused = await api<{ code: string; message: string }>('/api/analytics/summary', 'equipe');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await page.screenshot({ path: artifact('council-6-crew-refused.png') });
    await page.context().close();
  });
});
