import { useEffect, useRef, useState, type FormEvent } from 'react';
import { FormFooter } from '../../../components/form-footer';
import { EMAIL_INPUT, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCategories } from '../../categories/hooks/use-categories';
import type { LonLat } from '../../map/leaflet/base-map';
import type { NearbyReport, Severity, SupportResult } from '../api/reports-api';
import { useNearbyReports } from '../hooks/use-nearby-reports';
import { useReportSender } from '../hooks/use-report-sender';
import { useServiceArea } from '../hooks/use-service-area';
import { describeSubmitError } from '../report-errors';
import { CategoryField } from './category-field';
import { DescriptionField } from './description-field';
import { DuplicatePanel } from './duplicate-panel';
import { LocationFieldset } from './location-fieldset';
import { PendingReport } from './pending-report';
import { PhotoPicker, type PickedPhoto } from './photo-picker';
import { PhotoPositionOffer } from './photo-position-offer';
import { ReportCreated } from './report-created';
import { SeverityField } from './severity-field';
import { SupportConfirmation } from './support-confirmation';

type Invalid = 'category' | 'location' | 'email' | null;

/** `/signaler`: the resident's report form, then its confirmation. */
export function ReportFormPage() {
  const { t } = useI18n();
  useDocumentTitle(t('form.title'));
  const categories = useCategories();
  const sender = useReportSender();

  const [category, setCategory] = useState('');
  const [location, setLocation] = useState<LonLat | null>(null);
  const [recenterKey, setRecenterKey] = useState(0);
  const [description, setDescription] = useState('');
  const [email, setEmail] = useState('');
  const [severity, setSeverity] = useState<Severity>('genant');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [photoPosition, setPhotoPosition] = useState<LonLat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Invalid>(null);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const [supported, setSupported] = useState<{ report: NearbyReport; result: SupportResult } | null>(null);

  const emailRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const area = useServiceArea(location);
  const nearby = useNearbyReports(location, category);
  const duplicates = (nearby?.reports ?? []).filter((report) => !dismissed.has(report.id));

  const { state } = sender;
  const isSending = state.status === 'sending' && !state.isResumed;

  // The server said no: say why, where the resident is looking.
  useEffect(() => {
    if (state.status !== 'refused') return;
    setError(describeSubmitError(state.error, t));
  }, [state, t]);

  const fail = (field: Invalid, message: string, focus: () => void) => {
    setInvalid(field);
    setError(message);
    focus();
  };

  // Fixing the field that blocked the submission also clears what was said about it.
  const clearInvalid = (field: Invalid) => {
    if (invalid !== field) return;
    setInvalid(null);
    setError(null);
  };

  const focusIn = (selector: string) => () => {
    const element = formRef.current?.querySelector<HTMLElement>(selector);
    element?.focus();
    element?.scrollIntoView({ block: 'center' });
  };

  const chooseLocation = (value: LonLat, { recenter = false } = {}) => {
    setLocation(value);
    if (recenter) setRecenterKey((n) => n + 1);
    clearInvalid('location');
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isSending) return;
    if (!category) return fail('category', t('form.missing.category'), focusIn('.category-search-input'));
    if (!location) return fail('location', t('form.missing.location'), focusIn('[data-testid="address-input"]'));
    if (area.status === 'outside') {
      return fail('location', t('error.LOCATION_OUTSIDE_SERVICE_AREA'), focusIn('[data-testid="address-input"]'));
    }
    if (emailRef.current?.validity.typeMismatch) {
      return fail('email', t('error.EMAIL_INVALID'), () => emailRef.current?.focus());
    }
    setInvalid(null);
    setError(null);
    sender.submit({ category, location, description, email, severity, photos });
  };

  // The e-mail stays: someone reporting twice in a row is the same person.
  const startOver = () => {
    setCategory('');
    setLocation(null);
    setDescription('');
    setPhotos([]);
    setPhotoPosition(null);
    setSeverity('genant');
    setSupported(null);
    setDismissed(new Set());
    setError(null);
    sender.reset();
    window.scrollTo(0, 0);
  };

  const handleSupported = (report: NearbyReport, result: SupportResult) => {
    setSupported({ report, result });
    window.scrollTo(0, 0);
  };

  if (state.status === 'created') return <ReportCreated report={state.report} onStartOver={startOver} />;
  if (supported) return <SupportConfirmation {...supported} onStartOver={startOver} />;
  if (state.status === 'waiting' || (state.status === 'sending' && state.isResumed)) {
    return <PendingReport state={state} onRetry={sender.retryNow} onDiscard={sender.discard} />;
  }

  return (
    <div className="page page--narrow">
      <h1 className="page-title">{t('form.title')}</h1>
      <p className="page-intro">{t('form.intro')}</p>

      <form
        ref={formRef}
        className="report-form"
        onSubmit={handleSubmit}
        noValidate
        aria-busy={isSending}
        data-testid="report-form"
      >
        <CategoryField
          categories={categories}
          value={category}
          onChange={(code) => {
            setCategory(code);
            clearInvalid('category');
          }}
          isMissing={invalid === 'category'}
        />

        <LocationFieldset
          location={location}
          onChoose={chooseLocation}
          recenterKey={recenterKey}
          area={area}
          isMissing={invalid === 'location'}
        />

        <p className="visually-hidden" role="status">
          {duplicates.length > 0 ? t('duplicates.title') : ''}
        </p>
        {duplicates.length > 0 && (
          <DuplicatePanel
            reports={duplicates}
            email={email}
            onSupported={handleSupported}
            onDismiss={() => setDismissed(new Set([...dismissed, ...duplicates.map((report) => report.id)]))}
          />
        )}

        <PhotoPicker photos={photos} onChange={setPhotos} onPositionFound={setPhotoPosition} />
        {photoPosition && !location && (
          <PhotoPositionOffer position={photoPosition} onUse={(value) => chooseLocation(value, { recenter: true })} />
        )}

        <SeverityField value={severity} onChange={setSeverity} />

        <DescriptionField value={description} onValue={setDescription} />

        <TextField
          ref={emailRef}
          label={t('form.email')}
          hint={t('form.email.hint')}
          error={invalid === 'email' && t('error.EMAIL_INVALID')}
          name="email"
          {...EMAIL_INPUT}
          value={email}
          onValue={(value) => {
            setEmail(value);
            clearInvalid('email');
          }}
        />

        <FormFooter
          error={error}
          errorTestId="form-error"
          isSending={isSending}
          submitLabel={t('form.submit')}
          sendingLabel={t('form.submitting')}
        />
      </form>
    </div>
  );
}
