import { useMemo, type ReactNode } from 'react';
import type { Trends } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { fetchTrends } from '../api/council-api';
import { formatCount, formatDay } from '../council-format';
import { useAnalytics } from '../hooks/use-analytics';
import { AnalyticsCard } from './analytics-card';

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

// The drawing's own units; the SVG scales to its box, text included, so laptop and print read alike.
const WIDTH = 600;
const HEIGHT = 250;
const PAD = { top: 12, right: 14, bottom: 34, left: 52 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

/** Round axis steps (1, 2, 5 × 10^k) giving about four gridlines up to `max`. */
export function niceTicks(max: number): number[] {
  if (max <= 0) return [0];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(v);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

/** Indexes of the weeks that get a date under the axis: about six, evenly spread. */
function labelledWeeks(count: number): number[] {
  const every = Math.max(1, Math.ceil(count / 6));
  const result: number[] = [];
  for (let i = 0; i < count; i += every) result.push(i);
  return result;
}

function Axis({ ticks, top, locale }: { ticks: number[]; top: number; locale: 'fr' | 'en' }) {
  return (
    <g className="council-chart__axis">
      {ticks.map((v) => {
        const y = PAD.top + PLOT_H - (v / top) * PLOT_H;
        return (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} />
            <text x={PAD.left - 8} y={y + 4} textAnchor="end">
              {formatCount(v, locale)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function WeekLabels({ weeks, x, locale }: { weeks: Trends['weeks']; x: (i: number) => number; locale: 'fr' | 'en' }) {
  return (
    <g className="council-chart__weeks">
      {labelledWeeks(weeks.length).map((i) => (
        <text key={weeks[i]!.week} x={x(i)} y={HEIGHT - 10} textAnchor="middle">
          {formatDay(weeks[i]!.week, locale).replace(/ \d{4}$/, '')}
        </text>
      ))}
    </g>
  );
}

/**
 * A chart's frame: the SVG with its text alternative (`council.trends.<name>.alt`), the value axis up to
 * the last tick, the marks, then the week dates.
 */
function ChartFrame({
  name,
  ticks,
  weeks,
  x,
  children,
}: {
  name: 'weekly' | 'backlog';
  ticks: number[];
  weeks: Trends['weeks'];
  x: (i: number) => number;
  children: ReactNode;
}) {
  const { t, locale } = useI18n();
  return (
    <svg
      className="council-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={t(`council.trends.${name}.alt`, { weeks: weeks.length })}
      data-testid={`trends-${name}`}
    >
      <Axis ticks={ticks} top={ticks[ticks.length - 1]!} locale={locale} />
      {children}
      <WeekLabels weeks={weeks} x={x} locale={locale} />
    </svg>
  );
}

function WeeklyChart({ trends, groups }: { trends: Trends; groups: { code: string; name: string; colour: string }[] }) {
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
  const { t, label, locale } = useI18n();
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
        </div>
      )}
    </AnalyticsCard>
  );
}
