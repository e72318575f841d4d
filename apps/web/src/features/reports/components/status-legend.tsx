import { useI18n } from '../../../i18n';
import { STATUS_TONES } from '../report-status';

/** What the marker colours mean. */
export function StatusLegend() {
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
      </ul>
    </section>
  );
}
