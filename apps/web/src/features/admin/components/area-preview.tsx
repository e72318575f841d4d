import type { GeoJsonObject } from 'geojson';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../../i18n';
import { createAreaPreview, type AreaPreview as PreviewMap } from '../leaflet/area-preview-map';

/** The outline being uploaded or looked at, and the faulty point the API named, if any. */
export function AreaPreview({ geometry, point }: { geometry: GeoJsonObject | null; point: [number, number] | null }) {
  const { t } = useI18n();
  const elementRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<PreviewMap | null>(null);

  useEffect(() => {
    const preview = createAreaPreview(elementRef.current!, t('admin.areas.preview'));
    mapRef.current = preview;
    return () => {
      preview.remove();
      mapRef.current = null;
    };
  }, [t]);

  useEffect(() => {
    mapRef.current?.show(geometry, point);
  }, [geometry, point]);

  return <div ref={elementRef} className="admin-preview" role="img" data-testid="area-preview" />;
}
