import { createStaffUser } from '@pave/core';
import { seedDemoStaff } from '@pave/core/seed';
import { describe, expect, it, beforeAll } from 'vitest';
import { fileReport, fileRoutedReport, signInNewStaff, STAFF_OF_TWO_TEAMS, STAFF_PASSWORD } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const POINT_PARIS_15 = { lon: 2.295, lat: 48.84 };
const stack = useStack({ staff: STAFF_OF_TWO_TEAMS });
type Who = 'anonymous' | keyof typeof stack.staff;

async function logIn(email: string, password = STAFF_PASSWORD) {
  return stack.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
}

describe('the role matrix: every staff route refuses whoever should not reach it', () => {
  let reportId: string;
  beforeAll(async () => {
    reportId = (await fileRoutedReport(stack.deps)).id;
  });

  const routes = (id: () => string) => [
    { name: 'GET /api/staff/me', method: 'GET' as const, url: () => '/api/staff/me' },
    { name: 'GET /api/staff/reports', method: 'GET' as const, url: () => '/api/staff/reports' },
    { name: 'GET /api/staff/reports/:id', method: 'GET' as const, url: () => `/api/staff/reports/${id()}` },
    {
      name: 'POST /api/staff/reports/:id/transitions',
      method: 'POST' as const,
      url: () => `/api/staff/reports/${id()}/transitions`,
      // An allowed-by-the-table no-op-ish move is not possible; "acknowledged → scheduled" needs a date.
      payload: { to: 'scheduled', scheduledFor: '2026-12-01T08:00:00+01:00' },
    },
    // Admin reads only here; tests/api/admin.test.ts checks every admin route, writes included.
    ...['teams', 'areas', 'rules', 'categories', 'users', 'audit'].map((resource) => ({
      name: `GET /api/admin/${resource}`,
      method: 'GET' as const,
      url: () => `/api/admin/${resource}`,
      payload: undefined,
    })),
  ];
  // Every signed-in role may read its session and its own queue.
  const signedIn: Record<Who, number> = {
    anonymous: 401,
    crew11: 200,
    crew15: 200,
    supervisor: 200,
    otherSupervisor: 200,
    council: 200,
    admin: 200,
  };
  const expected: Record<string, Record<Who, number>> = {
    'GET /api/staff/me': signedIn,
    'GET /api/staff/reports': signedIn,
    // The detail shows what the public never sees (sensitive photos): within scope only.
    'GET /api/staff/reports/:id': {
      anonymous: 401,
      crew11: 200,
      crew15: 404,
      supervisor: 200,
      otherSupervisor: 404,
      council: 200,
      admin: 200,
    },
    // Out of scope answers 404 (the report is not in your queues); a read-only role answers 403.
    'POST /api/staff/reports/:id/transitions': {
      anonymous: 401,
      crew11: 200,
      crew15: 404,
      supervisor: 409,
      otherSupervisor: 404,
      council: 403,
      admin: 409,
    },
  };
  for (const resource of ['teams', 'areas', 'rules', 'categories', 'users', 'audit']) {
    expected[`GET /api/admin/${resource}`] = {
      anonymous: 401,
      crew11: 403,
      crew15: 403,
      supervisor: 403,
      otherSupervisor: 403,
      council: 403,
      admin: 200,
    };
  }
  const order: Who[] = ['anonymous', 'council', 'crew15', 'otherSupervisor', 'crew11', 'supervisor', 'admin'];

  for (const route of routes(() => reportId)) {
    it(`${route.name}`, async () => {
      for (const who of order) {
        const response = await stack.app.inject({
          method: route.method,
          url: route.url(),
          headers: stack.as(who),
          payload: route.payload,
        });
        expect({ who, status: response.statusCode }).toEqual({ who, status: expected[route.name]![who] });
        if (response.statusCode >= 400)
          expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
    });
  }

  // Agents file reports for residents (tests/api/assisted-reports.test.ts); they never triage nor administer,
  // and read in detail only the reports they filed.
  it('lets an agent read the reports it filed, and no other', async () => {
    const agent = async (name: string) => (await signInNewStaff(stack, name, { role: 'agent' })).headers.cookie;
    const filer = await agent('filer');
    const filed = await stack.app.inject({
      method: 'POST',
      url: '/api/staff/assisted-reports',
      headers: { cookie: filer },
      payload: { channel: 'counter', category: 'nid-de-poule', lat: POINT_PARIS_11.lat, lon: POINT_PARIS_11.lon },
    });
    expect(filed.statusCode).toBe(201);
    const detail = (id: string, cookie: string) =>
      stack.app.inject({ url: `/api/staff/reports/${id}`, headers: { cookie } });
    expect((await detail(filed.json().id, filer)).statusCode).toBe(200);
    expect((await detail(filed.json().id, await agent('other-agent'))).statusCode).toBe(404);
    expect((await detail(reportId, filer)).statusCode).toBe(404);
  });

  it('lets an agent reach /api/staff/me and nothing else above', async () => {
    const { cookie } = (await signInNewStaff(stack, 'agent', { role: 'agent' })).headers;
    for (const route of routes(() => reportId)) {
      const response = await stack.app.inject({
        method: route.method,
        url: route.url(),
        headers: { cookie },
        payload: route.payload,
      });
      // The detail of a report it did not file is out of its scope, like a crew's other teams.
      const status = route.name === 'GET /api/staff/me' ? 200 : route.name === 'GET /api/staff/reports/:id' ? 404 : 403;
      expect({ route: route.name, status: response.statusCode }).toEqual({ route: route.name, status });
    }
  });

  it('scopes the queue: a crew sees its team, a supervisor its service, council everything', async () => {
    const other = await fileRoutedReport(stack.deps, { point: POINT_PARIS_15 }); // voirie-15
    const ids = async (who: Who) =>
      (await stack.app.inject({ url: '/api/staff/reports?status=new,acknowledged,scheduled', headers: stack.as(who) }))
        .json()
        .reports.map((r: { id: string }) => r.id);
    expect(await ids('crew11')).toContain(reportId);
    expect(await ids('crew11')).not.toContain(other.id);
    expect(await ids('crew15')).toEqual([other.id]);
    expect(await ids('supervisor')).toEqual(expect.arrayContaining([reportId, other.id]));
    expect(await ids('otherSupervisor')).toEqual([]);
    expect(await ids('council')).toEqual(expect.arrayContaining([reportId, other.id]));
  });
});

describe('sessions', () => {
  it('signs every staff member in with an httpOnly, SameSite=Lax session cookie', async () => {
    for (const { email } of Object.values(stack.staff)) {
      const response = await logIn(email);
      expect(response.statusCode).toBe(200);
      const cookie = response.cookies.find((c) => c.name === 'pave_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    }
  });

  it('refuses a wrong password and an unknown address with the same answer', async () => {
    const wrong = await logIn('crew11@ville.test', 'not the password');
    const unknown = await logIn('nobody@ville.test');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('ends a session at logout', async () => {
    const response = await logIn('admin@ville.test');
    const token = response.cookies.find((c) => c.name === 'pave_session')!.value;
    const headers = { cookie: `pave_session=${token}` };
    expect((await stack.app.inject({ url: '/api/staff/me', headers })).statusCode).toBe(200);
    expect((await stack.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
    expect((await stack.app.inject({ url: '/api/staff/me', headers })).statusCode).toBe(401);
  });

  it('rate-limits login attempts per address, with Retry-After', async () => {
    await createStaffUser(stack.pool, { email: 'target@ville.test', password: STAFF_PASSWORD, role: 'council' });
    const statuses = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await logIn('target@ville.test', `guess-${i}`)).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const blocked = await logIn('target@ville.test');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('transitions', () => {
  const move = (id: string, payload: object, who: Who = 'admin') =>
    stack.app.inject({ method: 'POST', url: `/api/staff/reports/${id}/transitions`, headers: stack.as(who), payload });

  it('follows the table, requires each transition’s detail, and records public messages apart from internal notes', async () => {
    const { id, ref } = await fileRoutedReport(stack.deps);
    expect((await move(id, { to: 'acknowledged' })).json()).toEqual({ id, status: 'acknowledged' });
    expect((await move(id, { to: 'scheduled' })).json().code).toBe('TRANSITION_INCOMPLETE');
    expect((await move(id, { to: 'scheduled', scheduledFor: 'demain' })).json().code).toBe('TRANSITION_INCOMPLETE');
    expect((await move(id, { to: 'new' })).json().code).toBe('TRANSITION_NOT_ALLOWED');
    expect((await move(id, { to: 'lost' })).statusCode).toBe(400);
    expect((await move(id, { to: 'in_progress' })).statusCode).toBe(200);
    const resolved = await move(id, {
      to: 'resolved',
      message: 'Trou rebouché.',
      note: 'Enrobé à froid, à reprendre au printemps',
    });
    expect(resolved.json().status).toBe('resolved');
    const closedAgain = await move(id, { to: 'in_progress' });
    expect(closedAgain.statusCode).toBe(409);

    const page = await stack.app.inject(`/api/reports/by-ref/${ref}`);
    const statuses = page.json().timeline.filter((e: { event: string }) => e.event === 'status_changed');
    expect(statuses.map((e: { status: string }) => e.status)).toEqual(['acknowledged', 'in_progress', 'resolved']);
    expect(statuses[2].message).toBe('Trou rebouché.');
    expect(page.body).not.toContain('printemps');
    const { rows } = await stack.pool.query(
      `SELECT is_public, data FROM report_history WHERE report_id = $1 AND event = 'note'`,
      [id],
    );
    expect(rows).toEqual([{ is_public: false, data: { note: 'Enrobé à froid, à reprendre au printemps' } }]);
  });

  it('shows the planned visit on the public page while the report is scheduled, and nothing private with it', async () => {
    const { id, ref } = await fileRoutedReport(stack.deps, { email: 'voisine.discrete@example.org' });
    const visit = '2026-12-12T08:00:00.000Z';
    const scheduled = await move(
      id,
      { to: 'scheduled', scheduledFor: visit, message: 'Passage prévu.', note: 'Camion-nacelle à réserver' },
      'crew11',
    );
    expect(scheduled.json()).toEqual({ id, status: 'scheduled' });
    for (const url of [`/api/reports/${id}`, `/api/reports/by-ref/${ref}`]) {
      const page = await stack.app.inject(url);
      expect(page.statusCode).toBe(200);
      expect(page.json()).toMatchObject({ status: 'scheduled', scheduledFor: visit });
      // What the crew wrote for itself and who it is stay private, as does the reporter.
      for (const secret of ['voisine.discrete', 'Camion-nacelle', stack.staff.crew11.email, 'staff:']) {
        expect({ url, leaks: page.body.includes(secret) }).toEqual({ url, leaks: false });
      }
    }
    // Once the work starts the date is no longer the plan: it leaves the public page.
    expect((await move(id, { to: 'in_progress' }, 'crew11')).statusCode).toBe(200);
    expect((await stack.app.inject(`/api/reports/${id}`)).json().scheduledFor).toBeNull();
    // The staff detail reads the same payload.
    expect(
      (await stack.app.inject({ url: `/api/staff/reports/${id}`, headers: stack.as('crew11') })).json(),
    ).toMatchObject({ scheduledFor: null });
  });

  it('needs a managed reason to reject, the original to mark a duplicate, and a body to transfer', async () => {
    const { id } = await fileRoutedReport(stack.deps);
    expect((await move(id, { to: 'rejected' })).json().code).toBe('TRANSITION_INCOMPLETE');
    expect((await move(id, { to: 'rejected', reason: 'parce-que' })).json().code).toBe('TRANSITION_INCOMPLETE');
    expect((await move(id, { to: 'duplicate', duplicateOf: id })).json().code).toBe('TRANSITION_INCOMPLETE');
    expect((await move(id, { to: 'transferred', transferredTo: '  ' })).json().code).toBe('TRANSITION_INCOMPLETE');
    expect((await move(id, { to: 'transferred', transferredTo: 'RATP' })).json().status).toBe('transferred');
    const { rows } = await stack.pool.query('SELECT transferred_to FROM reports WHERE id = $1', [id]);
    expect(rows[0].transferred_to).toBe('RATP');
    expect((await move(id, { to: 'reopened' })).json().status).toBe('reopened');
    expect((await move(id, { to: 'rejected', reason: 'domaine-prive' })).json().status).toBe('rejected');
  });
});

describe('duplicates, after photos and requalification', () => {
  const move = (id: string, payload: object) =>
    stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${id}/transitions`,
      headers: stack.as('admin'),
      payload,
    });

  it('merges a duplicate: its reporter, followers and "+1"s move to the original', async () => {
    const original = await fileReport(stack.deps);
    const copy = await fileReport(stack.deps, { email: 'second@example.org' });
    await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${copy.id}/support`,
      headers: { 'x-pave-device': 'device-merge-0001' },
      payload: { email: 'voisine@example.org' },
    });
    await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${original.id}/support`,
      headers: { 'x-pave-device': 'device-merge-0001' },
    });
    await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${copy.id}/support`,
      headers: { 'x-pave-device': 'device-merge-0002' },
    });

    expect(
      (await move(copy.id, { to: 'duplicate', duplicateOf: '00000000-0000-4000-8000-000000000000' })).json().code,
    ).toBe('TRANSITION_INCOMPLETE');
    const merged = await move(copy.id, { to: 'duplicate', duplicateOf: original.id });
    expect(merged.json()).toEqual({ id: copy.id, status: 'duplicate' });
    const { rows: followers } = await stack.pool.query(
      'SELECT email FROM report_followers WHERE report_id = $1 ORDER BY email',
      [original.id],
    );
    expect(followers.map((f) => f.email)).toEqual(['second@example.org', 'voisine@example.org']);
    // Devices 0001 (on both, counted once) and 0002, plus the duplicate itself.
    expect((await stack.app.inject(`/api/reports/${original.id}`)).json().supportCount).toBe(3);
  });

  it('stores an "after" photo in scope only, and re-routes a report whose category or pin changes', async () => {
    const report = await fileRoutedReport(stack.deps);
    const { fixturePhoto, multipart } = await import('../support/multipart');
    const upload = async (who: Who) => {
      const body = await multipart({}, [
        { field: 'photo', name: 'apres.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') },
      ]);
      return stack.app.inject({
        method: 'POST',
        url: `/api/staff/reports/${report.id}/photos`,
        ...body,
        headers: { ...body.headers, ...stack.as(who) },
      });
    };
    expect((await upload('crew15')).statusCode).toBe(404);
    expect((await upload('council')).statusCode).toBe(403);
    const uploaded = await upload('crew11');
    expect(uploaded.statusCode).toBe(201);
    const { rows: photos } = await stack.pool.query('SELECT kind FROM photos WHERE report_id = $1', [report.id]);
    expect(photos).toEqual([{ kind: 'after' }]);

    const requalify = (payload: object, who: Who = 'crew11') =>
      stack.app.inject({
        method: 'POST',
        url: `/api/staff/reports/${report.id}/requalify`,
        headers: stack.as(who),
        payload,
      });
    expect((await requalify({})).json().code).toBe('VALIDATION_FAILED');
    expect((await requalify({ category: 'licorne' })).json().code).toBe('CATEGORY_UNKNOWN');
    expect((await requalify({ lat: 45.76, lon: 4.83 })).json().code).toBe('LOCATION_OUTSIDE_SERVICE_AREA');
    expect((await requalify({ category: 'tag-facade', lat: 48.84, lon: 2.295 })).statusCode).toBe(200);
    const { rows } = await stack.pool.query(
      `SELECT r.team_id, c.code, a.code AS area, (SELECT count(*)::int FROM outbox o WHERE o.job_name = 'report.route' AND o.payload->>'reportId' = r.id::text) AS route_jobs
         FROM reports r JOIN categories c ON c.id = r.category_id JOIN service_areas a ON a.id = r.area_id WHERE r.id = $1`,
      [report.id],
    );
    expect(rows[0]).toEqual({ team_id: null, code: 'tag-facade', area: 'paris-15', route_jobs: 2 });
    // Now outside crew11's team: it can no longer touch it.
    expect((await requalify({ category: 'nid-de-poule' })).statusCode).toBe(404);
  });
});

describe('display names', () => {
  it('shows staff by name: demo accounts get real-looking names, and a blank name is refused', async () => {
    // A demo crew account seeded before names existed: its e-mail prefix stands in for a name.
    const early = await createStaffUser(stack.pool, {
      email: 'equipe.voirie11@demo.pave',
      password: 'demo-equipe-pave',
      role: 'crew',
      teamCode: 'voirie-11',
    });
    expect(early.displayName).toBe('equipe.voirie11');
    await seedDemoStaff(stack.pool);
    const login = await logIn('chef.voirie@demo.pave', 'demo-superviseur-pave');
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.headers['set-cookie'];
    const headers = { cookie: Array.isArray(cookie) ? cookie.join('; ') : String(cookie) };
    expect((await stack.app.inject({ url: '/api/staff/me', headers })).json().user.displayName).toBe('Amina Diallo');
    const { assignees } = (await stack.app.inject({ url: '/api/staff/assignees', headers })).json();
    expect(assignees).toContainEqual({ id: early.id, displayName: 'Équipe Voirie 11e', team: expect.any(String) });
    // The queue names the assignee the same way.
    const { id } = await fileRoutedReport(stack.deps);
    await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${id}/assign`,
      headers,
      payload: { userId: early.id },
    });
    const queue = (await stack.app.inject({ url: '/api/staff/reports', headers })).json().reports;
    expect(queue.find((r: { id: string }) => r.id === id).assignee).toEqual({
      id: early.id,
      displayName: 'Équipe Voirie 11e',
    });
    // A name an admin chose is kept when the seed runs again.
    await stack.pool.query(`UPDATE staff_users SET display_name = 'Brigade Roquette' WHERE id = $1`, [early.id]);
    await seedDemoStaff(stack.pool);
    const { rows } = await stack.pool.query('SELECT display_name FROM staff_users WHERE id = $1', [early.id]);
    expect(rows[0].display_name).toBe('Brigade Roquette');
    // Every screen shows the name: the database never holds a blank one.
    await expect(
      stack.pool.query(`UPDATE staff_users SET display_name = '  ' WHERE id = $1`, [early.id]),
    ).rejects.toThrow(/staff_users_display_name_present/);
  });
});
