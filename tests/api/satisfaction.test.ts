import { changeReportStatus, createLogger, createMailer, notifyHistoryEntry, withTransaction } from '@pave/core';
import { describe, expect, it } from 'vitest';
import { addConfirmedFollower, fileReport, routeFiledReport } from '../support/factories';
import { useStack } from '../support/stack';

const SECRET = 'satisfaction-test-secret-012345';
const stack = useStack({
  smtp: true,
  env: { TOKEN_SECRET: SECRET },
  staff: { council: { role: 'council' }, crew: { role: 'crew', teamCode: 'voirie-11' } },
});

/** A report filed in the 11th with a reporter address, routed (a pothole to voirie-11) unless said, and resolved. */
async function resolvedReport(category = 'nid-de-poule', isRouted = true) {
  const created = await fileReport(stack.deps, { category, email: 'habitant@example.org' });
  if (isRouted) await routeFiledReport(stack.pool, created.id);
  await withTransaction(stack.pool, (tx) =>
    changeReportStatus(tx, { reportId: created.id, from: 'new', to: 'resolved', actor: 'staff:test' }),
  );
  const { rows } = await stack.pool.query<{ id: string }>(
    `SELECT id FROM report_history WHERE report_id = $1 AND to_status = 'resolved'`,
    [created.id],
  );
  const historyId = rows[0]!.id;
  return { ...created, token: new URL(created.trackingUrl, 'http://x').searchParams.get('t')!, historyId };
}

const answer = (id: string, payload: object) =>
  stack.app.inject({ method: 'POST', url: `/api/reports/${id}/fixed`, payload });

const satisfaction = async (who: 'council' | 'crew' = 'council', query = '') =>
  stack.app.inject({ url: `/api/analytics/satisfaction${query}`, headers: stack.as(who) });

describe('satisfaction after resolution', () => {
  it('stores the reporter’s and a follower’s rating once per resolution', async () => {
    const report = await resolvedReport();
    const { followerToken } = await addConfirmedFollower(stack.deps, {
      reportId: report.id,
      email: 'voisine@example.org',
    });

    const first = await answer(report.id, { t: report.token, fixed: true, rating: 4, comment: 'Merci, rapide.' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'resolved' });
    const again = await answer(report.id, { t: report.token, fixed: true, rating: 5 });
    expect({ status: again.statusCode, code: again.json().code }).toEqual({
      status: 409,
      code: 'FEEDBACK_ALREADY_GIVEN',
    });
    expect((await answer(report.id, { t: followerToken, fixed: true, rating: 5 })).statusCode).toBe(200);

    const { rows } = await stack.pool.query(
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
    const page = (await stack.app.inject(`/api/reports/${report.id}`)).json();
    expect(page.status).toBe('reopened');
    expect(page.timeline.at(-1)).toMatchObject({ status: 'reopened', message: 'Toujours un trou.' });

    await withTransaction(stack.pool, (tx) =>
      changeReportStatus(tx, { reportId: report.id, from: 'reopened', to: 'resolved', actor: 'staff:test' }),
    );
    expect((await answer(report.id, { t: report.token, fixed: true, rating: 3 })).json()).toEqual({
      status: 'resolved',
    });
    const { rows } = await stack.pool.query(
      `SELECT fixed, rating FROM report_feedback WHERE report_id = $1 ORDER BY id`,
      [report.id],
    );
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
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM report_feedback WHERE report_id = $1', [
      report.id,
    ]);
    expect(rows[0].n).toBe(0);
    // An answer without a rating is still an answer.
    expect((await answer(report.id, { t: report.token, fixed: true })).statusCode).toBe(200);
  });

  it('asks for the rating in the resolution mail', async () => {
    const report = await resolvedReport();
    const mailer = createMailer({ smtpUrl: stack.smtp.url, from: 'pave@test' });
    await notifyHistoryEntry(
      {
        ...stack.deps,
        mailer,
        publicBaseUrl: 'https://pave.example',
        logger: createLogger({ level: 'silent', name: 'test' }),
      },
      report.historyId,
    );
    const [mail] = await stack.smtp.waitForMails(1);
    expect(mail!.text).toContain('de 1 à 5');
    expect(mail!.text).toContain(`https://pave.example/r/${report.ref}?t=${report.token}`);
    mailer.close();
  });

  it('gives the council satisfaction per category, team and channel, with counts, withholding small samples', async () => {
    await stack.pool.query('TRUNCATE report_feedback');
    const ratings = [5, 4, 4, 3, 5, 5, 2, 4, 5, 3];
    for (const rating of ratings) {
      const report = await resolvedReport('nid-de-poule');
      expect((await answer(report.id, { t: report.token, fixed: true, rating })).statusCode).toBe(200);
    }
    for (const [fixed, rating] of [
      [true, 1],
      [false, 2],
    ] as const) {
      const report = await resolvedReport('encombrant', false);
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

  it('takes the council’s other filters (area, team, category, group, status) on the reports answered about', async () => {
    await stack.pool.query('TRUNCATE report_feedback');
    for (const rating of [5, 4, 2]) {
      const report = await resolvedReport('nid-de-poule');
      expect((await answer(report.id, { t: report.token, fixed: true, rating })).statusCode).toBe(200);
    }
    for (const rating of [1, 3]) {
      const report = await resolvedReport('encombrant', false);
      expect((await answer(report.id, { t: report.token, fixed: rating > 2, rating })).statusCode).toBe(200);
    }
    // The expected figures, counted straight from the tables.
    const counted = async (where: string, params: unknown[]) =>
      (
        await stack.pool.query<{ answers: number; ratings: number }>(
          `SELECT count(*)::int AS answers, count(f.rating)::int AS ratings
             FROM report_feedback f JOIN reports r ON r.id = f.report_id
             JOIN categories c ON c.id = r.category_id JOIN category_groups g ON g.id = c.group_id
             LEFT JOIN teams t ON t.id = r.team_id LEFT JOIN service_areas a ON a.id = r.area_id
            WHERE ${where}`,
          params,
        )
      ).rows[0]!;
    const cases: [string, string, unknown[]][] = [
      ['', 'true', []],
      ['?team=voirie-11', 't.code = $1', ['voirie-11']],
      ['?category=encombrant', 'c.code = $1', ['encombrant']],
      ['?area=paris-11', 'a.code = $1', ['paris-11']],
      ['?area=paris-12', 'a.code = $1', ['paris-12']],
      ['?status=closed', `r.status IN ('resolved', 'rejected', 'duplicate', 'transferred')`, []],
    ];
    const { rows: groups } = await stack.pool.query<{ code: string }>(
      `SELECT g.code FROM categories c JOIN category_groups g ON g.id = c.group_id WHERE c.code = 'encombrant'`,
    );
    cases.push([`?group=${groups[0]!.code}`, 'g.code = $1', [groups[0]!.code]]);
    for (const [query, where, params] of cases) {
      const response = await satisfaction('council', query);
      expect(response.statusCode, `${query} ${response.body}`).toBe(200);
      const { answers, ratings } = response.json().overall;
      expect({ query, answers, ratings }).toEqual({ query, ...(await counted(where, params)) });
    }
    // The filters do narrow: five answers in all, three about the team's potholes.
    expect((await satisfaction('council', '?team=voirie-11')).json().overall.answers).toBe(3);
    expect((await satisfaction('council', '?category=encombrant')).json().byTeam).toEqual([
      expect.objectContaining({ key: '-', answers: 2 }),
    ]);
    // An unknown code is refused by name, as on the other figures.
    const unknown = await satisfaction('council', '?area=nulle-part');
    expect({ status: unknown.statusCode, code: unknown.json().code }).toEqual({ status: 400, code: 'FILTER_INVALID' });
  });
});
