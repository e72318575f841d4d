import { routeReport } from '@pave/core';
import { UnrecoverableError } from 'bullmq';
import type { JobDefinition } from './job';

/** `report.route`: assigns the report to a team by category and service area, with its deadline. */
export const reportRouteJob: JobDefinition<'report.route'> = {
  name: 'report.route',
  async handler({ reportId }, { deps, logger }) {
    const result = await routeReport(deps.db, reportId);
    if (result.outcome === 'no-rule') throw new UnrecoverableError(`no routing rule matches report ${reportId}`);
    logger.info({ reportId, ...result }, 'report.route done');
    return result;
  },
};
