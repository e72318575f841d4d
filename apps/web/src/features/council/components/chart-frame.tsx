import type { ReactNode } from 'react';
import type { Trends } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { formatCount, formatDay } from '../council-format';

/** A category group as the charts draw it: its name and its colour. */
export interface TrendGroup {
  code: string;
  name: string;
  colour: string;
}

// The drawing's own units; the SVG scales to its box, text included, so laptop and print read alike.
const WIDTH = 600;
const HEIGHT = 250;
// Left: room for a 7-character tick ("100 000") at 13 px, which 52 units used to cut.
export const PAD = { top: 12, right: 14, bottom: 34, left: 62 };
// Half a short date's width ("30 nov.") at 13 px: a label centred closer than this to the edge is cut.
const HALF_LABEL = 26;
export const PLOT_W = WIDTH - PAD.left - PAD.right;
export const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

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
      {labelledWeeks(weeks.length).map((i) => {
        // The line chart puts its last week on the right edge: that date ends there instead of spilling out.
        const isAtEdge = x(i) + HALF_LABEL > WIDTH;
        return (
          <text
            key={weeks[i]!.week}
            x={isAtEdge ? WIDTH - 2 : x(i)}
            y={HEIGHT - 10}
            textAnchor={isAtEdge ? 'end' : 'middle'}
          >
            {formatDay(weeks[i]!.week, locale).replace(/ \d{4}$/, '')}
          </text>
        );
      })}
    </g>
  );
}

/**
 * A chart's frame: the SVG with its text alternative (`council.trends.<name>.alt`), the value axis up to
 * the last tick, the marks, then the week dates.
 */
export function ChartFrame({
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
