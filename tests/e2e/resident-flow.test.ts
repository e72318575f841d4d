import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe';
import { artifact, openPage, PHONE, trackPageErrors } from '../support/browser';
import { fileReport } from '../support/factories';
import { BROKEN_QUERY, KNOWN_ADDRESS } from '../support/geocoder-stub';
import { FIXTURES_DIR, POINT_PARIS_11 } from '../support/multipart';
import { followConfirmationIn } from '../support/smtp';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({ web: true, browser: true, worker: true, smtp: true, geocoder: true });

/** A phone in Paris, in French, standing `northMeters` north of the test point. */
function phonePage(northMeters = 0): Promise<Page> {
  return openPage(stack, {
    ...PHONE,
    at: { lat: POINT_PARIS_11.lat + northMeters / 111_320, lon: POINT_PARIS_11.lon },
  });
}

/** The form opens on the photo step: without a photo, straight on to what and where. */
async function skipPhoto(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Continuer sans photo' }).click();
}

/** On from what and where to the last step, for a description. */
async function toWords(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Continuer', exact: true }).click();
}

async function pickCategory(page: Page, search: string, label: string): Promise<void> {
  // Suggestions answered (or none asked): the full picker is open, or one tap away.
  await expect.poll(() => page.getByTestId('category-suggestions').getAttribute('data-state')).not.toBe('loading');
  const other = page.getByRole('button', { name: 'Autre catégorie' });
  if ((await other.count()) > 0 && (await other.getAttribute('aria-expanded')) === 'false') await other.click();
  await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).fill(search);
  await page.locator('.category-picker').getByRole('radio', { name: label }).check();
}

async function countReports(description: string): Promise<number> {
  const { rows } = await stack.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reports WHERE description = $1',
    [description],
  );
  return rows[0]!.n;
}

async function countSupportsAndReports(): Promise<{ reports: number; supports: number }> {
  const { rows } = await stack.pool.query<{ reports: number; supports: number }>(
    'SELECT count(*)::int AS reports, coalesce(sum(support_count), 0)::int AS supports FROM reports',
  );
  return rows[0]!;
}

/** Presses Tab until `isTarget` holds for the focused element: the way a keyboard user moves. */
async function tabTo(page: Page, isTarget: string, what: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(isTarget)}) ?? false`)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

describe('a resident on a phone', () => {
  it('finds the place by its address, is told plainly when address search is down, and keeps the private link', async () => {
    const page = await phonePage();
    const context = page.context();
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/signaler`);
    await skipPhoto(page);

    await pickCategory(page, 'trou chaussee', 'Nid-de-poule');
    await expect.poll(() => page.getByTestId('category-chosen').textContent()).toContain('Nid-de-poule');

    const address = page.getByRole('combobox', { name: 'Adresse' });
    // The geocoder is down: a discreet note, and the pin still works.
    await address.fill(`${BROKEN_QUERY} rue`);
    await page.getByTestId('geocoder-note').waitFor();
    await page.screenshot({ path: artifact('resident-1-geocoder-down.png'), fullPage: true });

    // Back up: the address alone places the point.
    await address.fill('80 rue de la roq');
    await page.getByRole('option', { name: KNOWN_ADDRESS.label }).click();
    await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('48.85900');
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('11');
    await toWords(page);
    await page.getByRole('radio', { name: 'Dangereux' }).check();
    const description = `Adresse seule ${Date.now()}`;
    await page.getByLabel('Description').fill(description);
    await page.screenshot({ path: artifact('resident-2-address.png'), fullPage: true });

    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
    const trackingUrl = (await page.getByTestId('tracking-url').textContent()) ?? '';
    expect(trackingUrl).toMatch(/\/r\/PAV-\d{4}-\d{6}\?t=/);
    const stored = await page.evaluate<unknown[]>(`JSON.parse(localStorage.getItem('pave.myReports') ?? '[]')`);
    expect(stored).toHaveLength(1);
    await page.screenshot({ path: artifact('resident-3-confirmation.png'), fullPage: true });

    const { rows } = await stack.pool.query<{ severity: string }>(
      'SELECT severity FROM reports WHERE description = $1',
      [description],
    );
    expect(rows).toEqual([{ severity: 'dangereux' }]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shrinks photos before upload, refuses HEIC plainly, and offers the position of a photo (refused on the spot outside Paris)', async () => {
    const page = await phonePage();
    const context = page.context();
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/signaler`);
    const fileInput = page.locator('input[type="file"]');

    await fileInput.setInputFiles(path.join(FIXTURES_DIR, 'photos', 'heic_mobile_iphone_13_pro_max.HEIC'));
    await expect.poll(() => page.getByTestId('photo-error').textContent()).toContain('HEIC');

    // This iPhone photo (2 MB) was taken in Madrid: its position places the pin, and is refused at once.
    await fileInput.setInputFiles(path.join(FIXTURES_DIR, 'photos', 'jpg_hdr_iphone_hdr_YES.jpg'));
    await page.getByTestId('photo-placed').waitFor();
    await expect.poll(() => page.getByTestId('location-error').textContent()).toContain('hors de la zone couverte');
    await page.screenshot({ path: artifact('resident-11-photo-position-outside.png'), fullPage: true });
    await pickCategory(page, 'trottoir', 'Trottoir');
    await page.getByRole('button', { name: 'Retour' }).click();
    await expect.poll(() => page.getByTestId('photo-previews').locator('li').count()).toBe(1);
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();

    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('11');
    expect(await page.getByTestId('location-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
    const ref = (await page.getByTestId('report-ref').textContent())?.trim();
    // Downscaled in the browser: the server received well under the 2 MB original, at most 2048 px.
    const photo = await waitFor(
      async () =>
        (
          await stack.pool.query<{ byte_size: number; width: number | null; height: number | null }>(
            `SELECT p.byte_size, p.width, p.height FROM photos p JOIN reports r ON r.id = p.report_id
             WHERE r.ref = $1 AND p.width IS NOT NULL`,
            [ref],
          )
        ).rows[0],
      { timeoutMs: 15_000, what: 'the processed photo' },
    );
    expect(photo.byte_size).toBeLessThan(1_000_000);
    expect(Math.max(photo.width ?? 0, photo.height ?? 0)).toBeLessThanOrEqual(2048);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is shown an open report 20 m away, gives it a "+1" instead of filing a duplicate', async () => {
    const original = await fileReport(stack.deps, { description: `Original ${Date.now()}` });
    const page = await phonePage(20);
    const context = page.context();
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/signaler`);
    await skipPhoto(page);

    await pickCategory(page, 'nid', 'Nid-de-poule');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    const panel = page.getByTestId('duplicates');
    await panel.getByRole('heading', { name: 'Ce problème a peut-être déjà été signalé' }).waitFor();
    await expect.poll(() => panel.textContent()).toMatch(/à 2\d m/);
    await page.screenshot({ path: artifact('resident-4-duplicate.png'), fullPage: true });
    const before = await countSupportsAndReports();

    await panel.getByRole('button', { name: '+1 / Suivre ce signalement' }).first().click();
    await page.getByRole('heading', { name: 'Merci, votre soutien est enregistré' }).waitFor();
    await page.screenshot({ path: artifact('resident-5-supported.png'), fullPage: true });
    // One more "+1" (on the original or on the first test's report, both 20 m away), and no new report.
    expect(await countSupportsAndReports()).toEqual({ reports: before.reports, supports: before.supports + 1 });
    expect(original.ref).toMatch(/^PAV-/);

    await page.getByRole('link', { name: 'Voir le signalement' }).click();
    await expect.poll(() => page.getByTestId('support-count').textContent()).toContain('2 personnes');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sends a report made with no network exactly once, when the network comes back', async () => {
    const page = await phonePage();
    const context = page.context();
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/signaler`);
    await skipPhoto(page);
    await pickCategory(page, 'graffiti', 'Tag sur façade');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('11');
    await toWords(page);
    const description = `Hors ligne ${Date.now()}`;
    await page.getByLabel('Description').fill(description);

    await context.setOffline(true);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect.poll(() => page.getByTestId('waiting-network').textContent()).toContain('En attente de réseau');
    await page.screenshot({ path: artifact('resident-6-waiting-network.png'), fullPage: true });
    expect(await countReports(description)).toBe(0);

    await context.setOffline(false);
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor({ timeout: 20_000 });
    expect(await countReports(description)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('resumes a report left waiting when the app is opened again', async () => {
    const page = await phonePage();
    const context = page.context();
    await page.goto(`${stack.baseUrl}/signaler`);
    await skipPhoto(page);
    await pickCategory(page, 'encombrant', 'Encombrant');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('11');
    await toWords(page);
    const description = `Repris plus tard ${Date.now()}`;
    await page.getByLabel('Description').fill(description);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByTestId('waiting-network').waitFor();
    // The resident closes the app while still offline.
    await page.close();
    await context.setOffline(false);

    const later = await context.newPage();
    await later.goto(`${stack.baseUrl}/nulle-part`);
    await later.getByTestId('pending-notice').waitFor();
    await later.screenshot({ path: artifact('resident-10-pending-notice.png') });
    await later.getByRole('link', { name: 'Le reprendre' }).click();
    await later.getByRole('heading', { name: 'Signalement envoyé' }).waitFor({ timeout: 20_000 });
    expect(await countReports(description)).toBe(1);
    await context.close();
  });

  it('retries with the same key when the answer is lost, and the server files the report only once', async () => {
    const page = await phonePage();
    const context = page.context();
    let posts = 0;
    // The request reaches the server (the report is filed), then the connection drops before the answer.
    await page.route('**/api/reports', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts += 1;
      if (posts === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.goto(`${stack.baseUrl}/signaler`);
    await skipPhoto(page);
    await pickCategory(page, 'graffiti', 'Tag sur façade');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect.poll(() => page.getByTestId('location-area').textContent()).toContain('11');
    await toWords(page);
    const description = `Réponse perdue ${Date.now()}`;
    await page.getByLabel('Description').fill(description);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByTestId('waiting-network').waitFor();
    expect(await waitFor(() => countReports(description), { what: 'the first submission' })).toBe(1);

    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor({ timeout: 20_000 });
    expect(posts).toBe(2);
    expect(await countReports(description)).toBe(1);
    await context.close();
  });

  it('lets the reporter say a resolved report is not fixed, which reopens it', async () => {
    const created = await fileReport(stack.deps, {
      category: 'lampadaire-eteint',
      description: `Lampadaire éteint ${Date.now()}`,
    });
    // Routing first, so the worker does not write over the status set below.
    await waitFor(
      async () =>
        (await stack.pool.query('SELECT 1 FROM reports WHERE id = $1 AND team_id IS NOT NULL', [created.id])).rowCount,
      { timeoutMs: 15_000, what: 'routing' },
    );
    await stack.pool.query(`UPDATE reports SET status = 'resolved', updated_at = now() WHERE id = $1`, [created.id]);
    await stack.pool.query(
      `INSERT INTO report_history (report_id, actor, event, from_status, to_status, is_public, data)
       VALUES ($1, 'agent:test', 'status', 'acknowledged', 'resolved', true, '{"message":"Lampe remplacée."}')`,
      [created.id],
    );

    const page = await phonePage();
    const context = page.context();
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}${created.trackingUrl}`);
    await page.getByText('Est-ce réparé ?').waitFor();
    await page.screenshot({ path: artifact('resident-7-is-it-fixed.png'), fullPage: true });
    await page.getByRole('button', { name: "Non, ce n'est pas réparé" }).click();
    await page.getByLabel("Qu'est-ce qui ne va pas ? (facultatif)").fill('La lampe clignote toujours.');
    await page.getByRole('button', { name: 'Rouvrir le signalement' }).click();
    await page.getByTestId('fixed-answer').waitFor();
    await expect.poll(() => page.getByTestId('report-status').textContent()).toBe('Rouvert');
    const { rows } = await stack.pool.query<{ status: string }>('SELECT status FROM reports WHERE id = $1', [
      created.id,
    ]);
    expect(rows[0]!.status).toBe('reopened');
    await page.screenshot({ path: artifact('resident-8-reopened.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a neighbour follow a report by e-mail once the mailed link is opened, comment, then stop following', async () => {
    const created = await fileReport(stack.deps, { category: 'banc-degrade', description: `Banc cassé ${Date.now()}` });
    let page = await phonePage();
    const context = page.context();
    const errors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/r/${created.ref}`);
    await page.getByRole('textbox', { name: 'Suivre par e-mail' }).fill('voisine@example.org');
    await page.getByRole('button', { name: 'Suivre', exact: true }).click();
    await page.getByTestId('follow-done').waitFor();
    expect(await page.getByTestId('follow-done').textContent()).toContain('ouvrez le lien');
    await page.screenshot({ path: artifact('resident-12-follow-asked.png'), fullPage: true });
    // Asked, not yet following: nothing is sent but the confirmation, and no private link is given.
    const pending = await stack.pool.query<{ confirmed_at: Date | null }>(
      'SELECT confirmed_at FROM report_followers WHERE report_id = $1',
      [created.id],
    );
    expect(pending.rows.map((r) => r.confirmed_at)).toEqual([null]);
    const remembered = () =>
      page.evaluate<{ ref: string; trackingUrl: string }[]>(
        `JSON.parse(localStorage.getItem('pave.myReports') ?? '[]')`,
      );
    expect((await remembered()).find((entry) => entry.ref === created.ref)).toBeUndefined();

    // The mail's link, opened on the same phone, confirms and opens the follower's part of the page.
    const mail = await waitFor(async () =>
      stack.smtp.mails.find((m) => (m.to as { text: string }).text === 'voisine@example.org'),
    );
    expect(mail.subject).toBe(`Confirmez le suivi du signalement ${created.ref}`);
    expect(mail.text).toContain(`/r/${created.ref}#suivre=`);
    // A mail client opens it in a new tab.
    await page.close();
    page = await context.newPage();
    const confirmedPageErrors = trackPageErrors(page);
    await page.goto(`${stack.baseUrl}/r/${created.ref}#suivre=${followConfirmationIn(mail)}`);
    await page.getByTestId('follow-confirmed').waitFor();
    await page.getByRole('heading', { name: 'Vous suivez ce signalement' }).waitFor();
    expect(page.url()).toContain('?t=');
    expect(page.url()).not.toContain('suivre=');
    await page.screenshot({ path: artifact('resident-12-follow-confirmed.png'), fullPage: true });
    const link = (await remembered()).find((entry) => entry.ref === created.ref);
    expect(link?.trackingUrl).toContain('?t=');
    await page.getByLabel('Ajouter un commentaire').fill('Le banc penche aussi de l’autre côté.');
    await page.getByRole('button', { name: 'Envoyer le commentaire' }).click();
    await page.getByText('Commentaire envoyé.').waitFor();
    await page.getByRole('button', { name: 'Ne plus suivre ce signalement' }).click();
    await page.getByText('Vous ne suivez plus ce signalement.').waitFor();
    await page.screenshot({ path: artifact('resident-12-follower.png'), fullPage: true });
    const after = await stack.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM report_followers WHERE report_id = $1 AND unsubscribed_at IS NULL',
      [created.id],
    );
    expect(after.rows[0]!.n).toBe(0);
    expect(await page.content()).not.toContain('voisine@example.org');
    expect([...errors, ...confirmedPageErrors]).toEqual([]);
    await context.close();
  });

  it('files a report with the keyboard alone', async () => {
    const page = await phonePage();
    const context = page.context();
    await page.goto(`${stack.baseUrl}/signaler`);
    await page.getByRole('heading', { name: 'Signaler un problème' }).waitFor();
    await page.getByTestId('photo-button').waitFor();
    await page.screenshot({ path: artifact('resident-0-form-start.png'), fullPage: true });

    // No photo: the bar's button skips the first step, and focus lands on the next step's title.
    await tabTo(page, 'button.step-next', 'the skip button');
    await page.keyboard.press('Enter');
    await page.getByRole('searchbox', { name: 'Rechercher une catégorie' }).waitFor();
    expect(await page.evaluate<string>('document.activeElement?.dataset.testid ?? ""')).toBe('step-title');
    // Earlier tests filed potholes and tags: they now lead the "most reported" choices.
    await page.getByRole('list', { name: 'Les plus signalés' }).getByRole('radio', { name: 'Nid-de-poule' }).waitFor();

    await tabTo(page, 'input[type="search"]', 'the category search');
    await page.keyboard.type('depot');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('category-chosen').textContent()).toContain('Dépôt sauvage');

    await tabTo(page, '[data-testid="address-input"]', 'the address');
    await page.keyboard.type('80 rue de la roq');
    await page.getByRole('option', { name: KNOWN_ADDRESS.label }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('location-value').textContent()).toContain('48.85900');

    await tabTo(page, 'button[type="submit"]', 'the send button');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
    // Focus moved to the outcome, so a screen reader announces it.
    expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe('Signalement envoyé');
    await context.close();
  });

  it('has no serious or critical axe-core violation on the report form and the report page', async () => {
    const created = await fileReport(stack.deps, { category: 'tag-facade', description: `Pour axe ${Date.now()}` });
    const page = await phonePage(20);
    const context = page.context();
    await page.goto(`${stack.baseUrl}/signaler`);
    await skipPhoto(page);
    await pickCategory(page, 'tag', 'Tag sur façade');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await page.getByTestId('duplicates').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The older address by id still works, and moves to the reference.
    await page.goto(`${stack.baseUrl}/reports/${created.id}`);
    await page.getByRole('button', { name: "+1 : je l'ai vu aussi" }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/r/${created.ref}`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${stack.baseUrl}${created.trackingUrl}`);
    await page.getByTestId('follow-up').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifact('resident-9-report-page.png'), fullPage: true });
    await context.close();
  });
});
