import {
  changeReportStatus,
  createLogger,
  createMailer,
  insertOutboxJob,
  sendAlertDigests,
  withTransaction,
} from '@pave/core';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { fileReport, type Point } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const SECRET = 'alerts-test-secret-0123456789';
const BASE = 'https://pave.example';
const POINT_PARIS_15 = { lon: 2.295, lat: 48.84 };
const logger = createLogger({ level: 'silent', name: 'test' });
const stack = useStack({
  worker: { logger },
  smtp: true,
  queue: true,
  env: { TOKEN_SECRET: SECRET, PUBLIC_BASE_URL: BASE },
});

const mailDeps = () => ({
  db: stack.pool,
  tokens: stack.deps.tokens,
  logger,
  publicBaseUrl: BASE,
  mailer: createMailer({ smtpUrl: stack.smtp.url, from: 'pave@test' }),
});

/** `[lon, lat]` of a point `meters` east of another, at Paris's latitude. */
const eastOf = (p: { lon: number; lat: number }, meters: number) => ({
  lon: p.lon + meters / (111_320 * Math.cos((p.lat * Math.PI) / 180)),
  lat: p.lat,
});

const fileAt = (point: Point, category: string) => fileReport(stack.deps, { point, category });

const subscribe = (payload: object) => stack.app.inject({ method: 'POST', url: '/api/alerts', payload });
const to = (mail: ParsedMail) => (mail.to as { text: string }).text;
const mailsTo = (email: string) => stack.smtp.mails.filter((m) => to(m) === email);
const linkToken = (mail: ParsedMail, path: string) => {
  const match = new RegExp(`${BASE}${path}\\?t=([0-9]+\\.[A-Za-z0-9_-]{43})`).exec(mail.text ?? '');
  expect(match, `a ${path} link in the mail`).not.toBeNull();
  return match![1]!;
};
const waitForMailTo = async (email: string, count = 1) => {
  const deadline = Date.now() + 10_000;
  while (mailsTo(email).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} mail(s) to ${email}`);
    await stack.smtp.waitForMails(stack.smtp.mails.length + 1, deadline - Date.now());
  }
  return mailsTo(email);
};

/** Subscribes, reads the confirmation mail and confirms through the API; returns the confirm token. */
async function subscribeAndConfirm(payload: { email: string } & Record<string, unknown>) {
  const response = await subscribe(payload);
  expect(response.statusCode).toBe(202);
  expect(response.json()).toEqual({ status: 'pending' });
  const [confirmation] = await waitForMailTo(payload.email);
  const token = linkToken(confirmation!, '/alertes/confirmer');
  // Opening the link (a mail scanner does) changes nothing; the page's button confirms.
  expect((await stack.app.inject(`/api/alerts/confirm/${token}`)).json()).toMatchObject({ state: 'pending' });
  const confirmed = await stack.app.inject({ method: 'POST', url: `/api/alerts/confirm/${token}` });
  expect(confirmed.json()).toMatchObject({ state: 'active' });
  return { token, confirmation: confirmation! };
}

describe('area alerts: subscribe, confirm, digest, unsubscribe', () => {
  it('mails a daily digest of new and resolved reports in an arrondissement and categories, and nothing else', async () => {
    // Filed and routed before the alert exists: only its resolution is news.
    const older = await fileAt(eastOf(POINT_PARIS_11, 100), 'nid-de-poule');
    const { confirmation } = await subscribeAndConfirm({
      email: 'riveraine@example.org',
      area: { areaCode: 'paris-11' },
      categories: ['nid-de-poule'],
      groups: ['graffitis'],
      frequency: 'daily',
    });
    expect(confirmation.subject).toContain('Paris 11e');
    expect(confirmation.text).toContain('chaque jour');
    const { rows: pending } = await stack.pool.query(`SELECT count(*)::int AS n FROM area_alerts`);
    expect(pending[0].n).toBe(1);

    const pothole = await fileAt(POINT_PARIS_11, 'nid-de-poule');
    const tag = await fileAt(eastOf(POINT_PARIS_11, 200), 'tag-facade');
    const bulky = await fileAt(eastOf(POINT_PARIS_11, 300), 'encombrant');
    const elsewhere = await fileAt(POINT_PARIS_15, 'nid-de-poule');
    await withTransaction(stack.pool, (tx) =>
      changeReportStatus(tx, { reportId: older.id, from: 'new', to: 'resolved', actor: 'staff:test' }),
    );

    // The worker's job, through the outbox, as the scheduler would run it.
    const before = stack.smtp.mails.length;
    await insertOutboxJob(stack.pool, 'alerts.digest', { frequency: 'daily', until: new Date().toISOString() });
    const [digest] = (await stack.smtp.waitForMails(before + 1)).slice(before);
    expect(to(digest!)).toBe('riveraine@example.org');
    expect(digest!.subject).toBe('Pavé, Paris 11e — Popincourt : 2 nouveaux, 1 résolu');
    const text = digest!.text ?? '';
    expect(text).toContain(`${BASE}/r/${pothole.ref}`);
    expect(text).toContain(`${BASE}/r/${tag.ref}`);
    expect(text).toContain(`${BASE}/r/${older.ref}`);
    expect(text).toMatch(/Problèmes résolus \(1\)\n- [^\n]*\n[^\n]*/);
    for (const other of [bulky, elsewhere]) expect(text).not.toContain(other.ref);
    // RFC 8058 one-click unsubscribe, and a visible link to the unsubscribe page.
    const unsubscribeToken = linkToken(digest!, '/alertes/desinscription');
    // Unfolded: a long header line is folded over two lines on the wire.
    const header = (key: string) => digest!.headerLines.find((h) => h.key === key)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${BASE}/api/alerts/unsubscribe/${unsubscribeToken}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    // The same window again (a retried job): nothing more is sent.
    const { rows } = await stack.pool.query(`SELECT covered_until, last_sent_at FROM area_alerts`);
    expect(await sendAlertDigests(mailDeps(), 'daily', rows[0].covered_until)).toEqual({ alerts: 0, sent: 0 });
    // A later window where nothing happened: no mail either, but the window moves on.
    expect(await sendAlertDigests(mailDeps(), 'daily', new Date())).toEqual({ alerts: 1, sent: 0 });
    // Weekly alerts are not due on a daily run.
    expect(mailsTo('riveraine@example.org')).toHaveLength(2);

    // One click from the mail client: a form POST to the List-Unsubscribe URL, no session.
    const page = await stack.app.inject(`/api/alerts/unsubscribe/${unsubscribeToken}`);
    expect(page.json()).toEqual({ areaLabel: 'Paris 11e — Popincourt', frequency: 'daily', state: 'active' });
    const oneClick = await stack.app.inject({
      method: 'POST',
      url: `/api/alerts/unsubscribe/${unsubscribeToken}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.json()).toMatchObject({ state: 'unsubscribed' });
    await fileAt(eastOf(POINT_PARIS_11, 50), 'nid-de-poule');
    expect(await sendAlertDigests(mailDeps(), 'daily', new Date())).toEqual({ alerts: 0, sent: 0 });
    // A confirmation link cannot bring an unsubscribed alert back.
    const token = linkToken(confirmation, '/alertes/confirmer');
    expect((await stack.app.inject({ method: 'POST', url: `/api/alerts/confirm/${token}` })).json().state).toBe(
      'unsubscribed',
    );
  });

  it('follows a circle around an address, weekly, every category', async () => {
    await subscribeAndConfirm({
      email: 'voisin@example.org',
      area: { center: [POINT_PARIS_15.lon, POINT_PARIS_15.lat], radiusM: 300, label: '10 rue Exemple' },
      frequency: 'weekly',
    });
    const near = await fileAt(eastOf(POINT_PARIS_15, 200), 'depot-sauvage');
    const far = await fileAt(eastOf(POINT_PARIS_15, 800), 'depot-sauvage');
    expect(await sendAlertDigests(mailDeps(), 'daily', new Date())).toMatchObject({ sent: 0 });
    expect(await sendAlertDigests(mailDeps(), 'weekly', new Date())).toEqual({ alerts: 1, sent: 1 });
    const [, digest] = await waitForMailTo('voisin@example.org', 2);
    expect(digest!.subject).toBe('Pavé, 300 m autour de 10 rue Exemple : 1 nouveau');
    expect(digest!.text).toContain(near.ref);
    expect(digest!.text).not.toContain(far.ref);
    // Public fields only: never a reporter's address.
    expect(digest!.text).not.toMatch(/@/);
  });

  it('never mails an unconfirmed alert', async () => {
    expect(
      (await subscribe({ email: 'jamais@example.org', area: { areaCode: 'paris-11' }, frequency: 'daily' })).statusCode,
    ).toBe(202);
    await waitForMailTo('jamais@example.org');
    await fileAt(POINT_PARIS_11, 'nid-de-poule');
    await sendAlertDigests(mailDeps(), 'daily', new Date());
    expect(mailsTo('jamais@example.org')).toHaveLength(1);
  });

  it('schedules the digests at 07:00 Paris time, daily and on Mondays', async () => {
    const schedulers = await stack.queue.getJobSchedulers();
    expect(
      schedulers
        .filter((s) => s.key.startsWith('alerts-digest-'))
        .map((s) => ({ id: s.key, pattern: s.pattern, tz: s.tz, data: s.template?.data }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual([
      { id: 'alerts-digest-daily', pattern: '0 7 * * *', tz: 'Europe/Paris', data: { frequency: 'daily' } },
      { id: 'alerts-digest-weekly', pattern: '0 7 * * 1', tz: 'Europe/Paris', data: { frequency: 'weekly' } },
    ]);
  });
});

describe('area alerts: bad input is refused with a reason', () => {
  const square = (lon: number, lat: number, d: number) => [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ];
  const cases: [string, object, number, string, RegExp?][] = [
    [
      'a self-intersecting polygon',
      {
        polygon: {
          type: 'Polygon',
          coordinates: [
            [
              [2.37, 48.85],
              [2.39, 48.87],
              [2.39, 48.85],
              [2.37, 48.87],
              [2.37, 48.85],
            ],
          ],
        },
      },
      400,
      'ALERT_AREA_INVALID',
      /Self-intersection/,
    ],
    [
      'a ring that is not closed',
      {
        polygon: {
          type: 'Polygon',
          coordinates: [
            square(2.37, 48.85, 0.01)
              .slice(0, 4)
              .concat([[2.371, 48.851]]),
          ],
        },
      },
      400,
      'ALERT_AREA_INVALID',
    ],
    [
      'the whole of mainland France',
      {
        polygon: {
          type: 'Polygon',
          coordinates: [
            [
              [-4.8, 48.4],
              [2.5, 51.1],
              [8.2, 49.0],
              [7.5, 43.8],
              [3.1, 42.4],
              [-1.8, 43.4],
              [-4.8, 48.4],
            ],
          ],
        },
      },
      422,
      'ALERT_AREA_TOO_LARGE',
      /km²/,
    ],
    [
      'a small square in Lyon',
      { polygon: { type: 'Polygon', coordinates: [square(4.83, 45.75, 0.01)] } },
      422,
      'ALERT_AREA_OUTSIDE',
    ],
    [
      'a radius over 2 km',
      { center: [POINT_PARIS_11.lon, POINT_PARIS_11.lat], radiusM: 5000 },
      400,
      'ALERT_AREA_INVALID',
    ],
    ['a radius of 0', { center: [POINT_PARIS_11.lon, POINT_PARIS_11.lat], radiusM: 0 }, 400, 'ALERT_AREA_INVALID'],
    ['a circle in the Atlantic', { center: [-30, 45], radiusM: 1000 }, 422, 'ALERT_AREA_OUTSIDE'],
    ['a latitude out of range', { center: [2.35, 95], radiusM: 1000 }, 400, 'LOCATION_INVALID'],
    ['an unknown arrondissement', { areaCode: 'paris-99' }, 400, 'ALERT_AREA_INVALID'],
    ['no area at all', {}, 400, 'VALIDATION_FAILED'],
  ];
  for (const [name, area, status, code, message] of cases) {
    it(`refuses ${name}`, async () => {
      const response = await subscribe({ email: 'test@example.org', area, frequency: 'daily' });
      expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
      if (message) expect(response.json().message).toMatch(message);
    });
  }

  it('refuses a malformed e-mail, an unknown category, an unknown frequency and a forged link', async () => {
    const area = { areaCode: 'paris-11' };
    const badEmail = await subscribe({ email: 'pas une adresse', area, frequency: 'daily' });
    expect({ status: badEmail.statusCode, code: badEmail.json().code }).toEqual({ status: 400, code: 'EMAIL_INVALID' });
    const badCategory = await subscribe({ email: 'a@example.org', area, categories: ['licornes'], frequency: 'daily' });
    expect(badCategory.json().code).toBe('CATEGORY_UNKNOWN');
    expect((await subscribe({ email: 'a@example.org', area, frequency: 'hourly' })).statusCode).toBe(400);
    for (const url of [`/api/alerts/unsubscribe/1.${'A'.repeat(43)}`, '/api/alerts/confirm/nope']) {
      const forged = await stack.app.inject({ method: 'POST', url });
      expect({ status: forged.statusCode, code: forged.json().code }).toEqual({ status: 404, code: 'ALERT_NOT_FOUND' });
    }
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM area_alerts WHERE email = 'a@example.org'`);
    expect(rows[0].n).toBe(0);
  });
});
