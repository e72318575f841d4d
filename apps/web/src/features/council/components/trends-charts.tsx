import { useMemo } from 'react';
import type { Trends } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { fetchTrends } from '../api/council-api';
import { formatCount, formatDay } from '../council-format';
import { useAnalytics } from '../hooks/use-analytics';
import { AnalyticsCard } from './analytics-card';
import { ChartFrame, niceTicks, PAD, PLOT_H, PLOT_W, type TrendGroup } from './chart-frame';
import { TrendsTable } from './trends-table';

/**
 * Okabe–Ito: eight colours told apart with every common colour-vision deficiency; a ninth, grey,
 * for the rare ninth group. Stacked in a fixed order, so a group keeps its colour across filters.
 */
const GROUP_COLOURS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000000',
  '#999999',
];

function WeeklyChart({ trends, groups }: { trends: Trends; groups: TrendGroup[] }) {
  const { locale } = useI18n();
  const weeks = trends.weeks;
  const top = niceTicks(Math.max(1, ...weeks.map((w) => w.received)));
  const scaleTop = top[top.length - 1]!;
  const band = PLOT_W / Math.max(1, weeks.length);
  const barW = Math.max(1, band * 0.78);
  const x = (i: number) => PAD.left + band * i + band / 2;
  return (
    <ChartFrame name="weekly" ticks={top} weeks={weeks} x={x}>
      {weeks.map((w, i) => {
        let y = PAD.top + PLOT_H;
        return (
          <g key={w.week} opacity={w.partial ? 0.45 : 1}>
            <title>{`${formatDay(w.week, locale)} : ${formatCount(w.received, locale)}`}</title>
            {groups.map((g) => {
              const n = w.byGroup[g.code] ?? 0;
              if (n === 0) return null;
              const h = (n / scaleTop) * PLOT_H;
              y -= h;
              return <rect key={g.code} x={x(i) - barW / 2} y={y} width={barW} height={h} fill={g.colour} />;
            })}
          </g>
        );
      })}
    </ChartFrame>
  );
}

function BacklogChart({ trends }: { trends: Trends }) {
  const weeks = trends.weeks;
  const ticks = niceTicks(Math.max(1, ...weeks.map((w) => w.backlog)));
  const top = ticks[ticks.length - 1]!;
  const step = PLOT_W / Math.max(1, weeks.length - 1);
  const x = (i: number) => PAD.left + (weeks.length === 1 ? PLOT_W / 2 : step * i);
  const y = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  const line = weeks.map((w, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(w.backlog).toFixed(1)}`).join('');
  const area = weeks.length ? `${line}L${x(weeks.length - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z` : '';
  return (
    <ChartFrame name="backlog" ticks={ticks} weeks={weeks} x={x}>
      <path d={area} className="council-chart__area" />
      <path d={line} className="council-chart__line" />
    </ChartFrame>
  );
}

/** Reports per week by category group (stacked), and the open backlog at the end of each week. */
export function TrendsCharts({ query }: { query: string }) {
  const { t, label } = useI18n();
  const state = useAnalytics(query, (signal) => fetchTrends(new URLSearchParams(query), signal));
  const trends = state.data;
  const groups = useMemo(() => {
    if (!trends) return [];
    const present = new Set(trends.weeks.flatMap((w) => Object.keys(w.byGroup)));
    return trends.groups
      .map((g, index) => ({ code: g.code, name: label(g.label), colour: GROUP_COLOURS[index % GROUP_COLOURS.length]! }))
      .filter((g) => present.has(g.code));
  }, [trends, label]);
  const hasPartial = trends?.weeks.some((w) => w.partial) ?? false;

  return (
    <AnalyticsCard id="council-trends-title" title={t('council.trends.title')} state={state}>
      {trends && (
        <div className="council-trends">
          <figure className="council-figure">
            <figcaption className="council-figure__caption">{t('council.trends.weekly')}</figcaption>
            <WeeklyChart trends={trends} groups={groups} />
            <ul className="council-chart-legend">
              {groups.map((g) => (
                <li key={g.code}>
                  <span className="council-legend__swatch" style={{ background: g.colour }} aria-hidden="true" />
                  {g.name}
                </li>
              ))}
            </ul>
            {hasPartial && <p className="council-muted">{t('council.trends.partial')}</p>}
          </figure>
          <figure className="council-figure">
            <figcaption className="council-figure__caption">{t('council.trends.backlog')}</figcaption>
            <BacklogChart trends={trends} />
          </figure>
          <TrendsTable trends={trends} groups={groups} />
        </div>
      )}
    </AnalyticsCard>
  );
}
