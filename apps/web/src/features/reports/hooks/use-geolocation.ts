import { useCallback, useEffect, useRef, useState } from 'react';
import type { LonLat } from '../../map/leaflet/base-map';

export type GeolocationState =
  | { status: 'idle' }
  | { status: 'locating' }
  | { status: 'found'; position: LonLat; accuracyMeters: number }
  | { status: 'failed'; reason: 'denied' | 'unavailable' | 'timeout' };

// A phone outdoors gets a GPS fix in a few seconds; past this, the resident had better tap the map.
const TIMEOUT_MS = 15_000;

/** One-shot "where am I", with the reason spelled out when it fails. */
export function useGeolocation(): [GeolocationState, () => void] {
  const [state, setState] = useState<GeolocationState>({ status: 'idle' });
  const isMounted = useRef(true);
  useEffect(() => {
    isMounted.current = true;
    return () => {
      isMounted.current = false;
    };
  }, []);

  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setState({ status: 'failed', reason: 'unavailable' });
      return;
    }
    setState({ status: 'locating' });
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        if (!isMounted.current) return;
        setState({ status: 'found', position: [coords.longitude, coords.latitude], accuracyMeters: coords.accuracy });
      },
      (error) => {
        if (!isMounted.current) return;
        const reason =
          error.code === error.PERMISSION_DENIED ? 'denied' : error.code === error.TIMEOUT ? 'timeout' : 'unavailable';
        setState({ status: 'failed', reason });
      },
      // maximumAge 0: pressing the button again after walking a few steps must not return the old fix.
      { enableHighAccuracy: true, timeout: TIMEOUT_MS, maximumAge: 0 },
    );
  }, []);

  return [state, locate];
}
