import { AppError, isLatitude, isLongitude, parseCoordinate, type CategoryTree } from '@pave/shared';
import type { Pool } from '../db/pool';
import { findPopularCategoryCodes } from '../reports/follow-up.repo';
import { findTown } from '../towns/towns.repo';
import { resolveTownAt } from '../towns/towns.service';
import { findCategoryTree, findOfferedCategoryTree } from './categories.repo';

/** Where the categories are asked for: nowhere (the whole catalogue), a point, or a town by INSEE code. */
export interface CategoryPlaceQuery {
  lon?: string;
  lat?: string;
  town?: string;
}

/**
 * The categories a resident may choose. With a point: the offer of the town there (its own labels),
 * plus what a town-less body handles at that point; a point outside every town is refused
 * (LOCATION_OUTSIDE_TOWNS). With `town`: that town's offer. Without either: the whole catalogue, as
 * before towns. A town that takes no reports offers nothing.
 */
export async function getCategoryTree(deps: { db: Pool }, query: CategoryPlaceQuery): Promise<CategoryTree> {
  const popular = await findPopularCategoryCodes(deps.db, 6);
  const hasPoint = query.lon !== undefined || query.lat !== undefined;
  if (!hasPoint && query.town === undefined) return { groups: await findCategoryTree(deps.db), popular };
  let point: { lon: number; lat: number } | null = null;
  if (hasPoint) {
    const lon = parseCoordinate(query.lon);
    const lat = parseCoordinate(query.lat);
    if (lon === null || lat === null || !isLongitude(lon) || !isLatitude(lat)) {
      throw new AppError('LOCATION_INVALID', 'lat and lon must be sent together, as decimal numbers within range.');
    }
    point = { lon, lat };
  }
  const town = point ? await resolveTownAt(deps, point.lon, point.lat) : await findTown(deps.db, query.town!);
  if (!town) throw new AppError('TOWN_NOT_FOUND', `No town with the INSEE code "${query.town!.slice(0, 10)}".`);
  if (query.town !== undefined && town.code !== query.town) {
    throw new AppError('LOCATION_INVALID', `This point lies in ${town.name} (${town.code}), not in ${query.town}.`);
  }
  const groups = town.isServed ? await findOfferedCategoryTree(deps.db, { townCode: town.code, ...point }) : [];
  const offered = new Set(groups.flatMap((g) => g.categories.map((c) => c.code)));
  return { groups, popular: popular.filter((code) => offered.has(code)), town: { code: town.code, name: town.name } };
}
