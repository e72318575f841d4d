import type { AdminUser, StaffRole } from '@pave/shared';
import type { Db } from '../db/pool';

interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: StaffRole;
  team_id: number | null;
  team_code: string | null;
  service: string | null;
  is_active: boolean;
  created_at: Date;
  town_code: string | null;
}

/** A staff account as the admin API shows it (never its password hash). */
export type AdminUserRecord = AdminUser & { teamId: number | null };

const toUser = (r: UserRow): AdminUserRecord => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  team: r.team_code,
  teamId: r.team_id,
  service: r.service,
  isActive: r.is_active,
  createdAt: r.created_at.toISOString(),
  town: r.town_code,
});

const SELECT = `SELECT u.id, u.email, u.display_name, u.role, u.team_id, t.code AS team_code, u.service, u.is_active,
       u.created_at, u.town_code
  FROM staff_users u LEFT JOIN teams t ON t.id = u.team_id`;

export async function findUsersForAdmin(db: Db): Promise<AdminUserRecord[]> {
  const { rows } = await db.query<UserRow>(
    `${SELECT} ORDER BY u.is_active DESC, u.town_code NULLS FIRST, u.role, u.email`,
  );
  return rows.map(toUser);
}

export async function lockUser(db: Db, id: number): Promise<AdminUserRecord | null> {
  const { rows } = await db.query<UserRow>(`${SELECT} WHERE u.id = $1 FOR UPDATE OF u`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function updateUser(
  db: Db,
  id: number,
  fields: { role: StaffRole; displayName: string; teamId: number | null; service: string | null; isActive: boolean },
): Promise<AdminUserRecord> {
  await db.query(
    `UPDATE staff_users SET role = $2, display_name = $3, team_id = $4, service = $5, is_active = $6 WHERE id = $1`,
    [id, fields.role, fields.displayName, fields.teamId, fields.service, fields.isActive],
  );
  return (await lockUser(db, id))!;
}

/** Ends every live session of a user (a deactivated account is signed out everywhere at once). */
export async function revokeUserSessions(db: Db, userId: number): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE staff_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return rowCount ?? 0;
}

/** Locks the active admins and counts them, so two admins cannot demote each other at the same time. */
export async function lockActiveAdmins(db: Db): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM staff_users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE`,
  );
  return rows.map((r) => r.id);
}

/** The id and town of a team, by code; null when the caller's town scope reads no such team. */
export async function findTeamForAccount(db: Db, code: string): Promise<{ id: number; town: string | null } | null> {
  const { rows } = await db.query<{ id: number; town_code: string | null }>(
    'SELECT id, town_code FROM teams WHERE code = $1',
    [code],
  );
  return rows[0] ? { id: rows[0].id, town: rows[0].town_code } : null;
}

export async function isKnownService(db: Db, service: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM teams WHERE service = $1 LIMIT 1', [service]);
  return rows.length > 0;
}
