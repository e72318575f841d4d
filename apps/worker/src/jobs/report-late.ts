import { notifyIfLate } from '@pave/core';
import type { JobDefinition } from './job';

/** `report.late`: a delayed job at the deadline (and at twice it) that warns the team if still open. */
export const reportLateJob: JobDefinition<'report.late'> = {
  name: 'report.late',
  async handler(payload, { deps, logger }) {
    const result = await notifyIfLate({ ...deps, logger }, payload);
    logger.info({ reportId: payload.reportId, level: payload.level, ...result }, 'report.late done');
    return result;
  },
};
