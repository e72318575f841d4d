import type { AddressLabel, AddressSuggestion, AddressSuggestions } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';
import type { LonLat } from '../../map/leaflet/base-map';

export type { AddressLabel, AddressSuggestion } from '@pave/shared';

/**
 * Address suggestions for what the resident typed, from the city's address index. `near` (the
 * map's centre) ranks equal matches: "rue de la Roquette" near the 11th before any other.
 */
export async function searchAddresses(
  query: string,
  near: LonLat | null,
  signal: AbortSignal,
): Promise<AddressSuggestion[]> {
  const params = new URLSearchParams({ q: query });
  if (near) {
    params.set('lon', near[0].toFixed(6));
    params.set('lat', near[1].toFixed(6));
  }
  const body = await requestJson<AddressSuggestions>(`/api/geocode/search?${params.toString()}`, { signal });
  return body.results;
}

/** The address, street or area closest to a point, or null when the index knows nothing there (404). */
export async function reverseGeocode([lon, lat]: LonLat, signal: AbortSignal): Promise<AddressLabel | null> {
  const params = new URLSearchParams({ lat: lat.toFixed(6), lon: lon.toFixed(6) });
  try {
    return await requestJson<AddressLabel>(`/api/geocode/reverse?${params.toString()}`, { signal });
  } catch (error) {
    if (error instanceof Error && 'status' in error && error.status === 404) return null;
    throw error;
  }
}
