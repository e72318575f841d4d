import { useEffect, useMemo, useRef, useState } from 'react';
import * as L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { ANALYTICS_LIMITS, type Heatmap } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { ApiError, isAbortError } from '../../../lib/api-client';
import { replaceSearch } from '../../../lib/router';
import { useMapConfig } from '../../map/hooks/use-map-config';
import { createBaseMap, type LonLat } from '../../map/leaflet/base-map';
import { fetchHeatmap, type Bbox } from '../api/council-api';
import { HEATMAP_MODES, type HeatmapMode } from '../council-filters';
import { formatCount, formatMonth, monthsOf } from '../council-format';
import { colourOf, densityClasses } from '../council-scale';
import { HeatLayer } from '../leaflet/heat-layer';

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

function bboxOf(map: L.Map): Bbox {
  const b = map.getBounds();
  return [
    Math.max(b.getWest(), -180),
    Math.max(b.getSouth(), -85),
    Math.min(b.getEast(), 180),
    Math.min(b.getNorth(), 85),
  ];
}

function readView(): { center: LonLat; zoom: number } | null {
  const params = new URLSearchParams(window.location.search);
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  const zoom = Number(params.get('z'));
  if (!params.has('lat') || !params.has('lon') || !params.has('z')) return null;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
  return { center: [lon, lat], zoom: clampZoom(zoom) };
}

function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return ANALYTICS_LIMITS.heatmapDefaultZoom;
  return Math.min(ANALYTICS_LIMITS.heatmapMaxZoom, Math.max(ANALYTICS_LIMITS.heatmapMinZoom, Math.round(zoom)));
}

function writeView(map: L.Map): void {
  const params = new URLSearchParams(window.location.search);
  const centre = map.getCenter();
  params.set('lat', centre.lat.toFixed(5));
  params.set('lon', centre.lng.toFixed(5));
  params.set('z', String(map.getZoom()));
  replaceSearch(params);
}

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
  const config = useMapConfig();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
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
    const container = containerRef.current;
    if (!config || !container) return;
    const view = readView() ?? { center: config.mapCenter as LonLat, zoom: ANALYTICS_LIMITS.heatmapDefaultZoom };
    const map = createBaseMap(container, {
      config,
      center: view.center,
      zoom: view.zoom,
      zoomLabels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut') },
      // The API draws cells between these zooms: the map keeps to them rather than show nothing.
      minZoom: ANALYTICS_LIMITS.heatmapMinZoom,
      maxZoom: ANALYTICS_LIMITS.heatmapMaxZoom,
    });
    mapRef.current = map;
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
      mapRef.current = null;
      cellsRef.current = null;
      heatRef.current = null;
      highlightRef.current = null;
      map.remove();
    };
    // Built once per configuration; the zoom tooltips keep the language the map opened in.
  }, [config]);

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
    const map = mapRef.current;
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
  }, [data, month, classes, scaleMax, t, locale]);

  // A cluster picked in the "same problem" list: a ring around it, and the map flies there.
  useEffect(() => {
    const map = mapRef.current;
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
  }, [highlight]);

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
        <div className="council-slider">
          <label className="field-label" htmlFor="council-month">
            {t('council.map.month')} : <span data-testid="heatmap-month">{monthLabel}</span>
          </label>
          <input
            id="council-month"
            type="range"
            className="council-slider__input"
            min={0}
            max={months.length}
            step={1}
            value={Math.min(monthIndex, months.length)}
            aria-valuetext={monthLabel}
            onChange={(e) => setMonthIndex(Number(e.target.value))}
            disabled={months.length === 0}
          />
          <div className="council-slider__ends" aria-hidden="true">
            <span>{t('council.map.allMonths')}</span>
            <span>{months.length > 0 ? formatMonth(months[months.length - 1]!, locale) : ''}</span>
          </div>
        </div>
        <div className="council-legend" data-testid="heatmap-legend" aria-label={t('council.map.legend')} role="group">
          <p className="council-legend__title">
            {t('council.map.legend')}{' '}
            <span className="council-legend__total" data-testid="heatmap-total">
              {t('council.map.total', { n: shownTotal })}
            </span>
          </p>
          {classes.length === 0 ? (
            <p className="council-muted">{t('council.map.empty')}</p>
          ) : (
            <ul className="council-legend__scale">
              {classes.map((c) => (
                <li key={c.min}>
                  <span className="council-legend__swatch" style={{ background: c.colour }} aria-hidden="true" />
                  {c.min === c.max
                    ? formatCount(c.min, locale)
                    : `${formatCount(c.min, locale)}–${formatCount(c.max, locale)}`}
                </li>
              ))}
            </ul>
          )}
          <p className="council-muted council-legend__hint">{t('council.map.hint')}</p>
        </div>
      </div>
    </section>
  );
}
