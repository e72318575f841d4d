import { useState } from 'react';
import type { SatisfactionFigures } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { fetchChannels } from '../api/council-api';
import { formatCount, formatHours, formatPercent } from '../council-format';
import { useAnalytics, type AnalyticsState } from '../hooks/use-analytics';
import { AnalyticsError } from './analytics-error';

type SatisfactionDimension = 'byChannel' | 'byCategory' | 'byTeam';
const SATISFACTION_DIMENSIONS: SatisfactionDimension[] = ['byChannel', 'byCategory', 'byTeam'];

/** Reports per channel over the period (the channel endpoint takes the period only). */
function ChannelsTable({ periodQuery }: { periodQuery: string }) {
  const { t, label, locale } = useI18n();
  const state = useAnalytics(periodQuery, (signal) => fetchChannels(new URLSearchParams(periodQuery), signal));
  const data = state.data;
  return (
    <div className="council-subsection" aria-busy={state.isLoading}>
      <h3 className="council-subtitle">{t('council.channels.title')}</h3>
      <AnalyticsError error={state.error} />
      {data && (
        <div className="council-table-wrap" tabIndex={0} role="region" aria-label={t('council.channels.title')}>
          <table className="council-table" data-testid="channels-table">
            <thead>
              <tr>
                <th scope="col" className="council-table__label">
                  {t('council.channels.channel')}
                </th>
                <th scope="col">{t('council.figures.received')}</th>
                <th scope="col">{t('council.channels.share')}</th>
                <th scope="col">{t('council.channels.resolved')}</th>
                <th scope="col">{t('council.channels.medianResolve')}</th>
              </tr>
            </thead>
            <tbody>
              <tr className="council-table__total">
                <th scope="row" className="council-table__label">
                  {t('council.figures.total')}
                </th>
                <td>{formatCount(data.total, locale)}</td>
                <td />
                <td />
                <td />
              </tr>
              {[...data.channels]
                .sort((a, b) => label(a.label).localeCompare(label(b.label), locale, { numeric: true }))
                .map((c) => (
                  <tr key={c.channel}>
                    <td className="council-table__label">{label(c.label)}</td>
                    <td>{formatCount(c.count, locale)}</td>
                    <td>
                      {formatPercent(c.share, locale)}{' '}
                      <span className="council-n">
                        ({formatCount(c.count, locale)}/{formatCount(data.total, locale)})
                      </span>
                    </td>
                    <td>{formatCount(c.resolvedCount, locale)}</td>
                    {c.medianHoursToResolve === null ? (
                      <td className="council-insufficient">
                        {t('council.figures.insufficient', { n: c.resolvedCount })}
                      </td>
                    ) : (
                      <td>{formatHours(c.medianHoursToResolve, locale)}</td>
                    )}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function SatisfactionRow({ row, isTotal }: { row: SatisfactionFigures['overall']; isTotal?: boolean }) {
  const { t, locale } = useI18n();
  const Head = isTotal ? 'th' : 'td';
  return (
    <tr className={isTotal ? 'council-table__total' : undefined}>
      <Head scope={isTotal ? 'row' : undefined} className="council-table__label">
        {isTotal ? t('council.figures.total') : row.label}
      </Head>
      <td>{formatCount(row.answers, locale)}</td>
      {row.fixedShare === null ? (
        <td className="council-insufficient">{t('council.figures.insufficient', { n: row.answers })}</td>
      ) : (
        <td>
          {formatPercent(row.fixedShare, locale)}{' '}
          <span className="council-n">
            ({formatCount(Math.round(row.fixedShare * row.answers), locale)}/{formatCount(row.answers, locale)})
          </span>
        </td>
      )}
      {row.insufficient || row.averageRating === null ? (
        <td className="council-insufficient">{t('council.figures.insufficient', { n: row.ratings })}</td>
      ) : (
        <td>
          {t('council.satisfaction.outOf5', {
            value: row.averageRating.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }),
          })}{' '}
          <span className="council-n">{t('council.figures.n', { n: row.ratings })}</span>
        </td>
      )}
    </tr>
  );
}

/** Satisfaction after resolution ("is it fixed?" and a 1–5 rating), per channel, category or team. */
function SatisfactionTable({ state }: { state: AnalyticsState<SatisfactionFigures> }) {
  const { t } = useI18n();
  const [dimension, setDimension] = useState<SatisfactionDimension>('byChannel');
  const data = state.data;
  return (
    <div className="council-subsection" aria-busy={state.isLoading}>
      <div className="council-card__head">
        <h3 className="council-subtitle">{t('council.satisfaction.title')}</h3>
        <div className="council-segmented" role="group" aria-label={t('council.figures.by')}>
          {SATISFACTION_DIMENSIONS.map((d) => (
            <button
              key={d}
              type="button"
              className="council-segmented__button"
              aria-pressed={dimension === d}
              onClick={() => setDimension(d)}
            >
              {t(`council.satisfaction.${d}`)}
            </button>
          ))}
        </div>
      </div>
      <AnalyticsError error={state.error} />
      {data && (
        <div className="council-table-wrap" tabIndex={0} role="region" aria-label={t('council.satisfaction.title')}>
          <table className="council-table" data-testid="satisfaction-table">
            <thead>
              <tr>
                <th scope="col" className="council-table__label">
                  {t(`council.satisfaction.${dimension}`)}
                </th>
                <th scope="col">{t('council.satisfaction.answers')}</th>
                <th scope="col">{t('council.satisfaction.fixed')}</th>
                <th scope="col">{t('council.satisfaction.rating')}</th>
              </tr>
            </thead>
            <tbody>
              <SatisfactionRow row={data.overall} isTotal />
              {[...data[dimension]]
                .sort((a, b) => a.label.localeCompare(b.label, 'fr', { numeric: true }))
                .map((row) => (
                  <SatisfactionRow key={row.key} row={row} />
                ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Channel and satisfaction figures; their endpoints only take the period, which the section says. */
export function FeedbackTables({
  periodQuery,
  satisfaction,
}: {
  periodQuery: string;
  /** Satisfaction for the period, asked by the page (the headline row shows its overall rating). */
  satisfaction: AnalyticsState<SatisfactionFigures>;
}) {
  const { t } = useI18n();
  return (
    <section className="council-card" aria-labelledby="council-feedback-title">
      <h2 id="council-feedback-title" className="council-card__title">
        {t('council.feedback.title')}
      </h2>
      <p className="council-muted">{t('council.feedback.periodOnly')}</p>
      <ChannelsTable periodQuery={periodQuery} />
      <SatisfactionTable state={satisfaction} />
    </section>
  );
}
