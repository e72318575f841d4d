/** A polygon ring, `[lon, lat]` positions. */
export type Ring = number[][];

/** The polygons of a Polygon or MultiPolygon geometry. */
export function polygonsOf(geometry: { type: string; coordinates: unknown }): Ring[][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates as Ring[]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as Ring[][];
  return [];
}

/** A ring's area in square degrees (shoelace): enough to order areas by size and pick the largest part. */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return Math.abs(sum / 2);
}

/**
 * A point inside a polygon, as PostGIS's ST_PointOnSurface finds it: the middle of the widest inside
 * stretch of the horizontal line through the middle of its bounds. A bounds centre (Leaflet's choice)
 * falls outside a crescent-shaped area, or onto its neighbour's name.
 */
export function pointOnSurface(polygon: Ring[]): [number, number] | null {
  const outer = polygon[0];
  if (!outer || outer.length < 4) return null;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const [, lat] of outer) {
    minLat = Math.min(minLat, lat!);
    maxLat = Math.max(maxLat, lat!);
  }
  const y = (minLat + maxLat) / 2;
  const crossings: number[] = [];
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[j] as [number, number];
      const [x2, y2] = ring[i] as [number, number];
      if (y1 > y !== y2 > y) crossings.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  crossings.sort((a, b) => a - b);
  let best: [number, number] | null = null;
  let widest = -1;
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    const width = crossings[k + 1]! - crossings[k]!;
    if (width > widest) {
      widest = width;
      best = [(crossings[k]! + crossings[k + 1]!) / 2, y];
    }
  }
  return best;
}
