import type { AddressLabel, AddressSuggestion, AddressSuggestions } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export type { AddressSuggestion } from '@pave/shared';

/** Address suggestions for what the resident typed (the server proxies the configured geocoder). */
export async function searchAddresses(query: string, signal: AbortSignal): Promise<AddressSuggestion[]> {
  const body = await requestJson<AddressSuggestions>(`/api/geocode/search?q=${encodeURIComponent(query)}`, { signal });
  return body.results;
}

/** The address closest to a point, or null when the geocoder knows none there. */
export async function reverseGeocode([lon, lat]: [number, number], signal: AbortSignal): Promise<string | null> {
  const params = new URLSearchParams({ lat: lat.toFixed(6), lon: lon.toFixed(6) });
  try {
    const body = await requestJson<AddressLabel>(`/api/geocode/reverse?${params.toString()}`, { signal });
    return body.label;
  } catch (error) {
    if (error instanceof Error && 'status' in error && error.status === 404) return null;
    throw error;
  }
}
