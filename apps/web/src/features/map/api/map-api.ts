import type { AreaFeatureCollection, PublicConfig } from '@pave/shared';
import { cacheOnce, requestJson } from '../../../lib/api-client';
import { withOfflineCopy } from '../../../lib/offline-copy';

/** Used when `/api/config` cannot be read, so the map still opens somewhere useful. */
export const FALLBACK_CONFIG: PublicConfig = {
  tileUrl: '',
  tileAttribution: '',
  mapCenter: [2.3488, 48.8534],
  mapZoom: 12,
};

export const fetchConfig = cacheOnce(withOfflineCopy('config', () => requestJson<PublicConfig>('/api/config')));

export const fetchAreas = cacheOnce(withOfflineCopy('areas', () => requestJson<AreaFeatureCollection>('/api/areas')));
