/**
 * "Same problem" clusters: open reports of one sub-type grouped so that every member lies within
 * `radiusM` of the cluster's seed report. By the triangle inequality no two members are then more than
 * 2 × radiusM apart, whatever the density: unlike DBSCAN, membership never chains from neighbour to
 * neighbour (a public analysis of DansMaRue data saw DBSCAN fold 56,000 Paris reports into one cluster).
 */

/** The mean Earth radius PostGIS's ST_DistanceSphere uses, so both sides measure the same sphere. */
const EARTH_RADIUS_M = 6370986;
const RAD = Math.PI / 180;

export interface ClusterInput {
  lon: number;
  lat: number;
  /** Only points with the same key cluster together (the category id). */
  key: number;
  /** Older first among equally dense seeds: the first report is usually the one others duplicate. */
  createdMs: number;
}

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Greedy seeded clustering. Seeds are taken in order of how many same-key neighbours they have within
 * the radius (densest first, then oldest); a seed takes every still-free point within the radius.
 * Returns every group (singletons included) as indexes into `points`, the seed first.
 */
export function clusterSameProblem(points: readonly ClusterInput[], radiusM: number): number[][] {
  const byKey = new Map<number, number[]>();
  for (const [index, p] of points.entries()) {
    const list = byKey.get(p.key);
    if (list) list.push(index);
    else byKey.set(p.key, [index]);
  }
  const groups: number[][] = [];
  for (const indexes of byKey.values()) groups.push(...clusterOneKey(points, indexes, radiusM));
  return groups;
}

function clusterOneKey(points: readonly ClusterInput[], indexes: number[], radiusM: number): number[][] {
  // A grid of radius-sized cells on a local equirectangular projection finds candidate neighbours in the
  // 3 × 3 cells around a point; the exact test is the great-circle distance. The 5 % margin covers the
  // projection's error across a city (well under 1 %), so no neighbour within the radius is missed.
  const lat0 = indexes.reduce((sum, i) => sum + points[i]!.lat, 0) / indexes.length;
  const mPerLon = 111_320 * Math.cos(lat0 * RAD);
  const mPerLat = 110_574;
  const cell = radiusM * 1.05;
  const cellOf = (p: ClusterInput) => [Math.floor((p.lon * mPerLon) / cell), Math.floor((p.lat * mPerLat) / cell)];
  const grid = new Map<string, number[]>();
  for (const i of indexes) {
    const [cx, cy] = cellOf(points[i]!);
    const id = `${cx}:${cy}`;
    const list = grid.get(id);
    if (list) list.push(i);
    else grid.set(id, [i]);
  }
  const neighbours = (i: number): number[] => {
    const p = points[i]!;
    const [cx, cy] = cellOf(p);
    const found: number[] = [];
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        for (const j of grid.get(`${cx! + dx}:${cy! + dy}`) ?? []) {
          if (j !== i && distanceM(p, points[j]!) <= radiusM) found.push(j);
        }
      }
    }
    return found;
  };

  const near = new Map(indexes.map((i) => [i, neighbours(i)]));
  const order = [...indexes].sort(
    (a, b) => near.get(b)!.length - near.get(a)!.length || points[a]!.createdMs - points[b]!.createdMs || a - b,
  );
  const taken = new Set<number>();
  const groups: number[][] = [];
  for (const seed of order) {
    if (taken.has(seed)) continue;
    const members = [seed, ...near.get(seed)!.filter((j) => !taken.has(j))];
    for (const m of members) taken.add(m);
    groups.push(members);
  }
  return groups;
}

/** The largest distance between two of `members`, in metres. */
export function diameterM(members: readonly { lon: number; lat: number }[]): number {
  let max = 0;
  for (let a = 0; a < members.length; a += 1) {
    for (let b = a + 1; b < members.length; b += 1) max = Math.max(max, distanceM(members[a]!, members[b]!));
  }
  return max;
}
