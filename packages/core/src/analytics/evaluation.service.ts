import {
  ASSISTED_CHANNELS,
  CHANNEL_LABELS,
  DIGITAL_CHANNELS,
  MIN_SAMPLE_SIZE,
  REPORT_CHANNELS,
  type Evaluation,
  type FeedbackPeriodQuery,
  type ReportChannel,
} from '@pave/shared';
import type { Pool } from '../db/pool';
import { findUnitCosts } from '../admin/admin-unit-costs.repo';
import { requireAnalyst } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { findMonthlyChannelCounts, findTeamChannelCounts } from './evaluation.repo';
import { findChannelCounts } from './satisfaction.repo';
import { parsePeriod } from './satisfaction.service';

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/**
 * The weighted mean unit cost of `channels`, weighted by their reports; a plain mean of the costs
 * set when none of them has a report; null when a channel with reports has no cost, or none is set.
 */
function averageUnitCost(
  channels: readonly ReportChannel[],
  counts: Map<ReportChannel, number>,
  costs: Map<ReportChannel, number>,
): number | null {
  const used = channels.filter((c) => (counts.get(c) ?? 0) > 0);
  if (used.length === 0) {
    const set = channels.flatMap((c) => (costs.has(c) ? [costs.get(c)!] : []));
    return set.length === 0 ? null : set.reduce((s, c) => s + c, 0) / set.length;
  }
  if (used.some((c) => !costs.has(c))) return null;
  const n = used.reduce((s, c) => s + counts.get(c)!, 0);
  return used.reduce((s, c) => s + counts.get(c)! * costs.get(c)!, 0) / n;
}

/**
 * The evaluation of the channels over a period (issue #16): the channel mix month by month, time to
 * resolution and cost per channel, cost per team, and what the digital share saves against the
 * assisted channels, from the unit costs an admin set. City-wide, like the channel figures.
 */
export async function getEvaluation(
  deps: { db: Pool },
  user: StaffUser,
  query: FeedbackPeriodQuery,
): Promise<Evaluation> {
  requireAnalyst(user);
  const period = parsePeriod(query);
  const [monthly, teamRows, channelRows, unitCosts] = await Promise.all([
    findMonthlyChannelCounts(deps.db, period),
    findTeamChannelCounts(deps.db, period),
    findChannelCounts(deps.db, period),
    findUnitCosts(deps.db),
  ]);
  const costs = new Map(unitCosts.map((c) => [c.channel, c.costCents]));
  const counts = new Map(channelRows.map((r) => [r.channel, r.count]));
  const total = channelRows.reduce((s, r) => s + r.count, 0);

  const months = new Map<string, { month: string; total: number; byChannel: Record<string, number> }>();
  for (const row of monthly) {
    const month = months.get(row.month) ?? { month: row.month, total: 0, byChannel: {} };
    month.total += row.count;
    month.byChannel[row.channel] = row.count;
    months.set(row.month, month);
  }

  const teams = new Map<string, Evaluation['teams'][number]>();
  for (const row of teamRows) {
    const key = row.code ?? '';
    const team = teams.get(key) ?? {
      code: row.code,
      name: row.name,
      count: 0,
      byChannel: {},
      costCents: 0,
      costPerReportCents: null,
    };
    team.count += row.count;
    team.byChannel[row.channel] = row.count;
    const unit = costs.get(row.channel);
    team.costCents = team.costCents === null || unit === undefined ? null : team.costCents + row.count * unit;
    teams.set(key, team);
  }
  for (const team of teams.values()) {
    team.costPerReportCents = team.costCents === null ? null : round(team.costCents / team.count, 1);
  }

  const digitalCount = DIGITAL_CHANNELS.reduce((s, c) => s + (counts.get(c) ?? 0), 0);
  const assistedUnit = averageUnitCost(ASSISTED_CHANNELS, counts, costs);
  const digitalUnit = averageUnitCost(DIGITAL_CHANNELS, counts, costs);
  const savings =
    assistedUnit === null || digitalUnit === null ? null : Math.round(digitalCount * (assistedUnit - digitalUnit));

  return {
    period,
    total,
    months: [...months.values()],
    channels: REPORT_CHANNELS.map((channel) => {
      const row = channelRows.find((r) => r.channel === channel);
      const count = row?.count ?? 0;
      const resolvedCount = row?.resolvedCount ?? 0;
      const unit = costs.get(channel) ?? null;
      return {
        channel,
        label: CHANNEL_LABELS[channel],
        count,
        resolvedCount,
        medianHoursToResolve:
          resolvedCount >= MIN_SAMPLE_SIZE && row?.medianHoursToResolve != null
            ? round(row.medianHoursToResolve, 1)
            : null,
        unitCostCents: unit,
        costCents: unit === null ? null : unit * count,
      };
    }),
    // Largest first would rank teams; by name, unrouted last, as the council's tables do.
    teams: [...teams.values()].sort((a, b) =>
      a.code === null ? 1 : b.code === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '', 'fr'),
    ),
    digital: {
      count: digitalCount,
      total,
      share: total === 0 ? null : round(digitalCount / total, 4),
      savingsCents: savings,
      assistedUnitCostCents: assistedUnit === null ? null : round(assistedUnit, 1),
      digitalUnitCostCents: digitalUnit === null ? null : round(digitalUnit, 1),
    },
  };
}
