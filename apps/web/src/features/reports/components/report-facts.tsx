import { useI18n } from '../../../i18n';
import type { ReportView } from '../api/reports-api';

/** What is known about the report at a glance: category, severity, area, team, date, reporter. */
export function ReportFacts({ report }: { report: ReportView }) {
  const { t, label, formatDate } = useI18n();
  return (
    <dl className="report-facts">
      <div>
        <dt>{t('report.category')}</dt>
        <dd data-testid="report-category">
          {label(report.category.group.label)} › {label(report.category.label)}
        </dd>
      </div>
      {report.severity && (
        <div>
          <dt>{t('form.severity')}</dt>
          <dd data-testid="report-severity">{t(`form.severity.${report.severity}`)}</dd>
        </div>
      )}
      {report.town && (
        <div>
          <dt>{t('report.town')}</dt>
          <dd data-testid="report-town">
            <a href={`/villes/${report.town.code}`}>{report.town.name}</a>
          </dd>
        </div>
      )}
      <div>
        <dt>{t('report.area')}</dt>
        <dd data-testid="report-area">{report.area ?? t('report.area.none')}</dd>
      </div>
      <div>
        <dt>{t('report.team')}</dt>
        <dd data-testid="report-team" aria-live="polite" className={report.team ? undefined : 'is-pending'}>
          {report.handledBy?.isBody
            ? t('report.handledBy.body', { name: report.handledBy.name })
            : (report.team ?? t('report.team.pending'))}
        </dd>
      </div>
      <div>
        <dt>{t('report.created')}</dt>
        <dd>
          <time dateTime={report.createdAt}>{formatDate(report.createdAt)}</time>
        </dd>
      </div>
      {report.reporterName && (
        <div>
          <dt>{t('report.reporter')}</dt>
          <dd data-testid="report-reporter">{report.reporterName}</dd>
        </div>
      )}
    </dl>
  );
}
