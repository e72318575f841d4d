import type { AdminRule } from '@pave/shared';
import type { Db } from '../db/pool';

interface RuleRow {
  id: number;
  position: number;
  category: string | null;
  group_code: string | null;
  area: string | null;
  team_id: number;
  team_code: string;
  team_name: string;
  days: number[] | null;
  time_from: string | null;
  time_to: string | null;
  is_active: boolean;
  description: string;
  is_referenced: boolean;
  town_code: string | null;
}

const toRule = (r: RuleRow): AdminRule => ({
  id: r.id,
  position: r.position,
  category: r.category,
  group: r.group_code,
  area: r.area,
  team: { id: r.team_id, code: r.team_code, name: r.team_name },
  days: r.days,
  timeFrom: r.time_from,
  timeTo: r.time_to,
  isActive: r.is_active,
  description: r.description,
  isReferenced: r.is_referenced,
  town: r.town_code,
});

const SELECT = `SELECT rr.id, rr.position, c.code AS category, g.code AS group_code, a.code AS area,
       t.id AS team_id, t.code AS team_code, t.name AS team_name, rr.days::int[] AS days,
       to_char(rr.time_from, 'HH24:MI') AS time_from, to_char(rr.time_to, 'HH24:MI') AS time_to,
       rr.is_active, rr.description, rr.town_code,
       EXISTS (SELECT 1 FROM reports r WHERE r.routing_rule_id = rr.id) AS is_referenced
  FROM routing_rules rr
  JOIN teams t ON t.id = rr.team_id
  LEFT JOIN categories c ON c.id = rr.category_id
  LEFT JOIN category_groups g ON g.id = rr.category_group_id
  LEFT JOIN service_areas a ON a.id = rr.area_id`;

/** Every rule in evaluation order (position, then id), inactive ones included. */
export async function findRules(db: Db): Promise<AdminRule[]> {
  const { rows } = await db.query<RuleRow>(`${SELECT} ORDER BY rr.position, rr.id`);
  return rows.map(toRule);
}

export async function findRule(db: Db, id: number): Promise<AdminRule | null> {
  const { rows } = await db.query<RuleRow>(`${SELECT} WHERE rr.id = $1`, [id]);
  return rows[0] ? toRule(rows[0]) : null;
}

/** Locks a rule: routing a report with it takes a key-share lock, so a delete cannot race a routing. */
export async function lockRule(db: Db, id: number): Promise<AdminRule | null> {
  const { rows } = await db.query('SELECT id FROM routing_rules WHERE id = $1 FOR UPDATE', [id]);
  return rows.length ? findRule(db, id) : null;
}

/** The ids of a rule's criteria (and the towns of its area and team), resolved from codes; a null id means the code is unknown. */
export async function resolveRuleCodes(
  db: Db,
  codes: { category: string | null; group: string | null; area: string | null; team: string },
): Promise<{
  categoryId: number | null;
  groupId: number | null;
  areaId: number | null;
  teamId: number | null;
  areaTown: string | null;
  teamTown: string | null;
}> {
  const { rows } = await db.query<{
    category_id: number | null;
    group_id: number | null;
    area_id: number | null;
    team_id: number | null;
    area_town: string | null;
    team_town: string | null;
  }>(
    `SELECT (SELECT id FROM categories WHERE code = $1) AS category_id,
            (SELECT id FROM category_groups WHERE code = $2) AS group_id,
            a.id AS area_id, a.town_code AS area_town, t.id AS team_id, t.town_code AS team_town
       FROM (SELECT 1) one
       LEFT JOIN service_areas a ON a.code = $3
       LEFT JOIN teams t ON t.code = $4`,
    [codes.category, codes.group, codes.area, codes.team],
  );
  const r = rows[0]!;
  return {
    categoryId: r.category_id,
    groupId: r.group_id,
    areaId: r.area_id,
    teamId: r.team_id,
    areaTown: r.area_town,
    teamTown: r.team_town,
  };
}

export interface RuleFields {
  position: number;
  categoryId: number | null;
  groupId: number | null;
  areaId: number | null;
  teamId: number;
  days: number[] | null;
  timeFrom: string | null;
  timeTo: string | null;
  isActive: boolean;
  description: string;
}

const FIELD_VALUES = (f: RuleFields) => [
  f.position,
  f.categoryId,
  f.groupId,
  f.areaId,
  f.teamId,
  f.days,
  f.timeFrom,
  f.timeTo,
  f.isActive,
  f.description,
];

/** A new rule of `town` (null: town-less, applied in every town). */
export async function insertRule(db: Db, fields: RuleFields, town: string | null): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO routing_rules (position, category_id, category_group_id, area_id, team_id, days, time_from, time_to,
                                is_active, description, town_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [...FIELD_VALUES(fields), town],
  );
  return rows[0]!.id;
}

export async function updateRule(db: Db, id: number, fields: RuleFields): Promise<void> {
  await db.query(
    `UPDATE routing_rules SET position = $1, category_id = $2, category_group_id = $3, area_id = $4, team_id = $5,
            days = $6, time_from = $7, time_to = $8, is_active = $9, description = $10
      WHERE id = $11`,
    [...FIELD_VALUES(fields), id],
  );
}

export async function deleteRule(db: Db, id: number): Promise<void> {
  await db.query('DELETE FROM routing_rules WHERE id = $1', [id]);
}

/** Keeps a rule that routed reports, switched off, so they keep the link to what decided them. */
export async function deactivateRule(db: Db, id: number): Promise<void> {
  await db.query('UPDATE routing_rules SET is_active = false WHERE id = $1', [id]);
}

/** Locks every rule and returns their ids, for a reorder. */
export async function lockAllRuleIds(db: Db): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM routing_rules ORDER BY position, id FOR UPDATE');
  return rows.map((r) => r.id);
}

/** Positions 10, 20, 30… in the given order, leaving room to insert a rule between two. */
export async function setRuleOrder(db: Db, ids: number[]): Promise<void> {
  await db.query(
    `UPDATE routing_rules rr SET position = o.n * 10
       FROM unnest($1::int[]) WITH ORDINALITY AS o(id, n)
      WHERE rr.id = o.id`,
    [ids],
  );
}
