import { toneOf } from '@pave/shared';
import * as L from 'leaflet';
import type { ReportFeatureCollection } from '@pave/shared';
import { toLatLng, type LonLat } from '../../map/leaflet/base-map';

export type ReportFeature = ReportFeatureCollection['features'][number];

interface Entry {
  marker: L.CircleMarker;
  status: string;
}

/**
 * The report points on the public map. Updates are diffed by id rather than redrawn: an open
 * popup pans the map, the pan refetches, and a redraw would close the popup it just opened.
 */
export class ReportMarkers {
  private readonly layer: L.LayerGroup;
  private readonly entries = new Map<string, Entry>();

  constructor(
    map: L.Map,
    private readonly renderPopup: (feature: ReportFeature) => HTMLElement,
  ) {
    this.layer = L.layerGroup().addTo(map);
  }

  update(collection: ReportFeatureCollection): void {
    const seen = new Set<string>();
    for (const feature of collection.features) {
      seen.add(feature.id);
      const existing = this.entries.get(feature.id);
      if (existing?.status === feature.properties.status) continue;
      if (existing) this.layer.removeLayer(existing.marker);
      this.entries.set(feature.id, { marker: this.addMarker(feature), status: feature.properties.status });
    }
    for (const [id, entry] of this.entries) {
      if (seen.has(id) || entry.marker.isPopupOpen()) continue;
      this.layer.removeLayer(entry.marker);
      this.entries.delete(id);
    }
  }

  private addMarker(feature: ReportFeature): L.CircleMarker {
    const marker = L.circleMarker(toLatLng(feature.geometry.coordinates as LonLat), {
      // Fingers need a bigger target than a mouse pointer.
      radius: L.Browser.mobile ? 9 : 7,
      weight: 2,
      fillOpacity: 1,
      className: `report-marker report-marker--${toneOf(feature.properties.status)}`,
    });
    marker.bindPopup(() => this.renderPopup(feature), {
      className: 'report-popup',
      minWidth: 200,
      // Keep the popup clear of the floating "report a problem" button and of the map toolbar.
      autoPanPaddingBottomRight: [16, 110],
      autoPanPaddingTopLeft: [16, 72],
    });
    this.layer.addLayer(marker);
    const element = marker.getElement();
    element?.setAttribute('data-report-id', feature.id);
    element?.setAttribute('data-status', feature.properties.status);
    return marker;
  }
}
