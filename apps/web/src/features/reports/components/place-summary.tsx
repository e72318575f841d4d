import { PinGlyph } from '../../../components/place-glyphs';
import { useI18n } from '../../../i18n';
import type { LonLat } from '../../map/leaflet/base-map';
import type { AddressLookup } from '../hooks/use-address-at';

/**
 * The report's place in one line at the top of step 2, with a control that brings the map into view:
 * on a phone the map sits below the suggested categories, and the resident must see where the
 * report will be without scrolling to it.
 */
export function PlaceSummary({
  point,
  lookup,
  onChange,
}: {
  point: LonLat | null;
  lookup: AddressLookup;
  onChange: () => void;
}) {
  const { t } = useI18n();
  let text: string;
  if (!point) text = t('place.summary.none');
  else if (lookup.status === 'found' && lookup.address.kind === 'address')
    text = t('place.address', { label: lookup.address.label });
  else if (lookup.status === 'found' && lookup.address.kind === 'street')
    text = t('place.street', { label: lookup.address.label });
  else if (lookup.status === 'found') text = t('place.area', { label: lookup.address.label });
  else text = t('form.location.chosen', { lat: point[1].toFixed(5), lon: point[0].toFixed(5) });
  return (
    <div className={point ? 'place-summary' : 'place-summary place-summary--none'} data-testid="place-summary">
      <PinGlyph size={20} className="place-summary-icon" />
      <p className="place-summary-text">{text}</p>
      <button
        type="button"
        className="button button--quiet place-summary-change"
        aria-label={point ? t('place.summary.changeLabel') : t('place.summary.chooseLabel')}
        onClick={onChange}
      >
        {point ? t('place.summary.change') : t('place.summary.choose')}
      </button>
    </div>
  );
}
