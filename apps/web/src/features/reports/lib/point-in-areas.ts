import type { AreaFeatureCollection } from '@pave/shared';

type Ring = [number, number][];
type Polygon = Ring[];

/** Ray casting: a horizontal ray from the point crosses the ring an odd number of times when inside. */
function isInRing([x, y]: [number, number], ring: Ring): boolean {
  let isInside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) isInside = !isInside;
  }
  return isInside;
}

/** Inside the outer ring and outside every hole. */
function isInPolygon(point: [number, number], [outer, ...holes]: Polygon): boolean {
  if (!outer || !isInRing(point, outer)) return false;
  return !holes.some((hole) => isInRing(point, hole));
}

/**
 * The name of the service area holding `[lon, lat]`, or null when the point is outside all of them.
 * The server has the final word (PostGIS); this only spares the resident a refused submission.
 */
export function findAreaAt(point: [number, number], areas: AreaFeatureCollection): string | null {
  for (const feature of areas.features) {
    const polygons = feature.geometry.coordinates as Polygon[];
    if (polygons.some((polygon) => isInPolygon(point, polygon))) return feature.properties.name;
  }
  return null;
}
