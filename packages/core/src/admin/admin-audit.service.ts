import type { AdminAudit, AdminAuditQuery } from '@pave/shared';
import type { Db, Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { findAudit, insertAudit } from './admin-audit.repo';

/** The admin trail, newest first. */
export async function listAudit(deps: { db: Pool }, user: StaffUser, query: AdminAuditQuery): Promise<AdminAudit> {
  requireRole(user, ['admin']);
  return {
    entries: await findAudit(deps.db, { entity: query.entity ?? null, limit: Math.min(query.limit ?? 100, 500) }),
  };
}

/**
 * Records an admin change in the caller's transaction, so the trail and the change commit together:
 * `action` is `<entity>.<verb>` (`rule.update`), `before` is null for a creation, `after` for a deletion.
 */
export async function recordChange(
  tx: Db,
  user: StaffUser,
  action: `${string}.${string}`,
  change: { id: string | number; before: unknown; after: unknown },
): Promise<void> {
  await insertAudit(tx, {
    actorId: user.id,
    action,
    entity: action.slice(0, action.indexOf('.')),
    entityId: change.id,
    before: change.before,
    after: change.after,
  });
}
