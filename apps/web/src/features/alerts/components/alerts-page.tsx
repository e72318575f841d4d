import { useId, useState, type FormEvent } from 'react';
import { ALERT_LIMITS, REPORT_LIMITS, type AlertFrequency, type AreaFeatureCollection } from '@pave/shared';
import { FormFooter } from '../../../components/form-footer';
import { SelectField, TextField } from '../../../components/form-field';
import { Segmented } from '../../../components/segmented';
import { useI18n, type I18n, type MessageKey } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { useAsync } from '../../../lib/use-async';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCategories } from '../../categories/hooks/use-categories';
import { fetchAreas } from '../../map/api/map-api';
import type { AddressSuggestion } from '../../reports/api/geocode-api';
import { AddressField } from '../../reports/components/address-field';
import { subscribeAlert, type CreateAlert } from '../api/alerts-api';
import '../alerts.css';

const RADII = [250, 500, 1000, ALERT_LIMITS.maxRadiusM] as const;

const ERROR_KEYS: Partial<Record<string, MessageKey>> = {
  EMAIL_INVALID: 'alerts.error.EMAIL_INVALID',
  ALERT_AREA_INVALID: 'alerts.error.ALERT_AREA_INVALID',
  ALERT_AREA_OUTSIDE: 'alerts.error.ALERT_AREA_OUTSIDE',
  ALERT_AREA_TOO_LARGE: 'alerts.error.ALERT_AREA_TOO_LARGE',
  LOCATION_INVALID: 'alerts.error.ALERT_AREA_INVALID',
  RATE_LIMITED: 'error.RATE_LIMITED',
  NETWORK: 'error.network',
};

function describeError(error: unknown, t: I18n['t']): string {
  const code = error instanceof ApiError ? error.code : '';
  return t(ERROR_KEYS[code] ?? 'alerts.error.generic');
}

const areaOptions = (areas: AreaFeatureCollection) =>
  areas.features.map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code, 'fr', { numeric: true }));

/**
 * "Recevoir des alertes": an arrondissement or a circle around an address, kinds of problems and a
 * rhythm, and an e-mail address. No account: the server mails a link to confirm.
 */
export function AlertsPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('alerts.title'));
  const ids = {
    radius: useId(),
    what: useId(),
    whatHint: useId(),
    addressError: useId(),
  };
  const areas = useAsync(fetchAreas, []);
  const categories = useCategories();
  const [mode, setMode] = useState<'area' | 'address'>('area');
  const [areaCode, setAreaCode] = useState('');
  const [address, setAddress] = useState<AddressSuggestion | null>(null);
  const [radiusM, setRadiusM] = useState<number>(500);
  const [groups, setGroups] = useState<string[]>([]);
  const [frequency, setFrequency] = useState<AlertFrequency>('weekly');
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState<'area' | 'address' | 'email' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    if (mode === 'area' && !areaCode) return setInvalid('area');
    if (mode === 'address' && !address) return setInvalid('address');
    if (!email.trim()) return setInvalid('email');
    setInvalid(null);
    const area: CreateAlert['area'] =
      mode === 'area'
        ? { areaCode }
        : { center: [address!.lon, address!.lat], radiusM, label: address!.label.slice(0, 200) };
    setIsSending(true);
    try {
      await subscribeAlert({ email: email.trim(), area, groups, frequency });
      setSentTo(email.trim());
    } catch (failure) {
      // A refused address is said next to its field, not twice.
      if (failure instanceof ApiError && failure.code === 'EMAIL_INVALID') setInvalid('email');
      else setError(describeError(failure, t));
    } finally {
      setIsSending(false);
    }
  };

  if (sentTo) {
    return (
      <div className="page page--narrow" data-testid="alerts-sent">
        <h1 className="page-title">{t('alerts.sent.title')}</h1>
        <p className="page-intro" role="status">
          {t('alerts.sent.text', { email: sentTo })}
        </p>
        <button type="button" className="button button--secondary" onClick={() => setSentTo(null)}>
          {t('alerts.another')}
        </button>
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <h1 className="page-title">{t('alerts.title')}</h1>
      <p className="page-intro">{t('alerts.intro')}</p>
      <form className="report-form alerts-form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="field">
          <legend className="field-label">{t('alerts.where')}</legend>
          <Segmented
            className="segmented segmented--two"
            choices={['area', 'address'] as const}
            value={mode}
            onChange={(value) => {
              setMode(value);
              setInvalid(null);
            }}
            label={(value) => t(value === 'area' ? 'alerts.where.area' : 'alerts.where.address')}
          />
          {mode === 'area' ? (
            <SelectField
              fieldClassName="alerts-subfield"
              labelClassName="field-sublabel"
              label={t('alerts.area')}
              error={invalid === 'area' && t('alerts.missing.area')}
              value={areaCode}
              onValue={(value) => {
                setAreaCode(value);
                setInvalid(null);
              }}
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
                location={address ? [address.lon, address.lat] : null}
                onPick={(suggestion) => {
                  setAddress(suggestion);
                  setInvalid(null);
                }}
                isInvalid={invalid === 'address'}
                describedBy={invalid === 'address' ? ids.addressError : undefined}
              />
              {invalid === 'address' && (
                <p id={ids.addressError} className="field-error">
                  {t('alerts.missing.address')}
                </p>
              )}
              <label htmlFor={ids.radius} className="field-sublabel">
                {t('alerts.radius')}
              </label>
              <select
                id={ids.radius}
                className="select"
                value={radiusM}
                onChange={(event) => setRadiusM(Number(event.target.value))}
              >
                {RADII.map((m) => (
                  <option key={m} value={m}>
                    {t('alerts.radius.value', { m })}
                  </option>
                ))}
              </select>
            </div>
          )}
        </fieldset>

        <fieldset className="field" aria-describedby={ids.whatHint}>
          <legend className="field-label">{t('alerts.what')}</legend>
          <p id={ids.whatHint} className="field-hint">
            {t('alerts.what.hint')}
          </p>
          {categories.status === 'ready' && (
            <ul className="choice-list alerts-groups">
              {categories.data.groups.map((group) => {
                const isChecked = groups.includes(group.code);
                return (
                  <li key={group.code}>
                    <label className={`choice${isChecked ? ' is-checked' : ''}`}>
                      <input
                        type="checkbox"
                        checked={isChecked}
                        onChange={() =>
                          setGroups(isChecked ? groups.filter((g) => g !== group.code) : [...groups, group.code])
                        }
                      />
                      <span className="choice-label">{group.label[locale]}</span>
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
        </fieldset>

        <fieldset className="field">
          <legend className="field-label">{t('alerts.frequency')}</legend>
          <Segmented
            className="segmented segmented--two"
            choices={['daily', 'weekly'] as const}
            value={frequency}
            onChange={setFrequency}
            label={(value) => t(value === 'daily' ? 'alerts.frequency.daily' : 'alerts.frequency.weekly')}
          />
        </fieldset>

        <TextField
          label={t('alerts.email')}
          hint={t('alerts.email.hint')}
          error={invalid === 'email' && (email.trim() ? t('alerts.error.EMAIL_INVALID') : t('alerts.missing.email'))}
          type="email"
          autoComplete="email"
          inputMode="email"
          maxLength={REPORT_LIMITS.emailMaxLength}
          value={email}
          onValue={(value) => {
            setEmail(value);
            if (invalid === 'email') setInvalid(null);
          }}
          data-testid="alerts-email"
        />

        <FormFooter
          error={error}
          errorTestId="alerts-error"
          isSending={isSending}
          submitLabel={t('alerts.submit')}
          sendingLabel={t('alerts.sending')}
        />
      </form>
    </div>
  );
}
