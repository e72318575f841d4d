import { useEffect, useRef } from 'react';
import * as L from 'leaflet';
import { useI18n } from '../../../i18n';
import { createPinIcon, toLatLng, type LonLat } from '../../map/leaflet/base-map';
import { useBaseMap } from '../../map/hooks/use-base-map';

// Street level: enough to recognise the crossing.
const ZOOM = 16;

/** A still map with one pin: where the report is. */
export function ReportLocationMap({ location }: { location: LonLat }) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const [lon, lat] = location;
  const map = useBaseMap(
    containerRef,
    {
      center: [lon, lat],
      zoom: ZOOM,
      showAreaLabels: false,
      zoomControl: false,
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
    return () => {
      pin.remove();
    };
    // Rebuilt with the map, which follows the location.
  }, [map]);

  return <div ref={containerRef} className="report-map" role="figure" aria-label={t('report.map')} />;
}
