import { notifyHistoryEntry } from '@pave/core';
import type { JobDefinition } from './job';

/** `report.notify`: the acknowledgement and status-change mails of one history entry. */
export const reportNotifyJob: JobDefinition<'report.notify'> = {
  name: 'report.notify',
  async handler({ historyId }, { deps, logger }) {
    const result = await notifyHistoryEntry({ ...deps, logger }, historyId);
    logger.info({ historyId, ...result }, 'report.notify done');
    return result;
  },
};
