import { STATUS_TONES } from '@pave/shared';
import { useId } from 'react';
import { useI18n } from '../../../i18n';

/**
 * What the colours and the numbered bubbles of the public map mean: a key, not a control. Each colour
 * is drawn as the map draws a report (a filled disc), with no ring around it, which made the items look
 * like radio buttons; filtering by status is the filters panel's job.
 */
export function MapLegend() {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <section className="map-legend" aria-labelledby={titleId}>
      <h2 id={titleId} className="map-legend__title">
        {t('map.legend')}
      </h2>
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
