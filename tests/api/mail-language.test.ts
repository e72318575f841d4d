import { createApiKey } from '@pave/core';
import { describe, expect, it } from 'vitest';
import { addConfirmedFollower, fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { multipart, POINT_PARIS_11, reportFormFields } from '../support/multipart';
import { postRequest, validPothole } from '../support/open311-app';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// Issue #15: mails speak the recipient's language, the one of the page they reported or followed
// from (the web app sends it), or their account's; French when nobody said.
const stack = useStack({
  worker: true,
  smtp: true,
  staff: { supervisor: STAFF_OF_EACH_ROLE.supervisor, agent: { role: 'agent' } },
  env: { PUBLIC_BASE_URL: 'https://pave.example' },
});

const recipientOf = (mail: { to?: unknown }) => (mail.to as { text: string }).text;
const mailTo = (email: string, what: string) =>
  waitFor(async () => stack.smtp.mails.find((m) => recipientOf(m) === email && m.subject?.includes(what)) ?? null, {
    what: `the mail to ${email} about ${what}`,
  });

describe('mails in the recipient’s language', () => {
  it('acknowledges an English reporter in English and a French one in French', async () => {
    const file = async (email: string, language?: string) => {
      const form = await multipart(
        reportFormFields({ email, description: 'Trou profond', ...(language ? { language } : {}) }),
      );
      const response = await stack.app.inject({ method: 'POST', url: '/api/reports', ...form });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ ref: string }>().ref;
    };
    const englishRef = await file('reader@example.org', 'en');
    const frenchRef = await file('lectrice@example.org', 'fr');
    const unsaidRef = await file('personne@example.org');

    const english = await mailTo('reader@example.org', englishRef);
    expect(english.subject).toBe(`Report ${englishRef} received: Pothole`);
    expect(english.text).toContain(`Thank you! Your report “Pothole”`);
    expect(english.text).toContain('Your address is never published.');
    expect(english.text).not.toMatch(/Merci|Votre/);

    const french = await mailTo('lectrice@example.org', frenchRef);
    expect(french.subject).toBe(`Signalement ${frenchRef} reçu : Nid-de-poule`);
    expect(french.text).toContain('Merci ! Votre signalement « Nid-de-poule »');

    const unsaid = await mailTo('personne@example.org', unsaidRef);
    expect(unsaid.subject).toBe(`Signalement ${unsaidRef} reçu : Nid-de-poule`);
  });

  it('tells a status change to each follower in their own language', async () => {
    const report = await fileRoutedReport(stack.deps, { email: 'auteur@example.org', language: 'fr' });
    await addConfirmedFollower(stack.deps, { reportId: report.id, email: 'neighbour@example.org', language: 'en' });
    await addConfirmedFollower(stack.deps, { reportId: report.id, email: 'voisine@example.org', language: 'fr' });
    const response = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/transitions`,
      headers: stack.as('supervisor'),
      payload: { to: 'resolved', message: 'Rebouché ce matin.' },
    });
    expect(response.statusCode, response.body).toBe(200);

    const toNeighbour = await mailTo('neighbour@example.org', report.ref);
    expect(toNeighbour.subject).toBe(`${report.ref}: Fixed`);
    expect(toNeighbour.text).toContain(`Report ${report.ref} “Pothole”`);
    expect(toNeighbour.text).toContain('Message from the team: Rebouché ce matin.');
    expect(toNeighbour.text).toContain('Stop following this report: https://pave.example/api/reports/');

    const toVoisine = await mailTo('voisine@example.org', `${report.ref} : Résolu`);
    expect(toVoisine.text).toContain('Ne plus suivre ce signalement : https://pave.example/api/reports/');
    const toAuthor = await mailTo('auteur@example.org', `${report.ref} : Résolu`);
    expect(toAuthor.text).toContain('Message de l’équipe : Rebouché ce matin.');
  });

  it('refuses a language it does not speak with a clear 400', async () => {
    const form = await multipart(reportFormFields({ language: 'de' }));
    const response = await stack.app.inject({ method: 'POST', url: '/api/reports', ...form });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'VALIDATION_FAILED', message: 'language must be one of fr, en.' });
  });
});

describe('mails in the recipient’s language, from other channels', () => {
  it('writes to a signed-in citizen in their account’s language, whatever page they filed from', async () => {
    const email = 'citizen-en@example.org';
    // The account is made at the first sign-in, in the language the browser prefers.
    const english = { 'accept-language': 'en-GB,en;q=0.9' };
    const asked = await stack.app.inject({
      method: 'POST',
      url: '/api/me/magic-link',
      headers: english,
      payload: { email },
    });
    expect(asked.statusCode).toBe(202);
    const link = await mailTo(email, '');
    const token = /\/compte\/connexion#token=([A-Za-z0-9_-]{43})/.exec(link.text ?? '')![1]!;
    const verified = await stack.app.inject({
      method: 'POST',
      url: '/api/me/magic-link/verify',
      headers: english,
      payload: { token },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().profile.language).toBe('en');
    const cookie = ([] as string[])
      .concat(verified.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('pave_citizen='))!
      .split(';')[0]!;

    // No e-mail typed: the account's address is used; the page said French, the account says English.
    const form = await multipart(reportFormFields({ description: 'Trou profond', language: 'fr' }));
    const response = await stack.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: form.payload,
      headers: { ...form.headers, cookie },
    });
    expect(response.statusCode, response.body).toBe(201);
    const { ref } = response.json<{ ref: string }>();
    const mail = await mailTo(email, ref);
    expect(mail.subject).toBe(`Report ${ref} received: Pothole`);
    expect(mail.text).not.toMatch(/Merci|Votre/);
  });

  it('acknowledges an Open311 request in its locale, else its Accept-Language, else French', async () => {
    const { key } = await createApiKey(stack.pool, 'mail language client');
    const file = async (email: string, extra: [string, string][], headers: Record<string, string> = {}) => {
      const body = new URLSearchParams([...validPothole(key), ['email', email], ...extra]).toString();
      const response = await stack.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      expect(response.statusCode, response.body).toBe(200);
      const id = response.json<{ service_request_id: string }[]>()[0]!.service_request_id;
      const { rows } = await stack.pool.query<{ ref: string }>('SELECT ref FROM reports WHERE id = $1', [id]);
      return rows[0]!.ref;
    };
    const byLocale = await file('o311-locale@example.org', [['locale', 'en-GB']], { 'accept-language': 'fr-FR' });
    const byHeader = await file('o311-header@example.org', [], { 'accept-language': 'en-US,en;q=0.9' });
    const unspoken = await file('o311-de@example.org', [['locale', 'de-DE']], { 'accept-language': 'en' });
    const unsaid = await file('o311-none@example.org', []);

    expect((await mailTo('o311-locale@example.org', byLocale)).subject).toBe(`Report ${byLocale} received: Pothole`);
    expect((await mailTo('o311-header@example.org', byHeader)).subject).toBe(`Report ${byHeader} received: Pothole`);
    expect((await mailTo('o311-de@example.org', unspoken)).subject).toBe(`Signalement ${unspoken} reçu : Nid-de-poule`);
    expect((await mailTo('o311-none@example.org', unsaid)).subject).toBe(`Signalement ${unsaid} reçu : Nid-de-poule`);

    for (const locale of ['english please', '12', 'en-GB;q=1']) {
      const refused = await postRequest(stack.app, [...validPothole(key), ['locale', locale]]);
      expect({ locale, status: refused.statusCode }).toEqual({ locale, status: 400 });
      expect(refused.json()[0].description).toBe('locale must be a language tag such as fr, en or en-GB.');
    }
  });

  it('writes to a resident an agent filed for in the language the agent chose, French unless said', async () => {
    const file = async (residentEmail: string, residentLanguage?: string) => {
      const response = await stack.app.inject({
        method: 'POST',
        url: '/api/staff/assisted-reports',
        headers: stack.as('agent'),
        payload: {
          channel: 'phone',
          category: 'nid-de-poule',
          lat: POINT_PARIS_11.lat,
          lon: POINT_PARIS_11.lon,
          residentEmail,
          ...(residentLanguage ? { residentLanguage } : {}),
        },
      });
      return response;
    };
    const english = await file('visitor@example.org', 'en');
    expect(english.statusCode, english.body).toBe(201);
    const french = await file('habitante@example.org');
    expect(french.statusCode, french.body).toBe(201);
    const englishRef = english.json<{ ref: string }>().ref;
    const frenchRef = french.json<{ ref: string }>().ref;
    expect((await mailTo('visitor@example.org', englishRef)).subject).toBe(`Report ${englishRef} received: Pothole`);
    expect((await mailTo('habitante@example.org', frenchRef)).subject).toBe(
      `Signalement ${frenchRef} reçu : Nid-de-poule`,
    );

    const refused = await file('quelquun@example.org', 'de');
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ code: 'VALIDATION_FAILED', message: 'language must be one of fr, en.' });
  });
});
