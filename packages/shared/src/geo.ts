import { AppError } from './errors';

/** `[minLon, minLat, maxLon, maxLat]` in WGS84. */
export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Parses `minLon,minLat,maxLon,maxLat` strictly: four plain decimal numbers,
 * within WGS84 bounds, min < max. Anything else is `BBOX_INVALID`.
 */
export function parseBbox(raw: string): Bbox {
  const parts = raw.split(',');
  if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p.trim()))) {
    throw new AppError('BBOX_INVALID', 'bbox must be four numbers: minLon,minLat,maxLon,maxLat');
  }
  const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as Bbox;
  if (!isLongitude(minLon) || !isLongitude(maxLon) || !isLatitude(minLat) || !isLatitude(maxLat)) {
    throw new AppError('BBOX_INVALID', 'bbox is outside WGS84 bounds (lon -180..180, lat -90..90)');
  }
  if (minLon >= maxLon || minLat >= maxLat) {
    throw new AppError('BBOX_INVALID', 'bbox minimum must be below its maximum');
  }
  return [minLon, minLat, maxLon, maxLat];
}

export function isLongitude(value: number): boolean {
  return Number.isFinite(value) && value >= -180 && value <= 180;
}

export function isLatitude(value: number): boolean {
  return Number.isFinite(value) && value >= -90 && value <= 90;
}

/** Parses a coordinate sent as text; `null` when it is not a finite decimal number. */
export function parseCoordinate(raw: string | undefined): number | null {
  if (raw === undefined || !NUMBER.test(raw.trim())) return null;
  return Number(raw);
}
