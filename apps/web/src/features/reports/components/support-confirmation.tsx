import { useI18n } from '../../../i18n';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { NearbyReport, SupportResult } from '../api/reports-api';
import { countPeople } from '../lib/format';
import { Confirmation } from './confirmation';

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

  return (
    <Confirmation
      titleId="support-title"
      title={t('support.thanks')}
      href={`/r/${encodeURIComponent(report.ref)}`}
      linkText={t('support.see')}
      onStartOver={onStartOver}
    >
      <p data-testid="support-count">{t('support.count.many', { n: countPeople(result.supportCount) })}</p>
      <p data-testid="support-follow-status">
        {result.confirmationSent ? t('support.confirmationSent') : t('support.notFollowing')}
      </p>
      <p className="confirmation-ref">{report.ref}</p>
    </Confirmation>
  );
}
