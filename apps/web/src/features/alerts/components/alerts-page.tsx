import { useId, useState, type FormEvent } from 'react';
import type { AlertFrequency } from '@pave/shared';
import { FormFooter } from '../../../components/form-footer';
import { EMAIL_INPUT, TextField } from '../../../components/form-field';
import { SegmentedField } from '../../../components/segmented';
import { useI18n, type I18n, type MessageKey } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCategories } from '../../categories/hooks/use-categories';
import { subscribeAlert } from '../api/alerts-api';
import '../alerts.css';
import { AlertPlaceFieldset, findMissingChoice, NO_ALERT_PLACE, toAlertArea } from './alert-place-fieldset';

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

/**
 * "Recevoir des alertes": an arrondissement or a circle around an address, kinds of problems and a
 * rhythm, and an e-mail address. No account: the server mails a link to confirm.
 */
export function AlertsPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('alerts.title'));
  const whatHintId = useId();
  const categories = useCategories();
  const [place, setPlace] = useState(NO_ALERT_PLACE);
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
    const missing = findMissingChoice(place);
    if (missing) return setInvalid(missing);
    if (!email.trim()) return setInvalid('email');
    setInvalid(null);
    setIsSending(true);
    try {
      await subscribeAlert({ email: email.trim(), area: toAlertArea(place), groups, frequency });
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
        <AlertPlaceFieldset
          value={place}
          onChange={(next, isChoice) => {
            setPlace(next);
            if (isChoice) setInvalid(null);
          }}
          missing={invalid === 'area' || invalid === 'address' ? invalid : null}
        />

        <fieldset className="field" aria-describedby={whatHintId}>
          <legend className="field-label">{t('alerts.what')}</legend>
          <p id={whatHintId} className="field-hint">
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

        <SegmentedField
          legend={t('alerts.frequency')}
          className="segmented segmented--two"
          choices={['daily', 'weekly'] as const}
          value={frequency}
          onChange={setFrequency}
          label={(value) => t(value === 'daily' ? 'alerts.frequency.daily' : 'alerts.frequency.weekly')}
        />

        <TextField
          label={t('alerts.email')}
          hint={t('alerts.email.hint')}
          error={invalid === 'email' && (email.trim() ? t('alerts.error.EMAIL_INVALID') : t('alerts.missing.email'))}
          {...EMAIL_INPUT}
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
