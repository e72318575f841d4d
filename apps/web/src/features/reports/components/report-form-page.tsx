import { useId, useRef, useState, type FormEvent } from 'react';
import { REPORT_LIMITS, type CreatedReport } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCategories } from '../../categories/hooks/use-categories';
import type { LonLat } from '../../map/leaflet/base-map';
import { createReport } from '../api/reports-api';
import { describeSubmitError } from '../report-errors';
import { LocationPicker } from './location-picker';
import { PhotoPicker } from './photo-picker';
import { ReportCreated } from './report-created';

type Invalid = 'category' | 'location' | 'email' | null;

/** `/signaler`: the resident's report form, then its confirmation. */
export function ReportFormPage() {
  const { t, label } = useI18n();
  useDocumentTitle(t('form.title'));
  const categories = useCategories();
  const ids = {
    category: useId(),
    location: useId(),
    description: useId(),
    counter: useId(),
    email: useId(),
    emailHint: useId(),
  };

  const [category, setCategory] = useState('');
  const [location, setLocation] = useState<LonLat | null>(null);
  const [description, setDescription] = useState('');
  const [email, setEmail] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Invalid>(null);
  const [created, setCreated] = useState<CreatedReport | null>(null);

  const categoryRef = useRef<HTMLSelectElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const locationRef = useRef<HTMLFieldSetElement>(null);

  const fail = (field: Invalid, message: string) => {
    setInvalid(field);
    setError(message);
  };

  // Fixing the field that blocked the submission also clears what was said about it.
  const clearInvalid = (field: Invalid) => {
    if (invalid !== field) return;
    setInvalid(null);
    setError(null);
  };

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isSending) return;
    if (!category) {
      fail('category', t('form.missing.category'));
      categoryRef.current?.focus();
      return;
    }
    if (!location) {
      fail('location', t('form.missing.location'));
      locationRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      return;
    }
    if (emailRef.current?.validity.typeMismatch) {
      fail('email', t('error.EMAIL_INVALID'));
      emailRef.current.focus();
      return;
    }
    setInvalid(null);
    setError(null);
    setIsSending(true);
    try {
      setCreated(await createReport({ category, location, description, email, photos }));
      window.scrollTo(0, 0);
    } catch (submitError) {
      setError(describeSubmitError(submitError, t));
    } finally {
      setIsSending(false);
    }
  };

  // The e-mail stays: someone reporting twice in a row is the same person.
  const startOver = () => {
    setCategory('');
    setLocation(null);
    setDescription('');
    setPhotos([]);
    setCreated(null);
    setError(null);
    window.scrollTo(0, 0);
  };

  if (created) return <ReportCreated report={created} onStartOver={startOver} />;

  return (
    <div className="page page--narrow">
      <h1 className="page-title">{t('form.title')}</h1>
      <p className="page-intro">{t('form.intro')}</p>

      <form className="report-form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={isSending}>
        <div className="field">
          <label htmlFor={ids.category} className="field-label">
            {t('form.category')}
          </label>
          <select
            id={ids.category}
            ref={categoryRef}
            name="category"
            className="select"
            value={category}
            onChange={(event) => {
              setCategory(event.target.value);
              clearInvalid('category');
            }}
            required
            aria-invalid={invalid === 'category' || undefined}
            disabled={categories.status !== 'ready'}
          >
            <option value="" disabled>
              {categories.status === 'loading' ? t('common.loading') : t('form.category.placeholder')}
            </option>
            {categories.status === 'ready' &&
              categories.data.groups.map((group) => (
                <optgroup key={group.code} label={label(group.label)}>
                  {group.categories.map((item) => (
                    <option key={item.code} value={item.code}>
                      {label(item.label)}
                    </option>
                  ))}
                </optgroup>
              ))}
          </select>
          {categories.status === 'error' && (
            <p className="field-error" role="alert">
              {t('form.category.loadFailed')}
            </p>
          )}
        </div>

        <fieldset className="field" ref={locationRef}>
          <legend className="field-label">{t('form.location')}</legend>
          <p id={ids.location} className="field-hint">
            {t('form.location.hint')}
          </p>
          <LocationPicker
            value={location}
            onChange={(value) => {
              setLocation(value);
              clearInvalid('location');
            }}
            isInvalid={invalid === 'location'}
            describedBy={ids.location}
          />
        </fieldset>

        <div className="field">
          <label htmlFor={ids.description} className="field-label">
            {t('form.description')}
          </label>
          <textarea
            id={ids.description}
            name="description"
            className="textarea"
            rows={5}
            maxLength={REPORT_LIMITS.descriptionMaxLength}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            placeholder={t('form.description.hint')}
            aria-describedby={ids.counter}
          />
          <p id={ids.counter} className="field-counter" data-testid="description-counter">
            {t('form.description.counter', { n: description.length, max: REPORT_LIMITS.descriptionMaxLength })}
          </p>
        </div>

        <PhotoPicker photos={photos} onChange={setPhotos} />

        <div className="field">
          <label htmlFor={ids.email} className="field-label">
            {t('form.email')}
          </label>
          <p id={ids.emailHint} className="field-hint">
            {t('form.email.hint')}
          </p>
          <input
            id={ids.email}
            ref={emailRef}
            name="email"
            type="email"
            className="input"
            autoComplete="email"
            inputMode="email"
            maxLength={REPORT_LIMITS.emailMaxLength}
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              clearInvalid('email');
            }}
            aria-describedby={ids.emailHint}
            aria-invalid={invalid === 'email' || undefined}
          />
        </div>

        <div className="form-footer">
          {error && (
            <p className="form-error" role="alert" data-testid="form-error">
              {error}
            </p>
          )}
          <button type="submit" className="button button--primary button--block" disabled={isSending}>
            {isSending ? t('form.submitting') : t('form.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
