import { useId, useState } from 'react';
import { useI18n } from '../../../i18n';
import type { LonLat } from '../../map/leaflet/base-map';
import type { AddressLookup } from '../hooks/use-address-at';
import type { ServiceAreaCheck } from '../hooks/use-service-area';
import { AddressField } from './address-field';
import { LocationPicker } from './location-picker';

/**
 * The report's place: an address or a pin on the map, either filling the other (the address at
 * the pin is looked up and said under the map), then whether the city serves it. `onChoose` asks to recenter the map when the place came from elsewhere.
 */
export function LocationFieldset({
  location,
  onChoose,
  recenterKey,
  area,
  isMissing,
  address,
}: {
  location: LonLat | null;
  onChoose: (value: LonLat, options?: { recenter?: boolean }) => void;
  recenterKey: number;
  area: ServiceAreaCheck;
  isMissing: boolean;
  /** The address at the pin (`useAddressAt`), looked up by the form, which also shows it above. */
  address: AddressLookup;
}) {
  const { t } = useI18n();
  const ids = { hint: useId(), error: useId() };
  const isErrorShown = isMissing || area.status === 'outside';
  const [centre, setCentre] = useState<LonLat | null>(null);
  return (
    <fieldset className="field" id="report-location">
      <legend className="field-label">{t('form.location')}</legend>
      <AddressField
        near={centre}
        found={address}
        hasMap
        onPick={({ lon, lat }) => onChoose([lon, lat], { recenter: true })}
        isInvalid={isErrorShown}
        describedBy={isErrorShown ? ids.error : undefined}
      />
      <p id={ids.hint} className="field-hint location-or">
        {t('form.location.hint')}
      </p>
      <LocationPicker
        value={location}
        onChange={(value) => onChoose(value)}
        isInvalid={isErrorShown}
        describedBy={isErrorShown ? `${ids.hint} ${ids.error}` : ids.hint}
        recenterKey={recenterKey}
        address={address}
        onCentreChange={setCentre}
      />
      {isErrorShown && (
        <p id={ids.error} className="field-error" data-testid="location-error">
          {area.status === 'outside' ? t('form.location.outside') : t('form.missing.location')}
        </p>
      )}
      {area.status === 'inside' && (
        <p className="field-status" data-testid="location-area">
          {t('form.location.area', { area: area.area })}
        </p>
      )}
    </fieldset>
  );
}
