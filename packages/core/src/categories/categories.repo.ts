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

/** The active category tree, groups and sub-types in their display order. */
export async function findCategoryTree(db: Db): Promise<CategoryGroup[]> {
  const { rows } = await db.query<CategoryRow>(
    `SELECT g.code AS group_code, g.label_fr AS group_label_fr, g.label_en AS group_label_en,
            c.code, c.label_fr, c.label_en, c.synonyms, c.deadline_hours, c.default_priority, c.is_sensitive
       FROM categories c JOIN category_groups g ON g.id = c.group_id
      WHERE c.is_active
      ORDER BY g.position, g.id, c.position, c.id`,
  );
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
    });
  }
  return [...groups.values()];
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

/** The duplicate radius (metres) of a report's category, or null for an unknown report. */
export async function findDuplicateRadiusOfReport(db: Db, reportId: string): Promise<number | null> {
  const { rows } = await db.query<{ duplicate_radius_m: number }>(
    `SELECT c.duplicate_radius_m FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.id = $1`,
    [reportId],
  );
  return rows[0]?.duplicate_radius_m ?? null;
}
