import { useEffect, useState } from 'react';
import { isAbortError } from '../../../lib/api-client';
import type { LonLat } from '../../map/leaflet/base-map';
import { reverseGeocode, type AddressLabel } from '../api/geocode-api';

/** What is known of the address at the pin; `key` names the point the answer is for. */
export type AddressLookup =
  | { status: 'idle' }
  | { status: 'looking'; key: string }
  | { status: 'found'; key: string; address: AddressLabel }
  /** The index knows no address, street or area here (404). */
  | { status: 'unknown'; key: string }
  /** No answer (network, 5xx): the pin alone is enough, and the resident is told so. */
  | { status: 'failed'; key: string };

/** A point's identity to the metre's tenth: the precision the lookups are sent with. */
export function pointKey([lon, lat]: LonLat): string {
  return `${lon.toFixed(6)},${lat.toFixed(6)}`;
}

/** Looks up the address at the pin each time it moves (a tap, a drag, a located phone, a picked address). */
export function useAddressAt(point: LonLat | null): AddressLookup {
  const [lookup, setLookup] = useState<AddressLookup>({ status: 'idle' });
  const lon = point?.[0];
  const lat = point?.[1];

  useEffect(() => {
    if (lon === undefined || lat === undefined) {
      setLookup({ status: 'idle' });
      return;
    }
    const key = pointKey([lon, lat]);
    const controller = new AbortController();
    setLookup({ status: 'looking', key });
    reverseGeocode([lon, lat], controller.signal).then(
      (address) => setLookup(address ? { status: 'found', key, address } : { status: 'unknown', key }),
      (error: unknown) => {
        if (!isAbortError(error)) setLookup({ status: 'failed', key });
      },
    );
    return () => controller.abort();
  }, [lon, lat]);

  return lookup;
}
