import { describe, expect, it } from 'vitest';
import { fileReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const SECRET = 'assisted-test-secret-0123456789';
const BASE = 'https://pave.example';
const stack = useStack({
  worker: true,
  smtp: true,
  env: { TOKEN_SECRET: SECRET, PUBLIC_BASE_URL: BASE },
  staff: { agent: { role: 'agent' }, ...STAFF_OF_EACH_ROLE },
});
type Who = 'anonymous' | keyof typeof stack.staff;

const file = (who: Who, payload: object) =>
  stack.app.inject({ method: 'POST', url: '/api/staff/assisted-reports', headers: stack.as(who), payload });
const counterReport = {
  channel: 'counter',
  category: 'nid-de-poule',
  lat: POINT_PARIS_11.lat,
  lon: POINT_PARIS_11.lon,
  description: 'Signalé au guichet de la mairie du 11e : trou devant le 12.',
};

describe('assisted reporting by an agent', () => {
  it('files a counter report for a resident, who gets the usual mail and follow link; the agent stays internal', async () => {
    const response = await file('agent', { ...counterReport, residentEmail: 'residente@example.org' });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.ref).toMatch(/^PAV-\d{4}-\d{6,}$/);

    const [mail] = await stack.smtp.waitForMails(1);
    expect((mail!.to as { text: string }).text).toBe('residente@example.org');
    expect(mail!.subject).toBe(`Signalement ${created.ref} reçu : Nid-de-poule`);
    expect(mail!.text).toContain(`${BASE}${created.trackingUrl}`);

    const { rows } = await stack.pool.query(
      `SELECT r.channel, r.source, r.reporter_email, h.actor, h.is_public, h.data
         FROM reports r JOIN report_history h ON h.report_id = r.id AND h.event = 'assisted_filing'
        WHERE r.id = $1`,
      [created.id],
    );
    expect(rows).toEqual([
      {
        channel: 'counter',
        source: 'assisted',
        reporter_email: 'residente@example.org',
        actor: `staff:${stack.staff.agent.id}`,
        is_public: false,
        data: { channel: 'counter', hasResidentEmail: true },
      },
    ]);
    // The public view says neither who filed it nor for whom.
    const page = await stack.app.inject(`/api/reports/${created.id}`);
    const events = page.json().timeline.map((e: { event: string }) => e.event);
    expect(events[0]).toBe('created');
    expect(events).not.toContain('assisted_filing');
    expect(page.body).not.toContain('residente@example.org');
    expect(page.body).not.toContain('agent@ville.test');
  });

  it('files a phone report without a resident address; supervisors and admins may file too', async () => {
    for (const who of ['agent', 'supervisor', 'admin'] as const) {
      const response = await file(who, { ...counterReport, channel: 'phone' });
      expect({ who, status: response.statusCode }).toEqual({ who, status: 201 });
    }
  });

  it('refuses a malformed resident e-mail, an unknown channel, a point outside the city — and writes nothing', async () => {
    const { rows: before } = await stack.pool.query('SELECT count(*)::int AS n FROM reports');
    const cases: [object, number, string][] = [
      [{ ...counterReport, residentEmail: 'residente(at)example.org' }, 400, 'EMAIL_INVALID'],
      [{ ...counterReport, residentEmail: 'a@b' }, 400, 'EMAIL_INVALID'],
      [{ ...counterReport, channel: 'web' }, 400, 'CHANNEL_INVALID'],
      [{ ...counterReport, channel: 'pigeon' }, 400, 'CHANNEL_INVALID'],
      [{ ...counterReport, category: 'licorne' }, 422, 'CATEGORY_UNKNOWN'],
      [{ ...counterReport, lat: 45.75, lon: 4.83 }, 422, 'LOCATION_OUTSIDE_TOWNS'],
      [{ ...counterReport, lat: 123 }, 400, 'LOCATION_INVALID'],
      [{ ...counterReport, lat: 'nord' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const response = await file('agent', payload);
      expect({ payload, status: response.statusCode, code: response.json().code }).toEqual({ payload, status, code });
    }
    const { rows: after } = await stack.pool.query('SELECT count(*)::int AS n FROM reports');
    expect(after[0].n).toBe(before[0].n);
  });

  it('is refused to crews and council (403) and to anonymous callers (401)', async () => {
    for (const [who, status] of [
      ['anonymous', 401],
      ['crew', 403],
      ['council', 403],
    ] as const) {
      const response = await file(who, counterReport);
      expect({ who, status: response.statusCode }).toEqual({ who, status });
      expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
  });

  it('keeps agents out of triage and analytics', async () => {
    const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM reports LIMIT 1');
    const reportId = rows[0]!.id;
    const tries: [string, 'GET' | 'POST', object?][] = [
      ['/api/staff/reports', 'GET'],
      [`/api/staff/reports/${reportId}/transitions`, 'POST', { to: 'acknowledged' }],
      ['/api/analytics/channels', 'GET'],
      ['/api/analytics/satisfaction', 'GET'],
    ];
    for (const [url, method, payload] of tries) {
      const response = await stack.app.inject({ method, url, headers: stack.as('agent'), payload });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
    }
    expect((await stack.app.inject({ url: '/api/staff/me', headers: stack.as('agent') })).json().user).toMatchObject({
      role: 'agent',
    });
  });

  it('shows the counter and phone reports in the channel figures, next to web and Open311 ones', async () => {
    await fileReport(stack.deps);
    await fileReport(stack.deps, { source: 'open311' });

    const response = await stack.app.inject({ url: '/api/analytics/channels', headers: stack.as('council') });
    expect(response.statusCode).toBe(200);
    const figures = response.json();
    const count = (channel: string) => figures.channels.find((c: { channel: string }) => c.channel === channel)?.count;
    expect({
      counter: count('counter'),
      phone: count('phone'),
      web: count('web'),
      open311: count('open311'),
      app: count('app'),
      total: figures.total,
    }).toEqual({ counter: 1, phone: 3, web: 1, open311: 1, app: 0, total: 6 });
    expect(figures.channels.find((c: { channel: string }) => c.channel === 'counter')).toMatchObject({
      label: { fr: 'Accueil en mairie' },
      share: 0.1667,
      // Fewer than 10 resolved: no median is given.
      medianHoursToResolve: null,
    });
    // A period before any report counts nothing; a reversed or malformed period is refused.
    const empty = await stack.app.inject({
      url: '/api/analytics/channels?from=2020-01-01&to=2020-01-31',
      headers: stack.as('council'),
    });
    expect(empty.json().total).toBe(0);
    for (const query of [
      'from=2026-02-01&to=2026-01-01',
      'from=2026-02-30',
      'to=demain',
      'from=0000-01-01&to=0000-12-31',
    ]) {
      const bad = await stack.app.inject({ url: `/api/analytics/channels?${query}`, headers: stack.as('supervisor') });
      expect({ query, status: bad.statusCode, code: bad.json().code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });
});
