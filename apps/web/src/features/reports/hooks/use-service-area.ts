import { useEffect, useState } from 'react';
import { fetchAreas } from '../../map/api/map-api';
import { findAreaAt } from '../lib/point-in-areas';

export type ServiceAreaCheck = { status: 'unknown' } | { status: 'inside'; area: string } | { status: 'outside' };

/**
 * Whether the pin lies in a service area, checked in the browser so a point across the
 * boundary is refused while the resident is still looking at the map. Unknown when the areas
 * could not be loaded: the server checks again anyway.
 */
export function useServiceArea(location: [number, number] | null): ServiceAreaCheck {
  const [check, setCheck] = useState<ServiceAreaCheck>({ status: 'unknown' });
  const lon = location?.[0];
  const lat = location?.[1];

  useEffect(() => {
    if (lon === undefined || lat === undefined) {
      setCheck({ status: 'unknown' });
      return;
    }
    let isCurrent = true;
    fetchAreas().then(
      (areas) => {
        if (!isCurrent) return;
        if (areas.features.length === 0) return setCheck({ status: 'unknown' });
        const area = findAreaAt([lon, lat], areas);
        setCheck(area ? { status: 'inside', area } : { status: 'outside' });
      },
      () => isCurrent && setCheck({ status: 'unknown' }),
    );
    return () => {
      isCurrent = false;
    };
  }, [lon, lat]);

  return check;
}
