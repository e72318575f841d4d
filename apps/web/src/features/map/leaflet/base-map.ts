import * as L from 'leaflet';
// With the map code, not the entry: pages without a map (the report form's first step) need no Leaflet styles.
import 'leaflet/dist/leaflet.css';
import type { FeatureCollection } from 'geojson';
import type { PublicConfig } from '@pave/shared';
import { fetchAreas } from '../api/map-api';

/** `[lon, lat]`, the order of the data and the API. Leaflet's `[lat, lng]` stays in this folder. */
export type LonLat = [lon: number, lat: number];

export function toLatLng([lon, lat]: LonLat): L.LatLngTuple {
  return [lat, lon];
}

export function toLonLat(latLng: L.LatLng): LonLat {
  return [latLng.lng, latLng.lat];
}

// Below this zoom the 20 Paris arrondissement names collide in the centre.
const AREA_LABEL_MIN_ZOOM = 13;

// Without tiles, the areas are the map: a white "land" over the neutral background.
const AREA_STYLE_ALONE: L.PathOptions = {
  color: '#64748b',
  weight: 1.2,
  opacity: 0.9,
  fillColor: '#ffffff',
  fillOpacity: 0.8,
};
// Over real tiles, the areas only hint at the service boundary.
const AREA_STYLE_OVER_TILES: L.PathOptions = {
  color: '#1e3a8a',
  weight: 1.2,
  opacity: 0.55,
  fillColor: '#1e3a8a',
  fillOpacity: 0.03,
};

export interface BaseMapOptions extends L.MapOptions {
  config: PublicConfig;
  center: LonLat;
  zoom: number;
  /** Tooltips of the zoom buttons, in the UI language. */
  zoomLabels: { zoomIn: string; zoomOut: string };
  showAreaLabels?: boolean;
}

/**
 * A Leaflet map with the configured tile layer and the service-area outlines beneath it all.
 * Tiles are optional (offline, or no tile server configured): the outlines alone keep the map
 * readable, and they switch to a discreet style once a first tile does load.
 */
export function createBaseMap(
  element: HTMLElement,
  { config, center, zoom, zoomLabels, showAreaLabels = true, zoomControl = true, ...mapOptions }: BaseMapOptions,
): L.Map {
  const map = L.map(element, { ...mapOptions, zoomControl: false }).setView(toLatLng(center), zoom);
  if (zoomControl) {
    L.control.zoom({ zoomInTitle: zoomLabels.zoomIn, zoomOutTitle: zoomLabels.zoomOut }).addTo(map);
  }
  element.classList.add('base-map');

  // Own panes keep outlines and their names under every marker, whatever loads first.
  map.createPane('areas').style.zIndex = '350';
  map.createPane('area-labels').style.zIndex = '360';

  let areasLayer: L.GeoJSON | null = null;
  let hasTiles = false;

  if (config.tileUrl) {
    const tiles = L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 });
    tiles.once('tileload', () => {
      hasTiles = true;
      element.classList.add('base-map--tiles');
      areasLayer?.setStyle(AREA_STYLE_OVER_TILES);
    });
    tiles.addTo(map);
  }

  let isRemoved = false;
  map.on('unload', () => {
    isRemoved = true;
  });

  fetchAreas()
    .then((areas) => {
      if (isRemoved) return;
      areasLayer = L.geoJSON(areas as unknown as FeatureCollection, {
        pane: 'areas',
        interactive: false,
        style: () => (hasTiles ? AREA_STYLE_OVER_TILES : AREA_STYLE_ALONE),
        onEachFeature: (feature, layer) => {
          const name: unknown = feature.properties?.name;
          if (!showAreaLabels || typeof name !== 'string') return;
          layer.bindTooltip(name, {
            permanent: true,
            direction: 'center',
            className: 'area-label',
            pane: 'area-labels',
          });
        },
      }).addTo(map);
    })
    .catch(() => {
      // The outlines are a backdrop: the map works without them, and a later page retries.
    });

  const updateLabels = () => element.classList.toggle('base-map--labels', map.getZoom() >= AREA_LABEL_MIN_ZOOM);
  map.on('zoomend', updateLabels);
  updateLabels();

  return map;
}

/** A map pin drawn in SVG: no image files to resolve through the bundler. */
export function createPinIcon(): L.DivIcon {
  return L.divIcon({
    className: 'map-pin',
    html:
      '<svg viewBox="0 0 32 44" width="32" height="44" aria-hidden="true">' +
      '<path d="M16 1.5C8 1.5 1.5 7.8 1.5 15.6 1.5 26 16 42.5 16 42.5S30.5 26 30.5 15.6C30.5 7.8 24 1.5 16 1.5Z"/>' +
      '<circle cx="16" cy="15.5" r="5.5"/></svg>',
    iconSize: [32, 44],
    iconAnchor: [16, 43],
  });
}

/**
 * Removes a map for good. A zoom animation still running (a fitBounds as a page loads, then a tap
 * that closes the map) ends on a 250 ms timer that Leaflet 1.9's `remove()` does not clear: it would
 * then move panes that are gone ("Cannot read properties of undefined (reading '_leaflet_pos')").
 * Marked as ended first, that timer does nothing.
 */
export function removeMap(map: L.Map): void {
  (map as unknown as { _animatingZoom: boolean })._animatingZoom = false;
  map.remove();
}
