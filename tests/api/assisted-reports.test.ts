import { createLocalStorage, createLogger, createReport, createStaffUser, createTokenSigner } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../../apps/worker/src/runtime';
import { createTestSettings, testApiConfig, testWorkerConfig, type TestSettings } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { TEST_ENV } from '../support/env';
import { POINT_PARIS_11 } from '../support/multipart';
import { startTestSmtp, type TestSmtp } from '../support/smtp';

const SECRET = 'assisted-test-secret-0123456789';
const BASE = 'https://pave.example';
const PASSWORD = 'correct horse battery';
type Who = 'anonymous' | 'agent' | 'crew' | 'supervisor' | 'council' | 'admin';
let db: TestDatabase;
let settings: TestSettings;
let smtp: TestSmtp;
let app: FastifyInstance;
let runtime: WorkerRuntime;
const cookies: Partial<Record<Who, string>> = {};
const ids: Partial<Record<Who, number>> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  settings = createTestSettings(db.url);
  smtp = await startTestSmtp();
  app = await buildApp(testApiConfig(settings, { TOKEN_SECRET: SECRET, PUBLIC_BASE_URL: BASE }));
  runtime = await startWorker(
    testWorkerConfig(settings, { SMTP_URL: smtp.url, TOKEN_SECRET: SECRET, PUBLIC_BASE_URL: BASE }),
    { logger: createLogger({ level: 'silent', name: 'test' }) },
  );
  const accounts: [Who, Record<string, string>][] = [
    ['agent', {}],
    ['crew', { teamCode: 'voirie-11' }],
    ['supervisor', { service: 'voirie' }],
    ['council', {}],
    ['admin', {}],
  ];
  for (const [who, extra] of accounts) {
    const user = await createStaffUser(db.pool, {
      email: `${who}@ville.test`,
      password: PASSWORD,
      role: who,
      ...extra,
    });
    ids[who] = user.id;
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: `${who}@ville.test`, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    cookies[who] = login.cookies.find((c) => c.name === 'pave_session')!.value;
  }
});

afterAll(async () => {
  await runtime?.close();
  await app?.close();
  await smtp?.close();
  const redis = new Redis(TEST_ENV.redisUrl);
  const keys = await redis.keys(`${settings.queuePrefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db?.drop();
});

const as = (who: Who) => (who === 'anonymous' ? {} : { cookie: `pave_session=${cookies[who]}` });
const file = (who: Who, payload: object) =>
  app.inject({ method: 'POST', url: '/api/staff/assisted-reports', headers: as(who), payload });
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

    const [mail] = await smtp.waitForMails(1);
    expect((mail!.to as { text: string }).text).toBe('residente@example.org');
    expect(mail!.subject).toBe(`Signalement ${created.ref} reçu : Nid-de-poule`);
    expect(mail!.text).toContain(`${BASE}${created.trackingUrl}`);

    const { rows } = await db.pool.query(
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
        actor: `staff:${ids.agent}`,
        is_public: false,
        data: { channel: 'counter', hasResidentEmail: true },
      },
    ]);
    // The public view says neither who filed it nor for whom.
    const page = await app.inject(`/api/reports/${created.id}`);
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
    const { rows: before } = await db.pool.query('SELECT count(*)::int AS n FROM reports');
    const cases: [object, number, string][] = [
      [{ ...counterReport, residentEmail: 'residente(at)example.org' }, 400, 'EMAIL_INVALID'],
      [{ ...counterReport, residentEmail: 'a@b' }, 400, 'EMAIL_INVALID'],
      [{ ...counterReport, channel: 'web' }, 400, 'CHANNEL_INVALID'],
      [{ ...counterReport, channel: 'pigeon' }, 400, 'CHANNEL_INVALID'],
      [{ ...counterReport, category: 'licorne' }, 422, 'CATEGORY_UNKNOWN'],
      [{ ...counterReport, lat: 45.75, lon: 4.83 }, 422, 'LOCATION_OUTSIDE_SERVICE_AREA'],
      [{ ...counterReport, lat: 123 }, 400, 'LOCATION_INVALID'],
      [{ ...counterReport, lat: 'nord' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const response = await file('agent', payload);
      expect({ payload, status: response.statusCode, code: response.json().code }).toEqual({ payload, status, code });
    }
    const { rows: after } = await db.pool.query('SELECT count(*)::int AS n FROM reports');
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
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM reports LIMIT 1');
    const reportId = rows[0]!.id;
    const tries: [string, 'GET' | 'POST', object?][] = [
      ['/api/staff/reports', 'GET'],
      [`/api/staff/reports/${reportId}/transitions`, 'POST', { to: 'acknowledged' }],
      ['/api/analytics/channels', 'GET'],
      ['/api/analytics/satisfaction', 'GET'],
    ];
    for (const [url, method, payload] of tries) {
      const response = await app.inject({ method, url, headers: as('agent'), payload });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
    }
    expect((await app.inject({ url: '/api/staff/me', headers: as('agent') })).json().user).toMatchObject({
      role: 'agent',
    });
  });

  it('shows the counter and phone reports in the channel figures, next to web and Open311 ones', async () => {
    const tokens = createTokenSigner(SECRET);
    const storage = createLocalStorage(settings.storageDir);
    const point = { lat: String(POINT_PARIS_11.lat), lon: String(POINT_PARIS_11.lon) };
    await createReport({ db: db.pool, storage, tokens }, { category: 'nid-de-poule', ...point, photos: [] });
    await createReport(
      { db: db.pool, storage, tokens },
      { category: 'nid-de-poule', ...point, photos: [], source: 'open311' },
    );

    const response = await app.inject({ url: '/api/analytics/channels', headers: as('council') });
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
    const empty = await app.inject({
      url: '/api/analytics/channels?from=2020-01-01&to=2020-01-31',
      headers: as('council'),
    });
    expect(empty.json().total).toBe(0);
    for (const query of ['from=2026-02-01&to=2026-01-01', 'from=2026-02-30', 'to=demain']) {
      const bad = await app.inject({ url: `/api/analytics/channels?${query}`, headers: as('supervisor') });
      expect({ query, status: bad.statusCode, code: bad.json().code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });
});
