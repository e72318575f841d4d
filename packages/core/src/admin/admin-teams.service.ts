import { AppError, type AdminTeam, type AdminTeams, isValidEmail } from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { isCheckViolation, isUniqueViolation } from './admin-audit.repo';
import { recordChange } from './admin-audit.service';
import { checkTownUnchanged, chooseTown } from './admin-towns.service';
import { findTeams, insertTeam, lockTeam, updateTeam } from './admin-teams.repo';

function checkName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (name.trim() === '') throw new AppError('VALIDATION_FAILED', 'A team needs a name.');
  return name.trim();
}

function checkEmail(email: string | null | undefined): string | null | undefined {
  if (email === undefined || email === null) return email;
  const trimmed = email.trim().toLowerCase();
  if (trimmed === '') return null;
  if (!isValidEmail(trimmed)) throw new AppError('EMAIL_INVALID', 'The team e-mail address is not valid.');
  return trimmed;
}

export async function listTeamsForAdmin(deps: { db: Pool }, user: StaffUser): Promise<AdminTeams> {
  requireRole(user, ['admin']);
  return { teams: await findTeams(deps.db) };
}

/** A new team, of the admin's town or of the one a metropolitan admin chose (chooseTown); audited. */
export async function createTeam(
  deps: { db: Pool },
  user: StaffUser,
  input: { code: string; name: string; email?: string | null; service?: string; town?: string | null },
): Promise<AdminTeam> {
  requireRole(user, ['admin']);
  const email = checkEmail(input.email) ?? null;
  const name = checkName(input.name)!;
  const town = await chooseTown(deps.db, user, input.town, null);
  try {
    return await withTransaction(deps.db, async (tx) => {
      const team = await insertTeam(tx, {
        code: input.code,
        name,
        email,
        service: input.service ?? null,
        town,
      });
      await recordChange(tx, user, 'team.create', { id: team.id, before: null, after: team });
      return team;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ALREADY_EXISTS', `A team with code "${input.code}" exists.`);
    // The default service is the code without its number (the insert trigger, migration 006): "-12" leaves none.
    if (isCheckViolation(error, 'teams_service_check')) {
      throw new AppError('VALIDATION_FAILED', `The code "${input.code}" names no service: send "service".`);
    }
    throw error;
  }
}

/** Renames a team, changes its e-mail or its service, never its town (checkTownUnchanged); audited. */
export async function patchTeam(
  deps: { db: Pool },
  user: StaffUser,
  id: number,
  patch: { name?: string; email?: string | null; service?: string; town?: string | null },
): Promise<AdminTeam> {
  requireRole(user, ['admin']);
  const email = checkEmail(patch.email);
  const name = checkName(patch.name);
  return withTransaction(deps.db, async (tx) => {
    const before = await lockTeam(tx, id);
    if (!before) throw new AppError('TEAM_NOT_FOUND', 'No team with this id.');
    checkTownUnchanged(user, { what: 'team', code: before.code, town: before.town }, patch.town);
    const after = await updateTeam(tx, {
      ...before,
      ...(name !== undefined && { name }),
      ...(email !== undefined && { email }),
      ...(patch.service !== undefined && { service: patch.service }),
    });
    await recordChange(tx, user, 'team.update', { id, before, after });
    return after;
  });
}
