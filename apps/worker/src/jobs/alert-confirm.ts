import { sendAlertConfirmation } from '@pave/core';
import type { JobDefinition } from './job';

/** `alert.confirm`: the double opt-in mail of a new area alert (sent once, even when retried). */
export const alertConfirmJob: JobDefinition<'alert.confirm'> = {
  name: 'alert.confirm',
  async handler({ alertId }, { deps, logger }) {
    const result = await sendAlertConfirmation({ ...deps, logger }, alertId);
    logger.info({ alertId, ...result }, 'alert.confirm done');
    return result;
  },
};
