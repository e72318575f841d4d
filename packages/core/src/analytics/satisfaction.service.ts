import {
  AppError,
  CHANNEL_LABELS,
  MIN_SAMPLE_SIZE,
  REPORT_CHANNELS,
  addDays,
  cityDay,
  daysBetween,
  isCalendarDay,
  type AnalyticsFilterQuery,
  type ChannelFigures,
  type FeedbackPeriodQuery,
  type ReportChannel,
  type SatisfactionFigures,
} from '@pave/shared';
import type { Pool } from '../db/pool';
import { requireAnalyst } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { readReportCriteria } from './analytics.service';
import { findChannelCounts, findSatisfaction, type DayPeriod, type SatisfactionRow } from './satisfaction.repo';

const DEFAULT_DAYS = 365;
const MAX_DAYS = 366 * 5;

/** A strictly parsed period of the city's days; by default the last 365 days up to today. */
export function parsePeriod(query: FeedbackPeriodQuery, now = new Date()): DayPeriod {
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && !isCalendarDay(value)) {
      throw new AppError('VALIDATION_FAILED', `${name} must be a day, YYYY-MM-DD.`);
    }
  }
  const to = query.to ?? cityDay(now);
  const from = query.from ?? addDays(to, 1 - DEFAULT_DAYS);
  const days = daysBetween(from, to);
  if (days < 0) throw new AppError('VALIDATION_FAILED', 'from must not be after to.');
  if (days > MAX_DAYS) throw new AppError('VALIDATION_FAILED', `A period covers at most ${MAX_DAYS} days.`);
  return { from, to };
}

const round = (n: number | null, digits: number) => (n === null ? null : Number(n.toFixed(digits)));

/** Reports per channel (web, app, counter, phone, Open311, e-mail) with their resolution times. */
export async function getChannelFigures(
  deps: { db: Pool },
  user: StaffUser,
  query: FeedbackPeriodQuery,
): Promise<ChannelFigures> {
  requireAnalyst(user);
  const period = parsePeriod(query);
  const rows = new Map((await findChannelCounts(deps.db, period)).map((r) => [r.channel, r]));
  const total = [...rows.values()].reduce((sum, r) => sum + r.count, 0);
  return {
    period,
    total,
    // Every channel, zero included: a channel nobody uses is a figure too.
    channels: REPORT_CHANNELS.map((channel) => {
      const row = rows.get(channel);
      const resolvedCount = row?.resolvedCount ?? 0;
      return {
        channel,
        label: CHANNEL_LABELS[channel],
        count: row?.count ?? 0,
        share: total === 0 ? 0 : round((row?.count ?? 0) / total, 4)!,
        medianHoursToResolve: resolvedCount >= MIN_SAMPLE_SIZE ? round(row!.medianHoursToResolve, 1) : null,
        resolvedCount,
      };
    }),
  };
}

function present(row: SatisfactionRow, label = row.label) {
  const insufficient = row.ratings < MIN_SAMPLE_SIZE;
  return {
    key: row.key,
    label,
    answers: row.answers,
    fixedShare: row.answers >= MIN_SAMPLE_SIZE ? round(row.fixedShare, 3) : null,
    ratings: row.ratings,
    // Counts are always given; an average of fewer than MIN_SAMPLE_SIZE ratings is withheld.
    averageRating: insufficient ? null : round(row.averageRating, 2),
    insufficient,
    medianHoursToResolve: row.answers >= MIN_SAMPLE_SIZE ? round(row.medianHoursToResolve, 1) : null,
  };
}

/**
 * Satisfaction after resolution per category, team and channel, with counts and resolution times.
 * The period is the answers'; the other filters (group, category, status, area, team) are the council's
 * usual ones, on the reports answered about. City-wide for every analyst, as the channel figures are.
 */
export async function getSatisfactionFigures(
  deps: { db: Pool },
  user: StaffUser,
  query: AnalyticsFilterQuery,
): Promise<SatisfactionFigures> {
  requireAnalyst(user);
  const period = parsePeriod({ from: query.from, to: query.to });
  const criteria = await readReportCriteria(deps, query);
  const [overall, byCategory, byTeam, byChannel] = await Promise.all([
    findSatisfaction(deps.db, period, 'overall', criteria),
    findSatisfaction(deps.db, period, 'category', criteria),
    findSatisfaction(deps.db, period, 'team', criteria),
    findSatisfaction(deps.db, period, 'channel', criteria),
  ]);
  const empty: SatisfactionRow = {
    key: 'all',
    label: 'Ensemble',
    answers: 0,
    fixedShare: null,
    ratings: 0,
    averageRating: null,
    medianHoursToResolve: null,
  };
  return {
    period,
    minSampleSize: MIN_SAMPLE_SIZE,
    overall: present(overall[0] ?? empty),
    byCategory: byCategory.map((r) => present(r)),
    byTeam: byTeam.map((r) => present(r)),
    byChannel: byChannel.map((r) => present(r, CHANNEL_LABELS[r.key as ReportChannel]?.fr ?? r.key)),
  };
}
