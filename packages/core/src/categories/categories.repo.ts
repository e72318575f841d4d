import type { CategoryGroup } from '@pave/shared';
import type { Db } from '../db/pool';

interface CategoryRow {
  group_code: string;
  group_label_fr: string;
  group_label_en: string;
  code: string;
  label_fr: string;
  label_en: string;
  synonyms: string[];
  deadline_hours: number;
  default_priority: number;
  is_sensitive: boolean;
}

/** Rows in display order as the tree of groups and their sub-types; a body's name where one handles it. */
function toCategoryTree(rows: (CategoryRow & { handled_by?: string | null })[]): CategoryGroup[] {
  const groups = new Map<string, CategoryGroup>();
  for (const row of rows) {
    let group = groups.get(row.group_code);
    if (!group) {
      group = { code: row.group_code, label: { fr: row.group_label_fr, en: row.group_label_en }, categories: [] };
      groups.set(row.group_code, group);
    }
    group.categories.push({
      code: row.code,
      label: { fr: row.label_fr, en: row.label_en },
      synonyms: row.synonyms,
      deadlineHours: row.deadline_hours,
      defaultPriority: row.default_priority,
      isSensitive: row.is_sensitive,
      ...(row.handled_by ? { handledBy: row.handled_by } : {}),
    });
  }
  return [...groups.values()];
}

/** The active category tree, groups and sub-types in their display order. */
export async function findCategoryTree(db: Db): Promise<CategoryGroup[]> {
  const { rows } = await db.query<CategoryRow>(
    `SELECT g.code AS group_code, g.label_fr AS group_label_fr, g.label_en AS group_label_en,
            c.code, c.label_fr, c.label_en, c.synonyms, c.deadline_hours, c.default_priority, c.is_sensitive
       FROM categories c JOIN category_groups g ON g.id = c.group_id
      WHERE c.is_active
      ORDER BY g.position, g.id, c.position, c.id`,
  );
  return toCategoryTree(rows);
}

export interface CategoryRecord {
  id: number;
  groupId: number;
  code: string;
  deadlineHours: number;
  defaultPriority: number;
  duplicateRadiusM: number;
}

/** One active category by code, or null. */
export async function findCategoryByCode(db: Db, code: string): Promise<CategoryRecord | null> {
  const { rows } = await db.query<{
    id: number;
    group_id: number;
    code: string;
    deadline_hours: number;
    default_priority: number;
    duplicate_radius_m: number;
  }>(
    `SELECT id, group_id, code, deadline_hours, default_priority, duplicate_radius_m
       FROM categories WHERE code = $1 AND is_active`,
    [code],
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        groupId: row.group_id,
        code: row.code,
        deadlineHours: row.deadline_hours,
        defaultPriority: row.default_priority,
        duplicateRadiusM: row.duplicate_radius_m,
      }
    : null;
}

/**
 * The duplicate radius (metres) of a report's category, its town's where the town sets one; null for
 * an unknown report.
 */
export async function findDuplicateRadiusOfReport(db: Db, reportId: string): Promise<number | null> {
  const { rows } = await db.query<{ duplicate_radius_m: number }>(
    `SELECT COALESCE(tc.duplicate_radius_m, c.duplicate_radius_m) AS duplicate_radius_m
       FROM reports r JOIN categories c ON c.id = r.category_id
       LEFT JOIN town_categories tc ON tc.town_code = r.town_code AND tc.category_id = c.id
      WHERE r.id = $1`,
    [reportId],
  );
  return rows[0]?.duplicate_radius_m ?? null;
}

interface OfferedCategoryRow extends CategoryRow {
  id: number;
  group_id: number;
  duplicate_radius_m: number;
  handled_by: string | null;
}

/**
 * SQL of the categories offered in a town at a point ($1 town code, $2/$3 lon/lat, nullable): the
 * town's active offer with its own labels, deadline and duplicate radius, plus the categories a
 * town-less body (a metropolitan service: team and rule without a town, with a category or group)
 * handles there, named in `handled_by`. A body's catch-all rule is not an offer.
 */
const OFFERED_CATEGORIES_SQL = `
  SELECT c.id, c.group_id, g.code AS group_code, g.label_fr AS group_label_fr, g.label_en AS group_label_en,
         c.code, COALESCE(tc.label_fr, c.label_fr) AS label_fr, COALESCE(tc.label_en, c.label_en) AS label_en,
         c.synonyms, COALESCE(tc.deadline_hours, c.deadline_hours) AS deadline_hours, c.default_priority,
         c.is_sensitive, COALESCE(tc.duplicate_radius_m, c.duplicate_radius_m) AS duplicate_radius_m,
         body.name AS handled_by
    FROM categories c
    JOIN category_groups g ON g.id = c.group_id
    LEFT JOIN town_categories tc ON tc.town_code = $1 AND tc.category_id = c.id AND tc.is_active
    LEFT JOIN LATERAL (
      SELECT t.name FROM routing_rules rr JOIN teams t ON t.id = rr.team_id AND t.town_code IS NULL
       WHERE rr.is_active AND rr.town_code IS NULL
         AND (rr.category_id = c.id OR rr.category_group_id = c.group_id)
         AND (rr.area_id IS NULL OR EXISTS (
               SELECT 1 FROM service_areas a
                WHERE a.id = rr.area_id AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326))))
       ORDER BY rr.position, rr.id LIMIT 1) body ON tc.category_id IS NULL
   WHERE c.is_active AND (tc.category_id IS NOT NULL OR body.name IS NOT NULL)`;

/** Where categories are offered: a town, and the point in it when known (a body may serve part of a town). */
export interface OfferPlace {
  townCode: string;
  lon?: number | null;
  lat?: number | null;
}

/** The category tree offered in a town (at a point): the town's offer, in its words, and what bodies handle there. */
export async function findOfferedCategoryTree(db: Db, place: OfferPlace): Promise<CategoryGroup[]> {
  const { rows } = await db.query<OfferedCategoryRow>(
    `${OFFERED_CATEGORIES_SQL} ORDER BY g.position, g.id, c.position, c.id`,
    [place.townCode, place.lon ?? null, place.lat ?? null],
  );
  return toCategoryTree(rows);
}

/** One category as offered in a town at a point (the town's deadline and duplicate radius), or null when not offered. */
export async function findOfferedCategory(db: Db, place: OfferPlace, code: string): Promise<CategoryRecord | null> {
  const { rows } = await db.query<OfferedCategoryRow>(`${OFFERED_CATEGORIES_SQL} AND c.code = $4`, [
    place.townCode,
    place.lon ?? null,
    place.lat ?? null,
    code,
  ]);
  const row = rows[0];
  return row
    ? {
        id: row.id,
        groupId: row.group_id,
        code: row.code,
        deadlineHours: row.deadline_hours,
        defaultPriority: row.default_priority,
        duplicateRadiusM: row.duplicate_radius_m,
      }
    : null;
}
