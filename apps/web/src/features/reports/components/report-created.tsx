import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { CreatedReportWithTracking } from '../api/reports-api';
import { Confirmation } from './confirmation';

/** The confirmation shown once a report is accepted, with the reference and the private link to keep. */
export function ReportCreated({ report, onStartOver }: { report: CreatedReportWithTracking; onStartOver: () => void }) {
  const { t } = useI18n();
  useDocumentTitle(t('created.title'));
  const [isCopied, setIsCopied] = useState(false);

  const followUrl = report.trackingUrl ?? `/r/${encodeURIComponent(report.ref)}`;
  const absoluteUrl = new URL(followUrl, window.location.origin).toString();

  return (
    <Confirmation
      titleId="confirmation-title"
      title={t('created.title')}
      href={followUrl}
      linkText={t('created.follow')}
      onStartOver={onStartOver}
      after={
        <Link href="/alertes" className="text-link" data-testid="created-alerts-link">
          {t('created.alerts')}
        </Link>
      }
    >
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
    </Confirmation>
  );
}
