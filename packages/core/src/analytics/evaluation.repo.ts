import { CITY_TIME_ZONE, type ReportChannel } from '@pave/shared';
import type { Db } from '../db/pool';
import type { DayPeriod } from './satisfaction.repo';

// Day bounds are computed in SQL so a period is cut at Paris midnights, summer time included.
const IN_PERIOD = `r.created_at >= ($1::date)::timestamp AT TIME ZONE '${CITY_TIME_ZONE}'
  AND r.created_at < ($2::date + 1)::timestamp AT TIME ZONE '${CITY_TIME_ZONE}'`;

/** Reports created per Paris month and channel in the period. */
export async function findMonthlyChannelCounts(
  db: Db,
  period: DayPeriod,
): Promise<{ month: string; channel: ReportChannel; count: number }[]> {
  const { rows } = await db.query<{ month: string; channel: ReportChannel; count: number }>(
    `SELECT to_char(r.created_at AT TIME ZONE '${CITY_TIME_ZONE}', 'YYYY-MM') AS month, r.channel,
            count(*)::int AS count
       FROM reports r
      WHERE ${IN_PERIOD}
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [period.from, period.to],
  );
  return rows;
}

/** Reports created per team (null: not routed) and channel in the period. */
export async function findTeamChannelCounts(
  db: Db,
  period: DayPeriod,
): Promise<{ code: string | null; name: string | null; channel: ReportChannel; count: number }[]> {
  const { rows } = await db.query<{ code: string | null; name: string | null; channel: ReportChannel; count: number }>(
    `SELECT t.code, t.name, r.channel, count(*)::int AS count
       FROM reports r LEFT JOIN teams t ON t.id = r.team_id
      WHERE ${IN_PERIOD}
      GROUP BY t.code, t.name, r.channel`,
    [period.from, period.to],
  );
  return rows;
}
