import { useEffect, useRef } from 'react';
import type { CreatedReport } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** The confirmation shown once a report is accepted, with the reference to keep. */
export function ReportCreated({ report, onStartOver }: { report: CreatedReport; onStartOver: () => void }) {
  const { t } = useI18n();
  useDocumentTitle(t('created.title'));
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The form the resident was in is gone: move focus so screen readers announce the outcome.
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

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
        <div className="confirmation-actions">
          <Link href={`/reports/${encodeURIComponent(report.id)}`} className="button button--primary button--block">
            {t('created.follow')}
          </Link>
          <button type="button" className="button button--secondary button--block" onClick={onStartOver}>
            {t('created.another')}
          </button>
        </div>
      </section>
    </div>
  );
}
