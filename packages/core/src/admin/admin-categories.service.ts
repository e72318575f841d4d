import {
  AppError,
  DUPLICATE_RADIUS_LIMITS,
  type AdminCategory,
  type AdminCategories,
  type DeadlineMode,
} from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { recordChange } from './admin-audit.service';
import { findCategoriesForAdmin, lockCategory, updateCategorySettings } from './admin-categories.repo';

export async function listCategoriesForAdmin(deps: { db: Pool }, user: StaffUser): Promise<AdminCategories> {
  requireRole(user, ['admin']);
  return { categories: await findCategoriesForAdmin(deps.db) };
}

/**
 * Changes a category's deadline, deadline mode, sensitivity, availability or duplicate radius. A new deadline applies to
 * reports routed from now on; deadlines already set are kept. Audited.
 */
export async function patchCategory(
  deps: { db: Pool },
  user: StaffUser,
  code: string,
  patch: {
    deadlineHours?: number;
    deadlineMode?: DeadlineMode;
    isSensitive?: boolean;
    isActive?: boolean;
    duplicateRadiusM?: number;
  },
): Promise<AdminCategory> {
  requireRole(user, ['admin']);
  const radius = patch.duplicateRadiusM;
  const { minM, maxM } = DUPLICATE_RADIUS_LIMITS;
  if (radius !== undefined && !(Number.isInteger(radius) && radius >= minM && radius <= maxM)) {
    throw new AppError(
      'DUPLICATE_RADIUS_INVALID',
      `The duplicate radius is a whole number of metres from ${minM} to ${maxM}.`,
    );
  }
  return withTransaction(deps.db, async (tx) => {
    const before = await lockCategory(tx, code);
    if (!before) throw new AppError('CATEGORY_NOT_FOUND', 'No category with this code.');
    const after = await updateCategorySettings(tx, {
      ...before,
      ...(patch.deadlineHours !== undefined && { deadlineHours: patch.deadlineHours }),
      ...(patch.deadlineMode !== undefined && { deadlineMode: patch.deadlineMode }),
      ...(patch.isSensitive !== undefined && { isSensitive: patch.isSensitive }),
      ...(patch.isActive !== undefined && { isActive: patch.isActive }),
      ...(radius !== undefined && { duplicateRadiusM: radius }),
    });
    await recordChange(tx, user, 'category.update', { id: code, before, after });
    return after;
  });
}
