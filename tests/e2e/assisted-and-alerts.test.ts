import { insertOutboxJob } from '@pave/core';
import type { ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe';
import { artifact, LAPTOP, LARGE_PHONE, openPage, signInAt, trackPageErrors } from '../support/browser';
import { KNOWN_ADDRESS, MONTREUIL_ADDRESS } from '../support/geocoder-stub';
import { POINT_PARIS_11 } from '../support/multipart';
import { fileReportWithoutPhoto } from '../support/report-form';
import { useStack } from '../support/stack';
import { MONTREUIL, seedTwoTowns } from '../support/towns';

// Links in the mails (sent by the API and the worker) name the API's real address.
const stack = useStack({
  web: true,
  browser: true,
  worker: true,
  smtp: true,
  queue: true,
  geocoder: true,
  staff: {
    accueil: { role: 'agent', displayName: 'Nadia Accueil' },
    elu: { role: 'council', displayName: 'Élu Test' },
    cheffe: { role: 'supervisor', service: 'voirie', displayName: 'Cheffe Test' },
  },
});

const phonePage = () => openPage(stack, { ...LARGE_PHONE, at: POINT_PARIS_11 });

/** Nothing sticks out of the screen sideways (the page itself never scrolls horizontally). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // Inside a row that scrolls sideways on its own (the staff's filter chips), and that itself fits,
    // content past the edge is reached by scrolling that row: the page does not overflow.
    const insideScroller = (el: HTMLElement) => {
      for (let up = el.parentElement; up && up.tagName !== 'MAIN'; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') {
          return up.getBoundingClientRect().right <= window.innerWidth + 1;
        }
      }
      return false;
    };
    return [...document.querySelectorAll<HTMLElement>('main *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !insideScroller(el))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      .slice(0, 5);
  });
}

/** A full-page screenshot from the top, so the sticky header sits where it belongs. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: artifact(name), fullPage: true });
}

const recipient = (mail: ParsedMail) => (mail.to as { text: string }).text;

/** The next mail to `email` after the first `after` mails, waiting for it to arrive. */
async function nextMailTo(email: string, after: number): Promise<ParsedMail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mail = stack.smtp.mails.slice(after).find((m) => recipient(m) === email);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${email}`);
    await stack.smtp.waitForMails(stack.smtp.mails.length + 1, deadline - Date.now());
  }
}

/** The first link in a mail's text that starts with `prefix`. */
function linkIn(mail: ParsedMail, prefix: string): string {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = new RegExp(`${escaped}\\S*`).exec(mail.text ?? '')?.[0];
  expect(link, `a link to ${prefix} in “${mail.subject}”`).toBeTruthy();
  return link!;
}

describe('a resident subscribes to area alerts on a phone', () => {
  it('subscribes to the 11th, confirms from the mail, gets a digest listing a new report, and unsubscribes in one click', async () => {
    const page = await phonePage();
    const errors = trackPageErrors(page);
    const email = 'voisine.11@exemple.fr';

    await page.goto(`${stack.baseUrl}/alertes`);
    await page.getByRole('heading', { name: 'Recevoir des alertes' }).waitFor();
    const area = page.getByTestId('alerts-area');
    await expect.poll(() => area.locator('option').count()).toBeGreaterThan(10);
    await area.selectOption({ label: 'Paris 11e — Popincourt' });
    await page.getByRole('checkbox', { name: 'Voirie et espace public' }).check();
    await page.getByRole('radio', { name: 'Chaque jour, vers 7 h' }).check();
    await page.getByLabel('Votre adresse e-mail').fill(email);
    await shot(page, 'alerts-1-form.png');
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    const before = stack.smtp.mails.length;
    await page.getByRole('button', { name: 'Recevoir les alertes' }).click();
    await page.getByTestId('alerts-sent').waitFor();
    await shot(page, 'alerts-2-sent.png');

    // The double opt-in mail, sent by the worker from the outbox.
    const confirmation = await nextMailTo(email, before);
    expect(confirmation.subject).toContain('Paris 11e');
    await page.goto(linkIn(confirmation, `${stack.baseUrl}/alertes/confirmer?t=`));
    await page.getByRole('button', { name: 'Confirmer mon alerte' }).click();
    await expect.poll(() => page.getByTestId('alert-link-done').textContent()).toContain('votre alerte est active');
    await shot(page, 'alerts-3-confirmed.png');
    const { rows: alerts } = await stack.pool.query<{ id: string; is_active: boolean }>(
      `SELECT id, confirmed_at IS NOT NULL AND unsubscribed_at IS NULL AS is_active FROM area_alerts WHERE email = $1`,
      [email],
    );
    expect(alerts).toEqual([{ id: expect.any(String), is_active: true }]);

    // A neighbour files a pothole in the 11th from this phone; the confirmation page offers alerts.
    const description = `Trou rue de la Roquette ${Date.now()}`;
    await fileReportWithoutPhoto(page, stack.baseUrl, { search: 'nid', category: 'Nid-de-poule', description });
    const ref = (await page.getByTestId('report-ref').textContent())!.trim();
    expect(ref).toMatch(/^PAV-\d{4}-\d{6,}$/);
    const alertsLink = page.getByRole('link', { name: 'Recevoir par e-mail les signalements de votre quartier' });
    await shot(page, 'alerts-4-created-link.png');
    await alertsLink.click();
    await page.waitForURL(`${stack.baseUrl}/alertes`);
    await page.getByRole('heading', { name: 'Recevoir des alertes' }).waitFor();

    // The daily digest, run for "now" through the outbox as the scheduler would run it at 07:00.
    const beforeDigest = stack.smtp.mails.length;
    await insertOutboxJob(stack.pool, 'alerts.digest', { frequency: 'daily', until: new Date().toISOString() });
    const digest = await nextMailTo(email, beforeDigest);
    expect(digest.subject).toBe('Pavé, Paris 11e — Popincourt : 1 nouveau');
    expect(digest.text).toContain(`${stack.baseUrl}/r/${ref}`);
    expect(digest.text).toContain('Nid-de-poule');
    // Public fields only: the reporter's words stay on the report page, no address of anyone.
    expect(digest.text).not.toMatch(/@/);

    // One click on the mail's link stops the alert, without signing in.
    await page.goto(linkIn(digest, `${stack.baseUrl}/alertes/desinscription?t=`));
    await page.getByRole('button', { name: 'Ne plus recevoir cette alerte' }).click();
    await expect
      .poll(() => page.getByTestId('alert-link-done').textContent())
      .toContain('vous ne recevrez plus cette alerte');
    await shot(page, 'alerts-5-unsubscribed.png');
    const { rows: after } = await stack.pool.query<{ unsubscribed: boolean }>(
      'SELECT unsubscribed_at IS NOT NULL AS unsubscribed FROM area_alerts WHERE id = $1',
      [alerts[0]!.id],
    );
    expect(after).toEqual([{ unsubscribed: true }]);

    // Signed in, the account page points to the alerts too.
    await page.goto(`${stack.baseUrl}/compte`);
    await page.getByLabel('Votre adresse e-mail').fill(email);
    const beforeLink = stack.smtp.mails.length;
    await page.getByRole('button', { name: 'Recevoir un lien de connexion' }).click();
    const signIn = await nextMailTo(email, beforeLink);
    await page.goto(linkIn(signIn, `${stack.baseUrl}/compte/connexion#token=`));
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Alertes de quartier' }) });
    await section.waitFor();
    await shot(page, 'alerts-6-account.png');
    expect(await seriousViolations(page)).toEqual([]);
    await section.getByRole('link', { name: 'Recevoir des alertes' }).click();
    await page.waitForURL(`${stack.baseUrl}/alertes`);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('an agent files a report for a resident at the counter', () => {
  /** Counter reports this year, as a council member sees them through the API. */
  async function counterReports(context: BrowserContext): Promise<number> {
    const response = await context.request.get(`${stack.baseUrl}/api/analytics/channels`);
    expect(response.status()).toBe(200);
    const figures = (await response.json()) as { channels: { channel: string; count: number }[] };
    return figures.channels.find((c) => c.channel === 'counter')?.count ?? 0;
  }

  it('signs in on a laptop, files a counter report with the resident’s e-mail; the resident is mailed and the council counts it', async () => {
    const council = (await openPage(stack, { signedIn: stack.staff.elu })).context();
    const countedBefore = await counterReports(council);

    const page = await openPage(stack, LAPTOP);
    const errors = trackPageErrors(page);
    const queueRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/staff/reports')) queueRequests.push(request.url());
    });
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.accueil.email);
    await page.getByRole('heading', { name: 'Saisir un signalement pour un habitant' }).waitFor();
    await page.getByText('Nadia Accueil · accueil').waitFor();
    // Agents file, they do not triage: no queue, not even asked for.
    expect(await page.getByRole('heading', { name: 'File des signalements' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Tâches en échec' }).count()).toBe(0);

    await page.getByRole('radio', { name: 'Accueil en mairie' }).check();
    const category = page.getByLabel('Type de problème');
    await expect.poll(() => category.locator('option').count()).toBeGreaterThan(10);
    await category.selectOption({ label: 'Nid-de-poule' });
    await page.getByRole('combobox', { name: 'Adresse' }).fill('80 rue de la roq');
    await page.getByRole('option', { name: KNOWN_ADDRESS.label }).click();
    await page.getByLabel('Description').fill('Signalé au guichet : trou profond devant le 80.');
    const resident = 'habitant.guichet@exemple.fr';
    await page.getByLabel('E-mail de l’habitant (facultatif)').fill(resident);
    await shot(page, 'agent-1-form.png');
    expect(await seriousViolations(page)).toEqual([]);

    const before = stack.smtp.mails.length;
    await page.getByRole('button', { name: 'Enregistrer le signalement' }).click();
    const done = page.getByTestId('assisted-report-done');
    await done.waitFor();
    const ref = /PAV-\d{4}-\d{6,}/.exec((await done.textContent()) ?? '')?.[0];
    expect(ref).toBeTruthy();
    await shot(page, 'agent-2-done.png');

    const { rows } = await stack.pool.query<{ channel: string; reporter_email: string; area: string }>(
      `SELECT r.channel, r.reporter_email, a.code AS area
         FROM reports r JOIN service_areas a ON a.id = r.area_id WHERE r.ref = $1`,
      [ref],
    );
    expect(rows).toEqual([{ channel: 'counter', reporter_email: resident, area: 'paris-11' }]);

    // The resident's acknowledgement, with the private link to follow the report.
    const mail = await nextMailTo(resident, before);
    expect(mail.subject).toBe(`Signalement ${ref} reçu : Nid-de-poule`);
    expect(mail.text).toContain(`${stack.baseUrl}/r/${ref}?t=`);

    expect(await counterReports(council)).toBe(countedBefore + 1);
    expect(queueRequests).toEqual([]);
    expect(errors).toEqual([]);
    await council.close();
    await page.context().close();
  });
});

describe('a supervisor on a phone', () => {
  it('reaches the counter form and the failed jobs from the staff area, and retries a failed job', async () => {
    // A job that failed for good: a routing job for a report that does not exist.
    const job = await stack.queue.add('report.route', { reportId: 'not-a-uuid' }, { attempts: 1 });
    await expect.poll(() => job.getState(), { timeout: 10_000 }).toBe('failed');

    const page = await phonePage();
    const errors = trackPageErrors(page);
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.cheffe.email);
    await page.getByRole('heading', { name: 'Espace agents' }).waitFor();
    await page.getByRole('heading', { name: 'File des signalements' }).waitFor();
    // The queue itself loads (the reports filed by the tests above are in this service's queue).
    await page.getByText(/^\d+ signalements?$/).waitFor();
    await shot(page, 'agent-3-supervisor-queue.png');
    expect(await overflowing(page)).toEqual([]);

    await page.getByRole('button', { name: 'Saisir un signalement' }).click();
    await page.getByRole('heading', { name: 'Saisir un signalement pour un habitant' }).waitFor();
    expect(await page.getByRole('button', { name: 'Saisir un signalement' }).getAttribute('aria-pressed')).toBe('true');
    await shot(page, 'agent-4-supervisor-form.png');
    expect(await overflowing(page)).toEqual([]);

    await page.getByRole('button', { name: 'Tâches en échec' }).click();
    const failed = page.locator('section.failed-jobs');
    await expect.poll(() => failed.textContent()).toContain('invalid payload for report.route');
    await shot(page, 'agent-5-failed-jobs.png');
    expect(await overflowing(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    const firstFailure = (await stack.queue.getJob(job.id!))!.finishedOn!;
    await failed.getByRole('button', { name: `Relancer la tâche ${job.id}` }).click();
    await failed.getByText('Tâche relancée.').waitFor();
    // Retried, it ran again (and failed again: this payload can never succeed).
    await expect
      .poll(async () => (await stack.queue.getJob(job.id!))?.finishedOn ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(firstFailure);
    // The same area on a laptop: the tabs and the list keep a readable width.
    await page.setViewportSize({ width: 1366, height: 900 });
    await shot(page, 'agent-6-supervisor-laptop.png');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

// Last in the file: it makes Montreuil a served town beside Paris (the kit's two towns).
describe('an agent files a report in a neighbouring town', () => {
  it("offers Montreuil's categories once a Montreuil address is chosen, names the town, and the report is Montreuil's", async () => {
    const towns = await seedTwoTowns(stack.pool);
    // Montreuil leaves façade tags out of its offer (and no body takes them): gone from its list.
    await stack.pool.query(
      `DELETE FROM town_categories WHERE town_code = $1 AND category_id = (SELECT id FROM categories WHERE code = 'tag-facade')`,
      [MONTREUIL.code],
    );
    const page = await openPage(stack, LAPTOP);
    const errors = trackPageErrors(page);
    await signInAt(page, `${stack.baseUrl}/staff`, stack.staff.accueil.email);
    await page.getByRole('heading', { name: 'Saisir un signalement pour un habitant' }).waitFor();
    // A metropolitan agent: its header says so.
    expect(await page.locator('.staff-who__town').textContent()).toBe('Métropole');
    const category = page.getByLabel('Type de problème');
    const offers = (code: string) => category.locator(`option[value="${code}"]`).count();
    // Before an address: the whole catalogue.
    await expect.poll(() => offers('tag-facade')).toBe(1);

    await page.getByRole('combobox', { name: 'Adresse' }).fill('place jean jaur');
    await page.getByRole('option', { name: MONTREUIL_ADDRESS.label }).click();
    await page.getByText('Catégories de Montreuil').waitFor();
    await expect.poll(() => offers('tag-facade')).toBe(0);
    expect(await offers('nid-de-poule')).toBe(1);
    // Street lighting: Montreuil leaves it to the metropolitan body, which still takes it there.
    expect(await offers('lampadaire-eteint')).toBe(1);
    await category.selectOption('nid-de-poule');
    await page.getByLabel('Description').fill('Signalé au téléphone : trou devant la mairie de Montreuil.');
    await page.getByRole('radio', { name: 'Téléphone' }).check();
    // The caller speaks English: the agent says so, and the resident's mails follow.
    const resident = 'visitor.montreuil@example.com';
    await page.getByLabel('E-mail de l’habitant (facultatif)').fill(resident);
    await page.getByRole('radio', { name: 'English' }).check();
    await shot(page, 'agent-7-montreuil-form.png');
    const mailsBefore = stack.smtp.mails.length;
    await page.getByRole('button', { name: 'Enregistrer le signalement' }).click();
    const done = page.getByTestId('assisted-report-done');
    await done.waitFor();
    const ref = /PAV-\d{4}-\d{6,}/.exec((await done.textContent()) ?? '')?.[0];
    const { rows } = await stack.pool.query<{ town_code: string; channel: string; reporter_language: string }>(
      'SELECT town_code, channel, reporter_language FROM reports WHERE ref = $1',
      [ref],
    );
    expect(rows).toEqual([{ town_code: MONTREUIL.code, channel: 'phone', reporter_language: 'en' }]);
    expect((await nextMailTo(resident, mailsBefore)).subject).toMatch(new RegExp(`^Report ${ref} received: `));
    // Routed by the worker to Montreuil's road team.
    await expect
      .poll(
        async () =>
          (await stack.pool.query<{ team_id: number | null }>('SELECT team_id FROM reports WHERE ref = $1', [ref]))
            .rows[0]?.team_id,
        { timeout: 20_000 },
      )
      .toBe(towns.montreuilTeam.id);

    // Back to a Paris address: Paris's offer, with façade tags again.
    await page.getByRole('combobox', { name: 'Adresse' }).fill('80 rue de la roq');
    await page.getByRole('option', { name: KNOWN_ADDRESS.label }).click();
    await page.getByText('Catégories de Paris').waitFor();
    expect(await offers('tag-facade')).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
