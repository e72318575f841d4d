import { useEffect, useRef } from 'react';
import * as L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { useI18n } from '../../../i18n';
import { fetchAreas } from '../../map/api/map-api';
import { createPinIcon, toLatLng, type LonLat } from '../../map/leaflet/base-map';
import { useBaseMap } from '../../map/hooks/use-base-map';

// Street level: enough to recognise the crossing.
const ZOOM = 16;

// The report's own service area, drawn over the others: offline, its edge is the only landmark.
const OWN_AREA_STYLE: L.PathOptions = { color: '#1d4ed8', weight: 3, opacity: 0.9, fill: false };

/**
 * A still map with one pin: where the report is. `areaName` outlines that service area more
 * strongly; `hasZoomButtons` lets a crew zoom out to see the surroundings (around the pin: the
 * map never pans, so a finger on it scrolls the page).
 */
export function ReportLocationMap({
  location,
  areaName = null,
  zoom = ZOOM,
  hasZoomButtons = false,
  className = 'report-map',
}: {
  location: LonLat;
  areaName?: string | null;
  zoom?: number;
  hasZoomButtons?: boolean;
  className?: string;
}) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const [lon, lat] = location;
  const map = useBaseMap(
    containerRef,
    {
      center: [lon, lat],
      zoom,
      showAreaLabels: false,
      zoomControl: hasZoomButtons,
      dragging: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      touchZoom: false,
      boxZoom: false,
      keyboard: false,
    },
    [lon, lat],
  );

  useEffect(() => {
    if (!map) return;
    const pin = L.marker(toLatLng([lon, lat]), { icon: createPinIcon(), interactive: false, keyboard: false });
    pin.addTo(map);
    // Leaflet caches its size: a phone turned sideways would leave the pin off the middle.
    const observer = new ResizeObserver(() => map.invalidateSize({ pan: false }));
    observer.observe(map.getContainer());
    return () => {
      observer.disconnect();
      pin.remove();
    };
    // Rebuilt with the map, which follows the location.
  }, [map]);

  useEffect(() => {
    if (!map || !areaName) return;
    let outline: L.GeoJSON | null = null;
    let isCurrent = true;
    fetchAreas().then(
      (areas) => {
        if (!isCurrent) return;
        const own = areas.features.filter((feature) => feature.properties.name === areaName);
        if (own.length === 0) return;
        outline = L.geoJSON({ type: 'FeatureCollection', features: own } as unknown as FeatureCollection, {
          pane: 'areas',
          interactive: false,
          style: () => OWN_AREA_STYLE,
        }).addTo(map);
      },
      () => {
        // The base map's outlines remain; the emphasis is a nicety.
      },
    );
    return () => {
      isCurrent = false;
      outline?.remove();
    };
  }, [map, areaName]);

  return <div ref={containerRef} className={className} role="figure" aria-label={t('report.map')} />;
}
