import type * as L from 'leaflet';
import type { LonLat } from './base-map';

/** `?lat=&lon=&z=` when all three are there and the point is on Earth, so a shared link opens on the same place. */
export function readViewFromUrl(): { center: LonLat; zoom: number } | null {
  const params = new URLSearchParams(window.location.search);
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  const zoom = Number(params.get('z'));
  if (!params.has('lat') || !params.has('lon') || !params.has('z')) return null;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
  return { center: [lon, lat], zoom };
}

/** The map's centre and zoom in `params` (`lat`, `lon`, `z`). */
export function writeViewToParams(params: URLSearchParams, map: L.Map): URLSearchParams {
  const center = map.getCenter();
  params.set('lat', center.lat.toFixed(5));
  params.set('lon', center.lng.toFixed(5));
  params.set('z', String(map.getZoom()));
  return params;
}

/**
 * The map's bounds as `[minLon, minLat, maxLon, maxLat]`, kept within ±180 and ±`maxLat`: a
 * world-wide view can report longitudes past ±180, which the API rightly refuses.
 */
export function bboxOfMap(map: L.Map, maxLat = 90): [number, number, number, number] {
  const bounds = map.getBounds();
  return [
    Math.max(bounds.getWest(), -180),
    Math.max(bounds.getSouth(), -maxLat),
    Math.min(bounds.getEast(), 180),
    Math.min(bounds.getNorth(), maxLat),
  ];
}
