import type { PublicReport } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { LonLat } from '../../map/leaflet/base-map';
import { useReport } from '../hooks/use-report';
import { ReportLocationMap } from './report-location-map';
import { StatusBadge } from './status-badge';

/** `/reports/:id`: what anyone may know about one report. */
export function ReportPage({ id }: { id: string }) {
  const { t } = useI18n();
  const state = useReport(id);
  useDocumentTitle(
    state.status === 'ready'
      ? state.report.ref
      : state.status === 'not-found'
        ? t('report.notFound')
        : t('report.loading'),
  );

  if (state.status === 'loading') {
    return (
      <div className="page page--narrow">
        <p className="page-loading" role="status">
          {t('report.loading')}
        </p>
      </div>
    );
  }
  if (state.status === 'not-found' || state.status === 'error') {
    const isMissing = state.status === 'not-found';
    return (
      <div className="page page--narrow">
        <h1 className="page-title">{isMissing ? t('report.notFound') : t('report.loadFailed')}</h1>
        {isMissing && <p>{t('report.notFound.text')}</p>}
        <p>
          <Link href="/" className="button button--secondary">
            {t('common.backToMap')}
          </Link>
        </p>
      </div>
    );
  }
  return <ReportDetails report={state.report} />;
}

function ReportDetails({ report }: { report: PublicReport }) {
  const { t, label, formatDate } = useI18n();
  const [lon, lat] = report.location.coordinates as LonLat;
  return (
    <article className="page page--narrow report">
      <header className="report-header">
        <h1 className="page-title report-ref">{report.ref}</h1>
        <StatusBadge status={report.status} label={report.statusLabel} />
      </header>

      <dl className="report-facts">
        <div>
          <dt>{t('report.category')}</dt>
          <dd data-testid="report-category">
            {label(report.category.group.label)} › {label(report.category.label)}
          </dd>
        </div>
        <div>
          <dt>{t('report.area')}</dt>
          <dd data-testid="report-area">{report.area ?? t('report.area.none')}</dd>
        </div>
        <div>
          <dt>{t('report.team')}</dt>
          <dd data-testid="report-team" aria-live="polite" className={report.team ? undefined : 'is-pending'}>
            {report.team ?? t('report.team.pending')}
          </dd>
        </div>
        <div>
          <dt>{t('report.created')}</dt>
          <dd>
            <time dateTime={report.createdAt}>{formatDate(report.createdAt)}</time>
          </dd>
        </div>
      </dl>

      <section className="report-section" aria-labelledby="report-description">
        <h2 id="report-description" className="section-title">
          {t('report.description')}
        </h2>
        {/* Rendered as text: whatever a resident typed never becomes markup. */}
        <p
          className={report.description ? 'report-description' : 'report-description is-empty'}
          data-testid="report-description"
        >
          {report.description || t('report.description.none')}
        </p>
      </section>

      <section className="report-section" aria-labelledby="report-location">
        <h2 id="report-location" className="section-title">
          {t('report.location')}
        </h2>
        <ReportLocationMap location={report.location.coordinates as LonLat} />
        <p>
          <Link href={`/?lat=${lat}&lon=${lon}&z=17`} className="text-link">
            {t('report.onMap')}
          </Link>
        </p>
      </section>

      {report.photos.length > 0 && (
        <section className="report-section" aria-labelledby="report-photos">
          <h2 id="report-photos" className="section-title">
            {t('report.photos')}
          </h2>
          <ul className="report-photos">
            {report.photos.map((photo, index) => (
              <li key={photo.id} className={`report-photo report-photo--${photo.status}`} data-status={photo.status}>
                {photo.urls ? (
                  <a href={photo.urls.large} target="_blank" rel="noopener">
                    <img src={photo.urls.thumb} alt={t('report.photo.alt', { n: index + 1 })} loading="lazy" />
                  </a>
                ) : (
                  <span className="report-photo-placeholder">
                    {photo.status === 'failed' ? t('report.photo.failed') : t('report.photo.pending')}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
