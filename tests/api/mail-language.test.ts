import { describe, expect, it } from 'vitest';
import { addConfirmedFollower, fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { multipart, reportFormFields } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// Issue #15: mails speak the recipient's language, the one of the page they reported or followed
// from (the web app sends it), or their account's; French when nobody said.
const stack = useStack({
  worker: true,
  smtp: true,
  staff: { supervisor: STAFF_OF_EACH_ROLE.supervisor },
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
