import type { PublicConfig } from '@pave/shared';
import { useAsync } from '../../../lib/use-async';
import { FALLBACK_CONFIG, fetchConfig } from '../api/map-api';

/**
 * The map configuration, or null while it loads. A failed request yields the fallback:
 * a map without reports is still better than no map.
 */
export function useMapConfig(): PublicConfig | null {
  const state = useAsync(fetchConfig, []);
  if (state.status === 'loading') return null;
  return state.status === 'ready' ? state.data : FALLBACK_CONFIG;
}
