import { STATUS_TONES } from '@pave/shared';
import { useI18n } from '../../../i18n';

/** What the colours and the numbered bubbles of the public map mean. */
export function MapLegend() {
  const { t } = useI18n();
  return (
    <section className="map-legend" aria-label={t('map.legend')}>
      <ul>
        {STATUS_TONES.map((tone) => (
          <li key={tone}>
            <span className={`legend-dot legend-dot--${tone}`} aria-hidden="true" />
            {t(`map.legend.${tone}`)}
          </li>
        ))}
        <li className="map-legend__cells">
          <span className="legend-bubble" aria-hidden="true">
            12
          </span>
          {t('map.legend.cells')}
        </li>
      </ul>
    </section>
  );
}
