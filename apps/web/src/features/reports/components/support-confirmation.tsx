import { useEffect, useRef } from 'react';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { NearbyReport, SupportResult } from '../api/reports-api';
import { countPeople } from '../lib/format';

/** After a "+1" on an existing report: no new report is filed, the resident follows that one. */
export function SupportConfirmation({
  report,
  result,
  onStartOver,
}: {
  report: NearbyReport;
  result: SupportResult;
  onStartOver: () => void;
}) {
  const { t } = useI18n();
  useDocumentTitle(t('support.thanks'));
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    window.scrollTo(0, 0);
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  const href = `/r/${encodeURIComponent(report.ref)}`;

  return (
    <div className="page page--narrow">
      <section className="confirmation" aria-labelledby="support-title">
        <div className="confirmation-icon" aria-hidden="true">
          <svg viewBox="0 0 48 48" width="56" height="56">
            <circle cx="24" cy="24" r="22" />
            <path d="M14 24.5l7 7 13-14" fill="none" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
        <h1 id="support-title" className="page-title" ref={headingRef} tabIndex={-1}>
          {t('support.thanks')}
        </h1>
        <p data-testid="support-count">{t('support.count.many', { n: countPeople(result.supportCount) })}</p>
        <p data-testid="support-follow-status">
          {result.confirmationSent ? t('support.confirmationSent') : t('support.notFollowing')}
        </p>
        <p className="confirmation-ref">{report.ref}</p>
        <div className="confirmation-actions">
          <Link href={href} className="button button--primary button--block">
            {t('support.see')}
          </Link>
          <button type="button" className="button button--secondary button--block" onClick={onStartOver}>
            {t('created.another')}
          </button>
        </div>
      </section>
    </div>
  );
}
