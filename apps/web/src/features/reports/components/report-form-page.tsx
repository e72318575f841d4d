import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { EMAIL_INPUT, TextField } from '../../../components/form-field';
import { PageLoading } from '../../../components/page-loading';
import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { isOffered, keepOffered, useCategoriesAt } from '../../categories/hooks/use-categories-at';
import { useCategorySuggestions } from '../../categories/hooks/use-category-suggestions';
import type { LonLat } from '../../map/leaflet/base-map';
import type { NearbyReport, Severity, SupportResult } from '../api/reports-api';
import { useAddressAt } from '../hooks/use-address-at';
import { useNearbyReports } from '../hooks/use-nearby-reports';
import { useReportSender } from '../hooks/use-report-sender';
import { useServiceArea } from '../hooks/use-service-area';
import { describeSubmitError } from '../report-errors';
import { PendingReport } from './pending-report';
import { PhotoPicker, type PickedPhoto } from './photo-picker';
import { StepBar, StepHeader, type ReportStep } from './report-steps';

type Invalid = 'category' | 'location' | 'email' | null;

// Steps 2 and 3, the map (Leaflet) and the confirmations are not needed to take the photo: the first
// step paints and answers without them, and they are fetched once the page has loaded and is idle.
const loadLater = () => import('./report-form-later');
const CategoryField = lazy(() => loadLater().then((m) => ({ default: m.CategoryField })));
const CategorySuggestions = lazy(() => loadLater().then((m) => ({ default: m.CategorySuggestions })));
const DescriptionField = lazy(() => loadLater().then((m) => ({ default: m.DescriptionField })));
const DuplicatePanel = lazy(() => loadLater().then((m) => ({ default: m.DuplicatePanel })));
const LocationFieldset = lazy(() => loadLater().then((m) => ({ default: m.LocationFieldset })));
const PhotoPositionOffer = lazy(() => loadLater().then((m) => ({ default: m.PhotoPositionOffer })));
const PlaceSummary = lazy(() => loadLater().then((m) => ({ default: m.PlaceSummary })));
const ReportCreated = lazy(() => loadLater().then((m) => ({ default: m.ReportCreated })));
const SeverityField = lazy(() => loadLater().then((m) => ({ default: m.SeverityField })));
const SupportConfirmation = lazy(() => loadLater().then((m) => ({ default: m.SupportConfirmation })));

function prefetchWhenIdle(load: () => Promise<unknown>): () => void {
  // Older Safari has no idle callback: half a second after the load stands in for it.
  const hasIdleCallback = typeof window.requestIdleCallback === 'function';
  let handle = 0;
  const start = () => {
    const run = () => void load().catch(() => undefined);
    handle = hasIdleCallback ? window.requestIdleCallback(run, { timeout: 3000 }) : window.setTimeout(run, 500);
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
  return () => {
    window.removeEventListener('load', start);
    if (hasIdleCallback) window.cancelIdleCallback(handle);
    else window.clearTimeout(handle);
  };
}

/**
 * `/signaler`: the resident's report form in three short steps (a photo; what and where; a few words),
 * with "Send" on every step once the report can be sent, then its confirmation.
 */
export function ReportFormPage() {
  const { t, locale } = useI18n();
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

  useEffect(() => prefetchWhenIdle(loadLater), []);

  // The town at the pin decides what may be chosen (issue #19): its offer, once the pin is known.
  const categories = useCategoriesAt(location);
  const area = useServiceArea(location);
  const address = useAddressAt(location);
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
    sender.submit({ category, location, description, email, severity, photos, language: locale });
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

  if (state.status === 'created') {
    return (
      <Suspense fallback={<PageLoading />}>
        <ReportCreated report={state.report} onStartOver={startOver} />
      </Suspense>
    );
  }
  if (supported) {
    return (
      <Suspense fallback={<PageLoading />}>
        <SupportConfirmation {...supported} onStartOver={startOver} />
      </Suspense>
    );
  }
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
          <Suspense fallback={<p className="page-loading">{t('common.loading')}</p>}>
            <PlaceSummary
              point={location}
              lookup={address}
              // The map in the middle of the screen: between the sticky header and the bottom bar.
              onChange={() =>
                document.querySelector('#report-location .location-map')?.scrollIntoView({ block: 'center' })
              }
            />
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
              address={address}
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
          </Suspense>
        )}

        {step === 3 && (
          <Suspense fallback={<p className="page-loading">{t('common.loading')}</p>}>
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
          </Suspense>
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
