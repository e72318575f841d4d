import { useEffect, useState } from 'react';
import { fetchNearbyReports, type NearbyReports } from '../api/reports-api';

// The pin is often dragged a few times: wait for it to settle before asking.
const DEBOUNCE_MS = 400;

/**
 * Open reports of the chosen category near the pin, or null while there is nothing to ask or no
 * answer. A failure counts as "none": the check helps, it must never block a report.
 */
export function useNearbyReports(location: [number, number] | null, category: string): NearbyReports | null {
  const [result, setResult] = useState<NearbyReports | null>(null);
  const lon = location?.[0];
  const lat = location?.[1];

  useEffect(() => {
    setResult(null);
    if (lon === undefined || lat === undefined || !category) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetchNearbyReports([lon, lat], category, controller.signal).then(
        (answer) => setResult(answer),
        () => undefined,
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [lon, lat, category]);

  return result;
}
