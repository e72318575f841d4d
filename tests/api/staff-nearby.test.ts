import { describe, expect, it } from 'vitest';
import { fileRoutedReport, STAFF_OF_TWO_TEAMS, type Point } from '../support/factories';
import { useStack } from '../support/stack';

const stack = useStack({ staff: STAFF_OF_TWO_TEAMS });
type Who = keyof typeof stack.staff;

// Each test works around its own point, far enough from the others' (a few hundred metres east).
let nextLon = 2.37;
const LAT = 48.859;
const METRE_LAT = 1 / 111_320;
const freshPoint = () => ({ lon: (nextLon += 0.005), lat: LAT });
const north = (p: Point, metres: number) => ({ lon: p.lon, lat: p.lat + metres * METRE_LAT });

const fileReport = (point: Point, category?: string) =>
  fileRoutedReport(stack.deps, {
    point,
    category,
    description: 'Trou profond devant le numéro 12, dangereux pour les vélos.',
    email: 'riveraine@example.org',
  });

const nearby = (id: string, who: Who | 'anonymous' = 'crew11') =>
  stack.app.inject({
    url: `/api/staff/reports/${id}/nearby`,
    headers: stack.as(who),
  });

async function nearbyRefs(id: string, who: Who = 'crew11') {
  const response = await nearby(id, who);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().reports as { ref: string }[]).map((r) => r.ref);
}

describe('GET /api/staff/reports/:id/nearby', () => {
  it('lists the same category within 50 m, nearest first, with distance and counts, never the report itself', async () => {
    const here = freshPoint();
    const me = await fileReport(here);
    const at20 = await fileReport(north(here, 20));
    const at45 = await fileReport(north(here, 45));
    const at60 = await fileReport(north(here, 60));
    const otherCategory = await fileReport(north(here, 10), 'trottoir-degrade');
    await stack.pool.query(
      `INSERT INTO report_supports (report_id, device_id) VALUES ($1, 'device-a'), ($1, 'device-b')`,
      [at20.id],
    );
    await stack.pool.query('UPDATE reports SET support_count = 2 WHERE id = $1', [at20.id]);
    await stack.pool.query(`INSERT INTO report_followers (report_id, email) VALUES ($1, 'voisin@example.org')`, [
      at20.id,
    ]);

    const response = await nearby(me.id);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.radiusM).toBe(50);
    expect(body.reports.map((r: { ref: string }) => r.ref)).toEqual([at20.ref, at45.ref]);
    const [first] = body.reports;
    expect(first).toMatchObject({ id: at20.id, status: 'new', supportCount: 2, isInScope: true });
    expect(Math.abs(first.distanceM - 20)).toBeLessThanOrEqual(1);
    expect(Math.abs(body.reports[1].distanceM - 45)).toBeLessThanOrEqual(1);
    // Followers are those who asked to follow (the reporter is mailed anyway); no address ever shows.
    expect(first.followerCount).toBe(1);
    expect(first.excerpt).toContain('Trou profond');
    expect(response.body).not.toContain('@example.org');
    expect(body.reports.map((r: { ref: string }) => r.ref)).not.toContain(at60.ref);
    expect(body.reports.map((r: { ref: string }) => r.ref)).not.toContain(otherCategory.ref);
  });

  it('keeps reports closed in the last 30 days, drops older ones and every duplicate', async () => {
    const here = freshPoint();
    const me = await fileReport(here);
    const recent = await fileReport(north(here, 10));
    const old = await fileReport(north(here, 15));
    const merged = await fileReport(north(here, 20));
    // updated_at set by the writer is when the trigger says the report closed (migration 003).
    await stack.pool.query(
      `UPDATE reports SET status = 'resolved', updated_at = now() - interval '10 days' WHERE id = $1`,
      [recent.id],
    );
    await stack.pool.query(
      `UPDATE reports SET status = 'resolved', updated_at = now() - interval '40 days' WHERE id = $1`,
      [old.id],
    );
    const closed = await stack.pool.query('SELECT id, closed_at FROM reports WHERE id = ANY($1)', [
      [recent.id, old.id],
    ]);
    expect(closed.rows.every((r) => r.closed_at !== null)).toBe(true);
    // Marked duplicate of `me` through the API, as the detail's button does.
    const marked = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${merged.id}/transitions`,
      headers: stack.as('crew11'),
      payload: { to: 'duplicate', duplicateOf: me.id },
    });
    expect(marked.statusCode, marked.body).toBe(200);

    const refs = await nearbyRefs(me.id);
    expect(refs).toEqual([recent.ref]);
    const [item] = (await nearby(me.id)).json().reports;
    expect(item.status).toBe('resolved');
    expect(item.closedAt).not.toBeNull();
  });

  it('is scoped like the actions on the report: a crew its team, a supervisor its service, admin all', async () => {
    const here = freshPoint();
    const mine = await fileReport(here);
    const theirs = await fileReport(north(here, 30));
    // Routing sends a report 30 m away to the same team: this one is handed over to another (as a supervisor
    // may), so that a near report is out of crew11's scope.
    await stack.pool.query(
      `UPDATE reports SET team_id = (SELECT id FROM teams WHERE code = 'voirie-15') WHERE id = $1`,
      [theirs.id],
    );

    // The near report of another team is listed, flagged out of scope (no reverse merge offered).
    const response = await nearby(mine.id, 'crew11');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().reports).toMatchObject([{ id: theirs.id, isInScope: false }]);
    expect((await nearby(mine.id, 'supervisor')).json().reports).toMatchObject([{ id: theirs.id, isInScope: true }]);
    expect((await nearby(mine.id, 'admin')).json().reports).toMatchObject([{ id: theirs.id, isInScope: true }]);

    // Another team's report, another service's: not found, as for a status change.
    for (const [who, id] of [
      ['crew15', mine.id],
      ['crew11', theirs.id],
      ['otherSupervisor', mine.id],
    ] as const) {
      const refused = await nearby(id, who);
      expect({ who, status: refused.statusCode, code: refused.json().code }).toEqual({
        who,
        status: 404,
        code: 'REPORT_NOT_FOUND',
      });
    }
    const council = await nearby(mine.id, 'council');
    expect(council.statusCode).toBe(403);
    expect(council.json().code).toBe('FORBIDDEN');
    expect((await nearby(mine.id, 'anonymous')).statusCode).toBe(401);
  });

  it('answers 404 with a code for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', 'PAV-2026-000001']) {
      const response = await nearby(id, 'admin');
      expect(response.statusCode, id).toBe(404);
      expect(response.json()).toEqual({ code: 'REPORT_NOT_FOUND', message: expect.any(String) });
    }
  });
});
