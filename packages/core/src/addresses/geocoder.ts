import type { AddressLabel, AddressSuggestion } from '@pave/shared';

/**
 * Address search and reverse lookup. The city's own index (`createLocalGeocoder`) is the default;
 * the national address API (`createBanApiGeocoder`) is an option for a city that wants it.
 */
export interface Geocoder {
  /** Ranked addresses and streets for what a resident typed; ties go to the nearest to `near`. */
  search(text: string, near: { lon: number; lat: number }): Promise<AddressSuggestion[]>;
  /** The address, street or area at a point, saying which; null when none is known there. */
  reverse(lon: number, lat: number): Promise<AddressLabel | null>;
  /** A numbered address by its BAN id (Open311 `address_id`); null when unknown. */
  findById(id: string): Promise<{ id: string; label: string; lon: number; lat: number } | null>;
}

/** How many suggestions a search returns. */
export const ADDRESS_SEARCH_LIMIT = 5;
