import { useCallback, useEffect, useRef, useState } from 'react';
import type * as L from 'leaflet';
import { ANALYTICS_LIMITS, type Heatmap } from '@pave/shared';
import { ApiError, isAbortError } from '../../../lib/api-client';
import { replaceSearch } from '../../../lib/router';
import type { LonLat } from '../../map/leaflet/base-map';
import { bboxOfMap, readViewFromUrl, writeViewToParams } from '../../map/leaflet/map-view-url';
import { fetchHeatmap, type Bbox } from '../api/council-api';
import type { HeatmapMode } from '../council-filters';

// Long enough to skip the intermediate stops of a fling or a zoom animation.
const REFETCH_DELAY_MS = 250;

// Web Mercator, and so the API, stops short of the poles.
const bboxOf = (map: L.Map): Bbox => bboxOfMap(map, 85);

/** The view in the URL, its zoom kept to the zooms the API draws cells at. */
export function readHeatmapView(): { center: LonLat; zoom: number } | null {
  const view = readViewFromUrl();
  return view && { center: view.center, zoom: clampZoom(view.zoom) };
}

function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return ANALYTICS_LIMITS.heatmapDefaultZoom;
  return Math.min(ANALYTICS_LIMITS.heatmapMaxZoom, Math.max(ANALYTICS_LIMITS.heatmapMinZoom, Math.round(zoom)));
}

const writeView = (map: L.Map) => replaceSearch(writeViewToParams(new URLSearchParams(window.location.search), map));

/**
 * The heat-map cells for the map's view, the filter query and the mode, read again (debounced) when the
 * map moves and at once when the query or mode changes; the view is mirrored in the URL.
 * `askForMonths` asks for per-month counts, from then on.
 */
export function useHeatmapData(map: L.Map | null, query: string, mode: HeatmapMode) {
  const refetchRef = useRef<() => void>(() => {});
  const [data, setData] = useState<Heatmap | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Per-month counts are asked for once the slider leaves "whole period", and from then on.
  const byMonthRef = useRef(false);
  const [hasMonths, setHasMonths] = useState(false);

  // The map is built once; the current query and mode are read through refs by its callbacks.
  const queryRef = useRef(query);
  const modeRef = useRef(mode);

  useEffect(() => {
    if (!map) return;
    let controller: AbortController | null = null;
    let timer: number | undefined;
    const load = () => {
      controller?.abort();
      controller = new AbortController();
      const signal = controller.signal;
      const byMonth = byMonthRef.current;
      setIsLoading(true);
      fetchHeatmap(
        new URLSearchParams(queryRef.current),
        {
          zoom: clampZoom(map.getZoom()),
          bbox: bboxOf(map),
          shape: modeRef.current === 'heat' ? 'point' : modeRef.current,
          byMonth: byMonthRef.current,
        },
        signal,
      ).then(
        (heatmap) => {
          setData(heatmap);
          setHasMonths(byMonth);
          setError(null);
          setIsLoading(false);
        },
        (caught: unknown) => {
          if (isAbortError(caught) || signal.aborted) return;
          setError(caught instanceof ApiError ? caught.code : 'NETWORK');
          setIsLoading(false);
        },
      );
    };
    const scheduleLoad = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, REFETCH_DELAY_MS);
    };
    refetchRef.current = load;
    map.on('moveend', () => {
      writeView(map);
      scheduleLoad();
    });
    load();
    return () => {
      window.clearTimeout(timer);
      controller?.abort();
      refetchRef.current = () => {};
    };
  }, [map]);

  // A new filter or mode: the next answer replaces the cells (the old ones stay until then).
  useEffect(() => {
    if (queryRef.current === query && modeRef.current === mode) return;
    queryRef.current = query;
    modeRef.current = mode;
    refetchRef.current();
  }, [query, mode]);

  const askForMonths = useCallback(() => {
    if (byMonthRef.current) return;
    byMonthRef.current = true;
    refetchRef.current();
  }, []);

  return { data, isLoading, error, hasMonths, askForMonths };
}
