import { useEffect, useMemo, useRef, useState } from 'react';
import { ANALYTICS_LIMITS } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { fetchAreas } from '../../map/api/map-api';
import { useBaseMap } from '../../map/hooks/use-base-map';
import type { LonLat } from '../../map/leaflet/base-map';
import { HEATMAP_MODES, type HeatmapMode } from '../council-filters';
import { formatMonth, monthsOf } from '../council-format';
import { densityClasses } from '../council-scale';
import { readHeatmapView, useHeatmapData } from '../hooks/use-heatmap-data';
import { countOf, useHeatmapLayers, type MapHighlight } from '../hooks/use-heatmap-layers';
import { addAreaLabels } from '../leaflet/area-labels';
import { HeatmapLegend, MonthSlider } from './heatmap-legend';

interface Props {
  /** The API filter query; a change refetches. */
  query: string;
  mode: HeatmapMode;
  onModeChange: (mode: HeatmapMode) => void;
  highlight: MapHighlight | null;
}

/**
 * The heat-map: report density over the period as square or hexagon cells sized by the zoom, or a
 * smooth heat layer; a month slider redraws the same cells month by month to show hot spots move.
 */
export function HeatmapPanel({ query, mode, onModeChange, highlight }: Props) {
  const { t, locale } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const map = useBaseMap(containerRef, (config) => ({
    ...(readHeatmapView() ?? { center: config.mapCenter as LonLat, zoom: ANALYTICS_LIMITS.heatmapDefaultZoom }),
    // The API draws cells between these zooms: the map keeps to them rather than show nothing.
    minZoom: ANALYTICS_LIMITS.heatmapMinZoom,
    maxZoom: ANALYTICS_LIMITS.heatmapMaxZoom,
    // The council's map places its own names (leaflet/area-labels.ts): they must not collide over the cells.
    showAreaLabels: false,
  }));
  useEffect(() => {
    if (!map) return;
    let remove: (() => void) | null = null;
    let isCancelled = false;
    fetchAreas()
      .then((areas) => {
        if (!isCancelled) remove = addAreaLabels(map, areas);
      })
      .catch(() => {
        // Names are a help, not the map: without them the outlines and cells still read.
      });
    return () => {
      isCancelled = true;
      remove?.();
    };
  }, [map]);
  const { data, isLoading, error, hasMonths, askForMonths } = useHeatmapData(map, query, mode);
  const [monthIndex, setMonthIndex] = useState(0);

  const months = useMemo(() => (data ? monthsOf(data.period.from, data.period.to) : []), [data]);
  const chosenMonth = monthIndex > 0 ? (months[monthIndex - 1] ?? null) : null;
  // Until the per-month counts arrive, the cells keep showing the whole period.
  const month = hasMonths ? chosenMonth : null;
  useEffect(() => {
    if (monthIndex > months.length) setMonthIndex(0);
  }, [months, monthIndex]);
  useEffect(() => {
    if (monthIndex > 0) askForMonths();
  }, [monthIndex, askForMonths]);

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
  useHeatmapLayers(map, { data, month, classes, scaleMax, highlight });

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
