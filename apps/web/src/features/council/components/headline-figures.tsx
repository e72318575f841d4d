import type { DurationFigure, SatisfactionFigures, Summary } from '@pave/shared';
import type { ReactNode } from 'react';
import { useI18n } from '../../../i18n';
import { formatCount, formatDay, formatHours, formatPercent } from '../council-format';
import type { AnalyticsState } from '../hooks/use-analytics';
import { AnalyticsError } from './analytics-error';

function Figure({ id, label, value, count }: { id: string; label: string; value: ReactNode; count: ReactNode }) {
  const { t } = useI18n();
  // "Too few data" is a sentence, not a figure: it takes the size of the text around it.
  const isWithheld = value === t('council.headline.insufficient');
  return (
    <div className="council-headline__figure" data-testid={`headline-${id}`}>
      <dt className="council-headline__label">{label}</dt>
      <dd
        className={`council-headline__value${isWithheld ? ' council-headline__value--withheld' : ''}`}
        data-part="value"
      >
        {value}
      </dd>
      <dd className="council-headline__count" data-part="count">
        {count}
      </dd>
    </div>
  );
}

/**
 * The council's first screen: five figures, each with the count it stands on, from the same answers
 * as the tables below (the summary's total, and satisfaction's overall row).
 */
export function HeadlineFigures({
  summary,
  satisfaction,
}: {
  summary: AnalyticsState<Summary>;
  satisfaction: AnalyticsState<SatisfactionFigures>;
}) {
  const { t, locale } = useI18n();
  const total = summary.data?.total;
  const overall = satisfaction.data?.overall;
  const waiting = '…';

  const duration = (figure: DurationFigure | undefined, id: string, label: string) => (
    <Figure
      id={id}
      label={label}
      value={
        !figure
          ? waiting
          : figure.insufficient || figure.medianHours === null
            ? t('council.headline.insufficient')
            : formatHours(figure.medianHours, locale)
      }
      count={figure ? t('council.headline.over', { n: figure.n, count: formatCount(figure.n, locale) }) : ''}
    />
  );

  return (
    <section className="council-headline" aria-labelledby="council-headline-title" aria-busy={summary.isLoading}>
      <h2 id="council-headline-title" className="council-headline__title">
        {t('council.headline.title')}
        {summary.data && (
          <span className="council-headline__period">
            {' '}
            {t('council.headline.period', {
              from: formatDay(summary.data.period.from, locale),
              to: formatDay(summary.data.period.to, locale),
            })}
          </span>
        )}
      </h2>
      <AnalyticsError error={summary.error} />
      <dl className="council-headline__figures">
        <Figure
          id="received"
          label={t('council.headline.received')}
          value={total ? formatCount(total.received, locale) : waiting}
          count={total ? t('council.headline.open', { n: total.open, count: formatCount(total.open, locale) }) : ''}
        />
        {duration(total?.acknowledge, 'acknowledge', t('council.headline.acknowledge'))}
        {duration(total?.resolve, 'resolve', t('council.headline.resolve'))}
        <Figure
          id="withinDeadline"
          label={t('council.headline.withinDeadline')}
          value={
            !total
              ? waiting
              : total.withinDeadline.insufficient || total.withinDeadline.rate === null
                ? t('council.headline.insufficient')
                : formatPercent(total.withinDeadline.rate, locale)
          }
          count={
            total
              ? t('council.headline.outOf', {
                  count: formatCount(total.withinDeadline.count, locale),
                  n: formatCount(total.withinDeadline.n, locale),
                })
              : ''
          }
        />
        <Figure
          id="satisfaction"
          label={t('council.headline.satisfaction')}
          value={
            !overall
              ? satisfaction.error
                ? '—'
                : waiting
              : overall.insufficient || overall.averageRating === null
                ? t('council.headline.insufficient')
                : t('council.satisfaction.outOf5', {
                    value: overall.averageRating.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', {
                      maximumFractionDigits: 1,
                    }),
                  })
          }
          count={
            overall
              ? t('council.headline.ratings', { n: overall.ratings, count: formatCount(overall.ratings, locale) })
              : ''
          }
        />
      </dl>
    </section>
  );
}
