import { PinGlyph, StreetGlyph } from '../../../components/place-glyphs';
import { useI18n } from '../../../i18n';
import type { LonLat } from '../../map/leaflet/base-map';
import type { AddressLookup } from '../hooks/use-address-at';

/**
 * Where the pin stands, in words: « Près du 90 Rue de la Victoire… », the nearest street, the area
 * alone, « Aucune adresse connue ici », or a plain note that the lookup failed and the pin is enough.
 * The coordinates follow, small: they are what the report keeps whatever the words say.
 */
export function PlaceAddress({ point, lookup }: { point: LonLat | null; lookup?: AddressLookup }) {
  const { t } = useI18n();
  if (!point) {
    return (
      <p className="location-value" data-testid="location-value">
        {t('form.location.none')}
      </p>
    );
  }
  const coordinates = t('form.location.chosen', { lat: point[1].toFixed(5), lon: point[0].toFixed(5) });
  if (!lookup) {
    return (
      <p className="location-value" data-testid="location-value">
        {coordinates}
      </p>
    );
  }
  return (
    <div className="location-value" data-testid="location-value" aria-live="polite">
      <p
        className={`location-address location-address--${lookup.status}`}
        data-testid="location-address"
        data-status={lookup.status}
      >
        {lookup.status === 'found' && lookup.address.kind === 'address' && (
          <>
            <PinGlyph size={18} className="location-address-icon" />
            {t('place.address', { label: lookup.address.label })}
          </>
        )}
        {lookup.status === 'found' && lookup.address.kind === 'street' && (
          <>
            <StreetGlyph size={18} className="location-address-icon" />
            {t('place.street', { label: lookup.address.label })}
          </>
        )}
        {lookup.status === 'found' &&
          lookup.address.kind === 'area' &&
          t('place.area', { label: lookup.address.label })}
        {lookup.status === 'unknown' && t('place.unknown')}
        {lookup.status === 'failed' && t('place.failed')}
        {(lookup.status === 'looking' || lookup.status === 'idle') && t('place.looking')}
      </p>
      <p className="location-coordinates">{coordinates}</p>
    </div>
  );
}
