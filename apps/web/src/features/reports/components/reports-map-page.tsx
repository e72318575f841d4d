import { useEffect, useRef, useState } from 'react';
import type * as L from 'leaflet';
import type { PublicConfig } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { isAbortError } from '../../../lib/api-client';
import { Link, replaceSearch } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { indexCategories, type CategoryEntry } from '../../categories/api/categories-api';
import { useCategories } from '../../categories/hooks/use-categories';
import { createBaseMap, type LonLat } from '../../map/leaflet/base-map';
import { useMapConfig } from '../../map/hooks/use-map-config';
import { fetchReportsInBbox, type BboxTuple } from '../api/reports-api';
import { ReportMarkers } from '../leaflet/report-markers';
import { renderReportPopup } from '../leaflet/report-popup';
import { StatusLegend } from './status-legend';

// Long enough to skip the intermediate stops of a fling or a zoom animation.
const REFETCH_DELAY_MS = 250;

interface View {
  center: LonLat;
  zoom: number;
}

/** `?lat=&lon=&z=` when all three are sane, so a shared link opens on the same place. */
function readViewFromUrl(): View | null {
  const params = new URLSearchParams(window.location.search);
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  const zoom = Number(params.get('z'));
  if (!params.has('lat') || !params.has('lon') || !params.has('z')) return null;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && zoom >= 1 && zoom <= 19)) return null;
  return { center: [lon, lat], zoom: Math.round(zoom) };
}

function writeViewToUrl(map: L.Map): void {
  const center = map.getCenter();
  const params = new URLSearchParams(window.location.search);
  params.set('lat', center.lat.toFixed(5));
  params.set('lon', center.lng.toFixed(5));
  params.set('z', String(map.getZoom()));
  replaceSearch(params);
}

function bboxOf(map: L.Map): BboxTuple {
  const bounds = map.getBounds();
  // A world-wide view can report longitudes past ±180, which the API rightly refuses.
  return [
    Math.max(bounds.getWest(), -180),
    Math.max(bounds.getSouth(), -90),
    Math.min(bounds.getEast(), 180),
    Math.min(bounds.getNorth(), 90),
  ];
}

function initialView(config: PublicConfig): View {
  return readViewFromUrl() ?? { center: config.mapCenter as LonLat, zoom: config.mapZoom };
}

/** The public map: every report in view, coloured by status. */
export function ReportsMapPage() {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('map.title'));
  const config = useMapConfig();
  const categories = useCategories();
  const containerRef = useRef<HTMLDivElement>(null);
  const [isTruncated, setIsTruncated] = useState(false);
  const [hasLoadError, setHasLoadError] = useState(false);
  const [hasPopup, setHasPopup] = useState(false);

  // Leaflet callbacks outlive renders: they read the current language and categories here.
  const i18nRef = useRef(i18n);
  const categoriesRef = useRef<Map<string, CategoryEntry> | null>(null);
  useEffect(() => {
    i18nRef.current = i18n;
  }, [i18n]);
  useEffect(() => {
    categoriesRef.current = categories.status === 'ready' ? indexCategories(categories.data) : null;
  }, [categories]);

  useEffect(() => {
    const container = containerRef.current;
    if (!config || !container) return;
    const { center, zoom } = initialView(config);
    // The zoom tooltips keep the language the map was opened in; not worth rebuilding the map for.
    const zoomLabels = { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut') };
    const map = createBaseMap(container, { config, center, zoom, zoomLabels });
    const markers = new ReportMarkers(map, (feature) =>
      renderReportPopup(feature, i18nRef.current, categoriesRef.current),
    );

    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const load = async () => {
      controller?.abort();
      const current = new AbortController();
      controller = current;
      try {
        const collection = await fetchReportsInBbox(bboxOf(map), current.signal);
        markers.update(collection);
        setIsTruncated(collection.truncated);
        setHasLoadError(false);
      } catch (error) {
        if (!isAbortError(error)) setHasLoadError(true);
      }
    };

    map.on('popupopen', () => setHasPopup(true));
    map.on('popupclose', () => setHasPopup(false));
    map.on('moveend', () => {
      writeViewToUrl(map);
      // The answer for the old view is useless now: stop it before waiting for the next one.
      controller?.abort();
      clearTimeout(timer);
      timer = setTimeout(() => void load(), REFETCH_DELAY_MS);
    });
    void load();

    return () => {
      clearTimeout(timer);
      controller?.abort();
      map.remove();
    };
  }, [config]);

  return (
    <div className={hasPopup ? 'map-page map-page--popup' : 'map-page'}>
      <div ref={containerRef} className="reports-map" role="region" aria-label={t('map.label')} />
      {isTruncated && (
        <p className="map-note" role="status">
          {t('map.truncated')}
        </p>
      )}
      {hasLoadError && (
        <p className="map-note map-note--error" role="status">
          {t('map.loadFailed')}
        </p>
      )}
      <StatusLegend />
      <Link href="/signaler" className="button button--primary map-cta">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
        </svg>
        {t('map.cta')}
      </Link>
    </div>
  );
}
