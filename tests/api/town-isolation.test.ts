import { VectorTile } from '@mapbox/vector-tile';
import type { AdminAuditEntry, CreatedReport, FailedJob } from '@pave/shared';
import { PbfReader } from 'pbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../support/event-stream';
import { addFailedJobs, type JobToFail } from '../support/failed-jobs';
import { fileReport, fileRoutedReport } from '../support/factories';
import { fixturePhoto, multipart } from '../support/multipart';
import { useStack } from '../support/stack';
import { tileOf } from '../support/tiles';
import {
  MONTREUIL,
  MORE_STAFF_OF_TWO_TOWNS,
  PARIS,
  seedTwoTowns,
  signInStaffOf,
  STAFF_OF_TWO_TOWNS,
  type TwoTowns,
} from '../support/towns';

// The route × role × town matrix (issue #19): staff of Paris, in every role, never see a report,
// team, area, rule or account of Montreuil, and a Montreuil id answers exactly as an id that does not
// exist (no existence leak); metropolitan accounts read both towns. Enforced by row-level security
// (migration 030) under the town scope the staff-auth plugin sets, not by each query.
const stack = useStack({ listen: true, queue: true });
const ACCOUNTS = { ...STAFF_OF_TWO_TOWNS, ...MORE_STAFF_OF_TWO_TOWNS };
type Who = keyof typeof ACCOUNTS;
const PARIS_ROLES = ['parisCrew', 'parisSupervisor', 'parisCouncil', 'parisAdmin'] as const;
const NO_SUCH_REPORT = '00000000-0000-4000-8000-000000000000';
const NO_SUCH_ROW = 999_999;
const today = new Date().toISOString().slice(0, 10);
const period = `from=${today.slice(0, 4)}-01-01&to=${today}`;

let towns: TwoTowns;
let staff: Record<Who, { id: number; email: string; headers: { cookie: string } }>;
let inParis: CreatedReport;
let inMontreuil: CreatedReport;
let montreuilPhotoId: string;
/** Failed jobs of each town and of none (a digest, the upkeep), by the town they concern. */
let failedJobs: Record<'paris' | 'montreuil' | 'none', JobToFail[]>;
/** The heat-map tile holding Montreuil's reports, and none of Paris's. */
const MONTREUIL_TILE = tileOf(MONTREUIL.point, 14);

async function fileWithPhoto(point: { lon: number; lat: number }) {
  return fileRoutedReport(stack.deps, {
    point,
    description: 'Nid-de-poule profond.',
    email: 'riverain@example.org',
    photos: ['jpg_gps_DSCN0010.jpg'],
  });
}

beforeAll(async () => {
  towns = await seedTwoTowns(stack.pool);
  staff = await signInStaffOf(stack, ACCOUNTS);
  inParis = await fileWithPhoto(PARIS.point);
  inMontreuil = await fileWithPhoto(MONTREUIL.point);
  const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM photos WHERE report_id = $1', [
    inMontreuil.id,
  ]);
  montreuilPhotoId = rows[0]!.id;
  const { rows: paris } = await stack.pool.query<{ photo_id: string; history_id: string }>(
    `SELECT (SELECT id FROM photos WHERE report_id = $1) AS photo_id,
            (SELECT min(id)::text FROM report_history WHERE report_id = $1) AS history_id`,
    [inParis.id],
  );
  // Jobs about each town's reports (directly, through a photo, through a history entry) and about
  // none, failed for good: the failed-jobs list must show each town its own only.
  failedJobs = {
    paris: [
      { name: 'report.route', id: `route-${inParis.id}`, data: { reportId: inParis.id } },
      { name: 'photo.process', id: `photo-${paris[0]!.photo_id}`, data: { photoId: paris[0]!.photo_id } },
      { name: 'report.notify', id: `notify-${paris[0]!.history_id}`, data: { historyId: paris[0]!.history_id } },
    ],
    montreuil: [
      { name: 'report.route', id: `route-${inMontreuil.id}`, data: { reportId: inMontreuil.id } },
      { name: 'photo.process', id: `photo-${montreuilPhotoId}`, data: { photoId: montreuilPhotoId } },
      {
        name: 'report.late',
        id: `late-${inMontreuil.id}-late-0`,
        data: { reportId: inMontreuil.id, deadlineAt: new Date(0).toISOString(), level: 'late' },
      },
    ],
    none: [
      { name: 'alerts.digest', id: 'alerts-digest-daily-now', data: { frequency: 'daily' } },
      { name: 'upkeep.hourly', id: 'upkeep-hourly', data: {} },
    ],
  };
  await addFailedJobs(stack, [...failedJobs.paris, ...failedJobs.montreuil, ...failedJobs.none]);
  // Admin journal entries about Montreuil's team: one by its own admin, one by a metropolitan admin
  // (an entry without a town); Paris's admins must read neither.
  for (const [who, email] of [
    ['montreuilAdmin', 'voirie@montreuil.test'],
    ['metroAdmin', 'voirie-montreuil@metropole.test'],
  ] as const) {
    const changed = await call(who, {
      method: 'PATCH',
      url: `/api/admin/teams/${towns.montreuilTeam.id}`,
      payload: { email },
    });
    expect(changed.statusCode, changed.body).toBe(200);
  }
  // Flagged by residents, so both stand in the moderation queue.
  for (const report of [inParis, inMontreuil]) {
    const flagged = await stack.app.inject({
      method: 'POST',
      url: `/api/reports/${report.id}/flags`,
      payload: { target: 'report', reason: 'insult' },
      headers: { 'x-pave-device': 'device-abcdefgh' },
    });
    expect(flagged.statusCode, flagged.body).toBe(201);
  }
  // A moderation action on Montreuil's report, which Paris's moderators must not read.
  const hidden = await call('metroAdmin', {
    method: 'POST',
    url: `/api/moderation/reports/${inMontreuil.id}/description`,
    payload: { action: 'hide', reason: 'Propos injurieux.' },
  });
  expect(hidden.statusCode, hidden.body).toBe(200);
});

const call = (who: Who, route: { method?: string; url: string; payload?: unknown; headers?: object }) =>
  stack.app.inject({
    method: (route.method ?? 'GET') as 'GET',
    url: route.url,
    payload: route.payload as object,
    headers: { ...staff[who].headers, ...route.headers },
  });

/** What of Montreuil must never show to Paris's staff, whatever the route. */
const montreuilTokens = () => [
  inMontreuil.id,
  inMontreuil.ref,
  montreuilPhotoId,
  towns.montreuilTeam.code,
  'Voirie de Montreuil',
  staff.montreuilCrew.email,
];

describe('lists, figures and exports show Paris’s staff nothing of Montreuil', () => {
  const lists = () => [
    { url: '/api/staff/reports' },
    { url: `/api/staff/reports?q=${encodeURIComponent(inMontreuil.ref)}` },
    { url: '/api/staff/reports?status=new,acknowledged,resolved' },
    { url: '/api/staff/teams' },
    { url: '/api/staff/assignees' },
    { url: `/api/analytics/heatmap?${period}` },
    { url: `/api/analytics/summary?${period}&by=team` },
    { url: `/api/analytics/summary?${period}&by=area` },
    { url: `/api/analytics/summary?${period}&by=town` },
    { url: `/api/analytics/trends?${period}` },
    { url: `/api/analytics/clusters?${period}` },
    { url: `/api/analytics/channels?${period}` },
    { url: `/api/analytics/satisfaction?${period}` },
    { url: `/api/analytics/evaluation?${period}` },
    { url: `/api/exports/reports.csv?${period}` },
    { url: `/api/exports/reports.csv?${period}&format=codes` },
    { url: `/api/exports/reports.geojson?${period}` },
    { url: '/api/admin/teams' },
    { url: '/api/admin/areas' },
    { url: '/api/admin/rules' },
    { url: '/api/admin/users' },
    { url: '/api/admin/audit' },
    { url: '/api/admin/categories' },
    { url: '/api/moderation/queue' },
    { url: `/api/analytics/heatmap/${MONTREUIL_TILE}.mvt?${period}` },
    { url: '/api/staff/jobs/failed' },
    { url: '/api/staff/jobs/failed?limit=500' },
  ];

  for (const who of PARIS_ROLES) {
    it(`as ${who}`, async () => {
      let answered = 0;
      for (const route of lists()) {
        const response = await call(who, route);
        // A role refused a route (403) learns nothing either; every answer is checked.
        expect([200, 403], `${route.url}: ${response.body.slice(0, 200)}`).toContain(response.statusCode);
        if (response.statusCode === 200) answered += 1;
        for (const token of montreuilTokens()) {
          expect(response.body.includes(token), `${who} ${route.url} shows ${token}`).toBe(false);
        }
      }
      expect(answered).toBeGreaterThan(2);
    });
  }

  it('counts only Paris in a Paris council’s figures, and every town side by side for the metropolis', async () => {
    const { rows } = await stack.pool.query<{ town_code: string; n: number }>(
      `SELECT town_code, count(*)::int AS n FROM reports GROUP BY town_code ORDER BY town_code`,
    );
    const counts = Object.fromEntries(rows.map((r) => [r.town_code, r.n]));
    expect(counts[MONTREUIL.code]).toBeGreaterThan(0);

    const summary = async (who: Who) =>
      (await call(who, { url: `/api/analytics/summary?${period}&by=town` })).json() as {
        total: { received: number };
        rows: { key: string | null; label: { fr: string }; received: number }[];
      };
    const paris = await summary('parisCouncil');
    expect(paris.rows.map((r) => [r.key, r.received])).toEqual([[PARIS.code, counts[PARIS.code]]]);
    expect(paris.total.received).toBe(counts[PARIS.code]);

    const metro = await summary('metroCouncil');
    expect(metro.rows.map((r) => [r.key, r.label.fr, r.received])).toEqual([
      [MONTREUIL.code, 'Montreuil', counts[MONTREUIL.code]],
      [PARIS.code, 'Paris', counts[PARIS.code]],
    ]);
    expect(metro.total.received).toBe(counts[PARIS.code]! + counts[MONTREUIL.code]!);

    const heatmap = async (who: Who) =>
      ((await call(who, { url: `/api/analytics/heatmap?${period}` })).json() as { total: number }).total;
    expect(await heatmap('parisCouncil')).toBe(counts[PARIS.code]);
    expect(await heatmap('metroCouncil')).toBe(counts[PARIS.code]! + counts[MONTREUIL.code]!);
  });

  it('lets metropolitan accounts and Montreuil’s crew read Montreuil (the matrix is not empty)', async () => {
    for (const who of ['metroCouncil', 'metroAdmin', 'montreuilCrew'] as const) {
      const queue = await call(who, { url: '/api/staff/reports' });
      expect(queue.statusCode).toBe(200);
      expect(queue.body, who).toContain(inMontreuil.id);
      expect((await call(who, { url: `/api/staff/reports/${inMontreuil.id}` })).statusCode, who).toBe(200);
    }
    expect((await call('montreuilCrew', { url: `/api/staff/reports/${inParis.id}` })).statusCode).toBe(404);
    const users = await call('metroAdmin', { url: '/api/admin/users' });
    expect(users.body).toContain(staff.montreuilCrew.email);
  });
});

describe('a Montreuil id answers Paris’s staff exactly as an id that does not exist', () => {
  interface ByIdRoute {
    name: string;
    method: string;
    url: (id: string) => string;
    payload?: (id: string) => unknown | Promise<{ payload: Buffer; headers: Record<string, string> }>;
    montreuil: () => string;
    missing: string;
  }
  const report = (name: string, method: string, path: string, payload?: (id: string) => unknown): ByIdRoute => ({
    name,
    method,
    url: (id) => `/api/${path.replace(':id', id)}`,
    payload,
    montreuil: () => inMontreuil.id,
    missing: NO_SUCH_REPORT,
  });
  const admin = (name: string, method: string, path: string, id: () => number, payload: unknown): ByIdRoute => ({
    name,
    method,
    url: (rowId) => `/api/admin/${path}/${rowId}`,
    payload: () => payload,
    montreuil: () => String(id()),
    missing: String(NO_SUCH_ROW),
  });
  const routes: ByIdRoute[] = [
    report('report detail', 'GET', 'staff/reports/:id'),
    report('history', 'GET', 'staff/reports/:id/history'),
    report('nearby', 'GET', 'staff/reports/:id/nearby'),
    report('transition', 'POST', 'staff/reports/:id/transitions', () => ({ to: 'acknowledged' })),
    report('assign', 'POST', 'staff/reports/:id/assign', () => ({ userId: null })),
    report('requalify', 'POST', 'staff/reports/:id/requalify', () => ({ category: 'encombrant' })),
    report('after photo', 'POST', 'staff/reports/:id/photos', () =>
      multipart({}, [{ field: 'photo', name: 'after.jpg', data: fixturePhoto('jpg_gps_DSCN0010.jpg') }]),
    ),
    report('moderate description', 'POST', 'moderation/reports/:id/description', () => ({
      action: 'hide',
      reason: 'Propos injurieux.',
    })),
    report('moderation actions', 'GET', 'moderation/reports/:id/actions'),
    {
      name: 'resolve flags',
      method: 'POST',
      url: () => '/api/moderation/queue/resolve',
      payload: (id) => ({ reportId: id, target: 'report', outcome: 'dismissed' }),
      montreuil: () => inMontreuil.id,
      missing: NO_SUCH_REPORT,
    },
    {
      name: 'photo blur boxes',
      method: 'GET',
      url: (id) => `/api/staff/photos/${id}/blur`,
      montreuil: () => montreuilPhotoId,
      missing: NO_SUCH_REPORT,
    },
    {
      name: 'photo blur change',
      method: 'PUT',
      url: (id) => `/api/staff/photos/${id}/blur`,
      payload: () => ({ boxes: [{ x: 0.1, y: 0.1, width: 0.2, height: 0.2 }] }),
      montreuil: () => montreuilPhotoId,
      missing: NO_SUCH_REPORT,
    },
    {
      name: 'job retry',
      method: 'POST',
      url: (id) => `/api/staff/jobs/failed/${encodeURIComponent(id)}/retry`,
      montreuil: () => `route-${inMontreuil.id}`,
      missing: `route-${NO_SUCH_REPORT}`,
    },
    admin('team change', 'PATCH', 'teams', () => towns.montreuilTeam.id, { name: 'Voirie annexée' }),
    admin('rule change', 'PATCH', 'rules', () => towns.montreuilRuleId, { position: 1 }),
    admin('rule removal', 'DELETE', 'rules', () => towns.montreuilRuleId, undefined),
    admin('account change', 'PATCH', 'users', () => staff.montreuilCrew.id, { displayName: 'Annexé' }),
    admin('area change', 'PUT', 'areas', () => towns.montreuilAreaId, {
      type: 'Polygon',
      coordinates: [
        [
          [2.44, 48.86],
          [2.45, 48.86],
          [2.45, 48.87],
          [2.44, 48.86],
        ],
      ],
    }),
  ];

  /** Montreuil's rows as they stand, to show that nothing was changed through Paris's staff. */
  const montreuilState = async () =>
    (
      await stack.pool.query(
        `SELECT (SELECT row_to_json(r) FROM (SELECT status, team_id, category_id, assigned_to, description,
                        ST_AsText(geom) AS geom, updated_at FROM reports WHERE id = $1) r) AS report,
                (SELECT count(*) FROM report_history WHERE report_id = $1) AS history,
                (SELECT count(*) FROM photos WHERE report_id = $1) AS photos,
                (SELECT row_to_json(t) FROM teams t WHERE id = $2) AS team,
                (SELECT row_to_json(x) FROM (SELECT position, is_active, team_id FROM routing_rules WHERE id = $3) x) AS rule,
                (SELECT display_name FROM staff_users WHERE id = $4) AS account,
                (SELECT ST_AsText(geom) FROM service_areas WHERE id = $5) AS area,
                (SELECT count(*) FROM moderation_flags WHERE report_id = $1 AND resolved_at IS NULL) AS open_flags`,
        [inMontreuil.id, towns.montreuilTeam.id, towns.montreuilRuleId, staff.montreuilCrew.id, towns.montreuilAreaId],
      )
    ).rows[0];

  for (const who of PARIS_ROLES) {
    it(`as ${who}`, async () => {
      const before = await montreuilState();
      for (const route of routes) {
        const send = async (id: string) => {
          const body = await route.payload?.(id);
          const isForm = body !== null && typeof body === 'object' && 'payload' in body && 'headers' in body;
          return call(who, {
            method: route.method,
            url: route.url(id),
            payload: isForm ? (body as { payload: Buffer }).payload : body,
            headers: isForm ? (body as { headers: object }).headers : undefined,
          });
        };
        const [ofMontreuil, missing] = [await send(route.montreuil()), await send(route.missing)];
        expect(
          { route: route.name, status: ofMontreuil.statusCode, body: ofMontreuil.json() },
          `${who} ${route.name}`,
        ).toEqual({ route: route.name, status: missing.statusCode, body: missing.json() });
      }
      expect(await montreuilState()).toEqual(before);
    });
  }

  it('is not vacuous: the same routes reach Paris’s own report', async () => {
    for (const path of ['', '/history', '/nearby']) {
      expect((await call('parisSupervisor', { url: `/api/staff/reports/${inParis.id}${path}` })).statusCode).toBe(200);
    }
    // Montreuil's actions are there for the metropolis; Paris gets what a missing report gets (none).
    const actions = async (who: Who) =>
      (await call(who, { url: `/api/moderation/reports/${inMontreuil.id}/actions` })).json() as { actions: unknown[] };
    expect((await actions('metroAdmin')).actions).toHaveLength(1);
    expect((await actions('parisAdmin')).actions).toHaveLength(0);
  });
});

describe('heat-map tiles', () => {
  /** The reports a vector tile of the heat-map counts, over all its cells. */
  async function countInTile(who: Who, tile: string): Promise<number> {
    const response = await call(who, { url: `/api/analytics/heatmap/${tile}.mvt?${period}` });
    expect(response.statusCode, `${who} ${tile}`).toBe(200);
    const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.cells;
    let count = 0;
    for (let k = 0; k < (layer?.length ?? 0); k += 1) count += layer!.feature(k).properties.count as number;
    return count;
  }
  const countInTown = async (code: string) =>
    (await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE town_code = $1`, [code]))
      .rows[0]!.n;

  it('draw Montreuil’s reports for Montreuil and the metropolis, and none for Paris’s staff', async () => {
    const inMontreuilTown = await countInTown(MONTREUIL.code);
    expect(inMontreuilTown).toBeGreaterThan(0);
    for (const who of ['parisCouncil', 'parisSupervisor', 'parisAdmin'] as const) {
      expect(await countInTile(who, MONTREUIL_TILE), who).toBe(0);
    }
    for (const who of ['metroCouncil', 'montreuilSupervisor'] as const) {
      expect(await countInTile(who, MONTREUIL_TILE), who).toBe(inMontreuilTown);
    }
    // Not vacuous: Paris's council sees its own reports in its own tile.
    expect(await countInTile('parisCouncil', tileOf(PARIS.point, 14))).toBe(await countInTown(PARIS.code));
  });
});

describe('failed jobs', () => {
  const listed = async (who: Who, query = '') => {
    const response = await call(who, { url: `/api/staff/jobs/failed${query}` });
    expect(response.statusCode, `${who}: ${response.body.slice(0, 200)}`).toBe(200);
    return response.json() as { total: number; jobs: FailedJob[] };
  };
  const idsOf = (jobs: readonly { id: string }[]) => jobs.map((j) => j.id).sort();
  const retry = (who: Who, id: string) =>
    call(who, { method: 'POST', url: `/api/staff/jobs/failed/${encodeURIComponent(id)}/retry` });

  it('show a town’s staff the jobs about its own reports only, and the metropolis every job', async () => {
    for (const who of ['parisSupervisor', 'parisAdmin'] as const) {
      const list = await listed(who);
      expect(idsOf(list.jobs), who).toEqual(idsOf(failedJobs.paris));
      expect(list.total, who).toBe(failedJobs.paris.length);
      expect(new Set(list.jobs.map((j) => j.reportId))).toEqual(new Set([inParis.id]));
    }
    const montreuil = await listed('montreuilSupervisor');
    expect(idsOf(montreuil.jobs)).toEqual(idsOf(failedJobs.montreuil));
    expect(montreuil.total).toBe(failedJobs.montreuil.length);
    expect(new Set(montreuil.jobs.map((j) => j.ref))).toEqual(new Set([inMontreuil.ref]));

    const every = [...failedJobs.paris, ...failedJobs.montreuil, ...failedJobs.none];
    const metro = await listed('metroAdmin');
    expect(idsOf(metro.jobs)).toEqual(idsOf(every));
    expect(metro.total).toBe(every.length);
    // Jobs about no report are the metropolis's alone.
    expect(idsOf(metro.jobs.filter((j) => j.reportId === null))).toEqual(idsOf(failedJobs.none));
  });

  it('pages a town’s list within its own jobs, and counts only those', async () => {
    const page = await listed('parisAdmin', '?limit=1');
    expect(page.jobs).toHaveLength(1);
    expect(page.total).toBe(failedJobs.paris.length);
    expect(idsOf(failedJobs.paris)).toContain(page.jobs[0]!.id);
  });

  it('let a town retry its own jobs only: another town’s, or one about no report, answers as a missing id', async () => {
    const missing = await retry('parisSupervisor', `route-${NO_SUCH_REPORT}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('JOB_NOT_FOUND');
    for (const who of ['parisSupervisor', 'parisAdmin'] as const) {
      for (const job of [...failedJobs.montreuil, ...failedJobs.none]) {
        const response = await retry(who, job.id);
        expect({ who, job: job.id, status: response.statusCode, body: response.json() }).toEqual({
          who,
          job: job.id,
          status: 404,
          body: missing.json(),
        });
      }
    }
    for (const job of [...failedJobs.montreuil, ...failedJobs.none]) {
      expect(await stack.queue.getJobState(job.id), job.id).toBe('failed');
    }

    const own = await retry('parisSupervisor', failedJobs.paris[0]!.id);
    expect(own.statusCode, own.body).toBe(200);
    expect(await retry('montreuilSupervisor', failedJobs.paris[1]!.id)).toMatchObject({ statusCode: 404 });
    expect((await retry('montreuilSupervisor', failedJobs.montreuil[0]!.id)).statusCode).toBe(200);
    expect((await retry('metroAdmin', failedJobs.none[0]!.id)).statusCode).toBe(200);
    for (const job of [failedJobs.paris[0]!, failedJobs.montreuil[0]!, failedJobs.none[0]!]) {
      expect(await stack.queue.getJobState(job.id), job.id).toBe('waiting');
    }
    expect(await stack.queue.getJobState(failedJobs.paris[1]!.id)).toBe('failed');
  });
});

describe('the admin journal', () => {
  const journal = async (who: Who) => {
    const response = await call(who, { url: '/api/admin/audit?limit=500' });
    expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
    return (response.json() as { entries: AdminAuditEntry[] }).entries;
  };
  const actorsOf = (entries: AdminAuditEntry[]) => new Set(entries.map((e) => e.actor.email));

  it('shows a town’s admins their town’s entries only, and the metropolis every entry', async () => {
    const { rows } = await stack.pool.query<{ id: number }>(`SELECT id FROM teams WHERE code = 'voirie-11'`);
    const changed = await call('parisAdmin', {
      method: 'PATCH',
      url: `/api/admin/teams/${rows[0]!.id}`,
      payload: { email: 'voirie-11@paris.test' },
    });
    expect(changed.statusCode, changed.body).toBe(200);

    const paris = await journal('parisAdmin');
    expect(paris.length).toBeGreaterThan(0);
    expect(actorsOf(paris)).toEqual(new Set([staff.parisAdmin.email]));
    const montreuil = await journal('montreuilAdmin');
    expect(montreuil.length).toBeGreaterThan(0);
    expect(actorsOf(montreuil)).toEqual(new Set([staff.montreuilAdmin.email]));
    expect(JSON.stringify(montreuil)).not.toContain('voirie-11@paris.test');
    const metro = await journal('metroAdmin');
    expect(actorsOf(metro)).toEqual(
      new Set([staff.parisAdmin.email, staff.montreuilAdmin.email, staff.metroAdmin.email]),
    );

    // Each entry carries its actor's town, a metropolitan actor's none (migration 032).
    const { rows: towns } = await stack.pool.query<{ actor_id: number; town_code: string | null }>(
      `SELECT DISTINCT actor_id, town_code FROM admin_audit ORDER BY actor_id`,
    );
    expect(towns).toEqual(
      [
        { actor_id: staff.parisAdmin.id, town_code: PARIS.code },
        { actor_id: staff.montreuilAdmin.id, town_code: MONTREUIL.code },
        { actor_id: staff.metroAdmin.id, town_code: null },
      ].sort((a, b) => a.actor_id - b.actor_id),
    );
  });

  it('refuses a town’s staff an entry written for another town or for none, under row-level security', async () => {
    const client = await stack.pool.connect();
    const insertAs = async (town: string | null) => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('role', 'pave_staff', true), set_config('pave.towns', $1, true)`, [
          PARIS.code,
        ]);
        await client.query(
          `INSERT INTO admin_audit (actor_id, action, entity, entity_id, town_code) VALUES ($1, 'team.update', 'team', '1', $2)`,
          [staff.parisAdmin.id, town],
        );
        return 'written';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      expect(await insertAs(PARIS.code)).toBe('written');
      expect(await insertAs(MONTREUIL.code)).toMatch(/row-level security/);
      expect(await insertAs(null)).toMatch(/row-level security/);
    } finally {
      client.release();
    }
  });
});

describe('assisted reports', () => {
  const file = (who: Who, point: { lon: number; lat: number }) =>
    call(who, {
      method: 'POST',
      url: '/api/staff/assisted-reports',
      payload: { channel: 'phone', category: 'nid-de-poule', lat: point.lat, lon: point.lon },
    });
  const reportCount = async () =>
    (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;

  it('refuses an agent of Paris a point in Montreuil with a 422 naming both towns, and the reverse', async () => {
    const before = await reportCount();
    for (const who of ['parisAgent', 'parisSupervisor', 'parisAdmin'] as const) {
      const refused = await file(who, MONTREUIL.point);
      expect({ who, status: refused.statusCode, body: refused.json() }).toEqual({
        who,
        status: 422,
        body: {
          code: 'LOCATION_OUTSIDE_SERVICE_AREA',
          message: 'This point is in Montreuil; your account files reports in Paris only.',
        },
      });
    }
    const reverse = await file('montreuilAgent', PARIS.point);
    expect(reverse.statusCode).toBe(422);
    expect(reverse.json().message).toBe('This point is in Paris; your account files reports in Montreuil only.');
    expect(await reportCount()).toBe(before);
  });

  it('files for each town’s agent in their town, and for a metropolitan account in any town', async () => {
    for (const [who, point, town] of [
      ['montreuilAgent', MONTREUIL.point, MONTREUIL.code],
      ['parisAgent', PARIS.point, PARIS.code],
      ['metroAdmin', MONTREUIL.point, MONTREUIL.code],
    ] as const) {
      const filed = await file(who, point);
      expect(filed.statusCode, `${who}: ${filed.body}`).toBe(201);
      const { rows } = await stack.pool.query<{ town_code: string }>('SELECT town_code FROM reports WHERE id = $1', [
        filed.json().id,
      ]);
      expect(rows[0]?.town_code, who).toBe(town);
    }
  });
});

describe('live queue events', () => {
  it('tell Paris’s council of Paris’s reports only, and the metropolitan council of both', async () => {
    const open = (who: Who) => openEventStream(`${stack.baseUrl}/api/staff/events`, staff[who].headers);
    const paris = await open('parisCouncil');
    const metro = await open('metroCouncil');
    try {
      for (const stream of [paris, metro]) expect((await stream.next()).event).toBe('hello');
      const montreuil = await fileReport(stack.deps, { point: MONTREUIL.point });
      const ours = await fileReport(stack.deps, { point: PARIS.point });
      // NOTIFY arrives in commit order: if Paris's next event is its own report, Montreuil's was not sent.
      expect((await paris.next()).data).toMatchObject({ id: ours.id });
      expect((await metro.next()).data).toMatchObject({ id: montreuil.id });
      expect((await metro.next()).data).toMatchObject({ id: ours.id });
    } finally {
      paris.close();
      metro.close();
    }
  });
});
