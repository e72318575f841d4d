import type { Pool } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import { signInNewStaff, type Point, type SignedInStaff, type StaffAccount } from './factories';

/** Paris (the demo's served town) and a point in its 11th arrondissement. */
export const PARIS = { code: '75056', point: { lon: 2.3795, lat: 48.859 } } as const;
/** Montreuil, Paris's eastern neighbour, and a point in it (rue de Paris, near the town hall). */
export const MONTREUIL = { code: '93048', point: { lon: 2.4485, lat: 48.863 } } as const;
/** The category Montreuil leaves to the metropolitan lighting body (two-tier routing). */
export const BODY_CATEGORY = 'lampadaire-eteint';

export interface TwoTowns {
  /** Montreuil's one road team and its service area (the whole commune). */
  montreuilTeam: { id: number; code: string };
  montreuilAreaId: number;
  /** A town-less team, a body serving every town: takes the lighting Montreuil does not handle. */
  bodyTeam: { id: number; code: string };
  /** Ids of the rules the kit added: Montreuil's catch-all and the body's lighting rule. */
  montreuilRuleId: number;
  bodyRuleId: number;
}

/** Where a point lands: the town the 028 trigger gives a report standing there. */
export const POINTS: Record<'paris' | 'montreuil', Point> = { paris: PARIS.point, montreuil: MONTREUIL.point };

/**
 * Turns the test city into two served towns, as a metropolitan deployment is: the seeded teams, areas,
 * rules and catalogue become Paris's (what migration 028 does to a single-town database), and Montreuil
 * gets its own area, road team and catch-all rule, offering every category but street lighting, which
 * goes to a town-less lighting body. Run on the stack's pool (the owner: no town scope).
 */
export async function seedTwoTowns(pool: Pool): Promise<TwoTowns> {
  await pool.query(`UPDATE teams SET town_code = $1 WHERE town_code IS NULL`, [PARIS.code]);
  await pool.query(`UPDATE routing_rules SET town_code = $1 WHERE town_code IS NULL`, [PARIS.code]);
  await pool.query(`UPDATE service_areas SET town_code = town_at(ST_PointOnSurface(geom)) WHERE town_code IS NULL`);
  await pool.query(
    `INSERT INTO town_categories (town_code, category_id) SELECT $1, id FROM categories ON CONFLICT DO NOTHING`,
    [PARIS.code],
  );
  await pool.query(`UPDATE towns SET is_served = true WHERE code = $1`, [MONTREUIL.code]);
  await pool.query(
    `INSERT INTO town_categories (town_code, category_id)
     SELECT $1, id FROM categories WHERE code <> $2 ON CONFLICT DO NOTHING`,
    [MONTREUIL.code, BODY_CATEGORY],
  );
  const { rows: area } = await pool.query<{ id: number }>(
    `INSERT INTO service_areas (code, name, geom, town_code)
     SELECT 'montreuil', 'Montreuil', geom, code FROM towns WHERE code = $1 RETURNING id`,
    [MONTREUIL.code],
  );
  const { rows: teams } = await pool.query<{ id: number; code: string }>(
    `INSERT INTO teams (code, name, service, town_code) VALUES
       ('voirie-montreuil', 'Voirie de Montreuil', 'voirie', $1),
       ('eclairage-metropole', 'Éclairage métropolitain', 'eclairage', NULL)
     RETURNING id, code`,
    [MONTREUIL.code],
  );
  const montreuilTeam = teams.find((t) => t.code === 'voirie-montreuil')!;
  const bodyTeam = teams.find((t) => t.code === 'eclairage-metropole')!;
  const { rows: rules } = await pool.query<{ id: number; town_code: string | null }>(
    `INSERT INTO routing_rules (position, category_id, team_id, town_code, description) VALUES
       (10, NULL, $1, $2, 'Montreuil: every category it offers'),
       (10000, (SELECT id FROM categories WHERE code = $4), $3, NULL, 'Street lighting, every town: the body')
     RETURNING id, town_code`,
    [montreuilTeam.id, MONTREUIL.code, bodyTeam.id, BODY_CATEGORY],
  );
  return {
    montreuilTeam,
    montreuilAreaId: area[0]!.id,
    bodyTeam,
    montreuilRuleId: rules.find((r) => r.town_code !== null)!.id,
    bodyRuleId: rules.find((r) => r.town_code === null)!.id,
  };
}

/**
 * Staff of Paris in each role, metropolitan council and admin (no town), and Montreuil's crew: create
 * them with `signInStaffOf` once `seedTwoTowns` has made Montreuil's team.
 */
export const STAFF_OF_TWO_TOWNS = {
  parisCrew: { role: 'crew', teamCode: 'voirie-11', townCode: PARIS.code },
  parisSupervisor: { role: 'supervisor', service: 'voirie', townCode: PARIS.code },
  parisCouncil: { role: 'council', townCode: PARIS.code },
  parisAdmin: { role: 'admin', townCode: PARIS.code },
  metroCouncil: { role: 'council' },
  metroAdmin: { role: 'admin' },
  montreuilCrew: { role: 'crew', teamCode: 'voirie-montreuil', townCode: MONTREUIL.code },
} as const satisfies Record<string, StaffAccount>;

/** Creates and signs in each account of `accounts` (the kit's password), by name. */
export async function signInStaffOf<Who extends string>(
  deps: { app: FastifyInstance; pool: Pool },
  accounts: Record<Who, StaffAccount>,
): Promise<Record<Who, SignedInStaff>> {
  const signedIn = {} as Record<Who, SignedInStaff>;
  for (const name of Object.keys(accounts) as Who[]) signedIn[name] = await signInNewStaff(deps, name, accounts[name]);
  return signedIn;
}

/**
 * With `STAFF_OF_TWO_TOWNS`: an agent of each town (assisted reports) and Montreuil's supervisor and
 * admin (the other side of its failed jobs and its admin journal).
 */
export const MORE_STAFF_OF_TWO_TOWNS = {
  parisAgent: { role: 'agent', townCode: PARIS.code },
  montreuilAgent: { role: 'agent', townCode: MONTREUIL.code },
  montreuilSupervisor: { role: 'supervisor', service: 'voirie', townCode: MONTREUIL.code },
  montreuilAdmin: { role: 'admin', townCode: MONTREUIL.code },
} as const satisfies Record<string, StaffAccount>;
