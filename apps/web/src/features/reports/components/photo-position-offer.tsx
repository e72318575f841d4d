import { useI18n } from '../../../i18n';
import type { LonLat } from '../../map/leaflet/base-map';

/** A photo carried a GPS position and no place is chosen yet: offer it as the report's location. */
export function PhotoPositionOffer({ position, onUse }: { position: LonLat; onUse: (position: LonLat) => void }) {
  const { t } = useI18n();
  return (
    <div className="photo-position">
      <p>{t('form.photos.positionFound')}</p>
      <button type="button" className="button button--secondary" onClick={() => onUse(position)}>
        {t('form.photos.usePosition')}
      </button>
    </div>
  );
}
