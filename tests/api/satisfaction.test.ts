import {
  changeReportStatus,
  createLocalStorage,
  createLogger,
  createMailer,
  createReport,
  createStaffUser,
  createTokenSigner,
  notifyHistoryEntry,
  withTransaction,
} from '@pave/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { createTestSettings, testApiConfig, type TestSettings } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { POINT_PARIS_11 } from '../support/multipart';
import { addConfirmedFollower } from '../support/factories';
import { startTestSmtp, type TestSmtp } from '../support/smtp';

const SECRET = 'satisfaction-test-secret-012345';
const PASSWORD = 'correct horse battery';
let db: TestDatabase;
let settings: TestSettings;
let app: FastifyInstance;
let smtp: TestSmtp;
const tokens = createTokenSigner(SECRET);
const cookies: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  settings = createTestSettings(db.url);
  smtp = await startTestSmtp();
  app = await buildApp(testApiConfig(settings, { TOKEN_SECRET: SECRET }));
  for (const [who, extra] of [
    ['council', {}],
    ['crew', { teamCode: 'voirie-11' }],
  ] as const) {
    await createStaffUser(db.pool, { email: `${who}@ville.test`, password: PASSWORD, role: who, ...extra });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: `${who}@ville.test`, password: PASSWORD },
    });
    cookies[who] = login.cookies.find((c) => c.name === 'pave_session')!.value;
  }
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
  await db?.drop();
});

/** A report filed with a reporter address, routed to a team and resolved by it. */
async function resolvedReport(category = 'nid-de-poule', team: string | null = 'voirie-11') {
  const created = await createReport(
    { db: db.pool, storage: createLocalStorage(settings.storageDir), tokens },
    {
      category,
      lat: String(POINT_PARIS_11.lat),
      lon: String(POINT_PARIS_11.lon),
      email: 'habitant@example.org',
      photos: [],
    },
  );
  if (team)
    await db.pool.query(`UPDATE reports SET team_id = (SELECT id FROM teams WHERE code = $2) WHERE id = $1`, [
      created.id,
      team,
    ]);
  await withTransaction(db.pool, (tx) =>
    changeReportStatus(tx, { reportId: created.id, from: 'new', to: 'resolved', actor: 'staff:test' }),
  );
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM report_history WHERE report_id = $1 AND to_status = 'resolved'`,
    [created.id],
  );
  const historyId = rows[0]!.id;
  return { ...created, token: new URL(created.trackingUrl, 'http://x').searchParams.get('t')!, historyId };
}

const answer = (id: string, payload: object) =>
  app.inject({ method: 'POST', url: `/api/reports/${id}/fixed`, payload });

const satisfaction = async (who = 'council') =>
  app.inject({ url: '/api/analytics/satisfaction', headers: { cookie: `pave_session=${cookies[who]}` } });

describe('satisfaction after resolution', () => {
  it('stores the reporter’s and a follower’s rating once per resolution', async () => {
    const report = await resolvedReport();
    const { followerToken } = await addConfirmedFollower(
      { db: db.pool, tokens },
      { reportId: report.id, email: 'voisine@example.org' },
    );

    const first = await answer(report.id, { t: report.token, fixed: true, rating: 4, comment: 'Merci, rapide.' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'resolved' });
    const again = await answer(report.id, { t: report.token, fixed: true, rating: 5 });
    expect({ status: again.statusCode, code: again.json().code }).toEqual({
      status: 409,
      code: 'FEEDBACK_ALREADY_GIVEN',
    });
    expect((await answer(report.id, { t: followerToken, fixed: true, rating: 5 })).statusCode).toBe(200);

    const { rows } = await db.pool.query(
      `SELECT role, follower_id IS NOT NULL AS has_follower, fixed, rating, comment FROM report_feedback
        WHERE report_id = $1 ORDER BY id`,
      [report.id],
    );
    expect(rows).toEqual([
      { role: 'reporter', has_follower: false, fixed: true, rating: 4, comment: 'Merci, rapide.' },
      { role: 'follower', has_follower: true, fixed: true, rating: 5, comment: null },
    ]);
    // No personal data in the answers.
    expect(JSON.stringify(rows)).not.toContain('@');
  });

  it('still reopens on "not fixed", keeps the rating, and asks again after the next resolution', async () => {
    const report = await resolvedReport();
    const notFixed = await answer(report.id, {
      t: report.token,
      fixed: false,
      rating: 1,
      comment: 'Toujours un trou.',
    });
    expect(notFixed.json()).toEqual({ status: 'reopened' });
    const page = (await app.inject(`/api/reports/${report.id}`)).json();
    expect(page.status).toBe('reopened');
    expect(page.timeline.at(-1)).toMatchObject({ status: 'reopened', message: 'Toujours un trou.' });

    await withTransaction(db.pool, (tx) =>
      changeReportStatus(tx, { reportId: report.id, from: 'reopened', to: 'resolved', actor: 'staff:test' }),
    );
    expect((await answer(report.id, { t: report.token, fixed: true, rating: 3 })).json()).toEqual({
      status: 'resolved',
    });
    const { rows } = await db.pool.query(`SELECT fixed, rating FROM report_feedback WHERE report_id = $1 ORDER BY id`, [
      report.id,
    ]);
    expect(rows).toEqual([
      { fixed: false, rating: 1 },
      { fixed: true, rating: 3 },
    ]);
  });

  it('refuses a rating out of range or not whole (400), and stores nothing', async () => {
    const report = await resolvedReport();
    for (const rating of [0, 6, 3.5, -1, 'cinq', null]) {
      const response = await answer(report.id, { t: report.token, fixed: true, rating });
      expect({ rating, status: response.statusCode, code: response.json().code }).toEqual({
        rating,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM report_feedback WHERE report_id = $1', [
      report.id,
    ]);
    expect(rows[0].n).toBe(0);
    // An answer without a rating is still an answer.
    expect((await answer(report.id, { t: report.token, fixed: true })).statusCode).toBe(200);
  });

  it('asks for the rating in the resolution mail', async () => {
    const report = await resolvedReport();
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'pave@test' });
    await notifyHistoryEntry(
      {
        db: db.pool,
        storage: createLocalStorage(settings.storageDir),
        tokens,
        mailer,
        publicBaseUrl: 'https://pave.example',
        logger: createLogger({ level: 'silent', name: 'test' }),
      },
      report.historyId,
    );
    const [mail] = await smtp.waitForMails(1);
    expect(mail!.text).toContain('de 1 à 5');
    expect(mail!.text).toContain(`https://pave.example/r/${report.ref}?t=${report.token}`);
    mailer.close();
  });

  it('gives the council satisfaction per category, team and channel, with counts, withholding small samples', async () => {
    await db.pool.query('TRUNCATE report_feedback');
    const ratings = [5, 4, 4, 3, 5, 5, 2, 4, 5, 3];
    for (const rating of ratings) {
      const report = await resolvedReport('nid-de-poule', 'voirie-11');
      expect((await answer(report.id, { t: report.token, fixed: true, rating })).statusCode).toBe(200);
    }
    for (const [fixed, rating] of [
      [true, 1],
      [false, 2],
    ] as const) {
      const report = await resolvedReport('encombrant', null);
      expect((await answer(report.id, { t: report.token, fixed, rating })).statusCode).toBe(200);
    }

    const response = await satisfaction();
    expect(response.statusCode).toBe(200);
    const figures = response.json();
    expect(figures.minSampleSize).toBe(10);
    expect(figures.overall).toMatchObject({ answers: 12, ratings: 12, averageRating: 3.58, insufficient: false });
    const byCategory = Object.fromEntries(figures.byCategory.map((r: { key: string }) => [r.key, r]));
    expect(byCategory['nid-de-poule']).toMatchObject({
      label: 'Nid-de-poule',
      answers: 10,
      ratings: 10,
      averageRating: 4,
      fixedShare: 1,
      insufficient: false,
    });
    expect(byCategory['nid-de-poule'].medianHoursToResolve).toEqual(expect.any(Number));
    // Two answers: counted, but no average that would pretend to mean something.
    expect(byCategory.encombrant).toMatchObject({
      answers: 2,
      ratings: 2,
      averageRating: null,
      fixedShare: null,
      insufficient: true,
    });
    expect(figures.byTeam.map((r: { key: string; answers: number }) => [r.key, r.answers])).toEqual([
      ['voirie-11', 10],
      ['-', 2],
    ]);
    expect(figures.byChannel).toEqual([
      expect.objectContaining({ key: 'web', label: 'Site web', answers: 12, averageRating: 3.58 }),
    ]);
    expect((await satisfaction('crew')).statusCode).toBe(403);
  });
});
