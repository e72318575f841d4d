import { useId, useState, type FormEvent } from 'react';
import { EMAIL_INPUT, Field } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { followReport, supportReport } from '../api/reports-api';
import { countPeople } from '../lib/format';
import { describeSubmitError } from '../report-errors';

/** What anyone can do on a public report: "+1, I see it too" and "tell me when it moves". */
export function ReportSupport({
  id,
  supportCount,
  isOpen,
  isFollowedByViewer,
  onChanged,
}: {
  id: string;
  supportCount: number;
  /** A resolved or closed report takes no more "+1": the problem is reported gone. */
  isOpen: boolean;
  /** The viewer holds a private link already: the count is enough, no "+1" or follow form. */
  isFollowedByViewer: boolean;
  onChanged: () => void;
}) {
  const { t, locale } = useI18n();
  const ids = { title: useId(), error: useId() };
  const [count, setCount] = useState(supportCount);
  const [hasSupported, setHasSupported] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [email, setEmail] = useState('');
  const [isFollowing, setIsFollowing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shownCount = countPeople(hasSupported ? count : supportCount);

  const support = async () => {
    setIsBusy(true);
    setError(null);
    try {
      const result = await supportReport(id, '', locale);
      setCount(result.supportCount);
      setHasSupported(true);
      onChanged();
    } catch (failure) {
      setError(describeSubmitError(failure, t));
    } finally {
      setIsBusy(false);
    }
  };

  const follow = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('email') as HTMLInputElement;
    if (!email.trim() || input.validity.typeMismatch) {
      setError(t('error.EMAIL_INVALID'));
      input.focus();
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      await followReport(id, email, locale);
      setIsFollowing(true);
    } catch (failure) {
      setError(describeSubmitError(failure, t));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <section className="report-section report-support" aria-labelledby={ids.title}>
      <h2 id={ids.title} className="section-title">
        {isFollowedByViewer || !isOpen ? t('support.titleFollowed') : t('support.title')}
      </h2>
      <p className="support-count" data-testid="support-count" aria-live="polite">
        {t(shownCount === 1 ? 'support.count.one' : 'support.count.many', { n: shownCount })}
      </p>
      {isFollowedByViewer || !isOpen ? null : hasSupported ? (
        <p className="support-done" role="status">
          {t('support.thanks')}
        </p>
      ) : (
        <button type="button" className="button button--secondary" onClick={() => void support()} disabled={isBusy}>
          {t('support.plusOne')}
        </button>
      )}
      {isFollowedByViewer ? null : isFollowing ? (
        <p className="support-done" role="status" data-testid="follow-done">
          {t('follow.done')}
        </p>
      ) : (
        <form onSubmit={(event) => void follow(event)} noValidate>
          <Field
            fieldClassName="follow-form"
            labelClassName="field-sublabel"
            label={t('follow.title')}
            hint={t('follow.hint')}
            describedBy={error ? ids.error : undefined}
          >
            {(control) => (
              <div className="inline-form">
                <input
                  {...control}
                  name="email"
                  className="input"
                  {...EMAIL_INPUT}
                  value={email}
                  onChange={(event) => setEmail(event.target.value)}
                  aria-invalid={error ? true : undefined}
                />
                <button type="submit" className="button button--primary" disabled={isBusy}>
                  {t('follow.submit')}
                </button>
              </div>
            )}
          </Field>
        </form>
      )}
      {error && (
        <p id={ids.error} className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
