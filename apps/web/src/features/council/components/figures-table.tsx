import {
  SUMMARY_DIMENSIONS,
  type DurationFigure,
  type RateFigure,
  type Summary,
  type SummaryDimension,
  type SummaryRow,
} from '@pave/shared';
import { useI18n } from '../../../i18n';
import { formatCount, formatHours, formatPercent } from '../council-format';
import type { AnalyticsState } from '../hooks/use-analytics';
import { AnalyticsError } from './analytics-error';

interface Props {
  /** The summary for the page's filters and `by`, asked by the page (the headline row shows its total). */
  state: AnalyticsState<Summary>;
  by: SummaryDimension;
  onByChange: (by: SummaryDimension) => void;
}

function Duration({ figure }: { figure: DurationFigure }) {
  const { t, locale } = useI18n();
  if (figure.insufficient || figure.medianHours === null || figure.p90Hours === null) {
    return (
      <td colSpan={2} className="council-insufficient">
        {t('council.figures.insufficient', { n: figure.n })}
      </td>
    );
  }
  return (
    <>
      <td>{formatHours(figure.medianHours, locale)}</td>
      <td>
        {formatHours(figure.p90Hours, locale)}{' '}
        <span className="council-n">{t('council.figures.n', { n: figure.n })}</span>
      </td>
    </>
  );
}

function Rate({ figure, col }: { figure: RateFigure; col: string }) {
  const { t, locale } = useI18n();
  if (figure.insufficient || figure.rate === null) {
    return (
      <td className="council-insufficient" data-col={col}>
        {t('council.figures.insufficient', { n: figure.n })}
      </td>
    );
  }
  return (
    <td data-col={col}>
      {formatPercent(figure.rate, locale)}{' '}
      <span className="council-n">
        ({formatCount(figure.count, locale)}/{formatCount(figure.n, locale)})
      </span>
    </td>
  );
}

function Row({ row, isTotal }: { row: SummaryRow; isTotal?: boolean }) {
  const { label, locale } = useI18n();
  const Head = isTotal ? 'th' : 'td';
  return (
    <tr
      className={isTotal ? 'council-table__total' : undefined}
      data-testid={isTotal ? 'summary-total' : 'summary-row'}
      data-key={row.key ?? ''}
    >
      <Head scope={isTotal ? 'row' : undefined} className="council-table__label">
        {label(row.label)}
      </Head>
      <td data-col="received">{formatCount(row.received, locale)}</td>
      <td data-col="open">{formatCount(row.open, locale)}</td>
      <Duration figure={row.acknowledge} />
      <Duration figure={row.resolve} />
      <Rate figure={row.withinDeadline} col="withinDeadline" />
      <Rate figure={row.reopened} col="reopened" />
    </tr>
  );
}

/** Label order in the reader's language, rows without a key ("no team") last: never an order by a figure. */
function sortByLabel(rows: SummaryRow[], label: (l: SummaryRow['label']) => string, locale: string): SummaryRow[] {
  return [...rows].sort((a, b) =>
    a.key === null ? 1 : b.key === null ? -1 : label(a.label).localeCompare(label(b.label), locale, { numeric: true }),
  );
}

/**
 * Figures per area, team, category or group, total first and rows in label order (never ranked):
 * counts always, medians and rates only above the API's sample threshold.
 */
export function FiguresTable({ state, by, onByChange }: Props) {
  const { t, label, locale } = useI18n();
  const summary = state.data;

  return (
    <section className="council-card" aria-labelledby="council-figures-title" aria-busy={state.isLoading}>
      <div className="council-card__head">
        <h2 id="council-figures-title" className="council-card__title">
          {t('council.figures.title')}
        </h2>
        <div className="council-segmented" role="group" aria-label={t('council.figures.by')}>
          {SUMMARY_DIMENSIONS.map((d) => (
            <button
              key={d}
              type="button"
              className="council-segmented__button"
              aria-pressed={by === d}
              onClick={() => onByChange(d)}
            >
              {t(`council.figures.by.${d}`)}
            </button>
          ))}
        </div>
      </div>
      {summary && (
        <p className="council-muted">
          {t('council.figures.intro', {
            n: summary.minSample,
            precision: (summary.durationPrecision * 100).toLocaleString(locale, { maximumFractionDigits: 1 }),
          })}
        </p>
      )}
      <AnalyticsError error={state.error} />
      {summary && (
        <div className="council-table-wrap" tabIndex={0} role="region" aria-label={t('council.figures.title')}>
          <table className="council-table" data-by={summary.by}>
            <thead>
              <tr>
                <th rowSpan={2} scope="col" className="council-table__label">
                  {t(`council.figures.by.${summary.by}`)}
                </th>
                <th rowSpan={2} scope="col">
                  {t('council.figures.received')}
                </th>
                <th rowSpan={2} scope="col">
                  {t('council.figures.open')}
                </th>
                <th colSpan={2} scope="colgroup">
                  {t('council.figures.acknowledge')}
                </th>
                <th colSpan={2} scope="colgroup">
                  {t('council.figures.resolve')}
                </th>
                <th rowSpan={2} scope="col">
                  {t('council.figures.withinDeadline')}
                </th>
                <th rowSpan={2} scope="col">
                  {t('council.figures.reopened')}
                </th>
              </tr>
              <tr>
                <th scope="col">{t('council.figures.median')}</th>
                <th scope="col">{t('council.figures.p90')}</th>
                <th scope="col">{t('council.figures.median')}</th>
                <th scope="col">{t('council.figures.p90')}</th>
              </tr>
            </thead>
            <tbody>
              <Row row={summary.total} isTotal />
              {sortByLabel(summary.rows, label, locale).map((row) => (
                <Row key={row.key ?? '∅'} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
