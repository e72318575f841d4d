import { useEffect, useRef } from 'react';
import * as L from 'leaflet';
import { useI18n } from '../../../i18n';
import { createBaseMap, createPinIcon, toLatLng, type LonLat } from '../../map/leaflet/base-map';
import { useMapConfig } from '../../map/hooks/use-map-config';

// Street level: enough to recognise the crossing.
const ZOOM = 16;

/** A still map with one pin: where the report is. */
export function ReportLocationMap({ location }: { location: LonLat }) {
  const { t } = useI18n();
  const config = useMapConfig();
  const containerRef = useRef<HTMLDivElement>(null);
  const [lon, lat] = location;

  useEffect(() => {
    const container = containerRef.current;
    if (!config || !container) return;
    const center: LonLat = [lon, lat];
    const map = createBaseMap(container, {
      config,
      zoomLabels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut') },
      center,
      zoom: ZOOM,
      showAreaLabels: false,
      zoomControl: false,
      dragging: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      touchZoom: false,
      boxZoom: false,
      keyboard: false,
    });
    L.marker(toLatLng(center), { icon: createPinIcon(), interactive: false, keyboard: false }).addTo(map);
    return () => {
      map.remove();
    };
  }, [config, lon, lat]);

  return <div ref={containerRef} className="report-map" role="figure" aria-label={t('report.map')} />;
}
