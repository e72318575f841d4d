import { AppError, type AdminTowns } from '@pave/shared';
import type { Db, Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { findServedTowns, findTown } from '../towns/towns.repo';

/** The towns an admin may give a new row: every served town for a metropolitan admin, else its own. */
export async function listTownsForAdmin(deps: { db: Pool }, user: StaffUser): Promise<AdminTowns> {
  requireRole(user, ['admin']);
  const towns = await findServedTowns(deps.db);
  return {
    towns: towns
      .filter((t) => user.townCode === null || t.code === user.townCode)
      .map(({ code, name }) => ({ code, name })),
  };
}

/**
 * The town of a row an admin creates. A town's admin creates rows of its own town: leaving the town
 * out or naming its own is the same, naming another town (or none) is refused (403) rather than
 * silently changed, so a script that meant another town learns it at once. A metropolitan admin
 * chooses among the served towns; `fallback` is what it gets when it says nothing (null: town-less).
 */
export async function chooseTown(
  db: Db,
  user: StaffUser,
  requested: string | null | undefined,
  fallback: string | null,
): Promise<string | null> {
  if (user.townCode !== null) {
    if (requested === undefined || requested === user.townCode) return user.townCode;
    throw new AppError('FORBIDDEN', 'An admin of a town creates rows of that town only.');
  }
  if (requested === undefined) return fallback;
  if (requested === null) return null;
  const town = await findTown(db, requested);
  if (!town?.isServed) throw new AppError('VALIDATION_FAILED', `Town "${requested}" is not a town served here.`);
  return town.code;
}

/**
 * Checks that a row's team or area (`part`, of town `partTown`) may serve in `town`: a town-less
 * part serves anywhere, a town's part serves in its town only (a Montreuil team in a Paris rule would
 * send Paris's reports to Montreuil's crews; in a town-less rule, every town's).
 */
export function checkSameTown(town: string | null, part: { what: string; code: string; town: string | null }): void {
  if (part.town === null || part.town === town) return;
  throw new AppError(
    'VALIDATION_FAILED',
    town === null
      ? `The ${part.what} "${part.code}" belongs to town ${part.town}: give this row the same town.`
      : `The ${part.what} "${part.code}" belongs to town ${part.town}, not to ${town}.`,
  );
}

/**
 * Checks the town a request names for an existing row (`requested`; undefined: not named). A team or
 * an area does not change town (docs/adr/0012-towns.md, "Changing the town of a team or an area"):
 * naming the row's own town is accepted, so a client may send back what it read; a town's admin
 * naming another town is a 403, as on a create; a metropolitan admin, a 409 that says what to do.
 */
export function checkTownUnchanged(
  user: StaffUser,
  row: { what: string; code: string; town: string | null },
  requested: string | null | undefined,
): void {
  if (requested === undefined || requested === row.town) return;
  if (user.townCode !== null) throw new AppError('FORBIDDEN', 'An admin of a town keeps its rows in that town.');
  const from = row.town ?? 'no town';
  const to = requested ?? 'no town';
  const instead =
    row.what === 'team' || row.what === 'area'
      ? `create a ${row.what} of ${to} and move its rules${row.what === 'team' ? ' and accounts' : ''} to it`
      : `create a ${row.what} of ${to} instead`;
  throw new AppError(
    'TOWN_NOT_CHANGEABLE',
    `The ${row.what} "${row.code}" belongs to ${from} and does not change town: ${instead}.`,
  );
}
