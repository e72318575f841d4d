import type { AdminCategory, DeadlineMode } from '@pave/shared';
import type { Db } from '../db/pool';

interface CategoryRow {
  code: string;
  group_code: string;
  label_fr: string;
  deadline_hours: number;
  deadline_mode: DeadlineMode;
  default_priority: number;
  is_sensitive: boolean;
  is_active: boolean;
  duplicate_radius_m: number;
}

const toCategory = (r: CategoryRow): AdminCategory => ({
  code: r.code,
  group: r.group_code,
  labelFr: r.label_fr,
  deadlineHours: r.deadline_hours,
  deadlineMode: r.deadline_mode,
  defaultPriority: r.default_priority,
  isSensitive: r.is_sensitive,
  isActive: r.is_active,
  duplicateRadiusM: r.duplicate_radius_m,
});

const SELECT = `SELECT c.code, g.code AS group_code, c.label_fr, c.deadline_hours, c.deadline_mode, c.default_priority,
       c.is_sensitive, c.is_active, c.duplicate_radius_m
  FROM categories c JOIN category_groups g ON g.id = c.group_id`;

/** Every category, inactive ones included, in display order. */
export async function findCategoriesForAdmin(db: Db): Promise<AdminCategory[]> {
  const { rows } = await db.query<CategoryRow>(`${SELECT} ORDER BY g.position, g.id, c.position, c.id`);
  return rows.map(toCategory);
}

export async function lockCategory(db: Db, code: string): Promise<AdminCategory | null> {
  const { rows } = await db.query<CategoryRow>(`${SELECT} WHERE c.code = $1 FOR UPDATE OF c`, [code]);
  return rows[0] ? toCategory(rows[0]) : null;
}

export async function updateCategorySettings(db: Db, category: AdminCategory): Promise<AdminCategory> {
  await db.query(
    `UPDATE categories SET deadline_hours = $2, deadline_mode = $3, is_sensitive = $4, is_active = $5,
            duplicate_radius_m = $6
      WHERE code = $1`,
    [
      category.code,
      category.deadlineHours,
      category.deadlineMode,
      category.isSensitive,
      category.isActive,
      category.duplicateRadiusM,
    ],
  );
  return (await lockCategory(db, category.code))!;
}
