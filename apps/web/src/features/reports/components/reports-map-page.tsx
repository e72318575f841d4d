import { useEffect, useRef, useState } from 'react';
import * as L from 'leaflet';
import { MAP_LIMITS, type PublicConfig } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { isAbortError } from '../../../lib/api-client';
import { Link, replaceSearch } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { indexCategories, type CategoryEntry } from '../../categories/api/categories-api';
import { useCategories } from '../../categories/hooks/use-categories';
import { fetchMapReports, reportTileUrl, subscribeToReportEvents, type Bbox } from '../../map/api/public-map-api';
import { MapFiltersPanel } from '../../map/components/map-filters';
import { createBaseMap, type LonLat } from '../../map/leaflet/base-map';
import { ReportTileLayer } from '../../map/leaflet/report-tile-layer';
import { useMapConfig } from '../../map/hooks/use-map-config';
import { matchesFilters, readFilters, toApiQuery, writeFilters, type MapFilters } from '../../map/public-map-filters';
import { ReportMarkers } from '../leaflet/report-markers';
import { renderReportPopup } from '../leaflet/report-popup';
import { MapLegend } from '../../map/components/map-legend';

// Long enough to skip the intermediate stops of a fling or a zoom animation.
const REFETCH_DELAY_MS = 250;
// From this zoom a screen holds a few streets: reports become real DOM markers (focusable, clickable
// by tests and assistive tools), fetched as GeoJSON. Below it they are drawn on canvas tiles.
const DOM_MARKERS_MIN_ZOOM = 17;
// The ceiling of DOM markers at once; the page never creates more (a street holds far fewer).
const DOM_MARKERS_LIMIT = 1500;

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

function writeUrl(map: L.Map, filters: MapFilters): void {
  const center = map.getCenter();
  const params = new URLSearchParams(window.location.search);
  params.set('lat', center.lat.toFixed(5));
  params.set('lon', center.lng.toFixed(5));
  params.set('z', String(map.getZoom()));
  writeFilters(params, filters);
  replaceSearch(params);
}

function bboxOf(map: L.Map): Bbox {
  const bounds = map.getBounds();
  // A world-wide view can report longitudes past ±180, which the API rightly refuses.
  return [
    Math.max(bounds.getWest(), -180),
    Math.max(bounds.getSouth(), -90),
    Math.min(bounds.getEast(), 180),
    Math.min(bounds.getNorth(), 90),
  ];
}

/** The list page for what the map shows: same area, same filters. */
function listHrefOf(map: L.Map, filters: MapFilters): string {
  const params = new URLSearchParams();
  // The same six decimals as the map's own request, so both see exactly the same reports.
  params.set(
    'bbox',
    bboxOf(map)
      .map((n) => n.toFixed(6))
      .join(','),
  );
  const center = map.getCenter();
  params.set('lat', center.lat.toFixed(5));
  params.set('lon', center.lng.toFixed(5));
  params.set('z', String(map.getZoom()));
  writeFilters(params, filters);
  return `/reports?${params.toString()}`;
}

function initialView(config: PublicConfig): View {
  return readViewFromUrl() ?? { center: config.mapCenter as LonLat, zoom: config.mapZoom };
}

/**
 * The public map: counts per area when zoomed out, single reports when zoomed in, coloured by
 * status, filtered, and updated live as reports are filed or change status anywhere.
 */
export function ReportsMapPage() {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('map.title'));
  const config = useMapConfig();
  const categories = useCategories();
  const containerRef = useRef<HTMLDivElement>(null);
  const [filters, setFilters] = useState<MapFilters>(() => readFilters(new URLSearchParams(window.location.search)));
  const [isTruncated, setIsTruncated] = useState(false);
  const [hasLoadError, setHasLoadError] = useState(false);
  const [hasPopup, setHasPopup] = useState(false);
  const [listHref, setListHref] = useState('/reports');
  const [liveMessage, setLiveMessage] = useState('');

  // Leaflet callbacks outlive renders: they read the current language, categories and filters here.
  const i18nRef = useRef(i18n);
  const categoriesRef = useRef<Map<string, CategoryEntry> | null>(null);
  const filtersRef = useRef(filters);
  const applyFiltersRef = useRef<(() => void) | null>(null);
  useEffect(() => {
    i18nRef.current = i18n;
  }, [i18n]);
  useEffect(() => {
    categoriesRef.current = categories.status === 'ready' ? indexCategories(categories.data) : null;
  }, [categories]);
  useEffect(() => {
    filtersRef.current = filters;
    applyFiltersRef.current?.();
  }, [filters]);

  useEffect(() => {
    const container = containerRef.current;
    if (!config || !container) return;
    const { center, zoom } = initialView(config);
    // The zoom tooltips keep the language the map was opened in; not worth rebuilding the map for.
    const zoomLabels = { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut') };
    // An explicit ceiling: without base tiles the map would take the report layer's as its own.
    const map = createBaseMap(container, { config, center, zoom, zoomLabels, maxZoom: 19 });
    let version = 0;
    const tileUrl = () => reportTileUrl(toApiQuery(filtersRef.current), version);
    // Above the area outlines (350) and their names (360), below popups and DOM markers.
    map.createPane('report-tiles').style.zIndex = '380';
    const tiles = new ReportTileLayer(tileUrl(), {
      pane: 'report-tiles',
      maxZoom: DOM_MARKERS_MIN_ZOOM - 1,
      // Redrawing during a pinch would fetch tiles for every intermediate zoom.
      updateWhenZooming: false,
      keepBuffer: 1,
    }).addTo(map);
    tiles.on('tileerror', () => setHasLoadError(true));
    tiles.on('load', () => setHasLoadError(false));
    const markers = new ReportMarkers(map, (feature) =>
      renderReportPopup(
        {
          id: feature.id,
          status: feature.properties.status,
          category: feature.properties.category,
          ref: feature.properties.ref,
          createdAt: feature.properties.createdAt,
        },
        i18nRef.current,
        categoriesRef.current,
      ),
    );

    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const loadMarkers = async () => {
      controller?.abort();
      if (map.getZoom() < DOM_MARKERS_MIN_ZOOM) {
        markers.update({ type: 'FeatureCollection', features: [], truncated: false });
        setIsTruncated(false);
        return;
      }
      const current = new AbortController();
      controller = current;
      try {
        const query = toApiQuery(filtersRef.current);
        const collection = await fetchMapReports(bboxOf(map), query, DOM_MARKERS_LIMIT, current.signal);
        markers.update(collection);
        setIsTruncated(collection.truncated);
        setHasLoadError(false);
      } catch (error) {
        if (!isAbortError(error)) setHasLoadError(true);
      }
    };
    const scheduleMarkers = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void loadMarkers(), REFETCH_DELAY_MS);
    };

    applyFiltersRef.current = () => {
      writeUrl(map, filtersRef.current);
      setListHref(listHrefOf(map, filtersRef.current));
      tiles.setTemplate(tileUrl());
      void loadMarkers();
    };

    map.on('popupopen', () => setHasPopup(true));
    map.on('popupclose', () => setHasPopup(false));
    map.on('moveend', () => {
      writeUrl(map, filtersRef.current);
      setListHref(listHrefOf(map, filtersRef.current));
      // The answer for the old view is useless now: stop it before waiting for the next one.
      controller?.abort();
      scheduleMarkers();
    });

    const openCard = (latLng: L.LatLng) => {
      const feature = tiles.featureAt(latLng);
      if (!feature) return;
      const at = map.unproject([feature.px, feature.py], map.getZoom());
      if (feature.kind === 'cell') {
        map.setView(at, Math.min(map.getZoom() + 2, MAP_LIMITS.pointsMinZoom));
        return;
      }
      L.popup({
        className: 'report-popup',
        minWidth: 220,
        maxWidth: 260,
        autoPanPaddingBottomRight: [16, 110],
        autoPanPaddingTopLeft: [16, 72],
      })
        .setLatLng(at)
        .setContent(
          renderReportPopup(
            { id: feature.id, status: feature.status, category: feature.category },
            i18nRef.current,
            categoriesRef.current,
          ),
        )
        .openOn(map);
    };
    map.on('click', (event: L.LeafletMouseEvent) => {
      if (map.getZoom() < DOM_MARKERS_MIN_ZOOM) openCard(event.latlng);
    });
    map.on('mousemove', (event: L.LeafletMouseEvent) => {
      const isOver = map.getZoom() < DOM_MARKERS_MIN_ZOOM && tiles.featureAt(event.latlng) !== null;
      container.classList.toggle('reports-map--pointer', isOver);
    });

    const unsubscribe = subscribeToReportEvents({
      onHello: (current) => {
        // A reconnection may have missed changes: reload everything at the new version.
        if (version !== 0 && current !== version) {
          version = current;
          tiles.setTemplate(tileUrl());
          void loadMarkers();
        }
        version = current;
      },
      onReport: (event) => {
        version = Math.max(version, event.version);
        // A new report outside the filters changes nothing on screen; a status change may remove one.
        if (event.type === 'created' && !matchesFilters(filtersRef.current, event)) return;
        const [lon, lat] = [event.lon, event.lat];
        tiles.refreshAround(L.latLng(lat, lon), tileUrl());
        if (map.getZoom() >= DOM_MARKERS_MIN_ZOOM && map.getBounds().pad(0.1).contains([lat, lon])) scheduleMarkers();
        if (event.type === 'created') setLiveMessage(i18nRef.current.t('map.live'));
      },
    });

    setListHref(listHrefOf(map, filtersRef.current));
    void loadMarkers();

    return () => {
      unsubscribe();
      applyFiltersRef.current = null;
      clearTimeout(timer);
      controller?.abort();
      map.remove();
    };
  }, [config]);

  return (
    <div className={hasPopup ? 'map-page map-page--popup' : 'map-page'}>
      <div ref={containerRef} className="reports-map" role="region" aria-label={t('map.label')} />
      <div className="map-toolbar">
        <MapFiltersPanel
          filters={filters}
          categories={categories.status === 'ready' ? categories.data : null}
          onChange={setFilters}
        />
        <Link href={listHref} className="map-tool" aria-label={t('map.list.label')}>
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path
              d="M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01"
              stroke="currentColor"
              strokeWidth="2.4"
              strokeLinecap="round"
            />
          </svg>
          {t('map.list')}
        </Link>
      </div>
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
      <p className="visually-hidden" role="status" aria-live="polite">
        {liveMessage}
      </p>
      <MapLegend />
      <Link href="/signaler" className="button button--primary map-cta">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
        </svg>
        {t('map.cta')}
      </Link>
    </div>
  );
}
