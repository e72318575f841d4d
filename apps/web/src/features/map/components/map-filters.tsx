import { STATUS_TONES, type StatusTone } from '@pave/shared';
import { useId } from 'react';
import type { CategoryTree } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { NO_FILTERS, PERIODS, type MapFilters, type Period } from '../public-map-filters';

interface MapFiltersPanelProps {
  filters: MapFilters;
  categories: CategoryTree | null;
  onChange: (filters: MapFilters) => void;
}

function countActive(filters: MapFilters): number {
  return (filters.groups.length ? 1 : 0) + (filters.tones.length ? 1 : 0) + (filters.period !== 'all' ? 1 : 0);
}

/** The map's filters in a disclosure: category group, status colours, period. Native controls only. */
export function MapFiltersPanel({ filters, categories, onChange }: MapFiltersPanelProps) {
  const { t, label } = useI18n();
  const id = useId();
  const active = countActive(filters);

  const shown = filters.tones.length ? filters.tones : STATUS_TONES;
  const toggleTone = (tone: StatusTone, isOn: boolean) => {
    const tones = STATUS_TONES.filter((x) => (x === tone ? isOn : shown.includes(x)));
    // Every box ticked means no filter (and so does none: an empty map helps nobody). Keeps the URL short.
    onChange({ ...filters, tones: tones.length === STATUS_TONES.length ? [] : tones });
  };

  return (
    <details className="map-filters">
      <summary className="map-tool">
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path d="M4 6h16M7 12h10M10 18h4" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
        </svg>
        {active ? t('map.filters.active', { n: active }) : t('map.filters')}
      </summary>
      <div className="map-filters__panel">
        <label className="map-filters__field" htmlFor={`${id}-group`}>
          {t('map.filters.group')}
          <select
            id={`${id}-group`}
            value={filters.groups[0] ?? ''}
            onChange={(event) => onChange({ ...filters, groups: event.target.value ? [event.target.value] : [] })}
          >
            <option value="">{t('map.filters.group.all')}</option>
            {categories?.groups.map((group) => (
              <option key={group.code} value={group.code}>
                {label(group.label)}
              </option>
            ))}
          </select>
        </label>

        <fieldset className="map-filters__field">
          <legend>{t('map.filters.status')}</legend>
          {STATUS_TONES.map((tone) => (
            <label key={tone} className="map-filters__check">
              <input
                type="checkbox"
                checked={shown.includes(tone)}
                onChange={(event) => toggleTone(tone, event.target.checked)}
                data-tone={tone}
              />
              <span className={`legend-dot legend-dot--${tone}`} aria-hidden="true" />
              {t(`map.legend.${tone}`)}
            </label>
          ))}
        </fieldset>

        <label className="map-filters__field" htmlFor={`${id}-period`}>
          {t('map.filters.period')}
          <select
            id={`${id}-period`}
            value={filters.period}
            onChange={(event) => onChange({ ...filters, period: event.target.value as Period })}
          >
            {PERIODS.map((period) => (
              <option key={period} value={period}>
                {t(`map.filters.period.${period}`)}
              </option>
            ))}
          </select>
        </label>
        {filters.period === 'custom' && (
          <div className="map-filters__dates">
            <label htmlFor={`${id}-from`}>
              {t('map.filters.from')}
              <input
                id={`${id}-from`}
                type="date"
                value={filters.from}
                onChange={(event) => onChange({ ...filters, from: event.target.value })}
              />
            </label>
            <label htmlFor={`${id}-to`}>
              {t('map.filters.to')}
              <input
                id={`${id}-to`}
                type="date"
                value={filters.to}
                min={filters.from || undefined}
                onChange={(event) => onChange({ ...filters, to: event.target.value })}
              />
            </label>
          </div>
        )}
        {active > 0 && (
          <button type="button" className="button map-filters__reset" onClick={() => onChange(NO_FILTERS)}>
            {t('map.filters.reset')}
          </button>
        )}
      </div>
    </details>
  );
}
