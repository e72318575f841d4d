import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { CreatedReportWithTracking } from '../api/reports-api';

/** The confirmation shown once a report is accepted, with the reference and the private link to keep. */
export function ReportCreated({ report, onStartOver }: { report: CreatedReportWithTracking; onStartOver: () => void }) {
  const { t } = useI18n();
  useDocumentTitle(t('created.title'));
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The form the resident was in is gone: move focus so screen readers announce the outcome.
  useEffect(() => {
    window.scrollTo(0, 0);
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  const [isCopied, setIsCopied] = useState(false);

  const followUrl = report.trackingUrl ?? `/r/${encodeURIComponent(report.ref)}`;
  const absoluteUrl = new URL(followUrl, window.location.origin).toString();

  return (
    <div className="page page--narrow">
      <section className="confirmation" aria-labelledby="confirmation-title">
        <div className="confirmation-icon" aria-hidden="true">
          <svg viewBox="0 0 48 48" width="56" height="56">
            <circle cx="24" cy="24" r="22" />
            <path d="M14 24.5l7 7 13-14" fill="none" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
        <h1 id="confirmation-title" className="page-title" ref={headingRef} tabIndex={-1}>
          {t('created.title')}
        </h1>
        <p>{t('created.thanks')}</p>
        <p className="confirmation-ref-label">{t('created.refLabel')}</p>
        <p className="confirmation-ref" data-testid="report-ref">
          {report.ref}
        </p>
        {report.trackingUrl && (
          <div className="keep-link">
            <p className="keep-link-title">{t('created.keepLink')}</p>
            <p className="keep-link-text">{t('created.keepLink.text')}</p>
            <p className="keep-link-url" data-testid="tracking-url">
              {absoluteUrl}
            </p>
            {'clipboard' in navigator && (
              <button
                type="button"
                className="button button--quiet"
                onClick={() => void navigator.clipboard.writeText(absoluteUrl).then(() => setIsCopied(true))}
              >
                {isCopied ? t('created.copied') : t('created.copy')}
              </button>
            )}
          </div>
        )}
        <div className="confirmation-actions">
          <Link href={followUrl} className="button button--primary button--block">
            {t('created.follow')}
          </Link>
          <button type="button" className="button button--secondary button--block" onClick={onStartOver}>
            {t('created.another')}
          </button>
        </div>
        <Link href="/alertes" className="text-link" data-testid="created-alerts-link">
          {t('created.alerts')}
        </Link>
      </section>
    </div>
  );
}
