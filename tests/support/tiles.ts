import type { Point } from './factories';

/** The slippy-map tile holding a point at zoom `z` (Web Mercator, as map tiles are cut). */
export function tileXyz(point: Point, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const lat = (point.lat * Math.PI) / 180;
  const x = Math.floor(((point.lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n);
  return { z, x, y };
}

/** The same tile as a path: `z/x/y`. */
export function tileOf(point: Point, z: number): string {
  const { x, y } = tileXyz(point, z);
  return `${z}/${x}/${y}`;
}
