import * as L from 'leaflet';
import type { GeoJsonObject } from 'geojson';
import { removeMap } from '../../map/leaflet/base-map';

const OUTLINE: L.PathOptions = { color: '#1e3a8a', weight: 2, fillColor: '#1d4ed8', fillOpacity: 0.15 };

export interface AreaPreview {
  show: (geometry: GeoJsonObject | null, point: [lon: number, lat: number] | null) => void;
  remove: () => void;
}

/**
 * A small map of one outline, with no tiles: the polygon on the neutral background is enough to see
 * its shape, and the page works on a closed network. `point` marks where the API found a fault.
 */
export function createAreaPreview(element: HTMLElement, label: string): AreaPreview {
  const map = L.map(element, { zoomControl: true, attributionControl: false, scrollWheelZoom: false });
  element.classList.add('base-map');
  element.setAttribute('aria-label', label);
  map.setView([48.8566, 2.3522], 11);
  let layer: L.FeatureGroup | null = null;

  return {
    show(geometry, point) {
      layer?.remove();
      layer = L.featureGroup().addTo(map);
      if (geometry) {
        try {
          L.geoJSON(geometry, { style: () => OUTLINE, interactive: false }).addTo(layer);
        } catch {
          // Not drawable (the API will say why): the map stays empty rather than break the page.
        }
      }
      if (point) {
        L.circleMarker([point[1], point[0]], {
          radius: 8,
          color: '#b91c1c',
          weight: 3,
          fillColor: '#fef2f2',
          fillOpacity: 1,
        }).addTo(layer);
      }
      const bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    },
    remove: () => removeMap(map),
  };
}
