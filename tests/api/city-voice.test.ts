import { describe, expect, it } from 'vitest';
import { fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({
  worker: true,
  smtp: true,
  staff: STAFF_OF_EACH_ROLE,
  env: { PUBLIC_BASE_URL: 'https://pave.example' },
});
type Who = keyof typeof stack.staff;

const put = (url: string, payload: object, who: Who = 'admin') =>
  stack.app.inject({ method: 'PUT', url, headers: stack.as(who), payload });

const transition = (id: string, payload: Record<string, string>) =>
  stack.app.inject({
    method: 'POST',
    url: `/api/staff/reports/${id}/transitions`,
    headers: stack.as('supervisor'),
    payload,
  });

const mailTo = (email: string, subject: string) =>
  waitFor(
    async () => stack.smtp.mails.find((m) => (m.to as { text: string }).text === email && m.subject?.endsWith(subject)),
    { what: `the "${subject}" mail to ${email}` },
  );

describe('rejection reasons, managed by admins in both languages', () => {
  it('lets an admin add a reason, and no other role', async () => {
    const body = { labelFr: 'Travaux déjà prévus sur cette voie', labelEn: 'Works already planned on this street' };
    for (const who of ['crew', 'supervisor', 'council'] as const) {
      const refused = await put('/api/admin/rejection-reasons/travaux-prevus', body, who);
      expect(refused.statusCode, who).toBe(403);
    }
    const saved = await put('/api/admin/rejection-reasons/travaux-prevus', { ...body, position: 5 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({
      code: 'travaux-prevus',
      label: { fr: body.labelFr, en: body.labelEn },
      position: 5,
      isActive: true,
    });
    const list = await stack.app.inject({ url: '/api/admin/rejection-reasons', headers: stack.as('admin') });
    expect(list.json().reasons[0].code).toBe('travaux-prevus');
    expect(list.json().reasons.map((r: { code: string }) => r.code)).toContain('domaine-prive');
  });

  it.each([
    ['an upper-case code', '/api/admin/rejection-reasons/Mauvais', { labelFr: 'x', labelEn: 'x' }],
    ['an empty label', '/api/admin/rejection-reasons/vide', { labelFr: '   ', labelEn: 'x' }],
    ['a missing language', '/api/admin/rejection-reasons/sans-en', { labelFr: 'Motif' }],
  ])('refuses %s with a 400', async (_what, url, body) => {
    const response = await put(url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });

  it('shows the reason on the public report and in the reporter’s mail', async () => {
    await put('/api/admin/rejection-reasons/hors-saison', {
      labelFr: 'Intervention impossible avant le printemps',
      labelEn: 'No work possible before spring',
    });
    const report = await fileRoutedReport(stack.deps, { email: 'reporter@example.org' });
    const rejected = await transition(report.id, { to: 'rejected', reason: 'hors-saison' });
    expect(rejected.statusCode, rejected.body).toBe(200);

    const page = (await stack.app.inject({ url: `/api/reports/${report.id}` })).json();
    expect(page.statusDetail).toEqual({
      fr: 'Intervention impossible avant le printemps',
      en: 'No work possible before spring',
    });
    expect(page.timeline.at(-1).label).toEqual({
      fr: 'Rejeté : Intervention impossible avant le printemps',
      en: 'Rejected: No work possible before spring',
    });
    const mail = await mailTo('reporter@example.org', 'Rejeté');
    expect(mail.text).toContain('Motif : Intervention impossible avant le printemps.');
  });

  it('refuses a retired reason, and an admin’s edit shows on past reports', async () => {
    await put('/api/admin/rejection-reasons/ancien', { labelFr: 'Ancien motif', labelEn: 'Old reason' });
    const first = await fileRoutedReport(stack.deps, {});
    expect((await transition(first.id, { to: 'rejected', reason: 'ancien' })).statusCode).toBe(200);
    await put('/api/admin/rejection-reasons/ancien', {
      labelFr: 'Motif reformulé',
      labelEn: 'Reworded reason',
      isActive: false,
    });
    const second = await fileRoutedReport(stack.deps, {});
    const refused = await transition(second.id, { to: 'rejected', reason: 'ancien' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('TRANSITION_INCOMPLETE');
    expect(refused.json().message).not.toContain('ancien');
    const page = (await stack.app.inject({ url: `/api/reports/${first.id}` })).json();
    expect(page.statusDetail.fr).toBe('Motif reformulé');
  });
});

describe('a transfer names where the report went', () => {
  it('on the public report and in the reporter’s mail', async () => {
    const report = await fileRoutedReport(stack.deps, { email: 'transfert@example.org' });
    const moved = await transition(report.id, { to: 'transferred', transferredTo: 'Préfecture de police' });
    expect(moved.statusCode, moved.body).toBe(200);
    const page = (await stack.app.inject({ url: `/api/reports/${report.id}` })).json();
    expect(page.statusDetail).toEqual({
      fr: 'Transmis à Préfecture de police',
      en: 'Transferred to Préfecture de police',
    });
    expect(page.timeline.at(-1).label.fr).toBe('Transmis à Préfecture de police');
    const mail = await mailTo('transfert@example.org', 'Transmis');
    expect(mail.text).toContain('Transmis à : Préfecture de police.');
  });
});

describe('public message templates, managed by admins', () => {
  it('are offered to staff once saved, and only admins save them', async () => {
    const body = {
      statuses: ['resolved'],
      textFr: 'Le mobilier a été remplacé.',
      textEn: 'The street furniture was replaced.',
    };
    expect((await put('/api/admin/message-templates/mobilier-remplace', body, 'supervisor')).statusCode).toBe(403);
    const bad = await put('/api/admin/message-templates/mobilier-remplace', { ...body, statuses: ['fini'] });
    expect(bad.statusCode).toBe(400);
    const saved = await put('/api/admin/message-templates/mobilier-remplace', body);
    expect(saved.statusCode, saved.body).toBe(200);
    const voice = await stack.app.inject({ url: '/api/staff/city-voice', headers: stack.as('crew') });
    expect(voice.statusCode).toBe(200);
    expect(voice.json().templates).toContainEqual(
      expect.objectContaining({ code: 'mobilier-remplace', text: { fr: body.textFr, en: body.textEn } }),
    );
    expect(voice.json().reasons.map((r: { code: string }) => r.code)).toContain('domaine-prive');
    expect((await stack.app.inject({ url: '/api/staff/city-voice', headers: stack.as('council') })).statusCode).toBe(
      403,
    );
  });
});
