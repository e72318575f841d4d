import * as L from 'leaflet';
import { MAP_LIMITS, type PublicConfig } from '@pave/shared';
import { isAbortError } from '../../../lib/api-client';
import { replaceSearch } from '../../../lib/router';
import { fetchMapReports, reportTileUrl, subscribeToReportEvents, type Bbox } from '../../map/api/public-map-api';
import type { LonLat } from '../../map/leaflet/base-map';
import { bboxOfMap, readViewFromUrl, writeViewToParams } from '../../map/leaflet/map-view-url';
import { ReportTileLayer } from '../../map/leaflet/report-tile-layer';
import { matchesFilters, toApiQuery, writeFilters, type MapFilters } from '../../map/public-map-filters';
import { ReportMarkers } from './report-markers';
import type { ReportSummary } from './report-popup';

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

/** The view of the address bar when its zoom is sane, else the configured one. */
export function initialView(config: PublicConfig): View {
  const view = readViewFromUrl();
  if (view && view.zoom >= 1 && view.zoom <= 19) return { center: view.center, zoom: Math.round(view.zoom) };
  return { center: config.mapCenter as LonLat, zoom: config.mapZoom };
}

/** The map's centre and zoom, and the filters, in `params`. */
function writeView(params: URLSearchParams, map: L.Map, filters: MapFilters): URLSearchParams {
  writeFilters(writeViewToParams(params, map), filters);
  return params;
}

const bboxOf = (map: L.Map): Bbox => bboxOfMap(map);

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
  return `/reports?${writeView(params, map, filters).toString()}`;
}

/** What the layers ask the page for, and tell it. */
export interface ReportLayersHost {
  filters: () => MapFilters;
  renderPopup: (report: ReportSummary) => HTMLElement;
  onTruncated: (isTruncated: boolean) => void;
  onLoadError: (hasError: boolean) => void;
  onPopup: (isOpen: boolean) => void;
  /** The list page's link for the current view and filters. */
  onListHref: (href: string) => void;
  /** A report was filed within the filters. */
  onCreated: () => void;
}

/**
 * The reports on the public map: canvas tiles (counts per cell, then dots) below
 * `DOM_MARKERS_MIN_ZOOM`, DOM markers from it, both following the filters and live report events.
 * `applyFilters` redraws after a filter change; `detach` stops requests and the event stream.
 */
export function attachReportLayers(
  map: L.Map,
  container: HTMLElement,
  host: ReportLayersHost,
): { applyFilters: () => void; detach: () => void } {
  let version = 0;
  const tileUrl = () => reportTileUrl(toApiQuery(host.filters()), version);
  // Above the area outlines (350) and their names (360), below popups and DOM markers.
  map.createPane('report-tiles').style.zIndex = '380';
  const tiles = new ReportTileLayer(tileUrl(), {
    pane: 'report-tiles',
    maxZoom: DOM_MARKERS_MIN_ZOOM - 1,
    // Redrawing during a pinch would fetch tiles for every intermediate zoom.
    updateWhenZooming: false,
    keepBuffer: 1,
  }).addTo(map);
  tiles.on('tileerror', () => host.onLoadError(true));
  tiles.on('load', () => host.onLoadError(false));
  const markers = new ReportMarkers(map, ({ id, properties: { status, category, ref, createdAt } }) =>
    host.renderPopup({ id, status, category, ref, createdAt }),
  );

  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const loadMarkers = async () => {
    controller?.abort();
    if (map.getZoom() < DOM_MARKERS_MIN_ZOOM) {
      markers.update({ type: 'FeatureCollection', features: [], truncated: false });
      host.onTruncated(false);
      return;
    }
    const current = new AbortController();
    controller = current;
    try {
      const query = toApiQuery(host.filters());
      const collection = await fetchMapReports(bboxOf(map), query, DOM_MARKERS_LIMIT, current.signal);
      markers.update(collection);
      host.onTruncated(collection.truncated);
      host.onLoadError(false);
    } catch (error) {
      if (!isAbortError(error)) host.onLoadError(true);
    }
  };
  const scheduleMarkers = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void loadMarkers(), REFETCH_DELAY_MS);
  };
  const followView = () => {
    replaceSearch(writeView(new URLSearchParams(window.location.search), map, host.filters()));
    host.onListHref(listHrefOf(map, host.filters()));
  };

  map.on('popupopen', () => host.onPopup(true));
  map.on('popupclose', () => host.onPopup(false));
  map.on('moveend', () => {
    followView();
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
      .setContent(host.renderPopup({ id: feature.id, status: feature.status, category: feature.category }))
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
      if (event.type === 'created' && !matchesFilters(host.filters(), event)) return;
      const [lon, lat] = [event.lon, event.lat];
      tiles.refreshAround(L.latLng(lat, lon), tileUrl());
      if (map.getZoom() >= DOM_MARKERS_MIN_ZOOM && map.getBounds().pad(0.1).contains([lat, lon])) scheduleMarkers();
      if (event.type === 'created') host.onCreated();
    },
  });

  host.onListHref(listHrefOf(map, host.filters()));
  void loadMarkers();

  return {
    applyFilters: () => {
      followView();
      tiles.setTemplate(tileUrl());
      void loadMarkers();
    },
    detach: () => {
      unsubscribe();
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
