import { AppError, OPEN_STATUSES, type Town, type TownPage } from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { parseAreaGeoJson } from '../admin/admin-areas.service';
import { recordChange } from '../admin/admin-audit.service';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import {
  findBoundaryInvalidReason,
  findServedTowns,
  findTown,
  findTownAt,
  findTownHosts,
  findTownOverlaps,
  findTownPage,
  lockTowns,
  upsertTown,
} from './towns.repo';

/** Shared edges are computed in floating point: a sliver below this is noise, not an overlap. */
const OVERLAP_TOLERANCE_M2 = 1;

/** "Paris, Montreuil and Vincennes"; past five names, "Paris, Montreuil and 7 other towns". */
export function describeServedTowns(towns: readonly Town[]): string {
  const names = towns.map((t) => t.name);
  if (names.length === 0) return 'no town yet';
  if (names.length === 1) return names[0]!;
  if (names.length <= 5) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} other towns`;
}

/**
 * The town at a point. Outside every town the deployment knows: LOCATION_OUTSIDE_TOWNS (422), naming
 * the towns it serves. A known town that is not served is returned with `isServed: false`.
 */
export async function resolveTownAt(deps: { db: Pool }, lon: number, lat: number): Promise<Town> {
  const town = await findTownAt(deps.db, lon, lat);
  if (town) return town;
  const served = await findServedTowns(deps.db);
  throw new AppError(
    'LOCATION_OUTSIDE_TOWNS',
    `This point is outside every town Pavé knows. Reports are taken in ${describeServedTowns(served)}.`,
  );
}

/**
 * Sets a town's boundary from an uploaded GeoJSON polygon (admins only). A boundary that overlaps
 * another town is refused with the towns and the shared area (TOWN_OVERLAPS, 409): a point must have
 * one town. Checked and written under one lock, so two uploads cannot overlap each other.
 */
export async function saveTownBoundary(
  deps: { db: Pool },
  user: StaffUser,
  code: string,
  body: unknown,
): Promise<Town> {
  requireRole(user, ['admin']);
  const parsed = parseAreaGeoJson(body);
  const reason = await findBoundaryInvalidReason(deps.db, parsed.geojson);
  if (reason) throw new AppError('GEOMETRY_INVALID', `The boundary is not a valid polygon: ${reason}.`);
  return withTransaction(deps.db, async (tx) => {
    await lockTowns(tx);
    const before = await findTown(tx, code);
    const name = parsed.name ?? before?.name;
    if (!name) throw new AppError('VALIDATION_FAILED', 'A new town needs a name (a "name" property).');
    const overlaps = (await findTownOverlaps(tx, code, parsed.geojson)).filter(
      (o) => o.overlapM2 >= OVERLAP_TOLERANCE_M2,
    );
    if (overlaps.length > 0) {
      const list = overlaps.map((o) => `${o.name} (${o.code}): ${Math.round(o.overlapM2).toLocaleString('en')} m²`);
      throw new AppError(
        'TOWN_OVERLAPS',
        `The boundary overlaps ${overlaps.length === 1 ? 'a town' : 'towns'}: ${list.join('; ')}.`,
      );
    }
    const town = await upsertTown(tx, { code, name, geojson: parsed.geojson });
    await recordChange(tx, user, 'town.boundary', {
      id: code,
      before: before && { name: before.name },
      after: { name: town.name, vertexCount: parsed.vertexCount },
    });
    return town;
  });
}

/** A served town's public page; TOWN_NOT_FOUND (404) for an unknown code or a town that takes no reports. */
export async function getTownPage(deps: { db: Pool }, code: string): Promise<TownPage> {
  const page = await findTownPage(deps.db, code, { openStatuses: OPEN_STATUSES, limit: 20 });
  if (!page) throw new AppError('TOWN_NOT_FOUND', `No town served with the INSEE code "${code.slice(0, 10)}".`);
  return page;
}

/** How long a town's host name is remembered: a host set by an admin opens the town's page within a minute. */
const HOSTS_TTL_MS = 60_000;

/**
 * The town whose own host name (`towns.host`) a request came to, or null: the host opens that town's
 * page. Looked up once a minute, not per request.
 */
export function createTownHostResolver(deps: { db: Pool }): (host: string | undefined) => Promise<string | null> {
  let cached: { at: number; hosts: Promise<Map<string, string>> } | null = null;
  return async (host) => {
    if (!host) return null;
    if (!cached || Date.now() - cached.at > HOSTS_TTL_MS) {
      const hosts = findTownHosts(deps.db);
      cached = { at: Date.now(), hosts };
      hosts.catch(() => {
        cached = null;
      });
    }
    const name = host.toLowerCase().replace(/:\d+$/, '');
    return (await cached.hosts).get(name) ?? null;
  };
}
