import { toneOf } from '@pave/shared';
import { useEffect, useMemo, useRef } from 'react';
import * as L from 'leaflet';
import Supercluster from 'supercluster';
import { useI18n } from '../../../i18n';
import { toLatLng } from '../../map/leaflet/base-map';
import { useBaseMap } from '../../map/hooks/use-base-map';
import type { QueueItem } from '../api/staff-api';

// Street level when the queue holds a single report; wider views come from the markers' bounds.
const SINGLE_REPORT_ZOOM = 16;
// Markers closer than this many pixels gather into one counted bubble: a 44 px target and some air.
const CLUSTER_RADIUS_PX = 56;
// From this zoom on every report has its own marker, even two at the same door.
const CLUSTER_MAX_ZOOM = 17;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface PointProps {
  id: string;
  late: number;
}

/**
 * The queue on a map. Reports near each other at the current zoom gather into one bubble that says
 * how many they are (and how many late), with supercluster: 30 reports never look like 8 dots. A
 * bubble zooms in to split; a single report is a 44 px button (a thumb in the street), coloured by
 * status and named by its reference, that calls `onOpen`. Without tiles (offline), the service-area
 * outlines of the base map are the backdrop.
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

  const index = useMemo(() => {
    const clusters = new Supercluster<PointProps, { late: number }>({
      radius: CLUSTER_RADIUS_PX,
      maxZoom: CLUSTER_MAX_ZOOM,
      map: (props) => ({ late: props.late }),
      reduce: (total, props) => {
        total.late += props.late;
      },
    });
    clusters.load(
      items.map((item) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: item.location.coordinates as [number, number] },
        properties: { id: item.id, late: item.isLate ? 1 : 0 },
      })),
    );
    return clusters;
  }, [items]);

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
    const byId = new Map(items.map((item) => [item.id, item]));

    function draw() {
      if (!map || !layer) return;
      layer.clearLayers();
      const bounds = map.getBounds();
      const zoom = Math.round(map.getZoom());
      const features = index.getClusters(
        [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
        zoom,
      );
      for (const feature of features) {
        const [lon, lat] = feature.geometry.coordinates as [number, number];
        const position = toLatLng([lon, lat]);
        const props = feature.properties;
        if ('cluster' in props && props.cluster) {
          const count = props.point_count;
          const name = t(props.late > 0 ? 'staff.map.clusterLate' : 'staff.map.cluster', { count, late: props.late });
          const size = count < 10 ? 44 : count < 100 ? 52 : 60;
          const bubble = L.marker(position, {
            icon: L.divIcon({
              className: `staff-cluster${props.late > 0 ? ' has-late' : ''}`,
              html: `<span class="staff-cluster-count" aria-hidden="true">${count}</span><span class="visually-hidden">${escapeHtml(name)}</span>`,
              iconSize: [size, size],
              iconAnchor: [size / 2, size / 2],
            }),
            title: name,
            keyboard: true,
          });
          const expand = () =>
            map.setView(position, Math.min(index.getClusterExpansionZoom(props.cluster_id), map.getMaxZoom()));
          bubble.on('click', expand);
          bubble.on('keypress', (event: L.LeafletKeyboardEvent) => {
            if (event.originalEvent.key === 'Enter' || event.originalEvent.key === ' ') expand();
          });
          bubble.addTo(layer);
          continue;
        }
        const item = byId.get((props as PointProps).id);
        if (!item) continue;
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
    }

    // Frame the queue once; after that the view is the user's (a live reload must not jump the map).
    if (!hasFittedRef.current && items.length > 0) {
      hasFittedRef.current = true;
      map.invalidateSize();
      const points = items.map((item) => toLatLng(item.location.coordinates as [number, number]));
      if (points.length === 1) map.setView(points[0]!, SINGLE_REPORT_ZOOM);
      else map.fitBounds(L.latLngBounds(points), { padding: [32, 32], maxZoom: SINGLE_REPORT_ZOOM });
    }
    draw();
    map.on('moveend', draw);
    return () => {
      map.off('moveend', draw);
    };
  }, [map, items, index, selectedId, t]);

  return <div ref={containerRef} className="staff-map" role="region" aria-label={t('staff.map.label')} />;
}
