import { AppError, type AddressSuggestion } from '@pave/shared';
import { ADDRESS_SEARCH_LIMIT, type Geocoder } from './geocoder';

interface BanFeatureCollection {
  features?: {
    geometry?: { coordinates?: [number, number] };
    properties?: { label?: string; score?: number; id?: string; type?: string };
  }[];
}

const TIMEOUT_MS = 3_000;

/**
 * An external geocoder speaking the French national address API's format (api-adresse:
 * `/search/?q=` and `/reverse/?lon=&lat=`, GeoJSON answers), for a city that chooses one
 * (GEOCODER=ban-api). It sees what residents type and where they point; the default is the local index.
 */
export function createBanApiGeocoder(baseUrl: string): Geocoder {
  async function call(path: string, params: Record<string, string>): Promise<AddressSuggestion[]> {
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
      const { label, id, type } = f.properties ?? {};
      const score = typeof f.properties?.score === 'number' ? Math.min(1, Math.max(0, f.properties.score)) : 0;
      if (typeof lon !== 'number' || typeof lat !== 'number' || !label) return [];
      const kind = type === 'housenumber' ? 'address' : 'street';
      return [{ label, lon, lat, score, kind, id: kind === 'address' && typeof id === 'string' ? id : null }];
    });
  }
  return {
    search: (text, near) =>
      call('search/', { q: text, limit: String(ADDRESS_SEARCH_LIMIT), lon: String(near.lon), lat: String(near.lat) }),
    async reverse(lon, lat) {
      const [found] = await call('reverse/', { lon: String(lon), lat: String(lat) });
      return found ? { label: found.label, kind: found.kind, id: found.id, metres: null } : null;
    },
    // The API has no lookup by id; a BAN id sent to Open311 is then unknown.
    findById: async () => null,
  };
}
