import { useEffect, useMemo, useRef, useState } from 'react';
import * as L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { ANALYTICS_LIMITS, type Heatmap } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { ApiError, isAbortError } from '../../../lib/api-client';
import { replaceSearch } from '../../../lib/router';
import { useBaseMap } from '../../map/hooks/use-base-map';
import type { LonLat } from '../../map/leaflet/base-map';
import { bboxOfMap, readViewFromUrl, writeViewToParams } from '../../map/leaflet/map-view-url';
import { fetchHeatmap, type Bbox } from '../api/council-api';
import { HEATMAP_MODES, type HeatmapMode } from '../council-filters';
import { formatMonth, monthsOf } from '../council-format';
import { colourOf, densityClasses } from '../council-scale';
import { HeatLayer } from '../leaflet/heat-layer';
import { HeatmapLegend, MonthSlider } from './heatmap-legend';

// Long enough to skip the intermediate stops of a fling or a zoom animation.
const REFETCH_DELAY_MS = 250;

/** A place to show on the map: a "same problem" cluster picked in the list. */
export interface MapHighlight {
  centre: LonLat;
  radiusM: number;
  label: string;
}

interface Props {
  /** The API filter query; a change refetches. */
  query: string;
  mode: HeatmapMode;
  onModeChange: (mode: HeatmapMode) => void;
  highlight: MapHighlight | null;
}

// Web Mercator, and so the API, stops short of the poles.
const bboxOf = (map: L.Map): Bbox => bboxOfMap(map, 85);

function readView(): { center: LonLat; zoom: number } | null {
  const view = readViewFromUrl();
  return view && { center: view.center, zoom: clampZoom(view.zoom) };
}

function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return ANALYTICS_LIMITS.heatmapDefaultZoom;
  return Math.min(ANALYTICS_LIMITS.heatmapMaxZoom, Math.max(ANALYTICS_LIMITS.heatmapMinZoom, Math.round(zoom)));
}

const writeView = (map: L.Map) => replaceSearch(writeViewToParams(new URLSearchParams(window.location.search), map));

/** The count a cell shows: over the whole period, or in one month of the slider. */
function countOf(feature: Heatmap['features'][number], month: string | null): number {
  return month === null ? feature.properties.count : (feature.properties.months?.[month] ?? 0);
}

/**
 * The heat-map: report density over the period as square or hexagon cells sized by the zoom, or a
 * smooth heat layer; a month slider redraws the same cells month by month to show hot spots move.
 */
export function HeatmapPanel({ query, mode, onModeChange, highlight }: Props) {
  const { t, locale } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, (config) => ({
    ...(readView() ?? { center: config.mapCenter as LonLat, zoom: ANALYTICS_LIMITS.heatmapDefaultZoom }),
    // The API draws cells between these zooms: the map keeps to them rather than show nothing.
    minZoom: ANALYTICS_LIMITS.heatmapMinZoom,
    maxZoom: ANALYTICS_LIMITS.heatmapMaxZoom,
  }));
  const cellsRef = useRef<L.GeoJSON | null>(null);
  const heatRef = useRef<HeatLayer | null>(null);
  const highlightRef = useRef<L.Circle | null>(null);
  const refetchRef = useRef<() => void>(() => {});
  const [data, setData] = useState<Heatmap | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [monthIndex, setMonthIndex] = useState(0);
  // Per-month counts are asked for once the slider leaves "whole period", and from then on.
  const byMonthRef = useRef(false);
  const [hasMonths, setHasMonths] = useState(false);

  // The map is built once; the current query and mode are read through refs by its callbacks.
  const queryRef = useRef(query);
  const modeRef = useRef(mode);

  useEffect(() => {
    if (!map) return;
    // Above the area outlines (350), under their names (360) so districts stay readable through the cells.
    // SVG, Leaflet's default: each cell is a node that assistive tools and tests can see.
    map.createPane('council-cells').style.zIndex = '355';
    const heat = new HeatLayer({ pane: 'council-cells' });
    heatRef.current = heat;

    let controller: AbortController | null = null;
    let timer: number | undefined;
    const load = () => {
      controller?.abort();
      controller = new AbortController();
      const signal = controller.signal;
      const byMonth = byMonthRef.current;
      setIsLoading(true);
      fetchHeatmap(
        new URLSearchParams(queryRef.current),
        {
          zoom: clampZoom(map.getZoom()),
          bbox: bboxOf(map),
          shape: modeRef.current === 'heat' ? 'point' : modeRef.current,
          byMonth: byMonthRef.current,
        },
        signal,
      ).then(
        (heatmap) => {
          setData(heatmap);
          setHasMonths(byMonth);
          setError(null);
          setIsLoading(false);
        },
        (caught: unknown) => {
          if (isAbortError(caught) || signal.aborted) return;
          setError(caught instanceof ApiError ? caught.code : 'NETWORK');
          setIsLoading(false);
        },
      );
    };
    const scheduleLoad = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, REFETCH_DELAY_MS);
    };
    refetchRef.current = load;
    map.on('moveend', () => {
      writeView(map);
      scheduleLoad();
    });
    load();
    return () => {
      window.clearTimeout(timer);
      controller?.abort();
      refetchRef.current = () => {};
      cellsRef.current = null;
      heatRef.current = null;
      highlightRef.current = null;
    };
  }, [map]);

  // A new filter or mode: the next answer replaces the cells (the old ones stay until then).
  useEffect(() => {
    if (queryRef.current === query && modeRef.current === mode) return;
    queryRef.current = query;
    modeRef.current = mode;
    refetchRef.current();
  }, [query, mode]);

  const months = useMemo(() => (data ? monthsOf(data.period.from, data.period.to) : []), [data]);
  const chosenMonth = monthIndex > 0 ? (months[monthIndex - 1] ?? null) : null;
  // Until the per-month counts arrive, the cells keep showing the whole period.
  const month = hasMonths ? chosenMonth : null;
  useEffect(() => {
    if (monthIndex > months.length) setMonthIndex(0);
  }, [months, monthIndex]);
  useEffect(() => {
    if (monthIndex > 0 && !byMonthRef.current) {
      byMonthRef.current = true;
      refetchRef.current();
    }
  }, [monthIndex]);

  // One colour scale for every month (the busiest cell-month), so a month's hot spots compare with another's.
  const scaleMax = useMemo(() => {
    if (!data) return 0;
    if (month === null) return data.max;
    let max = 0;
    for (const f of data.features) for (const n of Object.values(f.properties.months ?? {})) max = Math.max(max, n);
    return max;
  }, [data, month]);
  const classes = useMemo(() => densityClasses(scaleMax), [scaleMax]);
  const shownTotal = useMemo(
    () => (data ? data.features.reduce((sum, f) => sum + countOf(f, month), 0) : 0),
    [data, month],
  );

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

  const monthLabel = chosenMonth === null ? t('council.map.allMonths') : formatMonth(chosenMonth, locale);

  return (
    <section className="council-card council-map-card" aria-labelledby="council-map-title">
      <div className="council-card__head">
        <h2 id="council-map-title" className="council-card__title">
          {t('council.map.title')}
        </h2>
        <div className="council-segmented" role="group" aria-label={t('council.map.mode')}>
          {HEATMAP_MODES.map((m) => (
            <button
              key={m}
              type="button"
              className="council-segmented__button"
              aria-pressed={mode === m}
              onClick={() => onModeChange(m)}
            >
              {t(`council.map.mode.${m}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="council-map-wrap">
        <div
          ref={containerRef}
          className="council-map"
          role="region"
          aria-label={t('council.map.label')}
          data-loading={isLoading ? 'true' : 'false'}
        />
        {isLoading && (
          <p className="council-map__status" role="status">
            {t('common.loading')}
          </p>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error === 'PERIOD_INVALID' ? t('council.error.period') : t('council.map.failed')}
        </p>
      )}
      <div className="council-map-foot">
        <MonthSlider months={months} value={monthIndex} onChange={setMonthIndex} label={monthLabel} />
        <HeatmapLegend classes={classes} total={shownTotal} />
      </div>
    </section>
  );
}
