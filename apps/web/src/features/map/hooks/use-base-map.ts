import { useEffect, useRef, useState, type DependencyList, type RefObject } from 'react';
import type * as L from 'leaflet';
import type { PublicConfig } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { createBaseMap, removeMap, type BaseMapOptions, type LonLat } from '../leaflet/base-map';
import { useMapConfig } from './use-map-config';

/** What a page says about its map: Leaflet options, and a centre and zoom if not the configured ones. */
export type BaseMapSetup = Omit<BaseMapOptions, 'config' | 'zoomLabels' | 'center' | 'zoom'> &
  Partial<Pick<BaseMapOptions, 'center' | 'zoom'>>;

/**
 * The base map (configured tiles, or the area outlines alone offline) in `containerRef`'s element:
 * built once the map configuration is known, removed on unmount; null until then. `setup` is read
 * when the map is built; `rebuildOn` lists what builds it anew. The zoom tooltips take the language
 * of that moment.
 */
export function useBaseMap(
  containerRef: RefObject<HTMLElement | null>,
  setup: BaseMapSetup | ((config: PublicConfig) => BaseMapSetup) = {},
  rebuildOn: DependencyList = [],
): L.Map | null {
  const { t } = useI18n();
  const config = useMapConfig();
  const [map, setMap] = useState<L.Map | null>(null);
  // Read when the map is built, not a reason to build it again.
  const setupRef = useRef({ setup, t });
  setupRef.current = { setup, t };

  useEffect(() => {
    const container = containerRef.current;
    if (!config || !container) return;
    const { setup, t } = setupRef.current;
    const created = createBaseMap(container, {
      config,
      center: config.mapCenter as LonLat,
      zoom: config.mapZoom,
      zoomLabels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut') },
      ...(typeof setup === 'function' ? setup(config) : setup),
    });
    setMap(created);
    return () => {
      removeMap(created);
      setMap(null);
    };
    // The caller names what rebuilds the map.
  }, [config, containerRef, ...rebuildOn]);

  return map;
}
