import { PUBLIC_STATUS, type ReportStatus } from '@pave/shared';
import type { CSSProperties } from 'react';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useAsync } from '../../../lib/use-async';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { StatusBadge } from '../../reports/components/status-badge';
import { fetchTownPage } from '../api/towns-api';
import '../towns.css';

/** `/villes/:code`: a town's own page — its name and colours, a few public figures, its latest reports. */
export function TownPage({ code }: { code: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useAsync(() => fetchTownPage(code), [code]);
  useDocumentTitle(state.status === 'ready' ? state.data.name : t('common.loading'));

  if (state.status === 'loading') return <p className="page page-loading">{t('common.loading')}</p>;
  if (state.status === 'error') {
    return (
      <div className="page page--narrow">
        <p className="form-error" role="alert" data-testid="town-not-found">
          {t('town.notFound')}
        </p>
      </div>
    );
  }
  const town = state.data;
  // The town's colour on its banner only: text stays in the site's contrasted colours.
  const banner = town.brandColour ? ({ '--town-colour': town.brandColour } as CSSProperties) : undefined;
  const figures = [
    { value: town.figures.open, label: t('town.figures.open') },
    { value: town.figures.resolvedLast30Days, label: t('town.figures.resolved30') },
    { value: town.figures.total, label: t('town.figures.total') },
  ];
  return (
    <div className="page town-page" data-testid="town-page" data-town={town.code}>
      <header className="town-banner" style={banner}>
        {town.logoUrl && <img className="town-logo" src={town.logoUrl} alt="" />}
        <h1 className="page-title town-name">{town.name}</h1>
        <Link href="/signaler" className="button button--primary town-report">
          {t('town.report')}
        </Link>
      </header>

      <section aria-labelledby="town-figures">
        <h2 id="town-figures" className="section-title">
          {t('town.figures')}
        </h2>
        <ul className="town-figures">
          {figures.map((figure) => (
            <li key={figure.label}>
              <strong>{figure.value.toLocaleString(i18n.locale)}</strong> <span>{figure.label}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="town-reports">
        <h2 id="town-reports" className="section-title">
          {t('town.reports')}
        </h2>
        {town.reports.length === 0 ? (
          <p>{t('town.empty')}</p>
        ) : (
          <table className="report-table" data-testid="town-reports">
            <thead>
              <tr>
                <th scope="col">{t('list.column.report')}</th>
                <th scope="col">{t('list.column.category')}</th>
                <th scope="col">{t('list.column.status')}</th>
                <th scope="col">{t('list.column.date')}</th>
              </tr>
            </thead>
            <tbody>
              {town.reports.map((report) => (
                <tr key={report.id} data-report-id={report.id}>
                  <th scope="row">
                    <Link href={`/reports/${encodeURIComponent(report.id)}`}>{report.ref}</Link>
                  </th>
                  <td>
                    {i18n.label(report.category.label)}
                    {report.address && <span className="town-report-address">{report.address}</span>}
                  </td>
                  <td>
                    <StatusBadge status={report.status} label={PUBLIC_STATUS[report.status as ReportStatus].label} />
                  </td>
                  <td>
                    <time dateTime={report.createdAt}>{i18n.formatDate(report.createdAt, 'short')}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
