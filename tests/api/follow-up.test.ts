import { createTokenSigner, DEVELOPMENT_TOKEN_SECRET } from '@pave/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePhoto, multipart, POINT_PARIS_11 } from '../support/multipart';
import { waitFor } from '../support/wait';
import { followConfirmationIn } from '../support/smtp';
import { useStack } from '../support/stack';

const stack = useStack({ smtp: true, env: { PUBLIC_BASE_URL: 'https://pave.example' } });

/** The confirmation mail sent to `email` (the newest), and the token its link carries. */
async function confirmationMailTo(email: string) {
  const mail = await waitFor(async () => stack.smtp.mails.findLast((m) => (m.to as { text: string }).text === email), {
    what: `the confirmation mail to ${email}`,
  });
  return { mail, token: followConfirmationIn(mail)! };
}

/** A point `metres` east of `origin` (good enough at Paris's latitude for tens of metres). */
function eastOf(origin: { lon: number; lat: number }, metres: number) {
  return { lon: origin.lon + metres / (111_320 * Math.cos((origin.lat * Math.PI) / 180)), lat: origin.lat };
}

async function file(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const body = await multipart(fields);
  return stack.app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: body.payload,
    headers: { ...body.headers, ...headers },
  });
}

async function fileAt(
  point: { lon: number; lat: number },
  category = 'nid-de-poule',
  extra: Record<string, string> = {},
) {
  const response = await file({ category, lat: String(point.lat), lon: String(point.lon), ...extra });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; ref: string; trackingUrl: string };
}

const tokenOf = (trackingUrl: string) => new URL(trackingUrl, 'http://x').searchParams.get('t')!;
const countReports = async () => (await stack.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n as number;

describe('Idempotency-Key', () => {
  const fields = { category: 'encombrant', lat: '48.8601', lon: '2.3801', description: 'Un matelas' };

  it('files a retried submission once and answers it with the first report', async () => {
    const before = await countReports();
    const first = await file(fields, { 'idempotency-key': 'draft-0001-abcdef' });
    const retry = await file(fields, { 'idempotency-key': 'draft-0001-abcdef' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await countReports()).toBe(before + 1);
  });

  it('files concurrent copies of one submission once', async () => {
    const before = await countReports();
    const answers = await Promise.all([1, 2, 3].map(() => file(fields, { 'idempotency-key': 'draft-0002-racing' })));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await countReports()).toBe(before + 1);
  });

  it('refuses the same key with another body (409) and a malformed key (400)', async () => {
    await file(fields, { 'idempotency-key': 'draft-0003-reused' });
    const before = await countReports();
    const reused = await file({ ...fields, description: 'Autre chose' }, { 'idempotency-key': 'draft-0003-reused' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const malformed = await file(fields, { 'idempotency-key': 'no spaces!' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await countReports()).toBe(before);
  });
});

describe('severity', () => {
  it('stores DansMaRue’s three levels and refuses others', async () => {
    const created = await fileAt(eastOf(POINT_PARIS_11, 400), 'regard-descelle', { severity: 'dangereux' });
    expect((await stack.app.inject(`/api/reports/${created.id}`)).json().severity).toBe('dangereux');
    const bad = await file({ category: 'nid-de-poule', lat: '48.86', lon: '2.38', severity: 'apocalyptique' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('SEVERITY_INVALID');
  });
});

describe('GET /api/reports/nearby', () => {
  const origin = { lon: 2.3712, lat: 48.8532 };
  let open: { id: string; ref: string };

  beforeAll(async () => {
    open = await fileAt(origin, 'nid-de-poule');
    const resolved = await fileAt(eastOf(origin, 10), 'trottoir-degrade');
    await stack.pool.query(`UPDATE reports SET status = 'resolved' WHERE id = $1`, [resolved.id]);
    await fileAt(eastOf(origin, 5), 'tag-facade'); // another group
  });

  it('finds an open report of the same group 20 m away, with its distance', async () => {
    const p = eastOf(origin, 20);
    const response = await stack.app.inject(`/api/reports/nearby?lat=${p.lat}&lon=${p.lon}&category=trottoir-degrade`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.radiusMeters).toBe(50);
    expect(body.reports.map((r: { id: string }) => r.id)).toEqual([open.id]);
    expect(body.reports[0].distanceMeters).toBeGreaterThanOrEqual(19);
    expect(body.reports[0].distanceMeters).toBeLessThanOrEqual(21);
    expect(body.reports[0]).toMatchObject({
      ref: open.ref,
      status: 'new',
      category: { code: 'nid-de-poule' },
      supportCount: 0,
    });
  });

  it('ignores reports beyond the radius, resolved ones, and other groups', async () => {
    const far = eastOf(origin, 80);
    expect(
      (await stack.app.inject(`/api/reports/nearby?lat=${far.lat}&lon=${far.lon}&category=nid-de-poule`)).json()
        .reports,
    ).toEqual([]);
    const graffiti = await stack.app.inject(
      `/api/reports/nearby?lat=${origin.lat}&lon=${origin.lon}&category=tag-mobilier`,
    );
    expect(graffiti.json().reports).toHaveLength(1);
    expect(graffiti.json().reports[0].category.code).toBe('tag-facade');
  });

  it.each([
    ['?lon=2.37&category=nid-de-poule', 400, 'LOCATION_INVALID'],
    ['?lat=95&lon=2.37&category=nid-de-poule', 400, 'LOCATION_INVALID'],
    ['?lat=48.85&lon=2.37&category=licorne', 422, 'CATEGORY_UNKNOWN'],
  ])('refuses %s', async (query, status, code) => {
    const response = await stack.app.inject(`/api/reports/nearby${query}`);
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
  });
});

describe('supports, followers and the private link', () => {
  it('"+1" counts once per device; following by e-mail gives powers only once the mailed link is opened', async () => {
    const report = await fileAt(eastOf(POINT_PARIS_11, 900), 'corbeille-pleine', { email: 'reporter@example.org' });
    const plusOne = (device: string, payload?: object) =>
      stack.app.inject({
        method: 'POST',
        url: `/api/reports/${report.id}/support`,
        headers: { 'x-pave-device': device },
        payload,
      });
    expect((await plusOne('device-aaaa-0001')).json()).toEqual({ supportCount: 1, confirmationSent: false });
    expect((await plusOne('device-aaaa-0001')).json().supportCount).toBe(1);
    const asked = await plusOne('device-bbbb-0002', { email: 'voisin@example.org' });
    // No token in the answer: whoever typed the address gets nothing to act with.
    expect(asked.json()).toEqual({ supportCount: 2, confirmationSent: true });
    const { mail, token: confirmation } = await confirmationMailTo('voisin@example.org');
    expect(mail.subject).toBe(`Confirmez le suivi du signalement ${report.ref}`);
    expect(mail.text).toContain(`https://pave.example/r/${report.ref}#suivre=`);
    const pending = await stack.pool.query(
      'SELECT confirmed_at FROM report_followers WHERE report_id = $1 AND email = $2',
      [report.id, 'voisin@example.org'],
    );
    expect(pending.rows[0].confirmed_at).toBeNull();

    const confirm = (token: string) =>
      stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/followers/confirm`, payload: { token } });
    const forged = await confirm(`c1.${'A'.repeat(43)}`);
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('FOLLOW_CONFIRMATION_INVALID');
    const confirmed = await confirm(confirmation);
    expect(confirmed.statusCode).toBe(200);
    const { followerToken } = confirmed.json();
    expect(followerToken).toMatch(/^f\d+\./);

    const page = await stack.app.inject(`/api/reports/by-ref/${report.ref}`);
    expect(page.json()).toMatchObject({ id: report.id, supportCount: 2 });
    expect(page.body).not.toContain('example.org');
    expect(page.body).not.toContain(tokenOf(report.trackingUrl));
    expect(page.body).not.toContain(followerToken);

    const me = (t: string) => stack.app.inject(`/api/reports/${report.id}/me?t=${encodeURIComponent(t)}`);
    expect((await me(tokenOf(report.trackingUrl))).json()).toEqual({ role: 'reporter', following: true });
    expect((await me(followerToken)).json()).toEqual({ role: 'follower', following: true });

    const unfollow = () =>
      stack.app.inject({ method: 'DELETE', url: `/api/reports/${report.id}/followers/${followerToken}` });
    expect((await unfollow()).statusCode).toBe(204);
    expect((await unfollow()).statusCode).toBe(404);
    expect((await me(followerToken)).statusCode).toBe(404);
    // Asking again does not re-subscribe anyone by itself: only the mailed link does.
    const again = await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${report.id}/followers`,
      payload: { email: 'voisin@example.org' },
    });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ confirmationSent: true });
    expect((await me(followerToken)).statusCode).toBe(404);
  });

  it('never gives a follower token, or status mails, before the address is confirmed', async () => {
    const report = await fileAt(eastOf(POINT_PARIS_11, 950), 'corbeille-pleine');
    const asked = await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${report.id}/followers`,
      payload: { email: 'stranger@example.org' },
    });
    expect(asked.statusCode).toBe(202);
    expect(asked.body).not.toMatch(/"f\d+\./);
    // What a forger would need: a follower token for that row. With the mail unopened, even the real
    // token (made here with the server's key) opens nothing.
    const { rows } = await stack.pool.query('SELECT id FROM report_followers WHERE report_id = $1', [report.id]);
    const realToken = createTokenSigner(DEVELOPMENT_TOKEN_SECRET).followerToken(rows[0].id);
    expect((await stack.app.inject(`/api/reports/${report.id}/me?t=${encodeURIComponent(realToken)}`)).statusCode).toBe(
      404,
    );
    const comment = await multipart({ t: realToken, text: 'spam' });
    expect(
      (await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/comments`, ...comment })).statusCode,
    ).toBe(404);
    // (tests/worker/notifications.test.ts checks that such a follower gets no status mail.)
  });

  it('bounds "+1" per client address and report, whatever device id is invented', async () => {
    const report = await fileAt(eastOf(POINT_PARIS_11, 980), 'corbeille-pleine');
    const statuses = [];
    for (let i = 0; i < 7; i += 1) {
      const response = await stack.app.inject({
        method: 'POST',
        url: `/api/reports/${report.id}/support`,
        headers: { 'x-pave-device': `invented-device-${i}` },
        remoteAddress: '198.51.100.7',
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const page = (await stack.app.inject(`/api/reports/by-ref/${report.ref}`)).json();
    expect(page.supportCount).toBe(5);
    // Another address still counts.
    const other = await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${report.id}/support`,
      headers: { 'x-pave-device': 'invented-device-x' },
      remoteAddress: '198.51.100.8',
    });
    expect(other.json().supportCount).toBe(6);
  });

  it('writes the confirmation mail in the language of the page the resident used', async () => {
    const report = await fileAt(eastOf(POINT_PARIS_11, 985), 'corbeille-pleine');
    const asked = await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${report.id}/followers`,
      headers: { 'accept-language': 'fr-FR' },
      payload: { email: 'neighbour@example.org', language: 'en' },
    });
    expect(asked.statusCode).toBe(202);
    const { mail } = await confirmationMailTo('neighbour@example.org');
    expect(mail.subject).toBe(`Confirm that you follow report ${report.ref}`);
  });

  it('limits follow requests per address, so nobody is mail-bombed through Pavé', async () => {
    const report = await fileAt(eastOf(POINT_PARIS_11, 990), 'corbeille-pleine');
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await stack.app.inject({
        method: 'POST',
        url: `/api/reports/${report.id}/followers`,
        payload: { email: 'victim@example.org' },
        remoteAddress: `192.0.2.${i + 1}`,
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('answers every forged, foreign or malformed token with the same 404', async () => {
    const a = await fileAt(eastOf(POINT_PARIS_11, 1200), 'dechets-voie');
    const b = await fileAt(eastOf(POINT_PARIS_11, 1300), 'dechets-voie');
    const forged = `r.${'A'.repeat(43)}`;
    for (const t of [forged, tokenOf(b.trackingUrl), 'nope', `f1.${'x'.repeat(43)}`, '']) {
      const response = await stack.app.inject(`/api/reports/${a.id}/me?t=${encodeURIComponent(t)}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ code: 'REPORT_NOT_FOUND', message: 'No report with this id.' });
    }
  });

  it('refuses a "+1" without a device id, on an unknown report, or with a bad e-mail', async () => {
    const report = await fileAt(eastOf(POINT_PARIS_11, 1500), 'dechets-voie');
    const noDevice = await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/support` });
    expect(noDevice.statusCode).toBe(400);
    const unknown = await stack.app.inject({
      method: 'POST',
      url: '/api/reports/00000000-0000-4000-8000-000000000000/support',
      headers: { 'x-pave-device': 'device-cccc-0003' },
    });
    expect(unknown.statusCode).toBe(404);
    const badEmail = await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${report.id}/followers`,
      payload: { email: 'pas-une-adresse' },
    });
    expect(badEmail.json().code).toBe('EMAIL_INVALID');
  });
});

describe('comments and "is it fixed?"', () => {
  it('lets the reporter comment with a photo, and reopen a report that is not fixed', async () => {
    const report = await fileAt(eastOf(POINT_PARIS_11, 2000), 'nid-de-poule', { email: 'reporter@example.org' });
    const t = tokenOf(report.trackingUrl);

    const comment = await multipart({ t, text: 'Il s’agrandit <b>vite</b>' }, [
      { field: 'photo', name: 'p.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') },
    ]);
    const commented = await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/comments`, ...comment });
    expect(commented.statusCode).toBe(201);
    const empty = await multipart({ t, text: '   ' });
    expect(
      (await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/comments`, ...empty })).json().code,
    ).toBe('COMMENT_INVALID');
    const stranger = await multipart({ t: `r.${'B'.repeat(43)}`, text: 'spam' });
    expect(
      (await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/comments`, ...stranger })).statusCode,
    ).toBe(404);

    const answer = (fixed: boolean) =>
      stack.app.inject({
        method: 'POST',
        url: `/api/reports/${report.id}/fixed`,
        payload: { t, fixed, comment: 'Toujours là' },
      });
    const early = await answer(false);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('REPORT_NOT_RESOLVED');

    await stack.pool.query(`UPDATE reports SET status = 'resolved' WHERE id = $1`, [report.id]);
    const reopened = await answer(false);
    expect(reopened.json()).toEqual({ status: 'reopened' });

    const page = (await stack.app.inject(`/api/reports/by-ref/${report.ref}`)).json();
    expect(page.status).toBe('reopened');
    const events = page.timeline.map((e: { event: string }) => e.event);
    expect(events).toEqual(['created', 'comment', 'status_changed']);
    expect(page.timeline[1]).toMatchObject({
      message: 'Il s’agrandit <b>vite</b>',
      label: { fr: 'Commentaire d’un habitant' },
    });
    expect(page.timeline[2]).toMatchObject({
      status: 'reopened',
      message: 'Toujours là',
      label: { fr: 'Rouvert : le problème n’est pas réparé' },
    });
    expect(page.photos.map((p: { kind: string }) => p.kind)).toEqual(['comment']);
    const { rows } = await stack.pool.query(
      `SELECT o.job_name FROM outbox o JOIN report_history h ON o.payload->>'historyId' = h.id::text
        WHERE h.report_id = $1 AND h.event = 'status_changed'`,
      [report.id],
    );
    expect(rows).toEqual([{ job_name: 'report.notify' }]);
  });

  it('answers 404 for an unknown or malformed reference', async () => {
    for (const ref of ['PAV-2026-999999', 'nothing', "PAV-2026-000001' OR 1=1"]) {
      const response = await stack.app.inject(`/api/reports/by-ref/${encodeURIComponent(ref)}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('REPORT_NOT_FOUND');
    }
  });
});

describe('rate limiting', () => {
  it('refuses the 4th report in a minute from one device with 429 and Retry-After, writing nothing', async () => {
    const limited = await stack.buildApp({ RATE_LIMIT_REPORTS_PER_DEVICE: '3' });
    const send = async () => {
      const body = await multipart({ category: 'nid-de-poule', lat: '48.8590', lon: '2.3790' });
      return limited.inject({
        method: 'POST',
        url: '/api/reports',
        payload: body.payload,
        headers: { ...body.headers, 'x-pave-device': 'device-flood-0001' },
      });
    };
    for (let i = 0; i < 3; i += 1) expect((await send()).statusCode).toBe(201);
    const before = await countReports();
    const refused = await send();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countReports()).toBe(before);
  });
});

describe('GET /api/categories', () => {
  it('lists the most used sub-types of the last 90 days first', async () => {
    // Counted here in JavaScript from the raw rows, independently of the endpoint's SQL.
    const { rows } = await stack.pool.query<{ code: string }>(
      `SELECT c.code FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.created_at > now() - interval '90 days'`,
    );
    const counts = new Map<string, number>();
    for (const { code } of rows) counts.set(code, (counts.get(code) ?? 0) + 1);
    const expected = [...counts.entries()]
      .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1))
      .slice(0, 6)
      .map(([code]) => code);
    expect(expected.length).toBeGreaterThan(1);
    const tree = (await stack.app.inject('/api/categories')).json();
    expect(tree.popular).toEqual(expected);
  });
});
