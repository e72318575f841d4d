import type { AdminTeam } from '@pave/shared';
import type { Db } from '../db/pool';

interface TeamRow {
  id: number;
  code: string;
  name: string;
  email: string | null;
  service: string;
  town_code: string | null;
}

const toTeam = (r: TeamRow): AdminTeam => ({
  id: r.id,
  code: r.code,
  name: r.name,
  email: r.email,
  service: r.service,
  town: r.town_code,
});
const COLUMNS = 'id, code, name, email, service, town_code';

/** Every team the caller's town scope reads, by town (town-less first), service then code. */
export async function findTeams(db: Db): Promise<AdminTeam[]> {
  const { rows } = await db.query<TeamRow>(
    `SELECT ${COLUMNS} FROM teams ORDER BY town_code NULLS FIRST, service, code`,
  );
  return rows.map(toTeam);
}

export async function lockTeam(db: Db, id: number): Promise<AdminTeam | null> {
  const { rows } = await db.query<TeamRow>(`SELECT ${COLUMNS} FROM teams WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? toTeam(rows[0]) : null;
}

/** A new team of `town` (null: town-less); a null service takes the code convention (see migration 006). */
export async function insertTeam(
  db: Db,
  team: { code: string; name: string; email: string | null; service: string | null; town: string | null },
): Promise<AdminTeam> {
  const { rows } = await db.query<TeamRow>(
    `INSERT INTO teams (code, name, email, service, town_code) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [team.code, team.name, team.email, team.service, team.town],
  );
  return toTeam(rows[0]!);
}

export async function updateTeam(db: Db, team: AdminTeam): Promise<AdminTeam> {
  const { rows } = await db.query<TeamRow>(
    `UPDATE teams SET name = $2, email = $3, service = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
    [team.id, team.name, team.email, team.service],
  );
  return toTeam(rows[0]!);
}
