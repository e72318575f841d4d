import { PUBLIC_STATUS, parseBbox, type ReportFeatureCollection, type ReportStatus } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { useAsync } from '../../../lib/use-async';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { indexCategories } from '../../categories/api/categories-api';
import { useCategories } from '../../categories/hooks/use-categories';
import { fetchMapReports, type Bbox } from '../../map/api/public-map-api';
import { readFilters, toApiQuery, writeFilters } from '../../map/public-map-filters';
import { StatusBadge } from './status-badge';

// A list longer than this is no longer read: the page asks to zoom the map in instead.
const LIST_LIMIT = 500;

function readBbox(params: URLSearchParams): Bbox | null {
  try {
    return parseBbox(params.get('bbox') ?? '');
  } catch {
    return null;
  }
}

/**
 * The reports of the map's current view as a table: the same area and filters as the map,
 * for keyboards and screen readers (and anyone who prefers reading to panning).
 */
export function ReportsListPage() {
  const i18n = useI18n();
  const { t } = i18n;
  useDocumentTitle(t('list.title'));
  const params = new URLSearchParams(window.location.search);
  const bbox = readBbox(params);
  const filters = readFilters(params);
  const categories = useCategories();
  const index = categories.status === 'ready' ? indexCategories(categories.data) : null;
  const key = `${bbox?.join(',')}|${toApiQuery(filters).toString()}`;
  const state = useAsync<ReportFeatureCollection | null>(
    () => (bbox ? fetchMapReports(bbox, toApiQuery(filters), LIST_LIMIT) : Promise.resolve(null)),
    [key],
  );

  const back = new URLSearchParams();
  for (const name of ['lat', 'lon', 'z']) {
    const value = params.get(name);
    if (value) back.set(name, value);
  }
  writeFilters(back, filters);
  const backHref = `/?${back.toString()}`;

  return (
    <div className="page list-page">
      <p>
        <Link href={backHref} className="back-link">
          {t('list.backToMap')}
        </Link>
      </p>
      <h1 className="page-title">{t('list.title')}</h1>
      <p className="page-intro">{t('list.intro')}</p>
      {!bbox && <p>{t('list.noArea')}</p>}
      {state.status === 'loading' && bbox && <p role="status">{t('common.loading')}</p>}
      {state.status === 'error' && (
        <p className="form-error" role="alert">
          {t('list.loadFailed')}
        </p>
      )}
      {state.status === 'ready' && state.data && (
        <>
          <p role="status" data-testid="list-count">
            {t('list.count', { n: state.data.features.length })}
          </p>
          {state.data.truncated && <p className="list-note">{t('list.truncated', { n: LIST_LIMIT })}</p>}
          {state.data.features.length === 0 ? (
            <p>{t('list.empty')}</p>
          ) : (
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">{t('list.column.report')}</th>
                  <th scope="col">{t('list.column.category')}</th>
                  <th scope="col">{t('list.column.status')}</th>
                  <th scope="col">{t('list.column.date')}</th>
                </tr>
              </thead>
              <tbody>
                {state.data.features.map((feature) => {
                  const { ref, status, category, createdAt } = feature.properties;
                  const entry = index?.get(category);
                  return (
                    <tr key={feature.id} data-report-id={feature.id}>
                      <th scope="row">
                        <Link href={`/reports/${encodeURIComponent(feature.id)}`}>{ref}</Link>
                      </th>
                      <td>{entry ? i18n.label(entry.category.label) : category}</td>
                      <td>
                        <StatusBadge status={status} label={PUBLIC_STATUS[status as ReportStatus].label} />
                      </td>
                      <td>
                        <time dateTime={createdAt}>{i18n.formatDate(createdAt, 'short')}</time>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
