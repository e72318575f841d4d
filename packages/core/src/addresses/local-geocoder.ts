import type { Db } from '../db/pool';
import { parseAddressQuery } from './address-query';
import { findAddressById, reverseAddressIndex, searchAddressIndex } from './addresses.repo';
import { ADDRESS_SEARCH_LIMIT, type Geocoder } from './geocoder';

/**
 * The city's own address index in PostgreSQL: nothing a resident types or points at leaves the
 * city's servers. Word prefixes first (autocomplete); trigram similarity when they find nothing (typos).
 */
export function createLocalGeocoder(db: Db): Geocoder {
  return {
    async search(text, near) {
      const query = parseAddressQuery(text);
      if (query.street.replace(/[^\p{L}\p{N}]/gu, '') === '') return [];
      const options = { near, limit: ADDRESS_SEARCH_LIMIT };
      const found = await searchAddressIndex(db, query, { ...options, fuzzy: false });
      return found.length > 0 ? found : searchAddressIndex(db, query, { ...options, fuzzy: true });
    },
    reverse: (lon, lat) => reverseAddressIndex(db, lon, lat),
    findById: (id) => findAddressById(db, id),
  };
}
