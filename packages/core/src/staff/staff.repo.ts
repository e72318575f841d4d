import type { StaffRole, StaffUser } from '@pave/shared';
import type { Db } from '../db/pool';

/** A signed-in staff member: the shape `/api/staff/me` answers, shared with the web. */
export type { StaffUser } from '@pave/shared';

interface StaffUserRow {
  id: number;
  email: string;
  display_name: string;
  role: StaffRole;
  team_id: number | null;
  service: string | null;
  town_code: string | null;
  town_name: string | null;
}

const toUser = (r: StaffUserRow): StaffUser => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  teamId: r.team_id,
  service: r.service,
  townCode: r.town_code,
  townName: r.town_name,
});

// The town's name beside its code: staff_users only holds the code.
const TOWN_NAME = '(SELECT name FROM towns WHERE code = town_code) AS town_name';

export async function insertStaffUser(
  db: Db,
  user: {
    email: string;
    displayName: string;
    passwordHash: string;
    role: StaffRole;
    teamId: number | null;
    service: string | null;
    /** Null: the town of the staff scope creating it (pave_scope_town, migration 030), else metropolitan. */
    townCode?: string | null;
  },
): Promise<StaffUser> {
  const { rows } = await db.query<StaffUserRow>(
    `INSERT INTO staff_users (email, display_name, password_hash, role, team_id, service, town_code)
     VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, pave_scope_town()))
     RETURNING id, email, display_name, role, team_id, service, town_code, ${TOWN_NAME}`,
    [user.email, user.displayName, user.passwordHash, user.role, user.teamId, user.service, user.townCode ?? null],
  );
  return toUser(rows[0]!);
}

/** An active user and their password hash, for login. */
export async function findStaffCredentials(
  db: Db,
  email: string,
): Promise<(StaffUser & { passwordHash: string }) | null> {
  const { rows } = await db.query<StaffUserRow & { password_hash: string }>(
    `SELECT id, email, display_name, role, team_id, service, town_code, ${TOWN_NAME}, password_hash
       FROM staff_users WHERE email = $1 AND is_active`,
    [email],
  );
  const r = rows[0];
  return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
}

export async function insertStaffSession(db: Db, tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO staff_sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    userId,
    expiresAt,
  ]);
}

/** The user behind a live session (not expired, not revoked, user still active). */
export async function findSessionUser(db: Db, tokenHash: string): Promise<StaffUser | null> {
  const { rows } = await db.query<StaffUserRow>(
    `SELECT u.id, u.email, u.display_name, u.role, u.team_id, u.service, u.town_code,
            (SELECT name FROM towns WHERE code = u.town_code) AS town_name
       FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active`,
    [tokenHash],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function revokeSession(db: Db, tokenHash: string): Promise<void> {
  await db.query('UPDATE staff_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [
    tokenHash,
  ]);
}

/**
 * Deletes staff sessions expired or revoked more than a day ago (hourly upkeep): a session row is a
 * hash, a user id and dates, kept for no one once it can no longer open anything.
 */
export async function purgeStaffSessions(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM staff_sessions
      WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'`,
  );
  return rowCount ?? 0;
}

export async function findTeamIdByCode(db: Db, code: string): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM teams WHERE code = $1', [code]);
  return rows[0]?.id ?? null;
}

/** Which of these e-mails belong to an active staff account. */
export async function findActiveStaffEmails(db: Db, emails: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ email: string }>(
    'SELECT email FROM staff_users WHERE email = ANY($1::text[]) AND is_active ORDER BY email',
    [emails],
  );
  return rows.map((r) => r.email);
}
