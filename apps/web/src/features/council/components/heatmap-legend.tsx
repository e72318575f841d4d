import { useI18n } from '../../../i18n';
import { formatCount, formatMonth } from '../council-format';
import type { DensityClass } from '../council-scale';

/** The heat-map's month slider: 0 is the whole period, then one step per month. */
export function MonthSlider({
  months,
  value,
  onChange,
  label,
}: {
  months: string[];
  value: number;
  onChange: (index: number) => void;
  /** What the current step shows, in words. */
  label: string;
}) {
  const { t, locale } = useI18n();
  return (
    <div className="council-slider">
      <label className="field-label" htmlFor="council-month">
        {t('council.map.month')} : <span data-testid="heatmap-month">{label}</span>
      </label>
      <input
        id="council-month"
        type="range"
        className="council-slider__input"
        min={0}
        max={months.length}
        step={1}
        value={Math.min(value, months.length)}
        aria-valuetext={label}
        onChange={(e) => onChange(Number(e.target.value))}
        disabled={months.length === 0}
      />
      <div className="council-slider__ends" aria-hidden="true">
        <span>{t('council.map.allMonths')}</span>
        <span>{months.length > 0 ? formatMonth(months[months.length - 1]!, locale) : ''}</span>
      </div>
    </div>
  );
}

/** The heat-map's colour classes and the number of reports the cells show. */
export function HeatmapLegend({ classes, total }: { classes: DensityClass[]; total: number }) {
  const { t, locale } = useI18n();
  return (
    <div className="council-legend" data-testid="heatmap-legend" aria-label={t('council.map.legend')} role="group">
      <p className="council-legend__title">
        {t('council.map.legend')}{' '}
        <span className="council-legend__total" data-testid="heatmap-total">
          {t('council.map.total', { n: total })}
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
  );
}
