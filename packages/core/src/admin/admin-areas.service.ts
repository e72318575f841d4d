import { AppError, AREA_LIMITS, type AdminArea, type AdminAreas } from '@pave/shared';
import { withTransaction, type Db, type Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { checkAreaGeometry, findAreaSummaries, insertArea, lockArea, replaceArea } from './admin-areas.repo';
import { isUniqueViolation } from './admin-audit.repo';
import { recordChange } from './admin-audit.service';
import { checkTownUnchanged, chooseTown } from './admin-towns.service';

const CODE = /^[a-z0-9-]{1,80}$/;
const OTHER_GEOMETRIES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'GeometryCollection']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ParsedArea {
  /** The polygon or multipolygon alone, as GeoJSON text for PostGIS. */
  geojson: string;
  vertexCount: number;
  code: string | undefined;
  name: string | undefined;
}

function invalid(message: string): never {
  throw new AppError('GEOJSON_INVALID', message);
}

/**
 * Reads an uploaded area: a Feature, a FeatureCollection of exactly one Feature, or a bare Polygon or
 * MultiPolygon. Checks the structure, the vertex cap, coordinate ranges and closed rings in JS, so
 * PostGIS never parses a body that is malformed or too large. Code and name come from top-level
 * members or the feature's properties.
 */
export function parseAreaGeoJson(body: unknown): ParsedArea {
  if (!isObject(body) || typeof body.type !== 'string') invalid('The body is not a GeoJSON object.');
  let geometry: unknown = body;
  let properties: Record<string, unknown> = {};
  let feature: unknown = body;
  if (body.type === 'FeatureCollection') {
    if (!Array.isArray(body.features) || body.features.length !== 1) {
      invalid('A FeatureCollection must hold exactly one feature: one area per request.');
    }
    feature = body.features[0];
  }
  if (isObject(feature) && feature.type === 'Feature') {
    if (!isObject(feature.geometry)) invalid('The feature has no geometry.');
    geometry = feature.geometry;
    if (isObject(feature.properties)) properties = feature.properties;
  } else if (feature !== body) {
    invalid('The FeatureCollection must hold a Feature.');
  }
  const g = geometry as Record<string, unknown>;
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    if (typeof g.type === 'string' && OTHER_GEOMETRIES.has(g.type)) {
      throw new AppError('GEOMETRY_TYPE_UNSUPPORTED', `A service area is a Polygon or MultiPolygon, not a ${g.type}.`);
    }
    invalid(`Unknown GeoJSON type "${String(g.type).slice(0, 40)}".`);
  }
  if (!Array.isArray(g.coordinates)) invalid('The geometry has no coordinates array.');
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  if (polygons.length === 0) invalid('The geometry has no polygon.');
  let vertexCount = 0;
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) invalid('Each polygon needs at least one ring.');
    for (const ring of polygon as unknown[]) {
      if (!Array.isArray(ring)) invalid('A ring must be an array of positions.');
      vertexCount += ring.length;
      if (vertexCount > AREA_LIMITS.maxVertices) {
        throw new AppError(
          'GEOMETRY_TOO_COMPLEX',
          `An area may have at most ${AREA_LIMITS.maxVertices} vertices; simplify it first.`,
        );
      }
      for (const position of ring as unknown[]) {
        if (
          !Array.isArray(position) ||
          position.length < 2 ||
          position.length > 3 ||
          !position.every((n) => typeof n === 'number' && Number.isFinite(n))
        ) {
          invalid('A position must be [lon, lat] with finite numbers.');
        }
        const [lon, lat] = position as number[];
        if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) {
          throw new AppError(
            'COORDINATES_OUT_OF_RANGE',
            `Position [${lon}, ${lat}] is not longitude/latitude in degrees (WGS84, [lon, lat] order).`,
          );
        }
      }
      const first = ring[0] as number[] | undefined;
      const last = ring[ring.length - 1] as number[] | undefined;
      if (ring.length < 4 || first![0] !== last![0] || first![1] !== last![1]) {
        throw new AppError('GEOMETRY_INVALID', 'Each ring needs at least 4 positions, the last equal to the first.');
      }
    }
  }
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  return {
    geojson: JSON.stringify({ type: g.type, coordinates: g.coordinates }),
    vertexCount,
    code: text(body.code) ?? text(properties.code),
    name: text(body.name) ?? text(properties.name),
  };
}

// One decimal: what an administrator needs to see how far off the outline is.
const formatNumber = (value: number) => String(Math.round(value * 10) / 10);

/**
 * PostGIS's verdict: valid polygons only, of a plausible size, near the city's other areas and, for
 * an area of a town, within that town but for the tolerance of AREA_LIMITS.
 */
async function checkGeometry(db: Db, parsed: ParsedArea, excludeId: number | null, town: string | null): Promise<void> {
  const check = await checkAreaGeometry(db, parsed.geojson, excludeId, town).catch((error: unknown) => {
    // ST_GeomFromGeoJSON refuses what our structural check let through (e.g. nested garbage).
    if ((error as { code?: string }).code === 'XX000') invalid(`PostGIS cannot read it: ${(error as Error).message}`);
    throw error;
  });
  if (check.invalidReason) {
    throw new AppError('GEOMETRY_INVALID', `The polygon is not valid: ${check.invalidReason}.`, undefined, {
      location: check.invalidAt ?? undefined,
    });
  }
  if (check.areaKm2 > AREA_LIMITS.maxAreaKm2) {
    throw new AppError(
      'AREA_TOO_LARGE',
      `The area covers ${Math.round(check.areaKm2)} km²; at most ${AREA_LIMITS.maxAreaKm2} km² is accepted.`,
    );
  }
  if (check.distanceKm !== null && check.distanceKm > AREA_LIMITS.maxDistanceKm) {
    throw new AppError(
      'AREA_OUTSIDE_CITY',
      `The area is ${Math.round(check.distanceKm)} km from the other service areas (at most ${AREA_LIMITS.maxDistanceKm} km).`,
    );
  }
  const outside = check.outsideTown;
  if (
    town &&
    outside &&
    (outside.share > AREA_LIMITS.maxOutsideTownShare || outside.hectares > AREA_LIMITS.maxOutsideTownHa)
  ) {
    const where = outside.mostlyIn === null ? 'in no known town' : `mostly in ${outside.mostlyIn}`;
    throw new AppError(
      'AREA_OUTSIDE_TOWN',
      `${formatNumber(outside.hectares)} ha of the area (${formatNumber(outside.share * 100)} %) lie outside ` +
        `${outside.townName} (${town}), ${where}; at most ${AREA_LIMITS.maxOutsideTownShare * 100} % of an area ` +
        `and ${AREA_LIMITS.maxOutsideTownHa} ha may lie outside its town.`,
      undefined,
      {
        outsideTown: {
          hectares: outside.hectares,
          share: outside.share,
          town,
          townName: outside.townName,
          mostlyIn: outside.mostlyIn,
        },
      },
    );
  }
}

function checkCode(code: string): string {
  if (!CODE.test(code))
    throw new AppError('VALIDATION_FAILED', 'An area code uses a-z, 0-9 and "-" (e.g. "paris-11").');
  return code;
}

function summary(area: AdminArea) {
  // The trail keeps the size and place of an outline, not its thousands of vertices.
  return {
    code: area.code,
    name: area.name,
    areaKm2: area.areaKm2,
    vertexCount: area.vertexCount,
    bbox: area.bbox,
    town: area.town,
  };
}

export async function listAreasForAdmin(deps: { db: Pool }, user: StaffUser): Promise<AdminAreas> {
  requireRole(user, ['admin']);
  return { areas: await findAreaSummaries(deps.db) };
}

/**
 * A new service area from GeoJSON, stored as a MultiPolygon in EPSG:4326, of the admin's town or of
 * the one a metropolitan admin chose (`query.town`, chooseTown); audited.
 */
export async function createArea(
  deps: { db: Pool },
  user: StaffUser,
  body: unknown,
  query: { code?: string; name?: string; town?: string },
): Promise<AdminArea> {
  requireRole(user, ['admin']);
  const parsed = parseAreaGeoJson(body);
  const code = query.code ?? parsed.code;
  const name = query.name ?? parsed.name;
  if (!code || !name) {
    throw new AppError('VALIDATION_FAILED', 'Give the area a code and a name (query, body or feature properties).');
  }
  checkCode(code);
  const town = await chooseTown(deps.db, user, query.town, null);
  await checkGeometry(deps.db, parsed, null, town);
  try {
    return await withTransaction(deps.db, async (tx) => {
      const area = await insertArea(tx, { code, name, geojson: parsed.geojson, town });
      await recordChange(tx, user, 'area.create', { id: area.id, before: null, after: summary(area) });
      return area;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ALREADY_EXISTS', `An area with code "${code}" exists.`);
    throw error;
  }
}

/**
 * Replaces an area's outline (and its code or name when given), held to the area's town as a new one
 * is; reports keep their area. The area keeps its town (checkTownUnchanged). Audited.
 */
export async function replaceAreaGeometry(
  deps: { db: Pool },
  user: StaffUser,
  id: number,
  body: unknown,
  query: { code?: string; name?: string; town?: string },
): Promise<AdminArea> {
  requireRole(user, ['admin']);
  const parsed = parseAreaGeoJson(body);
  try {
    return await withTransaction(deps.db, async (tx) => {
      const before = await lockArea(tx, id);
      if (!before) throw new AppError('AREA_NOT_FOUND', 'No service area with this id.');
      checkTownUnchanged(user, { what: 'area', code: before.code, town: before.town }, query.town);
      // Under the lock: the town the outline is held to is the one the area keeps.
      await checkGeometry(tx, parsed, id, before.town);
      const code = checkCode(query.code ?? parsed.code ?? before.code);
      const after = await replaceArea(tx, id, {
        code,
        name: query.name ?? parsed.name ?? before.name,
        geojson: parsed.geojson,
      });
      await recordChange(tx, user, 'area.replace', { id, before: summary(before), after: summary(after) });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ALREADY_EXISTS', 'Another area has this code.');
    throw error;
  }
}
