import type { AdminAuditEntry } from '@pave/shared';
import type { Db } from '../db/pool';

export interface AuditRecord {
  actorId: number;
  /** `<entity>.<verb>`, e.g. `rule.update`. */
  action: string;
  entity: string;
  entityId: string | number;
  before: unknown;
  after: unknown;
}

/**
 * Appends one change to the admin trail; call it in the transaction that makes the change. The entry
 * belongs to the actor's town (null for a metropolitan account), which row-level security reads
 * (migration 032): set here, the one writer, so no caller can forget it.
 */
export async function insertAudit(db: Db, record: AuditRecord): Promise<void> {
  await db.query(
    `INSERT INTO admin_audit (actor_id, action, entity, entity_id, before, after, town_code)
     VALUES ($1, $2, $3, $4, $5, $6, (SELECT town_code FROM staff_users WHERE id = $1))`,
    [
      record.actorId,
      record.action,
      record.entity,
      String(record.entityId),
      record.before === null ? null : JSON.stringify(record.before),
      record.after === null ? null : JSON.stringify(record.after),
    ],
  );
}

/** The latest changes, newest first, optionally for one entity kind. */
export async function findAudit(db: Db, filter: { entity: string | null; limit: number }): Promise<AdminAuditEntry[]> {
  const { rows } = await db.query<{
    id: string;
    at: Date;
    actor_id: number;
    actor_email: string;
    actor_name: string;
    action: string;
    entity: string;
    entity_id: string;
    before: unknown;
    after: unknown;
  }>(
    `SELECT a.id, a.at, a.actor_id, u.email AS actor_email, u.display_name AS actor_name, a.action, a.entity, a.entity_id, a.before, a.after
       FROM admin_audit a JOIN staff_users u ON u.id = a.actor_id
      WHERE $1::text IS NULL OR a.entity = $1
      ORDER BY a.id DESC
      LIMIT $2`,
    [filter.entity, filter.limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actor: { id: r.actor_id, email: r.actor_email, displayName: r.actor_name },
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
  }));
}

/** Whether a pg error is a unique-constraint violation (a code or e-mail already taken). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

/** Whether a pg error is a violation of the named CHECK constraint. */
export function isCheckViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string } | null;
  return pgError?.code === '23514' && pgError.constraint === constraint;
}
