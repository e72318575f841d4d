import { routeReport } from '@pave/core';
import { ON_CALL } from '@pave/core/seed';
import { afterEach, describe, expect, it } from 'vitest';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({ api: false });

const POINT_PARIS_20 = { lon: 2.3933, lat: 48.8614 }; // Père-Lachaise
const POINT_VERSAILLES = { lon: 2.1301, lat: 48.8049 };
/** A weekday morning in winter, Paris time (UTC+1): Wednesday 14 January 2026, 10:00. */
const WEDNESDAY_10H = '2026-01-14T09:00:00Z';

/**
 * A report row as an import would write it: no validation, no outbox job, the creation time pinned.
 * Routing is then run directly, as the `report.route` job does.
 */
async function buildReport({
  category = 'nid-de-poule',
  point = POINT_PARIS_11 as { lon: number; lat: number },
  createdAt = WEDNESDAY_10H,
} = {}): Promise<string> {
  const { rows } = await stack.pool.query<{ id: string }>(
    `INSERT INTO reports (category_id, geom, created_at, updated_at)
     SELECT id, ST_SetSRID(ST_MakePoint($2, $3), 4326), $4, $4 FROM categories WHERE code = $1
     RETURNING id`,
    [category, point.lon, point.lat, createdAt],
  );
  return rows[0]!.id;
}

/** Files a report and routes it; returns the team's name. */
async function routedTeam(options: Parameters<typeof buildReport>[0] = {}): Promise<string> {
  const id = await buildReport(options);
  const outcome = await routeReport(stack.pool, id);
  if (outcome.outcome !== 'routed') throw new Error(`not routed: ${outcome.outcome}`);
  return outcome.teamName;
}

/** Adds a test rule before the seeded ones (which start at position 50); removed after each test. */
async function addRule(rule: {
  position: number;
  team: string;
  category?: string;
  group?: string;
  area?: string;
  days?: number[];
  timeFrom?: string;
  timeTo?: string;
}): Promise<number> {
  const { rows } = await stack.pool.query<{ id: number }>(
    `INSERT INTO routing_rules (position, team_id, category_id, category_group_id, area_id, days, time_from, time_to, description)
     SELECT $1, (SELECT id FROM teams WHERE code = $2), (SELECT id FROM categories WHERE code = $3),
            (SELECT id FROM category_groups WHERE code = $4), (SELECT id FROM service_areas WHERE code = $5),
            $6, $7, $8, 'test rule'
     RETURNING id`,
    [
      rule.position,
      rule.team,
      rule.category ?? null,
      rule.group ?? null,
      rule.area ?? null,
      rule.days ?? null,
      rule.timeFrom ?? null,
      rule.timeTo ?? null,
    ],
  );
  return rows[0]!.id;
}

afterEach(async () => {
  await stack.pool.query(`DELETE FROM routing_rules WHERE description = 'test rule'`);
  await stack.pool.query(
    `UPDATE routing_rules SET is_active = false WHERE team_id = (SELECT id FROM teams WHERE code = $1)`,
    [ON_CALL.team.code],
  );
});

describe('rules over the real arrondissement polygons', () => {
  it('routes by the area the point falls in', async () => {
    expect(await routedTeam({ point: POINT_PARIS_11 })).toBe('Voirie — Paris 11e');
    expect(await routedTeam({ point: POINT_PARIS_20 })).toBe('Voirie — Paris 20e');
    expect(await routedTeam({ category: 'depot-sauvage', point: POINT_PARIS_20 })).toBe('Propreté — Paris 20e');
  });

  it('decides a point on the 11th/20th border by the smaller area, every time', async () => {
    // The two outlines overlap along their border (a sliver of ~7,000 m²): a point there is in both.
    const { rows } = await stack.pool.query<{ lon: number; lat: number; in11: boolean; in20: boolean }>(
      `WITH p AS (SELECT ST_PointOnSurface(ST_Intersection(a.geom, b.geom)) AS g
                    FROM service_areas a, service_areas b WHERE a.code = 'paris-11' AND b.code = 'paris-20')
       SELECT ST_X(p.g) AS lon, ST_Y(p.g) AS lat,
              ST_Covers((SELECT geom FROM service_areas WHERE code = 'paris-11'), p.g) AS in11,
              ST_Covers((SELECT geom FROM service_areas WHERE code = 'paris-20'), p.g) AS in20
         FROM p`,
    );
    const border = rows[0]!;
    expect([border.in11, border.in20]).toEqual([true, true]);
    const teams = new Set<string>();
    for (let i = 0; i < 3; i += 1) teams.add(await routedTeam({ point: { lon: border.lon, lat: border.lat } }));
    expect([...teams]).toEqual(['Voirie — Paris 11e']);
  });

  it('leaves a point outside every town to town-less rules only (a town’s fallback is the town’s)', async () => {
    // Residents cannot file there (422); an import can. Paris's rules, its fallback included, are Paris's.
    const outside = await buildReport({ category: 'depot-sauvage', point: POINT_VERSAILLES });
    expect(await routeReport(stack.pool, outside)).toEqual({ outcome: 'no-rule' });
    // A town-less rule (a body serving every town) takes it.
    const bodyRule = await addRule({ position: 9000, team: 'tri' });
    const id = await buildReport({ category: 'depot-sauvage', point: POINT_VERSAILLES });
    expect(await routeReport(stack.pool, id)).toMatchObject({
      outcome: 'routed',
      teamName: 'Cellule de tri',
      areaId: null,
    });
    const { rows } = await stack.pool.query('SELECT routing_rule_id, town_code FROM reports WHERE id = $1', [id]);
    expect(rows).toEqual([{ routing_rule_id: bodyRule, town_code: null }]);
  });

  it('city-wide groups ignore the area across Paris', async () => {
    expect(await routedTeam({ category: 'fuite-eau', point: POINT_PARIS_20 })).toBe('Eau de Paris');
    expect(await routedTeam({ category: 'fuite-eau', point: POINT_PARIS_11 })).toBe('Eau de Paris');
  });
});

describe('precedence is by position, whatever the kind of criterion', () => {
  it('lets the lowest position win among category, group and area rules', async () => {
    await addRule({ position: 30, group: 'voirie', team: 'eclairage' });
    await addRule({ position: 20, category: 'nid-de-poule', area: 'paris-20', team: 'eau' });
    expect(await routedTeam({ point: POINT_PARIS_20 })).toBe('Eau de Paris');
    expect(await routedTeam({ point: POINT_PARIS_11 })).toBe('Éclairage public — Paris');
    expect(await routedTeam({ category: 'regard-descelle', point: POINT_PARIS_20 })).toBe('Éclairage public — Paris');
    // A bare area rule ahead of everything takes every category there.
    const areaRule = await addRule({ position: 10, area: 'paris-11', team: 'vehicules' });
    expect(await routedTeam({ category: 'tag-facade', point: POINT_PARIS_11 })).toBe(
      'Fourrière — véhicules abandonnés',
    );
    await stack.pool.query('UPDATE routing_rules SET is_active = false WHERE id = $1', [areaRule]);
    expect(await routedTeam({ point: POINT_PARIS_11 })).toBe('Éclairage public — Paris');
    // Same position: the older rule (lower id) wins, so the order never depends on the plan.
    await addRule({ position: 30, group: 'voirie', team: 'vehicules' });
    expect(await routedTeam({ point: POINT_PARIS_11 })).toBe('Éclairage public — Paris');
  });
});

describe('time windows, in Europe/Paris time of the report’s creation', () => {
  const ON_CALL_TEAM = 'Astreinte voirie';
  const DAY_TEAM = 'Voirie — Paris 11e';
  const activateOnCall = (which: 'all' | 'nights') =>
    stack.pool.query(
      `UPDATE routing_rules SET is_active = true
        WHERE team_id = (SELECT id FROM teams WHERE code = $1) AND ($2 = 'all' OR days IS NULL)`,
      [ON_CALL.team.code, which],
    );

  it('sends urgent road reports to the on-call team at night and at week-ends only', async () => {
    await activateOnCall('all');
    const cases: [string, string, string][] = [
      ['Wednesday 10:00', '2026-01-14T09:00:00Z', DAY_TEAM],
      ['Wednesday 19:59', '2026-01-14T18:59:00Z', DAY_TEAM],
      ['Wednesday 20:00 (start included)', '2026-01-14T19:00:00Z', ON_CALL_TEAM],
      ['Wednesday 23:30', '2026-01-14T22:30:00Z', ON_CALL_TEAM],
      ['Thursday 00:00', '2026-01-14T23:00:00Z', ON_CALL_TEAM],
      ['Thursday 06:59', '2026-01-15T05:59:00Z', ON_CALL_TEAM],
      ['Thursday 07:00 (end excluded)', '2026-01-15T06:00:00Z', DAY_TEAM],
      ['Saturday 14:00', '2026-01-17T13:00:00Z', ON_CALL_TEAM],
      ['Sunday 12:00', '2026-01-18T11:00:00Z', ON_CALL_TEAM],
      ['Monday 10:00', '2026-01-19T09:00:00Z', DAY_TEAM],
    ];
    const got = [];
    for (const [label, createdAt] of cases) got.push([label, createdAt, await routedTeam({ createdAt })]);
    expect(got).toEqual(cases);
    // Only the on-call categories: a bulky item at night stays with the cleaning team.
    expect(await routedTeam({ category: 'encombrant', createdAt: '2026-01-14T22:30:00Z' })).toBe(
      'Propreté — Paris 11e',
    );
  });

  it('follows the clock changes (a fixed UTC offset would be an hour off on these nights)', async () => {
    await activateOnCall('nights');
    const cases: [string, string, string][] = [
      // Spring forward, Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST.
      ['Sun 29 Mar 06:30 CEST', '2026-03-29T04:30:00Z', ON_CALL_TEAM],
      ['Sun 29 Mar 07:30 CEST', '2026-03-29T05:30:00Z', DAY_TEAM],
      ['Sat 28 Mar 06:30 CET', '2026-03-28T05:30:00Z', ON_CALL_TEAM],
      // Fall back, Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET.
      ['Sat 24 Oct 20:30 CEST', '2026-10-24T18:30:00Z', ON_CALL_TEAM],
      ['Sun 25 Oct 02:30 CEST (first)', '2026-10-25T00:30:00Z', ON_CALL_TEAM],
      ['Sun 25 Oct 02:30 CET (second)', '2026-10-25T01:30:00Z', ON_CALL_TEAM],
      ['Sun 25 Oct 06:30 CET', '2026-10-25T05:30:00Z', ON_CALL_TEAM],
      ['Sun 25 Oct 07:30 CET', '2026-10-25T06:30:00Z', DAY_TEAM],
    ];
    const got = [];
    for (const [label, createdAt] of cases) got.push([label, createdAt, await routedTeam({ createdAt })]);
    expect(got).toEqual(cases);
  });

  it('counts a window crossing midnight on the day it starts', async () => {
    // Friday night only: Friday 20:00 to Saturday 07:00.
    await addRule({
      position: 1,
      category: 'nid-de-poule',
      team: 'eau',
      days: [5],
      timeFrom: '20:00',
      timeTo: '07:00',
    });
    expect(await routedTeam({ createdAt: '2026-01-16T21:00:00Z' })).toBe('Eau de Paris'); // Fri 22:00
    expect(await routedTeam({ createdAt: '2026-01-17T02:00:00Z' })).toBe('Eau de Paris'); // Sat 03:00
    expect(await routedTeam({ createdAt: '2026-01-16T02:00:00Z' })).toBe(DAY_TEAM); // Fri 03:00: Thursday's night
    expect(await routedTeam({ createdAt: '2026-01-17T21:00:00Z' })).toBe(DAY_TEAM); // Sat 22:00
  });

  it('stores the deciding rule and the local time on the report and in its history', async () => {
    await activateOnCall('nights');
    const id = await buildReport({ createdAt: '2026-03-29T04:30:00Z' });
    const outcome = await routeReport(stack.pool, id);
    const { rows: rule } = await stack.pool.query<{ id: number; team_id: number }>(
      `SELECT rr.id, rr.team_id FROM routing_rules rr JOIN categories c ON c.id = rr.category_id
        WHERE rr.team_id = (SELECT id FROM teams WHERE code = $1) AND c.code = 'nid-de-poule' AND rr.days IS NULL`,
      [ON_CALL.team.code],
    );
    expect(outcome).toMatchObject({
      outcome: 'routed',
      ruleId: rule[0]!.id,
      teamId: rule[0]!.team_id,
      localTime: '2026-03-29T06:30:00',
    });
    const { rows: report } = await stack.pool.query(
      `SELECT r.routing_rule_id, r.team_id, a.code AS area, r.routed_at IS NOT NULL AS routed
         FROM reports r LEFT JOIN service_areas a ON a.id = r.area_id WHERE r.id = $1`,
      [id],
    );
    expect(report[0]).toEqual({
      routing_rule_id: rule[0]!.id,
      team_id: rule[0]!.team_id,
      area: 'paris-11',
      routed: true,
    });
    const { rows: history } = await stack.pool.query(
      `SELECT actor, is_public, data FROM report_history WHERE report_id = $1 AND event = 'routed'`,
      [id],
    );
    expect(history).toEqual([
      {
        actor: 'system',
        is_public: true,
        data: expect.objectContaining({
          ruleId: rule[0]!.id,
          teamId: rule[0]!.team_id,
          teamName: ON_CALL_TEAM,
          localTime: '2026-03-29T06:30:00',
        }),
      },
    ]);
    // Routing again (a replayed job) changes nothing, even though the rules changed since.
    await stack.pool.query('UPDATE routing_rules SET is_active = false WHERE id = $1', [rule[0]!.id]);
    expect(await routeReport(stack.pool, id)).toEqual({ outcome: 'already-routed' });
  });
});

describe('two routings of one report at once (a job redelivered while its first run is still going)', () => {
  it('writes the decision, its deadline checks and its history entry once', async () => {
    const id = await buildReport();
    // A row lock held elsewhere lets both routings read the unrouted report and then wait at their writes,
    // so both reach the write having decided to route: the write itself must refuse the second.
    const holder = await stack.pool.connect();
    let outcomes: Awaited<ReturnType<typeof routeReport>>[];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM reports WHERE id = $1 FOR UPDATE', [id]);
      const racing = Promise.all([routeReport(stack.pool, id), routeReport(stack.pool, id)]);
      await waitFor(
        async () => {
          const { rows } = await stack.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE reports%'`,
          );
          return rows[0]!.n === 2;
        },
        { what: 'both routings waiting at their writes' },
      );
      await holder.query('COMMIT');
      outcomes = await racing;
    } finally {
      holder.release();
    }
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already-routed', 'routed']);
    const { rows } = await stack.pool.query<{ history: number; checks: number }>(
      `SELECT (SELECT count(*)::int FROM report_history WHERE report_id = $1 AND event = 'routed') AS history,
              (SELECT count(*)::int FROM outbox WHERE job_name = 'report.late' AND payload->>'reportId' = $1::text) AS checks`,
      [id],
    );
    expect(rows[0]).toEqual({ history: 1, checks: 2 });
  });
});
