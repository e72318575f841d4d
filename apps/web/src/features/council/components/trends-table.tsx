import type { Trends } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { formatCount, formatDay } from '../council-format';
import type { TrendGroup } from './chart-frame';

/** The trends as a table, folded away: each week's reports, by group, and the backlog. */
export function TrendsTable({ trends, groups }: { trends: Trends; groups: TrendGroup[] }) {
  const { t, locale } = useI18n();
  return (
    <details className="council-details">
      <summary>{t('council.trends.table')}</summary>
      <div className="council-table-wrap" tabIndex={0} role="region" aria-label={t('council.trends.table')}>
        <table className="council-table council-table--compact" data-testid="trends-table">
          <thead>
            <tr>
              <th scope="col">{t('council.trends.week')}</th>
              <th scope="col">{t('council.figures.received')}</th>
              {groups.map((g) => (
                <th key={g.code} scope="col">
                  {g.name}
                </th>
              ))}
              <th scope="col">{t('council.trends.backlogColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {trends.weeks.map((w) => (
              <tr key={w.week}>
                <th scope="row">
                  {formatDay(w.week, locale)}
                  {w.partial ? ' *' : ''}
                </th>
                <td data-col="received">{formatCount(w.received, locale)}</td>
                {groups.map((g) => (
                  <td key={g.code}>{formatCount(w.byGroup[g.code] ?? 0, locale)}</td>
                ))}
                <td data-col="backlog">{formatCount(w.backlog, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
