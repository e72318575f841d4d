import { AppError } from '@pave/shared';

export interface GeocodeResult {
  label: string;
  lon: number;
  lat: number;
  /** The geocoder's confidence, 0–1 (BAN's `score`). */
  score: number;
}

interface BanFeatureCollection {
  features?: { geometry?: { coordinates?: [number, number] }; properties?: { label?: string; score?: number } }[];
}

const TIMEOUT_MS = 3_000;

/**
 * A geocoder speaking the French national address API's format (BAN / api-adresse:
 * `/search/?q=` and `/reverse/?lon=&lat=`, GeoJSON answers). Its base URL is configuration;
 * when it cannot be reached the answer is `GEOCODER_UNAVAILABLE` and the web app falls back to the pin.
 */
export function createGeocoder(baseUrl: string) {
  async function call(path: string, params: Record<string, string>): Promise<GeocodeResult[]> {
    if (!baseUrl) throw new AppError('GEOCODER_UNAVAILABLE', 'No geocoder is configured.');
    const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    let body: BanFeatureCollection;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) throw new Error(`geocoder answered ${response.status}`);
      body = (await response.json()) as BanFeatureCollection;
    } catch {
      throw new AppError('GEOCODER_UNAVAILABLE', 'The address service cannot be reached; place the pin on the map.');
    }
    return (body.features ?? []).flatMap((f) => {
      const [lon, lat] = f.geometry?.coordinates ?? [];
      const label = f.properties?.label;
      const score = typeof f.properties?.score === 'number' ? f.properties.score : 0;
      return typeof lon === 'number' && typeof lat === 'number' && label ? [{ label, lon, lat, score }] : [];
    });
  }
  return {
    search: (q: string, near?: { lon: number; lat: number }) =>
      call('search/', { q, limit: '5', ...(near ? { lon: String(near.lon), lat: String(near.lat) } : {}) }),
    reverse: async (lon: number, lat: number) =>
      (await call('reverse/', { lon: String(lon), lat: String(lat) }))[0] ?? null,
  };
}
export type Geocoder = ReturnType<typeof createGeocoder>;
