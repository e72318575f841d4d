import type { ReactNode } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';
import './report-steps.css';

export type ReportStep = 1 | 2 | 3;
const STEP_TITLES: Record<ReportStep, MessageKey> = { 1: 'steps.photo', 2: 'steps.place', 3: 'steps.words' };

/** "Step 2 of 3 · What and where", and three marks that fill as the resident goes. */
export function StepHeader({ step, headingRef }: { step: ReportStep; headingRef: React.Ref<HTMLHeadingElement> }) {
  const { t } = useI18n();
  return (
    <div className="step-header">
      <ol className="step-marks" aria-hidden="true">
        {([1, 2, 3] as const).map((n) => (
          <li key={n} className={n <= step ? 'is-done' : undefined} />
        ))}
      </ol>
      <h2 className="step-title" tabIndex={-1} ref={headingRef} data-testid="step-title">
        <span className="step-count">{t('steps.label', { n: step })}</span> {t(STEP_TITLES[step])}
      </h2>
    </div>
  );
}

/**
 * The bar stuck to the bottom of the screen: what went wrong, "Send" as soon as the report can be sent
 * (on every step), and the way back and forward.
 */
export function StepBar({
  error,
  isSending,
  isSendable,
  back,
  next,
}: {
  error: string | null;
  isSending: boolean;
  isSendable: boolean;
  back: { onClick: () => void } | null;
  next: { label: string; onClick: () => void; isMain: boolean } | null;
}): ReactNode {
  const { t } = useI18n();
  return (
    <div className="step-bar" data-testid="step-bar">
      {error && (
        <p className="form-error" role="alert" data-testid="form-error">
          {error}
        </p>
      )}
      {isSendable && (
        <button type="submit" className="button button--primary button--block" disabled={isSending}>
          {isSending ? t('form.submitting') : t('form.submit')}
        </button>
      )}
      <div className="step-nav">
        {back && (
          <button type="button" className="button button--quiet step-back" onClick={back.onClick}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
            </svg>
            {t('steps.back')}
          </button>
        )}
        {next && (
          <button
            type="button"
            className={`button ${next.isMain && !isSendable ? 'button--primary' : 'button--secondary'} step-next`}
            onClick={next.onClick}
          >
            {next.label}
          </button>
        )}
      </div>
    </div>
  );
}
