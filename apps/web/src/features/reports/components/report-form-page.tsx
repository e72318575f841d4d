import { useEffect, useRef, useState, type FormEvent } from 'react';
import { EMAIL_INPUT, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { isOffered, keepOffered, useCategoriesAt } from '../../categories/hooks/use-categories-at';
import { useCategorySuggestions } from '../../categories/hooks/use-category-suggestions';
import type { LonLat } from '../../map/leaflet/base-map';
import type { NearbyReport, Severity, SupportResult } from '../api/reports-api';
import { useNearbyReports } from '../hooks/use-nearby-reports';
import { useReportSender } from '../hooks/use-report-sender';
import { useServiceArea } from '../hooks/use-service-area';
import { describeSubmitError } from '../report-errors';
import { CategoryField } from './category-field';
import { CategorySuggestions } from './category-suggestions';
import { DescriptionField } from './description-field';
import { DuplicatePanel } from './duplicate-panel';
import { LocationFieldset } from './location-fieldset';
import { PendingReport } from './pending-report';
import { PhotoPicker, type PickedPhoto } from './photo-picker';
import { PhotoPositionOffer } from './photo-position-offer';
import { ReportCreated } from './report-created';
import { StepBar, StepHeader, type ReportStep } from './report-steps';
import { SeverityField } from './severity-field';
import { SupportConfirmation } from './support-confirmation';

type Invalid = 'category' | 'location' | 'email' | null;

/**
 * `/signaler`: the resident's report form in three short steps (a photo; what and where; a few words),
 * with "Send" on every step once the report can be sent, then its confirmation.
 */
export function ReportFormPage() {
  const { t } = useI18n();
  useDocumentTitle(t('form.title'));
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
  const [step, setStep] = useState<ReportStep>(1);
  const [isPickerOpened, setIsPickerOpened] = useState(false);
  const [isPlacedByPhoto, setIsPlacedByPhoto] = useState(false);
  // Where focus goes once the step on screen has rendered: its heading, or the field to fix.
  const pendingFocus = useRef<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const emailRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // The town at the pin decides what may be chosen (issue #19): its offer, once the pin is known.
  const categories = useCategoriesAt(location);
  const area = useServiceArea(location);
  const nearby = useNearbyReports(location, category);
  const duplicates = (nearby?.reports ?? []).filter((report) => !dismissed.has(report.id));
  // Asked on the step that shows them only: the description's words count when the resident comes back to it.
  const suggested = useCategorySuggestions(step === 2 ? location : null, step === 2 ? description : '');
  const suggestions = keepOffered(suggested.suggestions, categories);
  const isSuggested = suggestions.some((suggestion) => suggestion.code === category);
  // The full picker: when asked for, when there is nothing to suggest, or when it holds the choice.
  const isPickerOpen = isPickerOpened || suggestions.length === 0 || (category !== '' && !isSuggested);
  const isSendable = category !== '' && location !== null;

  // A pin moved into a town that does not take the chosen category: choose again.
  useEffect(() => {
    if (category && !isOffered(categories, category)) setCategory('');
  }, [categories, category]);

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

  useEffect(() => {
    const selector = pendingFocus.current;
    if (!selector) return;
    pendingFocus.current = null;
    const element = selector === 'heading' ? headingRef.current : formRef.current?.querySelector<HTMLElement>(selector);
    element?.focus();
    if (selector !== 'heading') element?.scrollIntoView({ block: 'center' });
  });

  const goTo = (next: ReportStep, focus = 'heading') => {
    pendingFocus.current = focus;
    setStep(next);
    if (focus === 'heading') window.scrollTo(0, 0);
  };

  const focusIn = (selector: string) => () => goTo(2, selector);

  const chooseLocation = (value: LonLat, { recenter = false } = {}) => {
    setLocation(value);
    if (recenter) setRecenterKey((n) => n + 1);
    setIsPlacedByPhoto(false);
    clearInvalid('location');
  };

  // The photo's own position is the default place: nothing else was chosen yet, so nothing is lost.
  const handlePhotoPosition = (position: LonLat) => {
    setPhotoPosition(position);
    if (location) return;
    chooseLocation(position, { recenter: true });
    setIsPlacedByPhoto(true);
  };

  // A first photo taken is step 1 done: straight on to what and where.
  const handlePhotos = (next: PickedPhoto[]) => {
    const isFirst = photos.length === 0 && next.length > 0;
    setPhotos(next);
    if (isFirst && step === 1) goTo(2);
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isSending) return;
    if (!category) {
      return fail('category', t('form.missing.category'), focusIn('.suggestions-list input, .category-search-input'));
    }
    if (!location) return fail('location', t('form.missing.location'), focusIn('[data-testid="address-input"]'));
    if (area.status === 'outside') {
      return fail('location', t('error.LOCATION_OUTSIDE_SERVICE_AREA'), focusIn('[data-testid="address-input"]'));
    }
    if (emailRef.current?.validity.typeMismatch) {
      return fail('email', t('error.EMAIL_INVALID'), () => goTo(3, 'input[name="email"]'));
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
    setStep(1);
    setIsPickerOpened(false);
    setIsPlacedByPhoto(false);
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

  const next =
    step === 1
      ? {
          label: photos.length > 0 ? t('steps.next') : t('steps.photo.skip'),
          onClick: () => goTo(2),
          isMain: photos.length > 0,
        }
      : step === 2
        ? { label: t('steps.next'), onClick: () => goTo(3), isMain: true }
        : null;

  return (
    <div className="page page--narrow">
      <h1 className="page-title">{t('form.title')}</h1>

      <form
        ref={formRef}
        className="report-form report-form--steps"
        onSubmit={handleSubmit}
        noValidate
        aria-busy={isSending}
        data-testid="report-form"
      >
        <StepHeader step={step} headingRef={headingRef} />

        {step === 1 && (
          <div className="photo-step">
            <p className="page-intro">{t('steps.photo.intro')}</p>
            <PhotoPicker
              photos={photos}
              onChange={handlePhotos}
              onPositionFound={handlePhotoPosition}
              addLabel={photos.length > 0 ? t('steps.photo.another') : t('steps.photo.take')}
              isProminent={photos.length === 0}
            />
          </div>
        )}

        {step === 2 && (
          <>
            <div
              className="field"
              // Once the resident starts on the full picker, suggestions arriving later do not close it.
              onFocus={(event) => {
                if (isPickerOpen && (event.target as HTMLElement).closest('.category-picker')) setIsPickerOpened(true);
              }}
            >
              <p className="field-label" aria-hidden="true">
                {t('steps.what')}
              </p>
              <CategorySuggestions
                suggestions={suggestions}
                status={suggested.status}
                value={category}
                onChange={(code) => {
                  setCategory(code);
                  clearInvalid('category');
                }}
                isPickerOpen={isPickerOpen}
                onTogglePicker={() => setIsPickerOpened(!isPickerOpen)}
              />
              {isPickerOpen && (
                <CategoryField
                  categories={categories}
                  value={category}
                  onChange={(code) => {
                    setCategory(code);
                    clearInvalid('category');
                  }}
                  isMissing={invalid === 'category'}
                />
              )}
            </div>

            {isPlacedByPhoto && location && (
              <p className="photo-placed" role="status" data-testid="photo-placed">
                {t('steps.photo.placed')}
              </p>
            )}
            <LocationFieldset
              location={location}
              onChoose={chooseLocation}
              recenterKey={recenterKey}
              area={area}
              isMissing={invalid === 'location'}
            />
            {photoPosition && !location && (
              <PhotoPositionOffer
                position={photoPosition}
                onUse={(value) => chooseLocation(value, { recenter: true })}
              />
            )}

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
          </>
        )}

        {step === 3 && (
          <>
            <p className="page-intro">{t('steps.words.intro')}</p>
            <DescriptionField value={description} onValue={setDescription} />
            <SeverityField value={severity} onChange={setSeverity} />
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
          </>
        )}

        <StepBar
          error={error}
          isSending={isSending}
          isSendable={isSendable || step === 3}
          back={step > 1 ? { onClick: () => goTo((step - 1) as ReportStep) } : null}
          next={next}
        />
      </form>
    </div>
  );
}
