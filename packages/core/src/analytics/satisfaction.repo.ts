import { CITY_TIME_ZONE, type ReportChannel } from '@pave/shared';
import type { Db } from '../db/pool';
import type { ReportCriteria } from './analytics.repo';

export interface NewFeedback {
  reportId: string;
  role: 'reporter' | 'follower';
  followerId: string | null;
  resolvedAt: Date;
  fixed: boolean;
  rating: number | null;
  comment: string | null;
}

/** Records one answer; false when this person already answered for this resolution. */
export async function insertFeedback(db: Db, feedback: NewFeedback): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO report_feedback (report_id, role, follower_id, resolved_at, fixed, rating, comment)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING`,
    [
      feedback.reportId,
      feedback.role,
      feedback.followerId,
      feedback.resolvedAt,
      feedback.fixed,
      feedback.rating,
      feedback.comment,
    ],
  );
  return rowCount === 1;
}

/** A period of the city's days, `to` inclusive, as `YYYY-MM-DD`. */
export interface DayPeriod {
  from: string;
  to: string;
}

// Day bounds are computed in SQL so a period is cut at Paris midnights, summer time included.
const FROM = `($1::date)::timestamp AT TIME ZONE '${CITY_TIME_ZONE}'`;
const TO = `($2::date + 1)::timestamp AT TIME ZONE '${CITY_TIME_ZONE}'`;

export interface ChannelRow {
  channel: ReportChannel;
  count: number;
  resolvedCount: number;
  medianHoursToResolve: number | null;
}

/** Reports filed per channel in a period, with how many are resolved and their median time to resolve. */
export async function findChannelCounts(db: Db, period: DayPeriod): Promise<ChannelRow[]> {
  const { rows } = await db.query<{
    channel: ReportChannel;
    count: number;
    resolved_count: number;
    median_hours: number | null;
  }>(
    `SELECT r.channel, count(*)::int AS count,
            count(*) FILTER (WHERE r.status = 'resolved')::int AS resolved_count,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.created_at) / 3600)
              FILTER (WHERE r.status = 'resolved') AS median_hours
       FROM reports r
      WHERE r.created_at >= ${FROM} AND r.created_at < ${TO}
      GROUP BY r.channel`,
    [period.from, period.to],
  );
  return rows.map((r) => ({
    channel: r.channel,
    count: r.count,
    resolvedCount: r.resolved_count,
    medianHoursToResolve: r.median_hours,
  }));
}

export type SatisfactionDimension = 'overall' | 'category' | 'team' | 'channel';

// Fixed SQL per dimension, never built from input.
const DIMENSIONS: Record<SatisfactionDimension, { key: string; label: string; join: string }> = {
  overall: { key: `'all'`, label: `'Ensemble'`, join: '' },
  category: { key: 'c.code', label: 'c.label_fr', join: 'JOIN categories c ON c.id = r.category_id' },
  team: {
    key: `coalesce(t.code, '-')`,
    label: `coalesce(t.name, 'Sans équipe')`,
    join: 'LEFT JOIN teams t ON t.id = r.team_id',
  },
  channel: { key: 'r.channel', label: 'r.channel', join: '' },
};

export interface SatisfactionRow {
  key: string;
  label: string;
  answers: number;
  fixedShare: number | null;
  ratings: number;
  averageRating: number | null;
  medianHoursToResolve: number | null;
}

const NO_CRITERIA: ReportCriteria = { categoryIds: null, statuses: null, areaIds: null, teamIds: null };

/**
 * Answers to "is it fixed, how satisfied are you?" given in a period, grouped by one dimension (the
 * report's current category, team or channel), with the median time to the resolution answered.
 * `criteria` keeps the answers about some reports only (their category, status, area, team), as the
 * council's other figures do.
 */
export async function findSatisfaction(
  db: Db,
  period: DayPeriod,
  dimension: SatisfactionDimension,
  criteria: ReportCriteria = NO_CRITERIA,
): Promise<SatisfactionRow[]> {
  const d = DIMENSIONS[dimension];
  const { rows } = await db.query<{
    key: string;
    label: string;
    answers: number;
    fixed_share: number | null;
    ratings: number;
    average_rating: number | null;
    median_hours: number | null;
  }>(
    `SELECT ${d.key} AS key, ${d.label} AS label, count(*)::int AS answers,
            avg(f.fixed::int)::float8 AS fixed_share,
            count(f.rating)::int AS ratings, avg(f.rating)::float8 AS average_rating,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.resolved_at - r.created_at) / 3600)
              AS median_hours
       FROM report_feedback f
       JOIN reports r ON r.id = f.report_id
       ${d.join}
      WHERE f.created_at >= ${FROM} AND f.created_at < ${TO}
        AND ($3::int[] IS NULL OR r.category_id = ANY($3))
        AND ($4::text[] IS NULL OR r.status = ANY($4))
        AND ($5::int[] IS NULL OR r.area_id = ANY($5))
        AND ($6::int[] IS NULL OR r.team_id = ANY($6))
      GROUP BY 1, 2
      ORDER BY count(*) DESC, 1`,
    [period.from, period.to, criteria.categoryIds, criteria.statuses, criteria.areaIds, criteria.teamIds],
  );
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    answers: r.answers,
    fixedShare: r.fixed_share,
    ratings: r.ratings,
    averageRating: r.average_rating,
    medianHoursToResolve: r.median_hours,
  }));
}
