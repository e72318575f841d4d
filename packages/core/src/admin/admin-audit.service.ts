import type { AdminAudit, AdminAuditQuery } from '@pave/shared';
import type { Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { findAudit } from './admin-audit.repo';

/** The admin trail, newest first. */
export async function listAudit(deps: { db: Pool }, user: StaffUser, query: AdminAuditQuery): Promise<AdminAudit> {
  requireRole(user, ['admin']);
  return {
    entries: await findAudit(deps.db, { entity: query.entity ?? null, limit: Math.min(query.limit ?? 100, 500) }),
  };
}
