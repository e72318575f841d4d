import { useI18n } from '../../../i18n';
import { useAnnouncedHeading } from '../../../lib/use-announced-heading';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { SendState } from '../hooks/use-report-sender';

type PendingState = Extract<SendState, { status: 'sending' | 'waiting' }>;

/**
 * The report is on the phone and on its way. Waiting for the network is a normal state
 * on the move, not an error: it says so calmly and keeps trying by itself.
 */
export function PendingReport({
  state,
  onRetry,
  onDiscard,
}: {
  state: PendingState;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const { t } = useI18n();
  useDocumentTitle(t('pending.title'));
  const headingRef = useAnnouncedHeading();
  const isWaiting = state.status === 'waiting';
  const photos = state.draft.photos.length;

  return (
    <div className="page page--narrow">
      <section className="pending" aria-labelledby="pending-title">
        <div className={`pending-icon${isWaiting ? ' is-waiting' : ''}`} aria-hidden="true">
          <svg viewBox="0 0 48 48" width="56" height="56">
            <circle cx="24" cy="24" r="22" />
            <path d="M24 12v13l8 5" fill="none" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
        <h1 id="pending-title" className="page-title" ref={headingRef} tabIndex={-1}>
          {state.isResumed ? t('pending.resumedTitle') : t('pending.title')}
        </h1>
        {isWaiting ? (
          <p className="pending-status" role="status" data-testid="waiting-network">
            {state.reason === 'network' ? t('pending.waitingNetwork') : t('pending.waitingServer')}
          </p>
        ) : (
          <p className="pending-status" role="status" data-testid="sending">
            {t('form.submitting')}
          </p>
        )}
        <p className="pending-detail">
          {photos > 0 ? t('pending.summaryPhotos', { n: photos }) : t('pending.summary')}
        </p>
        {isWaiting && (
          <div className="confirmation-actions">
            <button type="button" className="button button--secondary button--block" onClick={onRetry}>
              {t('pending.retry')}
            </button>
            <button type="button" className="button button--quiet" onClick={onDiscard}>
              {t('pending.discard')}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
