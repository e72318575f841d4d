import { notifyHistoryEntry } from '@pave/core';
import { DelayedError } from 'bullmq';
import type { JobDefinition } from './job';

/**
 * `report.notify`: the acknowledgement and status-change mails of one history entry. A status change
 * inside its coalescing window goes back to the delayed set until the window ends (BullMQ's manual
 * delay: the job stays in Redis, and in the outbox's history should Redis lose it).
 */
export const reportNotifyJob: JobDefinition<'report.notify'> = {
  name: 'report.notify',
  async handler({ historyId }, { deps, job, token, logger }) {
    const result = await notifyHistoryEntry({ ...deps, logger }, historyId, { coalesceMs: deps.notifyCoalesceMs });
    if ('deferUntil' in result && token) {
      logger.debug({ historyId, deferUntil: result.deferUntil }, 'report.notify waits for its window');
      await job.moveToDelayed(result.deferUntil.getTime(), token);
      throw new DelayedError();
    }
    logger.info({ historyId, ...result }, 'report.notify done');
    return result;
  },
};
