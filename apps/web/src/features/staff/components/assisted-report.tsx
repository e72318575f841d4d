import { useEffect, useId, useState, type FormEvent } from 'react';
import {
  ASSISTED_CHANNELS,
  REPORT_LIMITS,
  type AssistedChannel,
  type AssistedReport,
  type CreatedReport,
} from '@pave/shared';
import { FormFooter } from '../../../components/form-footer';
import { EMAIL_INPUT, SelectField, TextareaField, TextField } from '../../../components/form-field';
import { SegmentedField } from '../../../components/segmented';
import { useI18n } from '../../../i18n';
import { CategoryOptions } from '../../categories/components/category-options';
import { requestJson } from '../../../lib/api-client';
import { isOffered, useCategoriesAt } from '../../categories/hooks/use-categories-at';
import type { AddressSuggestion } from '../../reports/api/geocode-api';
import { AddressField } from '../../reports/components/address-field';
import { describeSubmitError } from '../../reports/report-errors';

const RESIDENT_LANGUAGES = ['fr', 'en'] as const;

function fileAssistedReport(report: AssistedReport): Promise<CreatedReport> {
  return requestJson<CreatedReport>('/api/staff/assisted-reports', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(report),
  });
}

/**
 * "Saisir un signalement": an agent at the town-hall counter or on the phone files a report for a
 * resident, with the channel it came through and, if the resident wants the updates, their e-mail.
 * Mounted in the staff area for the agent, supervisor and admin roles.
 */
export function AssistedReportForm() {
  const { t } = useI18n();
  const ids = {
    title: useId(),
    locationError: useId(),
  };
  const [channel, setChannel] = useState<AssistedChannel>('counter');
  const [category, setCategory] = useState('');
  const [place, setPlace] = useState<AddressSuggestion | null>(null);
  // The offer of the town at the address, as the resident's form asks it: the server refuses a
  // category the town does not take. The whole catalogue until an address is chosen.
  const categories = useCategoriesAt(place ? [place.lon, place.lat] : null);
  const town = categories.status === 'ready' ? categories.data.town : undefined;
  // An address in another town may drop the category chosen for the first one.
  useEffect(() => {
    if (category && !isOffered(categories, category)) setCategory('');
  }, [categories, category]);
  const [description, setDescription] = useState('');
  const [email, setEmail] = useState('');
  // The language of the resident's mails: the agent asks, French unless the resident prefers English.
  const [language, setLanguage] = useState<(typeof RESIDENT_LANGUAGES)[number]>('fr');
  const [invalid, setInvalid] = useState<'category' | 'location' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  const [created, setCreated] = useState<CreatedReport | null>(null);
  // A fresh address field after each report: it keeps its own typed text.
  const [formKey, setFormKey] = useState(0);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    if (!category) return setInvalid('category');
    if (!place) return setInvalid('location');
    setInvalid(null);
    setIsSending(true);
    try {
      setCreated(
        await fileAssistedReport({
          channel,
          category,
          lat: place.lat,
          lon: place.lon,
          description: description.trim(),
          ...(email.trim() ? { residentEmail: email.trim(), residentLanguage: language } : {}),
        }),
      );
      setCategory('');
      setPlace(null);
      setDescription('');
      setEmail('');
      setLanguage('fr');
      setFormKey((key) => key + 1);
    } catch (failure) {
      setError(describeSubmitError(failure, t));
    } finally {
      setIsSending(false);
    }
  };

  return (
    <section className="assisted-report" aria-labelledby={ids.title} data-testid="assisted-report">
      <h2 id={ids.title} className="section-title">
        {t('assisted.title')}
      </h2>
      <p className="field-hint">{t('assisted.intro')}</p>
      {created && (
        <p className="support-done" role="status" data-testid="assisted-report-done">
          {t('assisted.done', { ref: created.ref })}
        </p>
      )}
      <form key={formKey} className="report-form" onSubmit={(event) => void submit(event)} noValidate>
        <SegmentedField
          legend={t('assisted.channel')}
          choices={ASSISTED_CHANNELS}
          value={channel}
          onChange={setChannel}
          label={(value) => t(`assisted.channel.${value}`)}
        />

        <div className="field">
          <AddressField
            onPick={(suggestion) => {
              setPlace(suggestion);
              setInvalid(null);
            }}
            isInvalid={invalid === 'location'}
            describedBy={invalid === 'location' ? ids.locationError : undefined}
          />
          {invalid === 'location' && (
            <p id={ids.locationError} className="field-error">
              {t('assisted.missing.location')}
            </p>
          )}
        </div>

        <SelectField
          label={t('assisted.category')}
          hint={town && t('assisted.town', { town: town.name })}
          error={invalid === 'category' && t('assisted.missing.category')}
          value={category}
          onValue={(value) => {
            setCategory(value);
            setInvalid(null);
          }}
          data-testid="assisted-category"
        >
          <option value="">{t('assisted.category.choose')}</option>
          {categories.status === 'ready' && <CategoryOptions tree={categories.data} />}
        </SelectField>

        <TextareaField
          label={t('assisted.description')}
          rows={3}
          maxLength={REPORT_LIMITS.descriptionMaxLength}
          value={description}
          onValue={setDescription}
        />

        <TextField
          label={t('assisted.email')}
          hint={t('assisted.email.hint')}
          {...EMAIL_INPUT}
          autoComplete="off"
          value={email}
          onValue={setEmail}
          data-testid="assisted-email"
        />
        {email.trim() && (
          <SegmentedField
            legend={t('assisted.language')}
            choices={RESIDENT_LANGUAGES}
            value={language}
            onChange={setLanguage}
            label={(value) => t(`assisted.language.${value}`)}
          />
        )}

        <FormFooter
          error={error}
          errorTestId="assisted-error"
          isSending={isSending}
          submitLabel={t('assisted.submit')}
          sendingLabel={t('assisted.sending')}
        />
      </form>
    </section>
  );
}
