import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import {
  AppError,
  type AdminUser,
  type AdminUserCreated,
  type AdminUsers,
  type StaffRole,
  isValidEmail,
} from '@pave/shared';
import { withTransaction, type Db, type Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import { insertStaffUser, type StaffUser } from '../staff/staff.repo';
import { isUniqueViolation } from './admin-audit.repo';
import { recordChange } from './admin-audit.service';
import { checkSameTown, checkTownUnchanged, chooseTown } from './admin-towns.service';
import {
  findTeamForAccount,
  findUsersForAdmin,
  isKnownService,
  lockActiveAdmins,
  lockUser,
  revokeUserSessions,
  updateUser,
  type AdminUserRecord,
} from './admin-users.repo';

const publicUser = ({ teamId: _teamId, ...user }: AdminUserRecord): AdminUser => user;

/**
 * Resolves and checks what a role needs: a crew its team, a supervisor a service that has teams.
 * The account's town (`town`, or for a new account a function of its team's town, chooseTown) must
 * be its team's, unless the team is town-less; a patch checks it when it changes the team.
 */
async function checkAssignment(
  db: Db,
  role: StaffRole,
  team: string | null,
  service: string | null,
  town: string | null | ((teamTown: string | null) => Promise<string | null>),
  isTeamChanged = true,
): Promise<{ teamId: number | null; service: string | null; townCode: string | null }> {
  const found = team === null ? null : await findTeamForAccount(db, team);
  if (team !== null && found === null) throw new AppError('VALIDATION_FAILED', `Unknown team "${team}".`);
  const teamId = found?.id ?? null;
  const townCode = typeof town === 'function' ? await town(found?.town ?? null) : town;
  if (team !== null && isTeamChanged) checkSameTown(townCode, { what: 'team', code: team, town: found!.town });
  if (role === 'crew' && teamId === null) throw new AppError('VALIDATION_FAILED', 'A crew member needs a team.');
  if (role === 'supervisor' && service === null) {
    throw new AppError('VALIDATION_FAILED', 'A supervisor needs a service (e.g. "voirie").');
  }
  if (service !== null && !(await isKnownService(db, service))) {
    throw new AppError('VALIDATION_FAILED', `No team belongs to service "${service}".`);
  }
  return { teamId, service, townCode };
}

export async function listUsersForAdmin(deps: { db: Pool }, user: StaffUser): Promise<AdminUsers> {
  requireRole(user, ['admin']);
  return { users: (await findUsersForAdmin(deps.db)).map(publicUser) };
}

/**
 * A new staff account. Without a password, one is generated and returned in this answer only
 * (it is stored as an argon2id hash). Its town is the admin's, or the one a metropolitan admin chose,
 * by default its team's (an account without a town is metropolitan). Audited, without the password.
 */
export async function createStaffAccount(
  deps: { db: Pool },
  user: StaffUser,
  input: {
    email: string;
    role: StaffRole;
    displayName?: string;
    team?: string | null;
    service?: string | null;
    password?: string;
    town?: string | null;
  },
): Promise<AdminUserCreated> {
  requireRole(user, ['admin']);
  const email = input.email.trim().toLowerCase();
  if (!isValidEmail(email)) throw new AppError('EMAIL_INVALID', 'The e-mail address is not valid.');
  const generated = input.password === undefined ? randomBytes(18).toString('base64url') : undefined;
  const passwordHash = await hash(input.password ?? generated!);
  try {
    const created = await withTransaction(deps.db, async (tx) => {
      const assignment = await checkAssignment(tx, input.role, input.team ?? null, input.service ?? null, (teamTown) =>
        chooseTown(tx, user, input.town, teamTown),
      );
      const { id } = await insertStaffUser(tx, {
        email,
        displayName: input.displayName?.trim() || email.split('@')[0]!,
        passwordHash,
        role: input.role,
        ...assignment,
      });
      const after = publicUser((await lockUser(tx, id))!);
      await recordChange(tx, user, 'user.create', { id, before: null, after });
      return after;
    });
    return generated === undefined ? { user: created } : { user: created, password: generated };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ALREADY_EXISTS', 'An account with this e-mail exists.');
    throw error;
  }
}

/**
 * Changes a staff account's role, team, service, name or active flag. Deactivating ends all of its
 * sessions at once; a role change applies on the next request (sessions read the role live).
 * The last active admin cannot be demoted or deactivated, nor can admins lock themselves out (deactivate
 * or demote their own account: another admin does it, who can undo it). Audited.
 */
export async function patchStaffAccount(
  deps: { db: Pool },
  user: StaffUser,
  id: number,
  patch: {
    role?: StaffRole;
    displayName?: string;
    team?: string | null;
    service?: string | null;
    isActive?: boolean;
    town?: string | null;
  },
): Promise<AdminUser> {
  requireRole(user, ['admin']);
  return withTransaction(deps.db, async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const before = await lockUser(tx, id);
    if (!before) throw new AppError('STAFF_USER_NOT_FOUND', 'No staff account with this id.');
    checkTownUnchanged(user, { what: 'account', code: before.email, town: before.town }, patch.town);
    const role = patch.role ?? before.role;
    const isActive = patch.isActive ?? before.isActive;
    const assignment = await checkAssignment(
      tx,
      role,
      patch.team === undefined ? before.team : patch.team,
      patch.service === undefined ? before.service : patch.service,
      before.town,
      patch.team !== undefined,
    );
    if (id === user.id && (role !== 'admin' || !isActive)) {
      throw new AppError(
        'OWN_ACCOUNT_LOCKOUT',
        'You cannot deactivate your own account or remove your own admin role; ask another admin.',
      );
    }
    if (admins.length === 1 && admins[0] === id && (role !== 'admin' || !isActive)) {
      throw new AppError('LAST_ADMIN', 'This is the last active admin; make another admin first.');
    }
    const after = await updateUser(tx, id, {
      role,
      isActive,
      displayName: patch.displayName?.trim() || before.displayName,
      ...assignment,
    });
    const revokedSessions = !isActive ? await revokeUserSessions(tx, id) : 0;
    await recordChange(tx, user, 'user.update', {
      id,
      before: publicUser(before),
      after: { ...publicUser(after), ...(revokedSessions > 0 && { revokedSessions }) },
    });
    return publicUser(after);
  });
}
