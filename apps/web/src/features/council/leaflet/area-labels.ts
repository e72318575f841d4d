import * as L from 'leaflet';
import type { AreaFeatureCollection } from '@pave/shared';
import { pointOnSurface, polygonsOf, ringArea, type Ring } from '../area-label-point';

// Under this zoom the city's twenty names would cover the cells they are meant to name.
export const AREA_LABEL_MIN_ZOOM = 12;
// Room kept around each name, in screen pixels, so two names never touch.
const LABEL_GAP_PX = 6;

function overlaps(a: DOMRect, b: DOMRect): boolean {
  return !(
    a.right + LABEL_GAP_PX <= b.left ||
    b.right + LABEL_GAP_PX <= a.left ||
    a.bottom + LABEL_GAP_PX <= b.top ||
    b.bottom + LABEL_GAP_PX <= a.top
  );
}

/**
 * The areas' names for the council's map: each at a point inside its area, hidden under
 * AREA_LABEL_MIN_ZOOM, and after each zoom or move a name that would touch a larger area's name, or
 * the map's edge, is hidden (larger areas keep theirs), so names never collide nor show cut.
 */
export function addAreaLabels(map: L.Map, areas: AreaFeatureCollection): () => void {
  map.createPane('council-area-labels').style.zIndex = '360';
  const labels = areas.features
    .flatMap((feature) => {
      const name = (feature.properties as { name?: unknown }).name;
      if (typeof name !== 'string') return [];
      const parts = polygonsOf(feature.geometry);
      const largest = parts.reduce<Ring[] | null>(
        (best, p) => (best === null || ringArea(p[0]!) > ringArea(best[0]!) ? p : best),
        null,
      );
      const point = largest ? pointOnSurface(largest) : null;
      if (!point) return [];
      const size = parts.reduce((sum, p) => sum + ringArea(p[0]!), 0);
      const marker = L.marker([point[1], point[0]], {
        pane: 'council-area-labels',
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: 'council-area-label', html: '', iconSize: undefined }),
      });
      return [{ name, size, marker }];
    })
    .sort((a, b) => b.size - a.size);

  for (const { name, marker } of labels) {
    marker.addTo(map);
    // textContent, not html: an area's name is data, never markup. The span centres itself on the point.
    const text = document.createElement('span');
    text.textContent = name;
    marker.getElement()?.replaceChildren(text);
  }

  const declutter = () => {
    const isShown = map.getZoom() >= AREA_LABEL_MIN_ZOOM;
    // A name cut by the map's edge reads as another name ("Paris 12" for "Paris 12e"): hidden too.
    const frame = map.getContainer().getBoundingClientRect();
    const kept: DOMRect[] = [];
    for (const { marker } of labels) {
      const element = marker.getElement()?.firstElementChild;
      if (!element) continue;
      element.classList.remove('council-area-label--hidden');
      if (!isShown) {
        element.classList.add('council-area-label--hidden');
        continue;
      }
      const box = element.getBoundingClientRect();
      const isCut =
        box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom;
      if (isCut || kept.some((other) => overlaps(box, other))) element.classList.add('council-area-label--hidden');
      else kept.push(box);
    }
  };
  map.on('zoomend moveend', declutter);
  declutter();
  return () => {
    map.off('zoomend moveend', declutter);
    for (const { marker } of labels) marker.remove();
  };
}
