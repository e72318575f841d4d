import { toneOf } from '@pave/shared';
import { useEffect, useRef } from 'react';
import * as L from 'leaflet';
import { useI18n } from '../../../i18n';
import { toLatLng } from '../../map/leaflet/base-map';
import { useBaseMap } from '../../map/hooks/use-base-map';
import type { QueueItem } from '../api/staff-api';

// Street level when the queue holds a single report; wider views come from the markers' bounds.
const SINGLE_REPORT_ZOOM = 16;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The queue on a map: one marker per report, coloured by status, each a 44 px button (a thumb in
 * the street) named by its reference. Tapping one calls `onOpen`. Without tiles (offline), the
 * service-area outlines of the base map are the backdrop.
 */
export function StaffMap({
  items,
  selectedId,
  onOpen,
}: {
  items: QueueItem[];
  selectedId: string | null;
  onOpen: (id: string) => void;
}) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, {}, [t]);
  const layerRef = useRef<L.LayerGroup | null>(null);
  const hasFittedRef = useRef(false);
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;

  useEffect(() => {
    const container = containerRef.current;
    if (!map || !container) return;
    layerRef.current = L.layerGroup().addTo(map);
    // Leaflet caches the container size: the filter bar folding open or a phone rotating would
    // otherwise leave markers drawn (and tappable) where the map no longer is.
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      layerRef.current = null;
      hasFittedRef.current = false;
    };
  }, [map]);

  useEffect(() => {
    const layer = layerRef.current;
    if (!map || !layer) return;
    layer.clearLayers();
    const points: L.LatLngTuple[] = [];
    for (const item of items) {
      const [lon, lat] = item.location.coordinates as [number, number];
      const position = toLatLng([lon, lat]);
      points.push(position);
      const name = `${item.ref} — ${item.category.label}`;
      const marker = L.marker(position, {
        icon: L.divIcon({
          className: `staff-marker staff-marker--${toneOf(item.status)}${item.id === selectedId ? ' is-selected' : ''}`,
          html: `<span class="staff-marker-dot" aria-hidden="true"></span><span class="visually-hidden">${escapeHtml(name)}</span>`,
          iconSize: [44, 44],
          iconAnchor: [22, 22],
        }),
        title: name,
        keyboard: true,
        riseOnHover: true,
      });
      marker.on('click', () => onOpenRef.current(item.id));
      // A focused marker is a button (role set by Leaflet), so Enter and Space open it too.
      marker.on('keypress', (event: L.LeafletKeyboardEvent) => {
        if (event.originalEvent.key === 'Enter' || event.originalEvent.key === ' ') onOpenRef.current(item.id);
      });
      marker.addTo(layer);
    }
    // Frame the queue once; after that the view is the user's (a live reload must not jump the map).
    if (!hasFittedRef.current && points.length > 0) {
      hasFittedRef.current = true;
      map.invalidateSize();
      if (points.length === 1) map.setView(points[0]!, SINGLE_REPORT_ZOOM);
      else map.fitBounds(L.latLngBounds(points), { padding: [32, 32], maxZoom: SINGLE_REPORT_ZOOM });
    }
  }, [map, items, selectedId]);

  return <div ref={containerRef} className="staff-map" role="region" aria-label={t('staff.map.label')} />;
}
