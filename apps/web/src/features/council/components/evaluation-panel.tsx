import { DIGITAL_CHANNELS, REPORT_CHANNELS, type Evaluation } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { fetchEvaluation } from '../api/council-api';
import { formatCount, formatEuros, formatHours, formatMonth, formatPercent } from '../council-format';
import { useAnalytics } from '../hooks/use-analytics';
import { AnalyticsCard } from './analytics-card';

/**
 * The evaluation of the channels: the digital share and what it saves, then per channel its reports,
 * resolution time and cost, the mix month by month, and the cost per team. Every figure with its count.
 */
export function EvaluationPanel({ periodQuery }: { periodQuery: string }) {
  const { t, label, locale } = useI18n();
  const state = useAnalytics(`evaluation|${periodQuery}`, (signal) =>
    fetchEvaluation(new URLSearchParams(periodQuery), signal),
  );
  const data = state.data;
  const used = data ? REPORT_CHANNELS.filter((c) => data.channels.some((x) => x.channel === c && x.count > 0)) : [];
  const channelLabel = (code: string) => {
    const row = data?.channels.find((c) => c.channel === code);
    return row ? label(row.label) : code;
  };
  const notSet = t('council.evaluation.notSet');

  return (
    <AnalyticsCard id="council-evaluation-title" title={t('council.evaluation.title')} state={state}>
      <p className="council-muted">{t('council.evaluation.intro')}</p>
      {data && (
        <>
          <DigitalSummary data={data} />
          <h3 className="council-subtitle">{t('council.evaluation.byChannel')}</h3>
          <div className="council-table-wrap" tabIndex={0} role="region" aria-label={t('council.evaluation.byChannel')}>
            <table className="council-table" data-testid="evaluation-channels">
              <thead>
                <tr>
                  <th scope="col" className="council-table__label">
                    {t('council.channels.channel')}
                  </th>
                  <th scope="col">{t('council.figures.received')}</th>
                  <th scope="col">{t('council.channels.medianResolve')}</th>
                  <th scope="col">{t('council.evaluation.unitCost')}</th>
                  <th scope="col">{t('council.evaluation.cost')}</th>
                </tr>
              </thead>
              <tbody>
                {data.channels.map((c) => (
                  <tr key={c.channel} data-channel={c.channel}>
                    <td className="council-table__label">{label(c.label)}</td>
                    <td data-col="count">
                      {formatCount(c.count, locale)}{' '}
                      {data.total > 0 && (
                        <span className="council-n">({formatPercent(c.count / data.total, locale)})</span>
                      )}
                    </td>
                    {c.medianHoursToResolve === null ? (
                      <td className="council-insufficient">
                        {t('council.figures.insufficient', { n: c.resolvedCount })}
                      </td>
                    ) : (
                      <td>
                        {formatHours(c.medianHoursToResolve, locale)}{' '}
                        <span className="council-n">{t('council.figures.n', { n: c.resolvedCount })}</span>
                      </td>
                    )}
                    <td>{c.unitCostCents === null ? notSet : formatEuros(c.unitCostCents, locale)}</td>
                    <td data-col="cost">{c.costCents === null ? notSet : formatEuros(c.costCents, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h3 className="council-subtitle">{t('council.evaluation.byMonth')}</h3>
          <div className="council-table-wrap" tabIndex={0} role="region" aria-label={t('council.evaluation.byMonth')}>
            <table className="council-table" data-testid="evaluation-months">
              <thead>
                <tr>
                  <th scope="col" className="council-table__label">
                    {t('council.evaluation.month')}
                  </th>
                  <th scope="col">{t('council.figures.total')}</th>
                  {used.map((c) => (
                    <th key={c} scope="col">
                      {channelLabel(c)}
                    </th>
                  ))}
                  <th scope="col">{t('council.evaluation.digitalShare')}</th>
                </tr>
              </thead>
              <tbody>
                {data.months.map((m) => {
                  const digital = DIGITAL_CHANNELS.reduce((sum, c) => sum + (m.byChannel[c] ?? 0), 0);
                  return (
                    <tr key={m.month}>
                      <th scope="row" className="council-table__label">
                        {formatMonth(m.month, locale)}
                      </th>
                      <td data-col="total">{formatCount(m.total, locale)}</td>
                      {used.map((c) => (
                        <td key={c}>{formatCount(m.byChannel[c] ?? 0, locale)}</td>
                      ))}
                      <td>
                        {formatPercent(digital / m.total, locale)}{' '}
                        <span className="council-n">
                          ({formatCount(digital, locale)}/{formatCount(m.total, locale)})
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>

          <h3 className="council-subtitle">{t('council.evaluation.byTeam')}</h3>
          <div
            className="council-table-wrap council-table-wrap--tall"
            tabIndex={0}
            role="region"
            aria-label={t('council.evaluation.byTeam')}
          >
            <table className="council-table" data-testid="evaluation-teams">
              <thead>
                <tr>
                  <th scope="col" className="council-table__label">
                    {t('council.filters.team')}
                  </th>
                  <th scope="col">{t('council.figures.received')}</th>
                  <th scope="col">{t('council.evaluation.cost')}</th>
                  <th scope="col">{t('council.evaluation.perReport')}</th>
                </tr>
              </thead>
              <tbody>
                {data.teams.map((team) => (
                  <tr key={team.code ?? '∅'} data-team={team.code ?? ''}>
                    <td className="council-table__label">{team.name ?? t('council.evaluation.noTeam')}</td>
                    <td data-col="count">{formatCount(team.count, locale)}</td>
                    <td data-col="cost">{team.costCents === null ? notSet : formatEuros(team.costCents, locale)}</td>
                    <td>
                      {team.costPerReportCents === null
                        ? notSet
                        : formatEuros(Math.round(team.costPerReportCents), locale)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </AnalyticsCard>
  );
}

/** The digital share over the period and the savings it brings, or why the savings cannot be said. */
function DigitalSummary({ data }: { data: Evaluation }) {
  const { t, locale } = useI18n();
  const { digital } = data;
  return (
    <dl className="council-headline__figures council-evaluation__summary">
      <div className="council-headline__figure" data-testid="evaluation-digital">
        <dt className="council-headline__label">{t('council.evaluation.digitalShare')}</dt>
        <dd className="council-headline__value" data-part="value">
          {digital.share === null ? '—' : formatPercent(digital.share, locale)}
        </dd>
        <dd className="council-headline__count" data-part="count">
          {t('council.headline.outOf', {
            count: formatCount(digital.count, locale),
            n: formatCount(digital.total, locale),
          })}
        </dd>
      </div>
      <div className="council-headline__figure" data-testid="evaluation-savings">
        <dt className="council-headline__label">{t('council.evaluation.savings')}</dt>
        <dd
          className={`council-headline__value${digital.savingsCents === null ? ' council-headline__value--withheld' : ''}`}
          data-part="value"
        >
          {digital.savingsCents === null
            ? t('council.evaluation.savingsUnknown')
            : formatEuros(digital.savingsCents, locale)}
        </dd>
        <dd className="council-headline__count" data-part="count">
          {digital.assistedUnitCostCents !== null && digital.digitalUnitCostCents !== null
            ? t('council.evaluation.savingsHow', {
                count: formatCount(digital.count, locale),
                assisted: formatEuros(Math.round(digital.assistedUnitCostCents), locale),
                digital: formatEuros(Math.round(digital.digitalUnitCostCents), locale),
              })
            : t('council.evaluation.savingsWhy')}
        </dd>
      </div>
    </dl>
  );
}
