import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe';
import { artifact, DESKTOP, LARGE_PHONE, openPage, trackPageErrors } from '../support/browser';
import { POINT_PARIS_11 } from '../support/multipart';
import { fileReportWithoutPhoto } from '../support/report-form';
import { useStack } from '../support/stack';

// Links in mails and the provider's redirect URI name the API's real address (`PUBLIC_BASE_URL`).
const stack = useStack({ web: true, browser: true, smtp: true, oidc: true });

const phonePage = () => openPage(stack, { ...LARGE_PHONE, at: POINT_PARIS_11 });

/** Files a report through the form, without an account and without an e-mail. */
async function fileAnonymously(page: Page, description: string): Promise<string> {
  await fileReportWithoutPhoto(page, stack.baseUrl, { search: 'nid', category: 'Nid-de-poule', description });
  const { rows } = await stack.pool.query<{ ref: string }>('SELECT ref FROM reports WHERE description = $1', [
    description,
  ]);
  expect(rows).toHaveLength(1);
  return rows[0]!.ref;
}

describe('a citizen with an account', () => {
  it('files a report anonymously, signs in by magic link, claims it and sees it in "Mes signalements"', async () => {
    const page = await phonePage();
    const context = page.context();
    const errors = trackPageErrors(page);
    const ref = await fileAnonymously(page, `Trou devant l’école ${Date.now()}`);

    await page.getByTestId('nav-account').click();
    await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
    await page.getByRole('link', { name: 'S’identifier avec Test ID' }).waitFor();
    await page.screenshot({ path: artifact('citizen-1-sign-in.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    const email = 'lea.martin@exemple.fr';
    await page.getByLabel('Votre adresse e-mail').fill(email);
    await page.getByRole('button', { name: 'Recevoir un lien de connexion' }).click();
    await page.getByTestId('magic-link-sent').waitFor();
    await page.screenshot({ path: artifact('citizen-2-link-sent.png'), fullPage: true });

    const [mail] = await stack.smtp.waitForMails(1);
    expect(mail!.subject).toBe('Votre lien de connexion à Pavé');
    const link = /https?:\/\/\S+\/compte\/connexion#token=[A-Za-z0-9_-]{43}/.exec(mail!.text ?? '')?.[0];
    expect(link?.startsWith(`${stack.baseUrl}/compte/connexion#token=`)).toBe(true);

    await page.goto(link!);
    await page.getByTestId('claim-prompt').waitFor();
    // The token is gone from the address bar once spent.
    expect(page.url()).toBe(`${stack.baseUrl}/compte`);
    await page.screenshot({ path: artifact('citizen-3-claim-prompt.png'), fullPage: true });

    await page.getByRole('button', { name: 'Ajouter à mon compte' }).click();
    const list = page.getByTestId('my-reports');
    await expect.poll(() => list.textContent()).toContain(ref);
    expect(await list.textContent()).toContain('Nid-de-poule');
    expect(await list.getByTestId('report-status').first().textContent()).toBe('Reçu');
    await expect.poll(() => page.getByTestId('claim-prompt').count()).toBe(0);
    await page.screenshot({ path: artifact('citizen-4-mes-signalements.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    const { rows } = await stack.pool.query<{ email: string }>(
      `SELECT a.email FROM reports r JOIN citizen_accounts a ON a.id = r.citizen_id WHERE r.ref = $1`,
      [ref],
    );
    expect(rows).toEqual([{ email }]);

    // The report opens with this phone's private link (the reporter's actions), not just the public page.
    await list.getByRole('link').first().click();
    await page.waitForURL(/\/r\/PAV-\d{4}-\d{6,}\?t=/);
    // Anonymous on the public page until she chooses to show her name in her profile.
    const publicPage = await context.newPage();
    await publicPage.goto(`${stack.baseUrl}/r/${ref}`);
    await publicPage.getByTestId('report-status').first().waitFor();
    expect(await publicPage.getByTestId('report-reporter').count()).toBe(0);
    await page.goto(`${stack.baseUrl}/compte`);
    await page.getByLabel('Nom affiché (facultatif)').fill('Léa M.');
    await page.getByLabel('Afficher mon nom sur mes contributions publiques').check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Profil enregistré.').waitFor();
    await publicPage.reload();
    await expect.poll(() => publicPage.getByTestId('report-reporter').textContent()).toBe('Léa M.');
    await publicPage.screenshot({ path: artifact('citizen-4b-public-name.png'), fullPage: true });
    await publicPage.close();

    // The same link a second time is refused, in plain French.
    await page.goto(link!);
    await page.getByRole('alert').filter({ hasText: 'Ce lien a déjà servi' }).waitFor();
    await page.screenshot({ path: artifact('citizen-5-link-used.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs in with an OpenID Connect provider, then deletes the account and keeps the report anonymous', async () => {
    const page = await phonePage();
    const context = page.context();
    const errors = trackPageErrors(page);
    const ref = await fileAnonymously(page, `Lampadaire à terre ${Date.now()}`);

    await page.goto(`${stack.baseUrl}/compte`);
    stack.oidc.expectLogin({ sub: 'e2e-subject', email: 'paul.dupont@exemple.fr', emailVerified: true });
    await page.getByRole('link', { name: 'S’identifier avec Test ID' }).click();
    await page.getByText('Connecté·e : paul.dupont@exemple.fr').waitFor();
    await page.getByRole('button', { name: 'Ajouter à mon compte' }).click();
    await expect.poll(() => page.getByTestId('my-reports').textContent()).toContain(ref);

    await page.getByRole('button', { name: 'Supprimer mon compte…' }).click();
    await page.getByRole('button', { name: 'Oui, supprimer définitivement' }).waitFor();
    await page.screenshot({ path: artifact('citizen-6-delete-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Oui, supprimer définitivement' }).click();
    await page.getByRole('status').filter({ hasText: 'Votre compte a été supprimé' }).waitFor();
    await page.screenshot({ path: artifact('citizen-7-deleted.png'), fullPage: true });

    const accounts = await stack.pool.query('SELECT 1 FROM citizen_accounts WHERE email = $1', [
      'paul.dupont@exemple.fr',
    ]);
    expect(accounts.rows).toHaveLength(0);
    const report = await stack.pool.query<{ citizen_id: string | null; reporter_device_id: string | null }>(
      'SELECT citizen_id, reporter_device_id FROM reports WHERE ref = $1',
      [ref],
    );
    expect(report.rows).toEqual([{ citizen_id: null, reporter_device_id: null }]);
    expect((await page.request.get(`${stack.baseUrl}/api/reports/by-ref/${ref}`)).status()).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads well on a desktop screen', async () => {
    const page = await openPage(stack, DESKTOP);
    const context = page.context();
    await page.goto(`${stack.baseUrl}/compte`);
    await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
    await page.getByRole('link', { name: 'S’identifier avec Test ID' }).waitFor();
    await page.screenshot({ path: artifact('citizen-8-desktop.png'), fullPage: true });
    await context.close();
  });
});
