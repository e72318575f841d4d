import { useId } from 'react';
import { ALERT_LIMITS, type AreaFeatureCollection } from '@pave/shared';
import { SelectField } from '../../../components/form-field';
import { SegmentedField } from '../../../components/segmented';
import { useI18n } from '../../../i18n';
import { useAsync } from '../../../lib/use-async';
import { fetchAreas } from '../../map/api/map-api';
import type { AddressSuggestion } from '../../reports/api/geocode-api';
import { AddressField } from '../../reports/components/address-field';
import type { CreateAlert } from '../api/alerts-api';

const RADII = [250, 500, 1000, ALERT_LIMITS.maxRadiusM] as const;

/** Where an alert watches: an arrondissement, or a circle around an address. */
export interface AlertPlace {
  mode: 'area' | 'address';
  areaCode: string;
  address: AddressSuggestion | null;
  radiusM: number;
}

export const NO_ALERT_PLACE: AlertPlace = { mode: 'area', areaCode: '', address: null, radiusM: 500 };

/** Which choice the place still lacks, if any. */
export function findMissingChoice(place: AlertPlace): 'area' | 'address' | null {
  if (place.mode === 'area') return place.areaCode ? null : 'area';
  return place.address ? null : 'address';
}

/** The place as the API takes it; only for a place with nothing missing. */
export function toAlertArea({ mode, areaCode, address, radiusM }: AlertPlace): CreateAlert['area'] {
  return mode === 'area'
    ? { areaCode }
    : { center: [address!.lon, address!.lat], radiusM, label: address!.label.slice(0, 200) };
}

const areaOptions = (areas: AreaFeatureCollection) =>
  areas.features.map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code, 'fr', { numeric: true }));

/**
 * The "where" of the alerts form. `onChange` says with `isChoice` whether the resident chose a
 * mode, an area or an address (which answers a missing-choice error) or only a radius.
 */
export function AlertPlaceFieldset({
  value,
  onChange,
  missing,
}: {
  value: AlertPlace;
  onChange: (value: AlertPlace, isChoice: boolean) => void;
  missing: 'area' | 'address' | null;
}) {
  const { t } = useI18n();
  const addressErrorId = useId();
  const areas = useAsync(fetchAreas, []);
  const { mode, areaCode, address, radiusM } = value;
  return (
    <SegmentedField
      legend={t('alerts.where')}
      className="segmented segmented--two"
      choices={['area', 'address'] as const}
      value={mode}
      onChange={(next) => onChange({ ...value, mode: next }, true)}
      label={(choice) => t(choice === 'area' ? 'alerts.where.area' : 'alerts.where.address')}
    >
      {mode === 'area' ? (
        <SelectField
          fieldClassName="alerts-subfield"
          labelClassName="field-sublabel"
          label={t('alerts.area')}
          error={missing === 'area' && t('alerts.missing.area')}
          value={areaCode}
          onValue={(next) => onChange({ ...value, areaCode: next }, true)}
          data-testid="alerts-area"
        >
          <option value="">{t('alerts.area.choose')}</option>
          {areas.status === 'ready' &&
            areaOptions(areas.data).map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
        </SelectField>
      ) : (
        <div className="alerts-subfield">
          <AddressField
            defaultText={address?.label}
            onPick={(suggestion) => onChange({ ...value, address: suggestion }, true)}
            isInvalid={missing === 'address'}
            describedBy={missing === 'address' ? addressErrorId : undefined}
          />
          {missing === 'address' && (
            <p id={addressErrorId} className="field-error">
              {t('alerts.missing.address')}
            </p>
          )}
          <SelectField
            fieldClassName="alerts-radius"
            labelClassName="field-sublabel"
            label={t('alerts.radius')}
            value={radiusM}
            onValue={(next) => onChange({ ...value, radiusM: Number(next) }, false)}
          >
            {RADII.map((m) => (
              <option key={m} value={m}>
                {t('alerts.radius.value', { m })}
              </option>
            ))}
          </SelectField>
        </div>
      )}
    </SegmentedField>
  );
}
