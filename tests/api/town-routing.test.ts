import { computeDeadline, type DeadlineMode } from '@pave/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport, fileRoutedReport, routeFiledReport } from '../support/factories';
import { useStack } from '../support/stack';
import { BODY_CATEGORY, MONTREUIL, PARIS, seedTwoTowns, signInStaffOf, type TwoTowns } from '../support/towns';

// Routing per town (issue #19): a town's rules for its reports, town-less rules (a body) for what a
// town does not handle, and a pin moved across a boundary re-routed to the other town, with history.
const stack = useStack();
let towns: TwoTowns;

beforeAll(async () => {
  towns = await seedTwoTowns(stack.pool);
});

async function routed(id: string) {
  const { rows } = await stack.pool.query<{ town_code: string; team: string; rule_id: number }>(
    `SELECT r.town_code, t.code AS team, r.routing_rule_id AS rule_id
       FROM reports r JOIN teams t ON t.id = r.team_id WHERE r.id = $1`,
    [id],
  );
  return rows[0];
}

describe('routing per town', () => {
  it('sends the same category to each town’s own team across the boundary', async () => {
    const inParis = await fileRoutedReport(stack.deps, { category: 'nid-de-poule', point: PARIS.point });
    const inMontreuil = await fileRoutedReport(stack.deps, { category: 'nid-de-poule', point: MONTREUIL.point });
    expect(await routed(inParis.id)).toMatchObject({ town_code: PARIS.code, team: 'voirie-11' });
    expect(await routed(inMontreuil.id)).toEqual({
      town_code: MONTREUIL.code,
      team: 'voirie-montreuil',
      rule_id: towns.montreuilRuleId,
    });
  });

  it('sends a category the town does not offer to the town-less body, and one it offers to the town', async () => {
    const lightInMontreuil = await fileRoutedReport(stack.deps, { category: BODY_CATEGORY, point: MONTREUIL.point });
    expect(await routed(lightInMontreuil.id)).toEqual({
      town_code: MONTREUIL.code,
      team: towns.bodyTeam.code,
      rule_id: towns.bodyRuleId,
    });
    // Paris offers street lighting and has its own rule for it, placed before the body's.
    const lightInParis = await fileRoutedReport(stack.deps, { category: BODY_CATEGORY, point: PARIS.point });
    const paris = await routed(lightInParis.id);
    expect(paris?.town_code).toBe(PARIS.code);
    expect(paris?.team).not.toBe(towns.bodyTeam.code);
    // The public history names the body's team, as for any routing.
    const { rows } = await stack.pool.query<{ team_id: number; is_public: boolean }>(
      `SELECT (data->>'teamId')::int AS team_id, is_public FROM report_history WHERE report_id = $1 AND event = 'routed'`,
      [lightInMontreuil.id],
    );
    expect(rows).toEqual([{ team_id: towns.bodyTeam.id, is_public: true }]);
  });

  it('leaves a report unrouted when neither its town nor a body has a rule for it', async () => {
    // Filed while the body takes the category there (a resident cannot file what nobody handles),
    // then the body's rule is switched off before routing.
    const report = await fileReport(stack.deps, { category: BODY_CATEGORY, point: MONTREUIL.point });
    await stack.pool.query(`UPDATE routing_rules SET is_active = false WHERE id = $1`, [towns.bodyRuleId]);
    try {
      await expect(routeFiledReport(stack.pool, report.id)).rejects.toThrow(/not routed/);
    } finally {
      await stack.pool.query(`UPDATE routing_rules SET is_active = true WHERE id = $1`, [towns.bodyRuleId]);
    }
  });

  it('re-routes to the other town’s team when Paris staff move the pin across the boundary, with history', async () => {
    const staff = await signInStaffOf(stack, {
      mover: { role: 'supervisor', service: 'voirie', townCode: PARIS.code },
    } as const);
    const report = await fileRoutedReport(stack.deps, { category: 'nid-de-poule', point: PARIS.point });
    expect(await routed(report.id)).toMatchObject({ town_code: PARIS.code, team: 'voirie-11' });

    const moved = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${report.id}/requalify`,
      headers: staff.mover.headers,
      payload: { lat: MONTREUIL.point.lat, lon: MONTREUIL.point.lon },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    // The worker's job, run here as it would run it: town-blind, it sees Montreuil's rules.
    await routeFiledReport(stack.pool, report.id);
    expect(await routed(report.id)).toMatchObject({ town_code: MONTREUIL.code, team: 'voirie-montreuil' });

    const { rows } = await stack.pool.query<{ event: string; team_id: number | null }>(
      `SELECT event, (data->>'teamId')::int AS team_id FROM report_history WHERE report_id = $1 ORDER BY at, id`,
      [report.id],
    );
    const events = rows.map((r) => r.event);
    expect(rows.filter((r) => r.event === 'routed').map((r) => r.team_id)).toEqual([
      expect.any(Number),
      towns.montreuilTeam.id,
    ]);
    expect(events.filter((e) => e === 'routed')).toHaveLength(2);
    expect(events.indexOf('requalified')).toBeGreaterThan(events.indexOf('routed'));
    expect(events.lastIndexOf('routed')).toBeGreaterThan(events.indexOf('requalified'));

    // Now Montreuil's: Paris's supervisor no longer sees it, as if it did not exist.
    const after = await stack.app.inject({ url: `/api/staff/reports/${report.id}`, headers: staff.mover.headers });
    expect(after.statusCode).toBe(404);
  });

  it('gives a report the deadline of its town’s offer when the town sets one, and the catalogue’s otherwise', async () => {
    const category = 'nid-de-poule';
    const { rows: catalogue } = await stack.pool.query<{ deadline_hours: number; deadline_mode: DeadlineMode }>(
      `SELECT deadline_hours, deadline_mode FROM categories WHERE code = $1`,
      [category],
    );
    const { deadline_hours: catalogueHours, deadline_mode: mode } = catalogue[0]!;
    const townHours = catalogueHours + 24;
    const setTownDeadline = (hours: number | null) =>
      stack.pool.query(
        `UPDATE town_categories SET deadline_hours = $3
          WHERE town_code = $1 AND category_id = (SELECT id FROM categories WHERE code = $2)`,
        [MONTREUIL.code, category, hours],
      );
    const deadlineOf = async (id: string) => {
      const { rows } = await stack.pool.query<{ created_at: Date; deadline_at: Date; late_at: Date }>(
        `SELECT r.created_at, r.deadline_at,
                (SELECT o.run_at FROM outbox o WHERE o.job_name = 'report.late' AND o.payload->>'reportId' = r.id::text
                    AND o.payload->>'level' = 'late') AS late_at
           FROM reports r WHERE r.id = $1`,
        [id],
      );
      return rows[0]!;
    };

    await setTownDeadline(townHours);
    try {
      const inMontreuil = await fileRoutedReport(stack.deps, { category, point: MONTREUIL.point });
      const inParis = await fileRoutedReport(stack.deps, { category, point: PARIS.point });
      const montreuil = await deadlineOf(inMontreuil.id);
      const expected = computeDeadline(montreuil.created_at, townHours, mode);
      expect(montreuil.deadline_at).toEqual(expected);
      // The deadline check is scheduled at that deadline too.
      expect(montreuil.late_at).toEqual(expected);
      expect(expected).not.toEqual(computeDeadline(montreuil.created_at, catalogueHours, mode));
      // Paris's offer sets no deadline of its own: the catalogue's.
      const paris = await deadlineOf(inParis.id);
      expect(paris.deadline_at).toEqual(computeDeadline(paris.created_at, catalogueHours, mode));
    } finally {
      await setTownDeadline(null);
    }
  });
});
