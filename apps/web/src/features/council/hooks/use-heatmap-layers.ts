import { useEffect, useRef } from 'react';
import * as L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import type { Heatmap } from '@pave/shared';
import { useI18n } from '../../../i18n';
import type { LonLat } from '../../map/leaflet/base-map';
import { colourOf, type DensityClass } from '../council-scale';
import { HeatLayer } from '../leaflet/heat-layer';

/** A place to show on the map: a "same problem" cluster picked in the list. */
export interface MapHighlight {
  centre: LonLat;
  radiusM: number;
  label: string;
}

/** The count a cell shows: over the whole period, or in one month of the slider. */
export function countOf(feature: Heatmap['features'][number], month: string | null): number {
  return month === null ? feature.properties.count : (feature.properties.months?.[month] ?? 0);
}

/**
 * Draws the heat-map on `map`: the cells coloured by their count in `month` (null: the whole period)
 * or, for points, a smooth heat layer; and a ring around the highlighted cluster, which the map flies to.
 */
export function useHeatmapLayers(
  map: L.Map | null,
  {
    data,
    month,
    classes,
    scaleMax,
    highlight,
  }: {
    data: Heatmap | null;
    month: string | null;
    classes: DensityClass[];
    scaleMax: number;
    highlight: MapHighlight | null;
  },
) {
  const { t, locale } = useI18n();
  const cellsRef = useRef<L.GeoJSON | null>(null);
  const heatRef = useRef<HeatLayer | null>(null);
  const highlightRef = useRef<L.Circle | null>(null);

  useEffect(() => {
    if (!map) return;
    // Above the area outlines (350), under their names (360) so districts stay readable through the cells.
    // SVG, Leaflet's default: each cell is a node that assistive tools and tests can see.
    map.createPane('council-cells').style.zIndex = '355';
    heatRef.current = new HeatLayer({ pane: 'council-cells' });
    return () => {
      cellsRef.current = null;
      heatRef.current = null;
      highlightRef.current = null;
    };
  }, [map]);

  useEffect(() => {
    const heat = heatRef.current;
    if (!map || !heat || !data) return;
    cellsRef.current?.remove();
    cellsRef.current = null;
    if (data.shape === 'point') {
      const points = data.features.flatMap((f) => {
        const weight = countOf(f, month);
        const [lon, lat] = f.geometry.coordinates as number[];
        return weight > 0 && lon !== undefined && lat !== undefined ? [{ lon, lat, weight }] : [];
      });
      if (!map.hasLayer(heat)) heat.addTo(map);
      heat.setPoints(points, scaleMax);
      return;
    }
    if (map.hasLayer(heat)) heat.remove();
    const shown = data.features.filter((f) => countOf(f, month) > 0);
    cellsRef.current = L.geoJSON({ type: 'FeatureCollection', features: shown } as unknown as FeatureCollection, {
      pane: 'council-cells',
      style: (feature) => {
        const count = feature ? countOf(feature as unknown as Heatmap['features'][number], month) : 0;
        return {
          className: 'council-cell',
          color: '#ffffff',
          weight: 0.6,
          opacity: 0.8,
          fillColor: colourOf(count, classes) ?? 'transparent',
          fillOpacity: 0.72,
        };
      },
      onEachFeature: (feature, layer) => {
        const cell = feature as unknown as Heatmap['features'][number];
        const count = countOf(cell, month);
        const text =
          month === null
            ? t('council.map.cellTitle', { n: count, open: cell.properties.open })
            : t('council.map.cellMonth', { n: count });
        layer.bindTooltip(text, { sticky: true, direction: 'top', className: 'council-cell-tip' });
      },
    }).addTo(map);
  }, [map, data, month, classes, scaleMax, t, locale]);

  // A cluster picked in the "same problem" list: a ring around it, and the map flies there.
  useEffect(() => {
    if (!map) return;
    highlightRef.current?.remove();
    highlightRef.current = null;
    if (!highlight) return;
    const [lon, lat] = highlight.centre;
    highlightRef.current = L.circle([lat, lon], {
      radius: Math.max(highlight.radiusM, 15),
      pane: 'council-cells',
      color: '#b91c1c',
      weight: 3,
      fill: false,
      dashArray: '6 4',
      className: 'council-highlight',
    })
      .bindTooltip(highlight.label, { permanent: true, direction: 'top', className: 'council-cell-tip' })
      .addTo(map);
    map.flyTo([lat, lon], Math.max(map.getZoom(), 16), { duration: 0.6 });
  }, [map, highlight]);
}
